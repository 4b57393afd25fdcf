FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM deps
COPY . .
USER node
CMD ["node", "server.js"]
