FROM golang:1.21-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
       nodejs \
       npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
WORKDIR /app/web
RUN npm ci && npm run build
WORKDIR /app
RUN go build -o /usr/local/bin/shop .
EXPOSE 8080
CMD ["shop"]
