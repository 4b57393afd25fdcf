FROM golang:1.22
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
