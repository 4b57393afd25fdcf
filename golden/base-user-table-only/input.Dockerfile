FROM python:3.11
COPY . /app
CMD ["python", "/app/app.py"]
