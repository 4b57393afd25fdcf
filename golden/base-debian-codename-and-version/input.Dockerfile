FROM debian:bookworm AS tools
RUN echo build

FROM debian:12
COPY --from=tools /etc/os-release /os-release
CMD ["cat", "/os-release"]
