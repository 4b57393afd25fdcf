FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=build /src/app /src/app
CMD ["./app"]
