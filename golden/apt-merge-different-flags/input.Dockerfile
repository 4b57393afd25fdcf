# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN --network=host apt-get update
RUN apt-get install -y --no-install-recommends curl
