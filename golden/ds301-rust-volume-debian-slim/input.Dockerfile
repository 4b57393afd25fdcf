FROM rust:1.77
WORKDIR /app
VOLUME /app/data
COPY . .
RUN cargo build --release
EXPOSE 8080
ENTRYPOINT ["/app/target/release/svc"]
