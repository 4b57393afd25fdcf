FROM rust:1.77 AS build
WORKDIR /src
COPY . .
RUN cargo build --release

FROM rust:1.77
RUN useradd --create-home app
COPY --from=build /src/target/release/app /usr/local/bin/app
USER app
CMD app
