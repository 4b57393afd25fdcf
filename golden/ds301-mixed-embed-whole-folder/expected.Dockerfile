FROM golang:1.19
RUN apt-get update && apt-get install --no-install-recommends -y nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cd web && npm ci && npm run build && npm cache clean --force
RUN go build -o /server .
CMD ["/server"]
