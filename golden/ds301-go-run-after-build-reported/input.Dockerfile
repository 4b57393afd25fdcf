FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
RUN go test ./...
CMD ["/bin/app"]
