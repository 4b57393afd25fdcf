FROM debian:bookworm
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
