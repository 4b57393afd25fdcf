FROM node:18 AS build
RUN npm install -g http-server
WORKDIR /site
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
        "    server {" \
        "        listen 9000;" \
        "        root /usr/share/nginx/html;" \
        "        index index.html;" \
        "        error_page 404 /404.html;" \
        "        location / {" \
        "            try_files \$uri \$uri/ =404;" \
        "        }" \
        "    }" \
        "}" \
        > /etc/nginx/nginx.conf
COPY --from=build /site/dist /usr/share/nginx/html
USER 101:101
EXPOSE 9000
CMD ["nginx", "-g", "daemon off;"]
