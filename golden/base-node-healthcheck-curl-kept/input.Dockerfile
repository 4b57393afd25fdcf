FROM node:18
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
HEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1
