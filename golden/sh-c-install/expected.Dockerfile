FROM debian:bookworm
RUN sh -c 'apt-get update && apt-get install -y --no-install-recommends curl' && rm -rf /var/lib/apt/lists/*
RUN bash -c "pip install --no-cache-dir flask"
