FROM gcr.io/distroless/nodejs18-debian12:nonroot
COPY . /app
WORKDIR /app
CMD ["server.js"]
