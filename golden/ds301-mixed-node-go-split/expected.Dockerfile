FROM node:18 AS web
WORKDIR /app
COPY package.json ./
RUN npm install
COPY . .
RUN npm run build

FROM golang:1.19 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/api .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /usr/local/bin/api /usr/local/bin/api
COPY --from=web /app/build /app/build
ENV PORT=8080
CMD ["api"]
