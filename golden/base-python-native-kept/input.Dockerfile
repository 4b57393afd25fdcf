FROM python:3.11
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
COPY . /app
CMD ["python", "/app/app.py"]
