FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api .

FROM debian:bookworm-slim
COPY --from=build / /
RUN /out/api --migrate
CMD ["/out/api"]
