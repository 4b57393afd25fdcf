FROM debian:bookworm
RUN apt-get update && apt-get install -y curl
COPY entrypoint.sh /entrypoint.sh
RUN apt-get install -y jq
