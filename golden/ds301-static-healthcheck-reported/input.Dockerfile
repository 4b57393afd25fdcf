FROM node:18
WORKDIR /app
COPY . .
RUN npm ci && npm run build
RUN npm install -g serve
HEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1
CMD ["serve", "-s", "build"]
