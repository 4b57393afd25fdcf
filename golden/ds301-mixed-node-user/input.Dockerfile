FROM node:18
RUN apt-get update && apt-get install -y golang-go
WORKDIR /home/node/app
COPY --chown=node:node . .
USER node
RUN npm install && npm run build
RUN go build -o /home/node/api .
CMD ["/home/node/api"]
