FROM node:18-slim
COPY . /app
RUN cd /app && npm ci
