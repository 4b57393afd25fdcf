# Hand-optimized reference (written for dockslim's bench): the React build
# in a builder; the runtime has only `serve` and the built files.
FROM node:18-alpine AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY ./src ./src
COPY ./public ./public
RUN npm run build

FROM node:18-alpine
RUN npm install -g serve && npm cache clean --force
WORKDIR /app
COPY --from=build /app/build ./build
USER node
EXPOSE 3000
CMD ["serve", "-s", "build"]
