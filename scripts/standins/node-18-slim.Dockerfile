# Stand-in for node:18-slim: Debian's Node.js 18 and npm, nothing else.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
CMD ["node"]
