FROM node:18-slim
WORKDIR /app
COPY . .
RUN chown -R node:node /app