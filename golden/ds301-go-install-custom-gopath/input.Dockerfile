FROM golang:1.19
ENV GOPATH=/work
WORKDIR /src
COPY . .
RUN go install .
ENTRYPOINT ["/work/bin/greeter"]
