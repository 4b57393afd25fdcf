FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]
