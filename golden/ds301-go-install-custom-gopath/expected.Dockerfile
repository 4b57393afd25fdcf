FROM golang:1.19 AS build
ENV GOPATH=/work
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go install .

FROM gcr.io/distroless/static-debian12:nonroot
ENV GOPATH=/work
WORKDIR /src
COPY --from=build /work/bin/greeter /work/bin/greeter
ENTRYPOINT ["/work/bin/greeter"]
