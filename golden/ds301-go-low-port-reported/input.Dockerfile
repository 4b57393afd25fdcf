FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
EXPOSE 80
CMD ["/bin/app"]
