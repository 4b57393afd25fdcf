FROM debian:bookworm
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl git && \
    apt-get clean && \
    rm -rf /var/lib/apt/lists/*
COPY . /src
RUN apt-get update && apt-get install -y --no-install-recommends make
