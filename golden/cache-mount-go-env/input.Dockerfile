FROM golang:1.19
ENV GOMODCACHE=/cache/mod GOCACHE=/cache/build
RUN go build -o /app .
