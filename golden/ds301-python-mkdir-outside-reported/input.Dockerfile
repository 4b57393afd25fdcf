FROM python:3.11
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt && mkdir -p /var/log/app
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
