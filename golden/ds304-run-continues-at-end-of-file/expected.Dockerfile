FROM node:20-slim
WORKDIR /app
COPY package.json server.js ./
RUN npm install
USER 1000:1000
