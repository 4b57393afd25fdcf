FROM node:18-slim
WORKDIR /app
ADD site.tar.gz .
RUN chown -R node:node /app
USER node
CMD ["node", "server.js"]
