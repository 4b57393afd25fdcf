FROM node:18-slim
WORKDIR /app
COPY . .
RUN npm ci --ignore-scripts
CMD ["node", "index.js"]
