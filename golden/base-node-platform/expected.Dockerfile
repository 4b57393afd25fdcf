FROM --platform=linux/amd64 gcr.io/distroless/nodejs18-debian12:nonroot AS app
COPY . /app
WORKDIR /app
CMD ["server.js"]
