FROM node:20-slim
WORKDIR /srv
WORKDIR app
COPY package.json package-lock.json /srv/app/
RUN npm ci
COPY . /srv/app
CMD ["node", "server.js"]
