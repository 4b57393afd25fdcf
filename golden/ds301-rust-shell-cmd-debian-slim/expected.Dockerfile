FROM rust:1.77 AS build
WORKDIR /app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
WORKDIR /app
COPY --from=build /app/target/release/svc /app/target/release/svc
CMD ./target/release/svc --port $PORT
