FROM node:20-slim
WORKDIR /app
COPY . .
RUN apt-get update
RUN apt-get install -y --no-install-recommends python3 make g++
RUN npm ci
CMD ["node", "server.js"]
