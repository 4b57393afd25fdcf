ARG BASE=node:18-slim
FROM ${BASE}
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
