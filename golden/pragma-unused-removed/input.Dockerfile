FROM debian:bookworm-slim
# dockslim: ignore=DS101
RUN echo nothing to clean
# dockslim: ignore=DS106,not-a-rule
RUN apk add --no-cache curl
