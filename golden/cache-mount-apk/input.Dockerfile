FROM alpine:3.19
RUN apk update && apk add --no-cache curl git && rm -rf /var/cache/apk/*
