# Stand-in for gcr.io/distroless/python3-debian12:nonroot: Debian bookworm's
# CPython 3.11 (python3.11-minimal and its standard library) at
# /usr/bin/python3.11, the real image's ENTRYPOINT, with the python3 and
# python links, the shared libraries the interpreter and its extension
# modules link (listed by ldd), CA certificates and the nonroot user
# (65532). No shell, no pip.
FROM debian:bookworm-slim AS files
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3.11 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /out/usr/bin /out/usr/lib /out/etc/ssl/certs /out/tmp /out/home/nonroot \
    && cp /usr/bin/python3.11 /out/usr/bin/ \
    && ln -s python3.11 /out/usr/bin/python3 \
    && ln -s python3.11 /out/usr/bin/python \
    && cp -a /usr/lib/python3.11 /out/usr/lib/ \
    && find /out/usr/lib/python3.11 -name __pycache__ -prune -exec rm -rf {} + \
    && { ldd /usr/bin/python3.11; find /usr/lib/python3.11/lib-dynload -name '*.so' -exec ldd {} +; } \
       | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(0x/ { print $1 }' | sort -u > /tmp/libs \
    && while read -r lib; do cp --parents -L "$lib" /out/; done < /tmp/libs \
    && echo 'root:x:0:0:root:/root:/sbin/nologin' > /out/etc/passwd \
    && echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >> /out/etc/passwd \
    && printf 'root:x:0:\nnonroot:x:65532:\n' > /out/etc/group \
    && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ \
    && chmod 1777 /out/tmp \
    && chown 65532:65532 /out/home/nonroot

FROM scratch
COPY --from=files /out/ /
ENV LANG=C.UTF-8 SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532:65532
WORKDIR /home/nonroot
ENTRYPOINT ["/usr/bin/python3.11"]
