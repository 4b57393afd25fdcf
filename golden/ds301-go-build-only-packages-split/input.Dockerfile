FROM golang:1.22
RUN apt-get update && apt-get install -y --no-install-recommends git make && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go mod download && go build -o /usr/local/bin/app .
CMD ["app"]
