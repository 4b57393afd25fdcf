FROM golang:1.22 AS build
ENV PORT=8080
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .

FROM gcr.io/distroless/static-debian12:nonroot
ENV PORT=8080
WORKDIR /src
COPY --from=build /usr/local/bin/app /usr/local/bin/app
EXPOSE 8080
CMD ["app"]
