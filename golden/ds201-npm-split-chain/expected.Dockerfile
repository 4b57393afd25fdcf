FROM node:18-slim
WORKDIR /app
COPY --chown=node:node package.json package-lock.json .npmrc ./
RUN npm ci
COPY --chown=node:node . .
RUN npm run build
CMD ["node", "dist/index.js"]
