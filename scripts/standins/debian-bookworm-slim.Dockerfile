# Stand-in for debian:bookworm-slim: Debian's minbase, CA certificates (with
# the host's extra CAs, so HTTPS works behind a proxy), no documentation.
FROM dockslim/rootfs:bookworm
COPY ca/ /usr/local/share/ca-certificates/
RUN printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\n' > /etc/dpkg/dpkg.cfg.d/docker-slim \
    && apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && update-ca-certificates \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/*
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt
CMD ["bash"]
