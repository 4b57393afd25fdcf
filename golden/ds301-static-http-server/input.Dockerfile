FROM node:18
RUN npm install -g http-server
WORKDIR /site
COPY . .
RUN npm ci && npm run build
EXPOSE 9000
CMD ["npx", "http-server", "dist", "-p", "9000", "-c-1"]
