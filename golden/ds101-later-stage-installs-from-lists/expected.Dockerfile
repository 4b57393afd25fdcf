FROM debian:bookworm AS base
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*

FROM base
RUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*
