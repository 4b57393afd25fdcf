# Hand-optimized reference (written for dockslim's bench).
FROM node:16-alpine3.13
WORKDIR /usr/src/app
COPY package.json ./
RUN npm install && npm cache clean --force
COPY . .
USER node
CMD ["node", "server.js"]
