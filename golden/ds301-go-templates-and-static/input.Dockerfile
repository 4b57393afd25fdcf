FROM golang:1.22
WORKDIR /srv/web
COPY . .
RUN go build -o web .
EXPOSE 8080
CMD ["./web"]
