FROM node:18
WORKDIR /app
COPY . .
RUN npm ci && npm install -g pm2
CMD ["pm2-runtime", "server.js"]
