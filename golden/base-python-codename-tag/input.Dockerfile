FROM python:3.12-bookworm
WORKDIR /app
COPY . .
CMD ["python", "app.py"]
