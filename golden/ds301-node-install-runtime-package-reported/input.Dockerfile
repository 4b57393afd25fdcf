FROM node:18
WORKDIR /app
RUN apt-get update && apt-get install -y imagemagick
COPY . .
RUN npm ci
CMD ["node", "server.js"]
