FROM ubuntu:22.04
USER root
RUN sudo apt-get update && env DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Options::=--force-confold -y install tzdata && rm -rf /var/lib/apt/lists/*
