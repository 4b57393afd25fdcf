FROM node:20-slim
WORKDIR /app
COPY . .
VOLUME /app/uploads
CMD ["node", "server.js"]
