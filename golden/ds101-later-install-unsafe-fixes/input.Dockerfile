FROM debian:bookworm
RUN apt-get update && apt-get install -y curl
WORKDIR /app
RUN apt-get install -y git
