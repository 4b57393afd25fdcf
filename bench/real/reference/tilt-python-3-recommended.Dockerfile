# Hand-optimized reference (written for dockslim's bench).
FROM python:3-alpine
ARG flask_debug=False
ENV FLASK_DEBUG $flask_debug
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENTRYPOINT ["python", "/app/app.py"]
