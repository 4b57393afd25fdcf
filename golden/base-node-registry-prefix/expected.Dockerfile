FROM docker.io/library/node:18.20.1-slim
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
