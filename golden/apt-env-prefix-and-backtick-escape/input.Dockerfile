# escape=`
FROM debian:bookworm
RUN apt-get update && `
    DEBIAN_FRONTEND=noninteractive apt-get install --no-install-recommends curl
