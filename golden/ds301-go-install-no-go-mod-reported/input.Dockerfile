FROM golang:1.19
WORKDIR /src
COPY . .
RUN go install .
CMD ["greeter"]
