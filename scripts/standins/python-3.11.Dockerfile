# Stand-in for python:3.11: CPython 3.11 with pip, headers and compilers.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y python3 python3-pip python3-venv python3-dev build-essential libpq-dev git curl \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s /usr/bin/python3 /usr/local/bin/python \
    && ln -s /usr/bin/pip3 /usr/local/bin/pip
ENV PIP_BREAK_SYSTEM_PACKAGES=1
CMD ["python3"]
