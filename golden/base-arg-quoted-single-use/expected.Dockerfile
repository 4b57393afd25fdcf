ARG BASE="python:3.11-slim"
FROM $BASE
COPY . /app
CMD ["python", "/app/app.py"]
