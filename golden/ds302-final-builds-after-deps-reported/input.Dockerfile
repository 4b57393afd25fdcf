FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps
COPY . .
RUN npx eslint .
CMD ["node", "server.js"]
