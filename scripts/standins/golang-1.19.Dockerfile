# Stand-in for golang:1.19: Debian's Go 1.19 toolchain. There is no module
# proxy here, so GOPROXY is off: apps build with the standard library only.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y golang-1.19-go build-essential git \
    && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/go-1.19/bin:$PATH \
    GOPROXY=off \
    GOFLAGS=-buildvcs=false
CMD ["go", "version"]
