FROM golang:1.22
ENV PORT=8080
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
EXPOSE 8080
CMD ["app"]
