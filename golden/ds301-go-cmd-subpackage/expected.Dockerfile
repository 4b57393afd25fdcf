FROM golang:1.22-bookworm AS build
WORKDIR /go/src/shop
COPY . .
RUN CGO_ENABLED=0 go build -v -ldflags "-s -w" ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /go/src/shop
COPY --from=build /go/src/shop/api /go/src/shop/api
EXPOSE 8080
ENTRYPOINT ["/go/src/shop/api"]
