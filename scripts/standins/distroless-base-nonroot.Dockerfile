# Stand-in for gcr.io/distroless/base-debian12:nonroot: no shell, glibc,
# OpenSSL's libraries and CA certificates, the nonroot user (65532).
FROM debian:bookworm-slim AS files
RUN mkdir -p /out/etc /out/tmp /out/home/nonroot /out/lib/x86_64-linux-gnu /out/lib64 /out/etc/ssl/certs \
    && cp /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libm.so.6 \
          /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/x86_64-linux-gnu/libcrypto.so.3 \
          /out/lib/x86_64-linux-gnu/ \
    && cp /lib64/ld-linux-x86-64.so.2 /out/lib64/ \
    && echo 'root:x:0:0:root:/root:/sbin/nologin' > /out/etc/passwd \
    && echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >> /out/etc/passwd \
    && printf 'root:x:0:\nnonroot:x:65532:\n' > /out/etc/group \
    && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ \
    && chmod 1777 /out/tmp \
    && chown 65532:65532 /out/home/nonroot

FROM scratch
COPY --from=files /out/ /
USER 65532:65532
WORKDIR /home/nonroot
