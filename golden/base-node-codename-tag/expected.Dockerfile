FROM gcr.io/distroless/nodejs20-debian12:nonroot
COPY . /app
WORKDIR /app
CMD ["server.js"]
