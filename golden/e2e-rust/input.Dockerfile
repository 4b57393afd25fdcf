FROM rust:1.63
WORKDIR /usr/src/hello
COPY . .
RUN cargo build --release
CMD ["/usr/src/hello/target/release/hello"]
