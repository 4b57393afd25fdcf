FROM python:3.11
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev curl && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
EXPOSE 8000
HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
