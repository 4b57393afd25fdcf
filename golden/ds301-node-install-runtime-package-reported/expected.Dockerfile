FROM node:18
WORKDIR /app
RUN apt-get update && apt-get install --no-install-recommends -y imagemagick && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
USER 1000:1000
CMD ["node", "server.js"]
