FROM node:18 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN : > /tmp/packages \
    && { find /app/node_modules -type f -name '*.node' -exec ldd {} + > /tmp/ldd.txt 2>/dev/null || true; } \
    && awk '$2 == "=>" && $3 ~ /^\// { print $3 }' /tmp/ldd.txt > /tmp/libs \
    && while read -r lib; do \
        case "$lib" in /app/node_modules/*|/usr/local/*) continue ;; esac; \
        dpkg-query -S "*/${lib##*/}" > /tmp/owner || { echo "$lib belongs to no Debian package: the runtime stage cannot install it" >&2; exit 1; }; \
        cut -d: -f1 /tmp/owner >> /tmp/packages; \
    done < /tmp/libs \
    && sort -u /tmp/packages -o /tmp/runtime-packages
COPY . .

FROM node:18-slim
COPY --from=build /tmp/runtime-packages /tmp/runtime-packages
RUN set -- \
    && while read -r package; do \
        case "$(dpkg-query -s "$package" 2>/dev/null)" in *"ok installed"*) ;; *) set -- "$@" "$package" ;; esac; \
    done < /tmp/runtime-packages \
    && if [ "$#" -gt 0 ]; then apt-get update && apt-get install -y --no-install-recommends "$@" && rm -rf /var/lib/apt/lists/*; fi \
    && rm /tmp/runtime-packages
WORKDIR /app
COPY --from=build /app /app
USER 1000:1000
CMD ["node", "server.js"]
