FROM golang:1.19
WORKDIR /src
COPY . .
RUN go mod download
RUN CGO_ENABLED=0 go build -o /usr/local/bin/shop .
CMD ["shop"]
