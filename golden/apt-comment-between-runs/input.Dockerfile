FROM debian:bookworm
RUN apt-get update
# curl for the health check
RUN apt-get install -y --no-install-recommends curl
