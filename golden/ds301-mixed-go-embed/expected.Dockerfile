FROM node:18 AS web
WORKDIR /app/web
COPY web/package.json web/package-lock.json ./
RUN npm ci
COPY web/ ./
RUN npm run build

FROM golang:1.21-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
WORKDIR /app/web
COPY --from=web /app/web/dist /app/web/dist
WORKDIR /app
RUN CGO_ENABLED=0 go build -o /usr/local/bin/shop .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
WORKDIR /app/web
WORKDIR /app
COPY --from=build /usr/local/bin/shop /usr/local/bin/shop
EXPOSE 8080
CMD ["shop"]
