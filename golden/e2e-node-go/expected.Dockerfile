FROM node:18 AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci
COPY web/ ./
RUN npm run build

FROM golang:1.19 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /server .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=build /server /server
COPY --from=web /src/web/dist /src/web/dist
EXPOSE 8080
CMD ["/server"]
