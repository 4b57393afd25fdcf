FROM node:20-slim
WORKDIR /app
COPY . .
RUN export NPM_CONFIG_REGISTRY=https://registry.example.com && npm ci && npm run build
CMD ["node", "dist/index.js"]
