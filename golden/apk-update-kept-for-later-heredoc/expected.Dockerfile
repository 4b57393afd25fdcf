# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN apk update && apk add --no-cache curl
RUN <<EOF
apk add jq
EOF
