FROM node:18-slim
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y python3 make g++ && npm install
CMD ["node", "server.js"]
