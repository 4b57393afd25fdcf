FROM node:18
WORKDIR /app
COPY . .
RUN npm ci && npm run build
RUN npm install -g serve && rm -rf node_modules
CMD ["serve", "-s", "build"]
