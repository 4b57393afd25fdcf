FROM node:20-slim
WORKDIR /app
COPY --chown=node:node . .
USER 1000:1000
CMD ["node", "server.js"]
