FROM debian:bookworm-slim AS tools
RUN echo build

FROM debian:12-slim
COPY --from=tools /etc/os-release /os-release
CMD ["cat", "/os-release"]
