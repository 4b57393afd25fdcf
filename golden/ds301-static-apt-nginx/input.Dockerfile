FROM node:18
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci && npm run build
RUN cp -r build/. /var/www/html/
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
