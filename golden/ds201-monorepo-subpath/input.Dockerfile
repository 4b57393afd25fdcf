FROM node:18-slim
WORKDIR /app
COPY services/api/ .
RUN npm ci
CMD ["node", "index.js"]
