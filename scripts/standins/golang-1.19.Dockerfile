# Stand-in for golang:1.19: Debian's Go 1.19 toolchain. There is no module
# proxy here, so GOPROXY is off: apps build with the standard library only.
# Like the real image: GOPATH=/go with /go/bin on the PATH (where `go
# install` puts binaries and the module cache lives), and WORKDIR /go.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y golang-1.19-go build-essential git \
    && rm -rf /var/lib/apt/lists/*
ENV GOPATH=/go
ENV PATH=/go/bin:/usr/lib/go-1.19/bin:$PATH \
    GOPROXY=off \
    GOFLAGS=-buildvcs=false
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go
WORKDIR /go
CMD ["go", "version"]
