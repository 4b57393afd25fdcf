FROM debian:bookworm-slim
RUN apt-get update && \
    apt-get install --no-install-recommends -y gcc libc6-dev && \
    rm -rf /var/lib/apt/lists/*
COPY hello.c /src/hello.c
RUN gcc -O2 -o /usr/local/bin/hello /src/hello.c
CMD ["hello"]
