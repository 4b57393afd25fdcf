# Stand-in for python:3.11-slim: Debian's CPython 3.11 with pip, `python` and
# `pip` on the PATH, installs allowed system-wide as in the official image.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s /usr/bin/python3 /usr/local/bin/python \
    && ln -s /usr/bin/pip3 /usr/local/bin/pip
ENV PIP_BREAK_SYSTEM_PACKAGES=1
CMD ["python3"]
