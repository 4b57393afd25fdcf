FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y gcc libpq-dev && pip install --no-cache-dir -r requirements.txt && rm -rf /var/lib/apt/lists/*
CMD ["python", "app.py"]
