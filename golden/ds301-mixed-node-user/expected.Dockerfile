FROM node:18
RUN apt-get update && apt-get install --no-install-recommends -y golang-go && rm -rf /var/lib/apt/lists/*
WORKDIR /home/node/app
COPY --chown=node:node . .
USER node
RUN npm install && npm run build && npm cache clean --force && \
    go build -o /home/node/api .
CMD ["/home/node/api"]
