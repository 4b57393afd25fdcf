FROM rust:1.77 AS build
WORKDIR /src
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/app /usr/local/bin/app
ENTRYPOINT ["/usr/local/bin/app"]
