ARG BASE=node:18
FROM ${BASE}
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
