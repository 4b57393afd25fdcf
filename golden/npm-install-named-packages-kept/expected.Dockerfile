FROM node:18
WORKDIR /app
COPY package*.json ./
RUN npm install -g pm2 && npm cache clean --force
