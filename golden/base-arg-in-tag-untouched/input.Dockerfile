ARG NODE_VERSION=18
FROM node:${NODE_VERSION}
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
