FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y gcc libpq-dev && pip install -r requirements.txt
CMD ["python", "app.py"]
