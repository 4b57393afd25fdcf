FROM golang:1.19 AS build
ADD src /go/src/app
WORKDIR /go/src/app
# Go 1.19 ships its standard library built with cgo; a static build
# compiles net/http again on every rebuild unless the file builds static.
RUN CGO_ENABLED=0 go install -v ./...

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /go/src/app
COPY --from=build /go/bin/greeter /usr/local/bin/greeter
EXPOSE 8080
CMD ["greeter"]
