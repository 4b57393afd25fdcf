FROM python:3.12-slim-bookworm
WORKDIR /app
COPY . .
CMD ["python", "app.py"]
