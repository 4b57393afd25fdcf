FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
CMD ["/bin/app"]
