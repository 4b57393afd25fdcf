FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt ./
RUN cd /tmp && pip install --no-cache-dir -r /app/requirements.txt
RUN chown -R 1000 /app
COPY --chown=1000:0 . .
USER 1000
CMD ["python", "app.py"]
