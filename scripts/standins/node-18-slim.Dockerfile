# Stand-in for node:18-slim: Debian's Node.js 18 and npm, and the `node`
# user (uid 1000) the official images have.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1000 node \
    && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
