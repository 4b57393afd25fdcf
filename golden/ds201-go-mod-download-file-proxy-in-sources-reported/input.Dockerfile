FROM golang:1.19
ENV GOPROXY=file:///src/third_party/goproxy GOSUMDB=off
WORKDIR /src
COPY . .
RUN go mod download
RUN CGO_ENABLED=0 go build -o /usr/local/bin/shop .
CMD ["shop"]
