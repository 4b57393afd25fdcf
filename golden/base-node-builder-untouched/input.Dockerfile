FROM node:18 AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM node:18
WORKDIR /app
COPY --from=build /src/dist ./dist
CMD ["node", "dist/index.js"]
