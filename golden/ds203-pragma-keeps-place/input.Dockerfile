FROM node:18-slim
WORKDIR /app
# dockslim: ignore=DS113
COPY . .
RUN chown -R node /app
USER node
CMD ["node", "server.js"]
