FROM golang:1.22
RUN mkdir -p /var/lib/app && chown 65532:65532 /var/lib/app
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
