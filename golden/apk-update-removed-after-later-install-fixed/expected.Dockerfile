FROM alpine:3.19
RUN apk add --no-cache curl
COPY x /x
RUN apk add --no-cache jq
