FROM golang:1.22
WORKDIR /src
CMD ["/usr/local/bin/app"]
COPY . .
RUN go build -o /usr/local/bin/app . \