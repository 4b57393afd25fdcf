FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN go mod download && CGO_ENABLED=0 go build -o server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /app/server /app/server
COPY --from=build /app/templates /app/templates
ENTRYPOINT ["/app/server", "-templates", "/app/templates"]
