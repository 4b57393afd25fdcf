FROM debian:bookworm
RUN apt-get update \
    # tools for the build
    && apt-get install -y \
        make \
        # compilers
        gcc
