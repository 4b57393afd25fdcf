FROM golang:1.22
WORKDIR /app
COPY . .
RUN go mod download && go build -o server ./cmd/server
ENTRYPOINT ["/app/server", "-templates", "/app/templates"]
