FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
RUN npm install -g pm2 && npm cache clean --force
USER 1000:1000
CMD ["pm2-runtime", "server.js"]
