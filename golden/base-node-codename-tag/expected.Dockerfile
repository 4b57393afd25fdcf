FROM node:20-bookworm-slim
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
