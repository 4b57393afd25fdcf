FROM python:3.12 AS build
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
RUN : > /tmp/packages \
    && { find /opt/venv -type f -name '*.so*' -exec ldd {} + > /tmp/ldd.txt 2>/dev/null || true; } \
    && awk '$2 == "=>" && $3 ~ /^\// { print $3 }' /tmp/ldd.txt > /tmp/libs \
    && while read -r lib; do \
        case "$lib" in /opt/venv/*|/usr/local/*) continue ;; esac; \
        dpkg-query -S "*/${lib##*/}" > /tmp/owner || { echo "$lib belongs to no Debian package: the runtime stage cannot install it" >&2; exit 1; }; \
        cut -d: -f1 /tmp/owner >> /tmp/packages; \
    done < /tmp/libs \
    && sort -u /tmp/packages -o /tmp/runtime-packages

FROM python:3.12-slim
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY --from=build /tmp/runtime-packages /tmp/runtime-packages
RUN set -- \
    && while read -r package; do \
        case "$(dpkg-query -s "$package" 2>/dev/null)" in *"ok installed"*) ;; *) set -- "$@" "$package" ;; esac; \
    done < /tmp/runtime-packages \
    && if [ "$#" -gt 0 ]; then apt-get update && apt-get install -y --no-install-recommends "$@" && rm -rf /var/lib/apt/lists/*; fi \
    && rm /tmp/runtime-packages
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --from=build /app /app
CMD ["python", "app.py"]
