FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
COPY server.js /etc/app/server.js
USER 1000:1000
CMD ["node", "server.js"]
