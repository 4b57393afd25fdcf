# Stand-in for gcr.io/distroless/nodejs18-debian12:nonroot: Debian bookworm's
# Node.js 18 binary at /nodejs/bin/node (the real image's ENTRYPOINT), the
# shared libraries it links (listed by ldd: libnode, ICU, OpenSSL, libuv …),
# the builtins Debian keeps outside the binary (/usr/share/nodejs: acorn,
# cjs-module-lexer, undici …), CA certificates and the nonroot user (65532).
# No shell, no npm.
FROM debian:bookworm-slim AS files
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /out/nodejs/bin /out/etc/ssl/certs /out/tmp /out/home/nonroot \
    && cp -L /usr/bin/node /out/nodejs/bin/node \
    && ldd /usr/bin/node | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' > /tmp/libs \
    && while read -r lib; do cp --parents -L "$lib" /out/; done < /tmp/libs \
    && cp -rL --parents /usr/share/nodejs /out/ \
    && echo 'root:x:0:0:root:/root:/sbin/nologin' > /out/etc/passwd \
    && echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >> /out/etc/passwd \
    && printf 'root:x:0:\nnonroot:x:65532:\n' > /out/etc/group \
    && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ \
    && chmod 1777 /out/tmp \
    && chown 65532:65532 /out/home/nonroot

FROM scratch
COPY --from=files /out/ /
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532:65532
WORKDIR /home/nonroot
ENTRYPOINT ["/nodejs/bin/node"]
