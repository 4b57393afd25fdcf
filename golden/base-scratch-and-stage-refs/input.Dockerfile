FROM debian:bookworm-slim AS base
RUN echo base
FROM base AS test
RUN echo test
FROM scratch
COPY --from=test /etc/hostname /x
