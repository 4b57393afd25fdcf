FROM python:3.11
RUN apt-get update && apt-get install -y nodejs npm
WORKDIR /app
COPY . .
RUN cd web && npm ci && npm run build
RUN pip install --no-cache-dir -r requirements.txt
EXPOSE 5000
CMD ["python", "app.py"]
