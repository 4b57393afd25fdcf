FROM node:18-slim
WORKDIR /home/node/app
COPY package*.json ./
RUN npm ci \
    && npm cache clean --force
COPY . .
RUN chown -R node:node .
USER node
CMD ["node", "index.js"]
