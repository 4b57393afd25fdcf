FROM node:lts
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
