FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
RUN rm -rf /var/lib/apt/lists/*
CMD ["curl", "--version"]
