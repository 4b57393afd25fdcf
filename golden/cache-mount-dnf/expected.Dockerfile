FROM fedora:39
RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf install -y gcc make
