FROM golang:1.22
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["--port", "8080"]
COPY . .
RUN go build -o /usr/local/bin/app .
