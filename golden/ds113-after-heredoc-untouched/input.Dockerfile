# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN <<EOF
cd /opt
export A=1
EOF
RUN make
CMD ["/usr/local/bin/app"]
