FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /bin/app .

FROM gcr.io/distroless/base-debian12:nonroot
WORKDIR /src
COPY --from=build /bin/app /bin/app
CMD ["/bin/app"]
