FROM alpine:3.19
RUN apk update && apk add curl
COPY x /x
RUN apk add jq
