FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
