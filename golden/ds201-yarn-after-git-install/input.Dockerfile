FROM node:20-slim
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/* && yarn install --frozen-lockfile && yarn build
CMD ["node", "dist/index.js"]
