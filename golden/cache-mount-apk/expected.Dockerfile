FROM alpine:3.19
RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk update && apk add curl git
