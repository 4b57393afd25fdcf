FROM golang:1.22 AS build
ENV APP_HOME=/src
WORKDIR $APP_HOME
COPY . .
RUN CGO_ENABLED=0 go build -o bin/app .

FROM gcr.io/distroless/static-debian12:nonroot
ENV APP_HOME=/src
WORKDIR $APP_HOME
COPY --from=build /src/bin/app /src/bin/app
CMD ["/src/bin/app"]
