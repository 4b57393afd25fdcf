# Stand-in for nginx:stable-alpine: Debian's nginx package on the project's
# Debian root file system (no Alpine here: about 35 MB more than the real
# image), set up with the official image's conventions: the `nginx` account
# (101:101), /etc/nginx/nginx.conf including conf.d/*.conf,
# conf.d/default.conf serving /usr/share/nginx/html on port 80, the temporary
# files under /var/cache/nginx, the logs on the container's stdout and
# stderr, STOPSIGNAL SIGQUIT and `nginx -g 'daemon off;'`.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/sites-available \
    && groupadd --system --gid 101 nginx \
    && useradd --system --uid 101 --gid nginx --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nginx \
    && mkdir -p /etc/nginx/conf.d /usr/share/nginx/html /var/cache/nginx \
    && printf '%s\n' \
        'user  nginx;' \
        'worker_processes  auto;' \
        'error_log  /var/log/nginx/error.log notice;' \
        'pid        /run/nginx.pid;' \
        'events {' \
        '    worker_connections  1024;' \
        '}' \
        'http {' \
        '    include       /etc/nginx/mime.types;' \
        '    default_type  application/octet-stream;' \
        '    access_log  /var/log/nginx/access.log;' \
        '    client_body_temp_path /var/cache/nginx/client_temp;' \
        '    proxy_temp_path /var/cache/nginx/proxy_temp;' \
        '    fastcgi_temp_path /var/cache/nginx/fastcgi_temp;' \
        '    uwsgi_temp_path /var/cache/nginx/uwsgi_temp;' \
        '    scgi_temp_path /var/cache/nginx/scgi_temp;' \
        '    sendfile        on;' \
        '    keepalive_timeout  65;' \
        '    include /etc/nginx/conf.d/*.conf;' \
        '}' > /etc/nginx/nginx.conf \
    && printf '%s\n' \
        'server {' \
        '    listen       80;' \
        '    server_name  localhost;' \
        '    location / {' \
        '        root   /usr/share/nginx/html;' \
        '        index  index.html index.htm;' \
        '    }' \
        '    error_page   500 502 503 504  /50x.html;' \
        '    location = /50x.html {' \
        '        root   /usr/share/nginx/html;' \
        '    }' \
        '}' > /etc/nginx/conf.d/default.conf \
    && echo '<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>' > /usr/share/nginx/html/index.html \
    && echo '<!DOCTYPE html><html><head><title>Error</title></head><body><h1>An error occurred.</h1></body></html>' > /usr/share/nginx/html/50x.html \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log \
    && nginx -t
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
