# Stand-in for eclipse-temurin:17-jre: Debian's headless OpenJDK 17 runtime
# on Debian slim (the official image is Ubuntu-based).
FROM debian:bookworm-slim
RUN mkdir -p /usr/share/man/man1 \
    && apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
CMD ["java", "-version"]
