FROM golang:1.22 AS build
WORKDIR /src
CMD ["/usr/local/bin/app"]
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
CMD ["/usr/local/bin/app"]
COPY --from=build /usr/local/bin/app /usr/local/bin/app
