FROM rust:1.77
WORKDIR /src
COPY . .
RUN cargo build --release
