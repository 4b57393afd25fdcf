FROM python:3.11
RUN apt-get update && apt-get install --no-install-recommends -y nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN cd web && npm ci && npm run build && npm cache clean --force
RUN pip install --no-cache-dir -r requirements.txt
EXPOSE 5000
CMD ["python", "app.py"]
