# Hand-optimized reference (written for dockslim's bench): slim base, the
# manifests and lockfile before the sources, production dependencies only,
# the yarn cache removed in the same layer, the image's unprivileged user.
FROM node:20-slim
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --production && yarn cache clean
COPY . .
USER node
ENTRYPOINT ["node", "/app/index.js"]
