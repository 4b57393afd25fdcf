FROM node:18-slim
WORKDIR /app
RUN apt-get update && apt-get install --no-install-recommends -y python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
USER 1000:1000
CMD ["node", "server.js"]
