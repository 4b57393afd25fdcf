FROM node:20-slim
WORKDIR /app
COPY . .
COPY .npmrc /root/.npmrc
RUN npm ci
CMD ["node", "server.js"]
