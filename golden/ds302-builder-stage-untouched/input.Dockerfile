FROM node:20 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm test

FROM node:20-slim
WORKDIR /app
COPY --from=deps /app /app
CMD ["node", "server.js"]
