FROM node:20-slim
WORKDIR /app
COPY --chown=node:node . .
USER root
CMD ["node", "server.js"]
