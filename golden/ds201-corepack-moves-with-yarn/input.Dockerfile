FROM node:20-slim
WORKDIR /app
COPY . .
RUN corepack enable && yarn install --immutable && yarn build
CMD ["node", "dist/index.js"]
