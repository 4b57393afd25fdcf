FROM gcr.io/distroless/nodejs22-debian12:nonroot
WORKDIR /srv
COPY . .
CMD ["--enable-source-maps", "lib/main.js"]
