FROM node:20-slim
WORKDIR /srv
WORKDIR app
COPY . /srv/app
RUN npm ci
CMD ["node", "server.js"]
