FROM debian:bookworm AS build
RUN mkdir /out
RUN echo built > /out/artifact

FROM debian:bookworm-slim
RUN useradd --create-home app
RUN mkdir /data && chown app /data
COPY --from=build /out/artifact /data/
USER app
