FROM node:18-slim
WORKDIR /home/node/app
COPY package*.json ./
RUN npm ci \
    && npm cache clean --force \
    && chown -R node:node /home/node/app
COPY --chown=node:node . .
USER node
CMD ["node", "index.js"]
