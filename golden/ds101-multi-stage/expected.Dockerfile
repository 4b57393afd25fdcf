FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y gcc
RUN gcc --version

FROM debian:bookworm-slim
RUN apt-get update && \
	apt-get install -y ca-certificates && \
	rm -rf /var/lib/apt/lists/*
COPY --from=build /etc/hostname /x
