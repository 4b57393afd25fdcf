FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /
COPY . .
CMD ["server.js"]
