FROM debian:bookworm-slim
RUN echo nothing to clean
RUN apk add --no-cache curl
