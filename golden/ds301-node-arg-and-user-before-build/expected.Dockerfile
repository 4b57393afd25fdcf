FROM node:20 AS build
ARG APP_VERSION=1.0.0
ENV APP_VERSION=$APP_VERSION
WORKDIR /home/node/app
COPY --chown=node:node . .
USER node
RUN npm ci && npm run build

FROM node:20-slim
ARG APP_VERSION=1.0.0
ENV APP_VERSION=$APP_VERSION
WORKDIR /home/node/app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /home/node/app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/index.js"]
