FROM node:20-bookworm
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
