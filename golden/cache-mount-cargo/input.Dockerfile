FROM rust:1.75 AS build
WORKDIR /src
COPY . .
RUN cargo build --release
