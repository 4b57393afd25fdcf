FROM golang:1.22
WORKDIR /src
COPY config/app.yaml /etc/app/app.yaml
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
