FROM golang:1.19
ENV GOBIN=/opt/bin
WORKDIR /src
COPY . .
RUN go install .
CMD ["greeter"]
