FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
VOLUME /data
CMD ["/bin/app"]
