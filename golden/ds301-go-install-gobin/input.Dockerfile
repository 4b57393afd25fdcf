FROM golang:1.19
ENV GOBIN=/usr/local/bin
WORKDIR /src
COPY . .
RUN go install
CMD ["greeter"]
