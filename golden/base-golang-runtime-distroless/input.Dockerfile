FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM golang:1.22
COPY --from=build /out/server /server
ENTRYPOINT ["/server"]
