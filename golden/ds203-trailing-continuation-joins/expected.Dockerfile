FROM node:18-slim
WORKDIR /app
RUN npm install -g serve@14 && chown -R node /app
COPY --chown=node:root . .
