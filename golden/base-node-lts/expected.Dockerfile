FROM node:lts-slim
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
