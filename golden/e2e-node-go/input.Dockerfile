FROM golang:1.19
RUN apt-get update && apt-get install -y nodejs npm
WORKDIR /src
COPY . .
RUN cd web && npm ci && npm run build
RUN CGO_ENABLED=0 go build -o /server .
EXPOSE 8080
CMD ["/server"]
