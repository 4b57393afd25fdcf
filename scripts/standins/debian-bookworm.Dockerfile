# Stand-in for debian:bookworm: the slim stand-in plus documentation, man
# pages and a few tools, as the full image has.
FROM debian:bookworm-slim
RUN rm /etc/dpkg/dpkg.cfg.d/docker-slim \
    && apt-get update \
    && apt-get install -y --no-install-recommends less man-db manpages procps netbase \
    && rm -rf /var/lib/apt/lists/*
