ARG BASE=node:18
FROM ${BASE} AS build
RUN echo build
FROM ${BASE}
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
