FROM debian:bookworm
RUN apt-get update -q && apt-get install -qy --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
