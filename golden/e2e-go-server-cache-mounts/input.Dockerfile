FROM golang:1.19
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/server .
EXPOSE 8080
CMD ["server"]
