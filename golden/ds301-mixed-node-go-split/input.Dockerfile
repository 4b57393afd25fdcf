FROM node:18
RUN apt-get update && apt-get install -y golang-go
WORKDIR /app
COPY . .
RUN npm install && npm run build
RUN go build -o /usr/local/bin/api .
ENV PORT=8080
CMD ["api"]
