FROM node:18 AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM gcr.io/distroless/nodejs18-debian12:nonroot
WORKDIR /app
COPY --from=build /src/dist ./dist
CMD ["dist/index.js"]
