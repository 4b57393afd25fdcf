FROM rust:1.77 AS build
WORKDIR /app
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=build /app/target/release/svc /app/target/release/svc
COPY --from=build /app/templates /app/templates
EXPOSE 8080
ENTRYPOINT ["/app/target/release/svc"]
