FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN go build -trimpath -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /out/api
EXPOSE 8080
ENTRYPOINT ["/out/api"]
CMD ["--port", "8080"]
