FROM golang:1.19
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install --no-install-recommends -y nodejs
WORKDIR /src
COPY . .
RUN cd web && npm ci && npm run build && npm cache clean --force
RUN go build -o /server .
CMD ["/server"]
