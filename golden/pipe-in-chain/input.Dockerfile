FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl && curl -fsSL https://example.com/install.sh | sh
