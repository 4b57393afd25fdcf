FROM rust:1.63 AS build
WORKDIR /usr/src/hello
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /usr/src/hello
COPY --from=build /usr/src/hello/target/release/hello /usr/src/hello/target/release/hello
CMD ["/usr/src/hello/target/release/hello"]
