FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
COPY server.js /etc/app/server.js
CMD ["node", "server.js"]
