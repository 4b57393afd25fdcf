FROM golang:1.19 AS build
ENV GOBIN=/usr/local/bin
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go install

FROM gcr.io/distroless/static-debian12:nonroot
ENV GOBIN=/usr/local/bin
WORKDIR /src
COPY --from=build /usr/local/bin/greeter /usr/local/bin/greeter
CMD ["greeter"]
