FROM debian:bookworm
RUN sh -c 'apt-get update && apt-get install --no-install-recommends curl'
RUN bash -c "pip install flask"
