FROM node:18@sha256:3f1bb0bde7e8fe2fb0c8d2e28e0b1bd3f77c0c6a93d13ab6e1fd3a8d2b1c1f00
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
