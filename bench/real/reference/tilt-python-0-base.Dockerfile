# Hand-optimized reference (written for dockslim's bench): requirements
# before the sources, no pip cache in the image.
FROM python:3-alpine
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENTRYPOINT ["python", "/app/app.py"]
