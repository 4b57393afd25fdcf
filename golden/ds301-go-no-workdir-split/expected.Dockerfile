FROM golang:1.22 AS build
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /usr/local/bin/app /usr/local/bin/app
CMD ["app"]
