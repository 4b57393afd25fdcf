FROM golang:1.19
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download -x && go mod verify
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/shop .
CMD ["shop"]
