# Stand-in for node:18-slim: Debian's Node.js 18 with its headers (for
# native modules: node-gyp reads them from npm_config_nodedir instead of
# downloading them, which it cannot do here), npm from the npm registry
# (scripts/e2e.sh puts its tarball in the context; Debian's npm package
# would add hundreds of MB), and the `node` user (uid 1000) the official
# images have.
FROM debian:bookworm-slim
COPY npm.tgz /tmp/npm.tgz
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs libnode-dev \
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
