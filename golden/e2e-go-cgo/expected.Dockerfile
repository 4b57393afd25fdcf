FROM golang:1.19 AS build
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/checksum .

FROM gcr.io/distroless/base-debian12:nonroot
WORKDIR /src
COPY --from=build /usr/local/bin/checksum /usr/local/bin/checksum
CMD ["checksum"]
