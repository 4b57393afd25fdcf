FROM node:18
WORKDIR /app/build
COPY . /app
RUN cd /app && npm ci && npm run build
CMD ["npx", "serve", "-s"]
