FROM --platform=linux/amd64 node:18-slim AS app
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
