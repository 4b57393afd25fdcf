FROM rust:1.77 AS build
WORKDIR /app
VOLUME /app/data
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
WORKDIR /app
VOLUME /app/data
COPY --from=build /app/target/release/svc /app/target/release/svc
EXPOSE 8080
ENTRYPOINT ["/app/target/release/svc"]
