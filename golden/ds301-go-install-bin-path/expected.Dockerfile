FROM golang:1.19 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go install .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=build /go/bin/greeter /go/bin/greeter
ENTRYPOINT ["/go/bin/greeter"]
