FROM node:18-slim
WORKDIR /usr/src/app
COPY . /usr/src
RUN chown -R node /usr/src/app
USER node
CMD ["node", "server.js"]
