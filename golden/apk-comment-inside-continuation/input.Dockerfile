FROM alpine:3.19
RUN apk add \
    # for downloads
    curl \
    git
