FROM golang:1.19
ENV GOOS=linux GOARCH=arm64
WORKDIR /src
COPY . .
RUN go install .
CMD ["greeter"]
