# Stand-in for gcr.io/distroless/static-debian12:nonroot: no shell, no libc,
# CA certificates, the nonroot user (65532).
FROM debian:bookworm-slim AS files
RUN mkdir -p /out/etc /out/tmp /out/home/nonroot \
    && echo 'root:x:0:0:root:/root:/sbin/nologin' > /out/etc/passwd \
    && echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >> /out/etc/passwd \
    && printf 'root:x:0:\nnonroot:x:65532:\n' > /out/etc/group \
    && mkdir -p /out/etc/ssl/certs \
    && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ \
    && chmod 1777 /out/tmp \
    && chown 65532:65532 /out/home/nonroot

FROM scratch
COPY --from=files /out/ /
USER 65532:65532
WORKDIR /home/nonroot
