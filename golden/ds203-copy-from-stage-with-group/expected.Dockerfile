FROM node:18 AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM node:18-slim
WORKDIR /app
RUN npm install -g serve@14 && chown -R node:node /app
COPY --chown=node:node --from=build /src/dist ./dist
USER node
CMD ["serve", "dist"]
