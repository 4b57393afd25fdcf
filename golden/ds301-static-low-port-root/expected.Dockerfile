FROM node:18 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginx:stable-alpine
RUN rm -rf /usr/share/nginx/html/* \
    && printf '%s\n' \
        "worker_processes auto;" \
        "pid /tmp/nginx.pid;" \
        "events {" \
        "    worker_connections 1024;" \
        "}" \
        "http {" \
        "    include /etc/nginx/mime.types;" \
        "    default_type application/octet-stream;" \
        "    sendfile on;" \
        "    client_body_temp_path /tmp/client_temp;" \
        "    proxy_temp_path /tmp/proxy_temp;" \
        "    fastcgi_temp_path /tmp/fastcgi_temp;" \
        "    uwsgi_temp_path /tmp/uwsgi_temp;" \
        "    scgi_temp_path /tmp/scgi_temp;" \
        "    gzip on;" \
        "    gzip_types text/css application/javascript application/json image/svg+xml text/plain;" \
        "    server {" \
        "        listen 80;" \
        "        root /usr/share/nginx/html;" \
        "        index index.html;" \
        "        location / {" \
        "            try_files \$uri \$uri/ /index.html;" \
        "        }" \
        "    }" \
        "}" \
        > /etc/nginx/nginx.conf
COPY --from=build /app/build /usr/share/nginx/html
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
