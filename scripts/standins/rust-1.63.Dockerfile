# Stand-in for rust:1.63: Debian's Rust toolchain (rustc and cargo 1.63).
# There is no crates.io mirror in builds here that needs one: apps use the
# standard library only.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends rustc cargo libc6-dev gcc \
    && rm -rf /var/lib/apt/lists/*
CMD ["cargo", "--version"]
