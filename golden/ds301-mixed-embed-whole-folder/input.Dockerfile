FROM golang:1.19
RUN apt-get update && apt-get install -y nodejs npm
WORKDIR /src
COPY . .
RUN cd web && npm ci && npm run build
RUN go build -o /server .
CMD ["/server"]
