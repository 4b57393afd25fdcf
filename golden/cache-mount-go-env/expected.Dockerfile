FROM golang:1.19
ENV GOMODCACHE=/cache/mod GOCACHE=/cache/build
RUN --mount=type=cache,target=/cache/mod --mount=type=cache,target=/cache/build go build -o /app .
