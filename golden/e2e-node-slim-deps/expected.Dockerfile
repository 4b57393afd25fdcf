FROM node:18 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:18 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
RUN : > /tmp/packages \
    && { find /app/node_modules -type f -name '*.node' -exec ldd {} + > /tmp/ldd.txt 2>/dev/null || true; } \
    && awk '$2 == "=>" && $3 ~ /^\// { print $3 }' /tmp/ldd.txt > /tmp/libs \
    && while read -r lib; do \
        case "$lib" in /app/node_modules/*|/usr/local/*) continue ;; esac; \
        dpkg-query -S "*/${lib##*/}" > /tmp/owner || { echo "$lib belongs to no Debian package: the runtime stage cannot install it" >&2; exit 1; }; \
        cut -d: -f1 /tmp/owner >> /tmp/packages; \
    done < /tmp/libs \
    && sort -u /tmp/packages -o /tmp/runtime-packages

FROM node:18-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /tmp/runtime-packages /tmp/runtime-packages
RUN set -- \
    && while read -r package; do \
        case "$(dpkg-query -s "$package" 2>/dev/null)" in *"ok installed"*) ;; *) set -- "$@" "$package" ;; esac; \
    done < /tmp/runtime-packages \
    && if [ "$#" -gt 0 ]; then apt-get update && apt-get install -y --no-install-recommends "$@" && rm -rf /var/lib/apt/lists/*; fi \
    && rm /tmp/runtime-packages
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 1000:1000
CMD ["npm", "start"]
