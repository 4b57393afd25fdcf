FROM node:18-slim
WORKDIR /app
COPY package.json ./
COPY config/default.json ./config/default.json
RUN chown -R node /app
USER node
CMD ["node", "server.js"]
