FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
COPY . .
EXPOSE 3000
CMD ["server.js"]
