FROM debian:bookworm-slim
RUN useradd --create-home app
RUN mkdir /data && chown app /data
