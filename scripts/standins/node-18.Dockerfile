# Stand-in for node:18: Node.js 18 and its headers with the compilers,
# python3, git and curl that the full image carries for native modules, npm
# from the npm registry (as in node-18-slim), and the `node` user.
FROM debian:bookworm
COPY npm.tgz /tmp/npm.tgz
RUN apt-get update \
    && apt-get install -y nodejs libnode-dev build-essential python3 git curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /usr/local/lib/node_modules/npm \
    && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
    && rm /tmp/npm.tgz \
    && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && groupadd --gid 1000 node \
    && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV npm_config_nodedir=/usr
CMD ["node"]
