FROM node:18-slim
WORKDIR /app
COPY services/api/package.json services/api/package-lock.json ./
RUN npm ci
COPY services/api/ .
CMD ["node", "index.js"]
