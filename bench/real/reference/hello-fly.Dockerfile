# Hand-optimized reference (written for dockslim's bench).
FROM node:16.19.0-slim
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
USER node
EXPOSE 8080
CMD ["node", "./bin/www"]
