FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN useradd --create-home app && chown -R app /app
USER app
CMD ["python", "app.py"]
