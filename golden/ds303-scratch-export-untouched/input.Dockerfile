FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM scratch AS export
COPY --from=build /out/app /app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=export / /
CMD ["/app"]
