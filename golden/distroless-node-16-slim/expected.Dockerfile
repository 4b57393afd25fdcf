FROM node:16-slim
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
