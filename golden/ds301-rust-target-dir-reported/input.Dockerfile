FROM rust:1.77
ENV CARGO_TARGET_DIR=/build
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["/build/release/svc"]
