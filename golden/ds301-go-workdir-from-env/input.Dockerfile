FROM golang:1.22
ENV APP_HOME=/src
WORKDIR $APP_HOME
COPY . .
RUN go build -o bin/app .
CMD ["/src/bin/app"]
