ARG BASE="python:3.11"
FROM $BASE
COPY . /app
CMD ["python", "/app/app.py"]
