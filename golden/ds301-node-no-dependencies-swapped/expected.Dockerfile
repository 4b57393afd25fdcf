FROM node:18-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
USER 1000:1000
CMD ["node", "server.js"]
