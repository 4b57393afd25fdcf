FROM alpine:3.19
RUN apk add --no-cache curl && rm -rf /var/cache/apk/* /tmp/*
