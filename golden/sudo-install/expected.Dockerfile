FROM ubuntu:22.04
RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
