FROM golang:1.19
RUN apt-get update && apt-get install -y nodejs npm
WORKDIR /src
COPY . .
RUN go build -o /server .
RUN cd web && npm ci && npm run build
CMD ["/server"]
