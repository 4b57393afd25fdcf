FROM golang:1.22-bookworm
WORKDIR /go/src/shop
COPY . .
RUN go build -v -ldflags "-s -w" ./cmd/api
EXPOSE 8080
ENTRYPOINT ["/go/src/shop/api"]
