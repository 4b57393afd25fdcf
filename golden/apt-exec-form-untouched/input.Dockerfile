FROM debian:bookworm
RUN ["/bin/sh", "-c", "apt-get update && apt-get install -y curl"]
