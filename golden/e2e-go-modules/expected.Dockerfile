FROM golang:1.19 AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /app .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=build /app /app
CMD ["/app", "--selftest"]
