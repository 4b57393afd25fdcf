FROM node:18-slim
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
