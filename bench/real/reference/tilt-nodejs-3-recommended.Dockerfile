# Hand-optimized reference (written for dockslim's bench).
FROM node:20-slim
ARG node_env=production
ENV NODE_ENV $node_env
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --production && yarn cache clean
COPY . .
USER node
ENTRYPOINT ["node", "/app/index.js"]
