FROM golang:1.19
ADD src /go/src/app
WORKDIR /go/src/app
RUN go install -v ./...
EXPOSE 8080
CMD ["greeter"]
