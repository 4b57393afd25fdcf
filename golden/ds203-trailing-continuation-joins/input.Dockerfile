FROM node:18-slim
WORKDIR /app
RUN npm install -g serve@14
COPY . .
RUN chown -R node /app \
