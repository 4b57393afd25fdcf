FROM node:18-slim
WORKDIR /app
COPY . .
RUN npm ci && npm run build
RUN chown -R node /app
USER node
CMD ["node", "dist/server.js"]
