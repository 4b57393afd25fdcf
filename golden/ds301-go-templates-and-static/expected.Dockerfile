FROM golang:1.22 AS build
WORKDIR /srv/web
COPY . .
RUN CGO_ENABLED=0 go build -o web .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /srv/web
COPY --from=build /srv/web/web /srv/web/web
COPY --from=build /srv/web/static /srv/web/static
COPY --from=build /srv/web/templates /srv/web/templates
EXPOSE 8080
CMD ["./web"]
