#!/usr/bin/env bash
# What DS107's `--no-cache-dir` takes out of an image when the index sends
# PyPI's cache headers. The package proxy of the project's build machine
# sends no Cache-Control header, so pip caches nothing there and the
# real-app bench (docs/real-bench.md) measures no saving for DS107; PyPI's
# file host sends `Cache-Control: max-age=365000000, immutable, public`,
# and pip keeps every wheel it downloads in /root/.cache/pip.
#
# This script serves the wheels of `pip download PACKAGES` from 127.0.0.1
# with PyPI's headers (a trusted plain-HTTP host: pip caches only secure or
# trusted origins), builds `pip install PACKAGES` on the python:3.11-slim
# stand-in of scripts/e2e.sh with and without `--no-cache-dir` (classic
# builder, `--network host`, `--no-cache`) and prints the pip cache each
# left and both image sizes.
#
#   bash bench/pip-cache/run.sh [PACKAGE...]   (default: flask)
set -euo pipefail
packages=("$@")
[ "${#packages[@]}" -gt 0 ] || packages=(flask)
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  docker image rm -f dockslim-pip-cache:cache dockslim-pip-cache:nocache >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
docker image inspect python:3.11-slim >/dev/null 2>&1 || { echo "the python:3.11-slim stand-in is missing: run scripts/e2e.sh" >&2; exit 2; }

# The wheels, for the stand-in's Python (3.11, x86-64 glibc).
pip download -q --only-binary=:all: --python-version 3.11 --platform manylinux2014_x86_64 \
  --platform manylinux_2_28_x86_64 --platform any -d "$work/files" "${packages[@]}"
python3 - "$work" <<'PY'
import os, re, sys
root = sys.argv[1]
projects = {}
for name in os.listdir(os.path.join(root, "files")):
    project = re.split(r"-\d", name, maxsplit=1)[0].lower().replace("_", "-")
    projects.setdefault(project, []).append(name)
for project, files in projects.items():
    os.makedirs(os.path.join(root, "simple", project))
    links = "".join(f'<a href="/files/{f}">{f}</a>\n' for f in files)
    with open(os.path.join(root, "simple", project, "index.html"), "w") as out:
        out.write(f"<html><body>\n{links}</body></html>\n")
PY
cat >"$work/serve.py" <<'PY'
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        # As PyPI: files are immutable, index pages short-lived.
        if self.path.startswith("/files/"):
            self.send_header("Cache-Control", "max-age=365000000, immutable, public")
        else:
            self.send_header("Cache-Control", "max-age=600, public")
        super().end_headers()
    def log_message(self, *args):
        pass
root, port_file = sys.argv[1], sys.argv[2]
# A free port of the loopback interface, written where the script reads it.
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
with open(port_file, "w") as out:
    out.write(str(server.server_address[1]))
server.serve_forever()
PY
python3 "$work/serve.py" "$work" "$work/port" &
server=$!
for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

index="--trusted-host 127.0.0.1 --index-url http://127.0.0.1:$port/simple"
for variant in cache nocache; do
  flag=
  [ "$variant" = nocache ] && flag=--no-cache-dir
  printf 'FROM python:3.11-slim\nRUN pip install %s %s %s && echo "pip cache: $( (du -sb /root/.cache/pip 2>/dev/null || echo 0) | cut -f1) bytes"\n' \
    "$flag" "$index" "${packages[*]}" >"$work/Dockerfile.$variant"
  echo "== pip install ${flag:-(with the cache)} ${packages[*]}"
  flock /tmp/docker.lock env DOCKER_BUILDKIT=0 docker build --no-cache --network host \
    -t "dockslim-pip-cache:$variant" -f "$work/Dockerfile.$variant" "$work/simple" 2>/dev/null | sed -n 's/.*\(pip cache: [0-9][0-9]* bytes\).*/\1/p' || true
done
with=$(docker image inspect -f '{{.Size}}' dockslim-pip-cache:cache)
without=$(docker image inspect -f '{{.Size}}' dockslim-pip-cache:nocache)
echo "wheels downloaded: $(du -sb "$work/files" | cut -f1) bytes"
echo "image with the cache: $with bytes; with --no-cache-dir: $without bytes; saved: $((with - without)) bytes"
