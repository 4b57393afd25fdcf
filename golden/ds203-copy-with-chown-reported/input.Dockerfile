FROM node:18-slim
WORKDIR /app
COPY --chown=1000 package.json ./
COPY . .
RUN chown -R node /app
USER node
CMD ["node", "server.js"]
