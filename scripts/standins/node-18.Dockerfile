# Stand-in for node:18: Node.js and npm with the compilers, python3, git and
# curl that the full image carries for native modules, and the `node` user.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y nodejs npm build-essential python3 git curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1000 node \
    && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
