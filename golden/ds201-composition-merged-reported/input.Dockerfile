FROM node:20-slim
WORKDIR /app
COPY . .
RUN ./scripts/prepare.sh && npm ci
CMD ["node", "server.js"]
