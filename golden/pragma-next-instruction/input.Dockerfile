FROM debian:bookworm-slim
# dockslim: ignore=DS101
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get update && apt-get install -y --no-install-recommends git
