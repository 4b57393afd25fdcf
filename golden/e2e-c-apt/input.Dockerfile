FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y gcc libc6-dev
COPY hello.c /src/hello.c
RUN gcc -O2 -o /usr/local/bin/hello /src/hello.c
CMD ["hello"]
