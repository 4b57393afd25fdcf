FROM golang:1.19
ADD src /go/src/app
WORKDIR /go/src/app
# Go 1.19 ships its standard library built with cgo; a static build
# compiles net/http again on every rebuild unless the file builds static.
RUN CGO_ENABLED=0 go install -v ./...
EXPOSE 8080
CMD ["greeter"]
