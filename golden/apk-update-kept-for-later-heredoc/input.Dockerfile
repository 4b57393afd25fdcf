# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN apk update && apk add curl
RUN <<EOF
apk add jq
EOF
