FROM node:20-slim
WORKDIR /app
COPY . .
RUN ./scripts/prepare.sh && npm ci && npm cache clean --force
USER 1000:1000
CMD ["node", "server.js"]
