#!/usr/bin/env bash
# The real-application bench: for each runnable app of manifest.toml (or the
# names given), build its own Dockerfile and the output of
# `dockslim fix --write --unsafe-fixes` with the local engine, run the same
# smoke test on both, and record whether each built, whether the smoke test
# passed, the image sizes, the fixes applied, and how many RUN steps re-ran on
# a cached rebuild after a one-line change to the app's touch file.
#
#   bash bench/real/run.sh [APP...]
#   bash bench/real/run.sh --report     only regenerate docs/real-bench.md
#
# Prerequisites: the apps extracted into bench/real/apps/ (bash
# bench/real/fetch.sh; this script fetches nothing), the stand-in base images
# of scripts/e2e.sh (`docker images`), and target/release/dockslim built from
# this tree (`cargo build --release`).
#
# The measuring is `dockslim verify --format json --skip-compressed-size`
# (compressing a 1.5 GB image takes longer than its builds; the table has
# uncompressed sizes only) (classic builder,
# DOCKER_BUILDKIT=0, `--network host` for the builds, `--no-cache` cold builds,
# then the touch and a cached rebuild; it removes its images and context copies
# itself). The smoke test (bench.py smoke) runs the image with `--network none`
# and probes it from a container in its network namespace, so the app listens
# on loopback only; containers are removed afterwards. Each app's builds hold
# `flock /tmp/docker.lock` (per app, not for the whole run), so other builds on
# the machine interleave.
#
# Base images: no registry is reachable, so the tags the apps name are made
# locally from the stand-ins (aliases.tsv); sizes are the stand-ins'.
#
# Output: bench/real/results/NAME.json (+ NAME.diff, NAME.findings.txt),
# bench/real/results/results.json (ignored by git) and docs/real-bench.md
# (figures only: a summary line and a table).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${DOCKSLIM_BIN:-$root/target/release/dockslim}  # DOCKSLIM_BIN: another build
results=$here/results
doc=$root/docs/real-bench.md
mkdir -p "$results"
export DOCKER_BUILDKIT=0
say() { printf '== %s\n' "$*" >&2; }

if [ "${1:-}" = "--report" ]; then
  python3 "$here/bench.py" report "$results" "$doc"
  exit 0
fi
[ -x "$bin" ] || { echo "build $bin first: cargo build --release" >&2; exit 2; }

# Stand-in aliases, created only when the tag is missing (never re-tagging an
# image that exists, so nobody else's tag moves).
ensure_aliases() {
  local alias standin extra src
  while IFS=$'\t' read -r alias standin extra; do
    case "$alias" in ''|'#'*) continue ;; esac
    docker image inspect "$alias" >/dev/null 2>&1 && continue
    docker image inspect "$standin" >/dev/null 2>&1 || { echo "stand-in $standin missing: run scripts/e2e.sh" >&2; exit 2; }
    src=$standin
    if [ "$extra" = "+yarn" ]; then
      src=dockslim-bench/${standin/:/-}:yarn
      if ! docker image inspect "$src" >/dev/null 2>&1; then
        say "building $src"
        printf 'FROM %s\nRUN npm install -g yarn@1.22.22 && npm cache clean --force\n' "$standin" |
          flock /tmp/docker.lock docker build -q --network host -t "$src" - >/dev/null
      fi
    fi
    docker tag "$src" "$alias"
  done <"$here/aliases.tsv"
}
ensure_aliases

