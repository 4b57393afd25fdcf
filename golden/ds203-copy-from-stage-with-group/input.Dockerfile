FROM node:18 AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM node:18-slim
WORKDIR /app
RUN npm install -g serve@14
COPY --from=build /src/dist ./dist
RUN chown -R node:node /app
USER node
CMD ["serve", "dist"]
