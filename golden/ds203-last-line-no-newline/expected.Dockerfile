FROM node:18-slim
WORKDIR /app
RUN chown -R node:node /app
COPY --chown=node:node . .