# BENCH_PARTS: `dockslim` (the rewrite), `reference` (the hand-optimized
# Dockerfile in reference/NAME.Dockerfile, where there is one, measured with
# `dockslim verify --against`: the original is built again beside it, so
# both figures come from the same run), or both (the default).
parts=${BENCH_PARTS:-dockslim,reference}
names=("$@")
[ "${#names[@]}" -gt 0 ] || mapfile -t names < <(python3 "$here/bench.py" apps)
for name in "${names[@]}"; do
  get() { python3 "$here/bench.py" get "$name" "$1"; }
  repo=$(get repo)
  commit=$(get commit)
  dir=$here/apps/${repo/\//+}
  out=$results/$name
  if [ "$(cat "$dir/.bench-commit" 2>/dev/null)" != "$commit" ]; then
    say "$name: not fetched (bash bench/real/fetch.sh)"
    printf '{"name": "%s", "status": "not-fetched"}\n' "$name" >"$out.json"
    continue
  fi
  ctx=$dir/$(get context)
  dockerfile=$dir/$(get dockerfile)
  touch=$(python3 -c 'import os,sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' "$dir/$(get touch)" "$ctx")
  build_args=()
  while read -r a; do [ -n "$a" ] && build_args+=(--build-arg "$a"); done < <(python3 "$here/bench.py" buildargs "$name")

  # What the rewrite does, for the record (fix never writes here: --diff).
  "$bin" fix --unsafe-fixes --context "$ctx" --format json "$dockerfile" >"$out.fix.json" 2>/dev/null || true
  "$bin" fix --unsafe-fixes --context "$ctx" --diff "$dockerfile" >"$out.diff" 2>/dev/null || true
  "$bin" fix --unsafe-fixes --context "$ctx" "$dockerfile" >"$out.findings.txt" 2>&1 || true

  reference=$here/reference/$name.Dockerfile
  # BENCH_KEEP_REFERENCES=1 keeps a reference measured before (it does not
  # depend on dockslim's binary).
  kept=0
  if [ "${BENCH_KEEP_REFERENCES:-0}" = 1 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))["rewritten"]' "$out.reference.json" >/dev/null 2>&1; then
    kept=1
  fi
  if [[ ",$parts," == *",reference,"* ]] && [ -f "$reference" ] && [ "$kept" = 0 ]; then
    say "$name: building the original and the reference (waiting for /tmp/docker.lock)"
    status=0
    flock /tmp/docker.lock "$bin" verify "$dockerfile" --context "$ctx" --against "$reference" \
      --network host --skip-compressed-size --format json --touch "$touch" "${build_args[@]}" \
      --smoke "python3 '$here/bench.py' smoke {image} '$name'" \
      >"$out.reference.json" 2>"$out.reference.err" || status=$?
    say "$name: reference verify exit $status"
  fi
  [[ ",$parts," == *",dockslim,"* ]] || continue

  say "$name: building both images (waiting for /tmp/docker.lock)"
  start=$(date +%s)
  status=0
  flock /tmp/docker.lock "$bin" verify "$dockerfile" --context "$ctx" --unsafe-fixes \
    --network host --skip-compressed-size --format json --touch "$touch" "${build_args[@]}" \
    --smoke "python3 '$here/bench.py' smoke {image} '$name'" \
    >"$out.verify.json" 2>"$out.verify.err" || status=$?
  say "$name: verify exit $status after $(( $(date +%s) - start )) s"
  python3 - "$name" "$status" "$out" <<'PY'
import json, sys
name, status, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rec = {"name": name, "verify_exit": status}
try:
    fix = json.load(open(out + ".fix.json"))["files"][0]
    rec["fixes"] = sorted(fix["fixes_applied"])
    rec["report_only"] = sorted({f["code"] for f in fix["findings"] if not (f.get("fix") or {}).get("applied")})
except (OSError, ValueError, KeyError, IndexError):
    rec["fixes"] = []
try:
    rec["verify"] = json.load(open(out + ".verify.json"))
    rec["status"] = "measured"
except (OSError, ValueError):
    rec["verify"] = None
    rec["status"] = "original-failed" if status == 2 else "error"
    rec["error"] = open(out + ".verify.err").read()[-3000:]
json.dump(rec, open(out + ".json", "w"), indent=1)
v = rec["verify"]
if v:
    for role in ("original", "rewritten"):
        i = v[role]
        print(f"   {role}: built={i['built']} smoke={i['smoke_passed']} size={i['size_bytes'] / 1e6:.0f}MB", file=sys.stderr)
else:
    print("   " + rec["status"] + ": " + rec["error"][-400:], file=sys.stderr)
PY
done
python3 "$here/bench.py" report "$results" "$doc"
