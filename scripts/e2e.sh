#!/usr/bin/env bash
# End-to-end proof: for every golden case with a runnable app (a `smoke` file
# next to its `context/`), `dockslim verify` builds the original and the
# rewritten Dockerfile with a real Docker engine and the suite asserts: both
# build, both pass the smoke test, the rewritten image is not larger, the
# rebuild after a one-line source change is not slower, and (where the case
# has an `install-step` file) the rewritten rebuild reuses the install layer
# while the original re-runs it.
#
# Builds use BuildKit (`dockslim verify --builder buildkit`: the engine's
# BuildKit through a docker client that offers it). The classic builder is
# proven too: the cases in CLASSIC_CASES run a second time with
# `--builder classic`, and `--builder classic` runs every case that needs no
# BuildKit with it. Cases with a `deps-change/` folder also rebuild after a
# dependency change; for the `*-cache-mounts` cases (`--profile
# cache-mounts`) the suite reads from BuildKit's output that the step named
# in `cache-step` ran with a cache mount (and printed `cache-evidence`).
#
# For every app the suite also keeps the two pull-request bodies in
# target/e2e/: `<case>.fix.md` (`fix --format markdown`: the estimate) and
# `<case>.verify.md` (`verify --format markdown`: the measured figures). The
# second is rendered from the JSON report of the one verify run
# (`verify --from-report`), so no image is built twice; the suite checks the
# estimate's title and that the measured body shows the report's sizes,
# rebuild steps and times.
#
# Other engineers may share the engine: run the whole script under
# `flock /tmp/docker.lock` (it builds one image at a time itself).
# No container registry is reachable here, so the public base images the apps
# use are built locally from Debian's packages and tagged with their real
# names (scripts/standins/). They are cached between runs on a machine.
#
#   bash scripts/e2e.sh                  run the suite
#   bash scripts/e2e.sh e2e-go ...       run only these cases
#   bash scripts/e2e.sh --update-readme  also write the results table into README.md
#   bash scripts/e2e.sh --reuse --update-readme  the table from the reports in
#                                        target/e2e/ (building only the cases that have none)
#   bash scripts/e2e.sh --builder classic  every case that can, with the classic builder only
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=/var/cache/dockslim
out=$root/target/e2e
mkdir -p "$out" "$cache"

say() { printf '== %s\n' "$*"; }

# 1. Docker engine and debootstrap, from Debian's packages.
if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
  say "installing docker.io and debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (no bridge network: builds use --network host)"
  (dockerd --bridge=none --iptables=false >"$out/dockerd.log" 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { cat "$out/dockerd.log"; echo "dockerd did not start" >&2; exit 1; }
fi
# The stand-ins are built with the classic builder (any client has it).
export DOCKER_BUILDKIT=0

# 2. A Debian root file system, imported as the base of every stand-in,
# without what debootstrap leaves behind and the official images do not
# have (downloaded packages, package lists, documentation, translations):
# 74 MB, as debian:bookworm-slim. The tag names the recipe, so a machine
# with an older import gets the new one.
rootfs=dockslim/rootfs:bookworm-clean
if ! docker image inspect "$rootfs" >/dev/null 2>&1; then
  if [ ! -s "$cache/bookworm-minbase.tar" ]; then
    say "debootstrap bookworm (about a minute)"
    rm -rf "$cache/bookworm"
    debootstrap --variant=minbase bookworm "$cache/bookworm" http://deb.debian.org/debian >"$out/debootstrap.log" 2>&1
    tar -C "$cache/bookworm" -cf "$cache/bookworm-minbase.tar.part" .
    mv "$cache/bookworm-minbase.tar.part" "$cache/bookworm-minbase.tar"
  fi
  rm -rf "$cache/rootfs" && mkdir "$cache/rootfs"
  tar -C "$cache/rootfs" -xf "$cache/bookworm-minbase.tar"
  tar -C "$cache/rootfs" \
    --exclude='./var/cache/apt/archives/*.deb' --exclude='./var/cache/apt/*.bin' \
    --exclude='./var/lib/apt/lists/*' --exclude='./usr/share/doc/*' \
    --exclude='./usr/share/man/*' --exclude='./usr/share/locale/*' \
    -c . | docker import - "$rootfs" >/dev/null
  rm -rf "$cache/rootfs"
fi


# 3. Stand-ins for the public images, rebuilt when their Dockerfile changes.
standin() { # tag file
  local tag=$1 file=scripts/standins/$2 digest
  # Its own recipe and the Debian ones every stand-in is built on: a change
  # to the base rebuilds what is built on it.
  digest=$(cat "$file" scripts/standins/debian-bookworm-slim.Dockerfile scripts/standins/debian-bookworm.Dockerfile | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{index .Config.Labels "dockslim.standin"}}' "$tag" 2>/dev/null)" = "$digest" ]; then
    return
  fi
  say "building stand-in $tag"
  local ctx
  ctx=$(mktemp -d)
  mkdir -p "$ctx/ca"
  cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
  docker build -q --network host --label "dockslim.standin=$digest" -t "$tag" -f "$file" "$ctx" >/dev/null
  rm -rf "$ctx"
}
standin debian:bookworm-slim debian-bookworm-slim.Dockerfile
standin debian:bookworm debian-bookworm.Dockerfile
# Debian 12 by number: the builders of the distroless Python splits.
standin debian:12-slim debian-bookworm-slim.Dockerfile
standin debian:12 debian-bookworm.Dockerfile
standin node:18-slim node-18-slim.Dockerfile
standin node:18 node-18.Dockerfile
standin python:3.11-slim python-3.11-slim.Dockerfile
standin python:3.11 python-3.11.Dockerfile
standin golang:1.19 golang-1.19.Dockerfile
standin gcr.io/distroless/static-debian12:nonroot distroless-static-nonroot.Dockerfile
standin rust:1.63 rust-1.63.Dockerfile
standin gcr.io/distroless/cc-debian12:nonroot distroless-cc-nonroot.Dockerfile
standin gcr.io/distroless/base-debian12:nonroot distroless-base-nonroot.Dockerfile
standin gcr.io/distroless/nodejs18-debian12:nonroot distroless-nodejs18-nonroot.Dockerfile
standin gcr.io/distroless/python3-debian12:nonroot distroless-python3-nonroot.Dockerfile
standin maven:3.8-eclipse-temurin-17 maven-3.8-eclipse-temurin-17.Dockerfile
standin eclipse-temurin:17-jre eclipse-temurin-17-jre.Dockerfile
standin nginx:stable-alpine nginx-stable-alpine.Dockerfile

# 4. dockslim verify on every app.
cargo build --release --locked -q
bin=$root/target/release/dockslim
update_readme=0
reuse=0
only=()
builder=buildkit
# Run a second time with the classic builder: its log parsing and the
# install-layer assertions are proven on both builders.
classic_cases=(${CLASSIC_CASES-e2e-python-plain e2e-node-plain e2e-node-chown})
while [ $# -gt 0 ]; do
  case "$1" in
    --update-readme) update_readme=1 ;;
    # Reuse a case's report saved in target/e2e/ by an earlier run instead
    # of building it again (the table after re-running a few cases).
    --reuse) reuse=1 ;;
    --builder) builder=$2; shift ;;
    *) only+=("$1") ;;
  esac
  shift
done
failed=0
cases=()
verify_case() { # name builder report-name
  local name=$1 with=$2 report=$3 dir=golden/$1 status=0
  local args=() extra=()
  [ -f "$dir/args" ] && read -r -a args <"$dir/args"
  [ -d "$dir/deps-change" ] && extra+=(--deps-change "$dir/deps-change")
  if [ "$reuse" = 1 ] && [ -s "$out/$report.json" ]; then
    say "verify $name ($with): the saved report"
  else
    say "verify $name ($with)"
    local start=$SECONDS
    # The table has no compressed sizes, and `docker save | gzip` of a 1.5 GB
    # image takes longer than its builds.
    "$bin" verify "$dir/input.Dockerfile" --context "$dir/context" --network host --builder "$with" --skip-compressed-size \
      --smoke "$(cat "$dir/smoke")" --format json "${args[@]}" "${extra[@]}" >"$out/$report.json" || status=$?
    say "verify $name ($with): $((SECONDS - start)) s"
  fi
  if [ "$status" -gt 1 ]; then
    echo "dockslim verify failed for $name with $with (exit $status)" >&2
    failed=1
  else
    # The pull-request bodies: the estimate, and the measured one from the
    # saved report (exit 1 only says that something changed or failed,
    # which the report's assertions below judge).
    status=0
    "$bin" fix --format markdown --context "$dir/context" "${args[@]}" "$dir/input.Dockerfile" >"$out/$report.fix.md" || status=$?
    [ "$status" -le 1 ] || { echo "dockslim fix --format markdown failed for $name (exit $status)" >&2; failed=1; }
    status=0
    "$bin" verify "$dir/input.Dockerfile" --context "$dir/context" --from-report "$out/$report.json" \
      --format markdown "${args[@]}" >"$out/$report.verify.md" || status=$?
    [ "$status" -le 1 ] || { echo "dockslim verify --from-report failed for $name (exit $status)" >&2; failed=1; }
  fi
  cases+=("$report")
}
for smoke in golden/*/smoke; do
  dir=$(dirname "$smoke")
  name=$(basename "$dir")
  if [ "${#only[@]}" -gt 0 ] && [[ ! " ${only[*]} " == *" $name "* ]]; then
    continue
  fi
  if [ "$builder" = classic ]; then
    # The classic builder rejects `RUN --mount`.
    grep -q -- "cache-mounts" "$dir/args" 2>/dev/null || verify_case "$name" classic "$name"
    continue
  fi
  verify_case "$name" buildkit "$name"
  if [[ " ${classic_cases[*]} " == *" $name "* ]]; then
    verify_case "$name" classic "$name@classic"
  fi
done

# 5. Assertions and the results table.
python3 - "$out" "${cases[@]}" <<'PY' || failed=1
import json, os, sys

out, cases = sys.argv[1], sys.argv[2:]
rows, problems = [], []


def megabytes(n):
    # As dockslim prints sizes (src/effects.rs, `mb`).
    value = n / 1e6
    if value >= 1000:
        return f"{value / 1000:.1f} GB"
    return f"{value:.0f} MB" if value >= 10 or value == round(value) else f"{value:.1f} MB"


def ran_steps(steps):
    runs = [s for s in steps if s["instruction"].upper().startswith("RUN ")]
    return sum(not s["cached"] for s in runs), len(runs)


def check_bodies(name, report, problems):
    """The estimate's body has its title; the measured body has the figures
    of the report it was rendered from."""
    def read(kind):
        try:
            return open(os.path.join(out, f"{name}.{kind}.md")).read()
        except OSError as error:
            problems.append(f"{name}: no {kind} body ({error})")
            return None
    estimate, measured = read("fix"), read("verify")
    if estimate is not None:
        title = estimate.split("\n", 1)[0]
        if not title.startswith("## dockslim: ") or "nothing to change" in title or "measured" in title \
                or "Sizes are estimates" not in estimate:
            problems.append(f"{name}: the fix body has no estimated title: {title!r}")
    if measured is None:
        return
    a, b = report["original"], report["rewritten"]
    title = measured.split("\n", 1)[0]
    want = [f"image {megabytes(a['size_bytes'])} → {megabytes(b['size_bytes'])}"]
    (x, y), (p, q) = ran_steps(b["rebuild_steps"]), ran_steps(a["rebuild_steps"])
    want.append(f"a rebuild after a code change re-ran {x} of {y} RUN steps instead of {p} of {q}")
    missing = [w for w in want if w not in title]
    if missing:
        problems.append(f"{name}: the verify body's title {title!r} lacks {missing}")
    line = f"rebuild after a code change {a['rebuild_seconds']:.1f} s → {b['rebuild_seconds']:.1f} s"
    if a["deps_rebuild_built"] and b["deps_rebuild_built"]:
        line += ", after a dependency change ("
    if line not in measured:
        problems.append(f"{name}: the verify body does not say `{line}`")
    if a["deps_rebuild_built"] and b["deps_rebuild_built"]:
        deps = f"{a['deps_rebuild_seconds']:.1f} s → {b['deps_rebuild_seconds']:.1f} s"
        if deps not in measured:
            problems.append(f"{name}: the verify body does not give the dependency-change rebuild `{deps}`")
    if a["smoke_passed"] and b["smoke_passed"] and "the smoke test passed on both images" not in measured:
        problems.append(f"{name}: the verify body does not say the smoke test passed")

for name in cases:
    try:
        report = json.load(open(os.path.join(out, f"{name}.json")))
    except (OSError, ValueError) as error:
        problems.append(f"{name}: no report ({error})")
        continue
    case = name.split("@")[0]
    builder = report["builder"]
    if name.endswith("@classic") != (builder == "classic"):
        problems.append(f"{name}: built with {builder}")
    a, b = report["original"], report["rewritten"]
    for label, image in (("original", a), ("rewritten", b)):
        if not image["built"]:
            problems.append(f"{name}: the {label} image did not build:\n{image['build_error']}")
        if image["smoke_passed"] is not True:
            problems.append(f"{name}: the {label} image failed the smoke test:\n{image['smoke_output']}")
    # Not larger: an inserted manifest layer may add a few bytes, so 1 MB of slack.
    if b["size_bytes"] > a["size_bytes"] + 1_000_000:
        problems.append(f"{name}: the rewritten image is larger ({b['size_bytes']} > {a['size_bytes']})")
    # Not slower: timings are noisy, so 25% and 3 s of slack.
    if b["rebuild_seconds"] > a["rebuild_seconds"] * 1.25 + 3:
        problems.append(f"{name}: the rewritten rebuild is slower ({b['rebuild_seconds']:.1f}s > {a['rebuild_seconds']:.1f}s)")
    step_file = os.path.join("golden", case, "install-step")
    install = "-"
    if os.path.exists(step_file):
        needle = open(step_file).read().strip()
        def cached(image):
            steps = [s for s in image["rebuild_steps"] if needle in s["instruction"]]
            return bool(steps) and all(s["cached"] for s in steps)
        if not cached(b):
            problems.append(f"{name}: the rewritten rebuild re-ran `{needle}`")
        if cached(a):
            problems.append(f"{name}: the original rebuild reused `{needle}`: the case shows nothing")
        install = f"original re-runs, rewritten reuses `{needle}`"
    # The dependency change: both rebuilds build; with cache mounts, the
    # install step ran (its inputs changed) with a cache mount, read from
    # BuildKit's output. Times are reported, not asserted.
    deps = lambda image: "-"
    if b["deps_changed_files"]:
        for label, image in (("original", a), ("rewritten", b)):
            if image["deps_rebuild_built"] is not True:
                problems.append(f"{name}: the {label} rebuild after the dependency change failed:\n{image['build_error']}")
        deps = lambda image: f"{image['deps_rebuild_seconds']:.1f} s" if image["deps_rebuild_seconds"] is not None else "-"
    cache_file = os.path.join("golden", case, "cache-step")
    if os.path.exists(cache_file):
        needle = open(cache_file).read().strip()
        steps = [s for s in b["deps_rebuild_steps"] if needle in s["instruction"]]
        if not steps:
            problems.append(f"{name}: no `{needle}` step in the rebuild after the dependency change")
        for s in steps:
            if s["cached"] or not s["cache_mounts"]:
                problems.append(f"{name}: `{needle}` did not run with a cache mount after the dependency change: {s}")
        evidence_file = os.path.join("golden", case, "cache-evidence")
        if os.path.exists(evidence_file):
            evidence = open(evidence_file).read().strip()
            if not any(evidence in line for s in steps for line in s["output"]):
                problems.append(f"{name}: `{needle}` did not print `{evidence}` after the dependency change")
            evidence = f", printed `{evidence}`"
        else:
            evidence = ""
        mounts = ", ".join(sorted({m for s in steps for m in s["cache_mounts"]}))
        ran = f"on the dependency change `{needle}` ran with cache mounts ({mounts}){evidence}"
        install = ran if install == "-" else f"{install}; {ran}"
    check_bodies(name, report, problems)
    mb = lambda n: f"{n / 1e6:.0f} MB"
    rows.append(
        f"| {name} | {builder} | {', '.join(report['fixes']) or '-'} | {mb(a['size_bytes'])} | {mb(b['size_bytes'])} | "
        f"{b['size_bytes'] / max(a['size_bytes'], 1):.2f} | {a['rebuild_seconds']:.1f} s | {b['rebuild_seconds']:.1f} s | "
        f"{deps(a)} | {deps(b)} | {install} |"
    )
table = "\n".join(
    [
        "| app | builder | fixes applied | size before | size after | ratio | rebuild before | rebuild after | deps rebuild before | deps rebuild after | install step on rebuild |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
    ]
)
open(os.path.join(out, "results.md"), "w").write(table + "\n")
print(table)
if problems:
    print("\n".join(["", "E2E FAILURES:", *problems]), file=sys.stderr)
    sys.exit(1)
print(f"\ne2e: {len(rows)} passed, 0 failed")
PY

if [ "$update_readme" = 1 ] && [ "${#only[@]}" = 0 ] && [ "$builder" = buildkit ] && [ "$failed" = 0 ]; then
  python3 - "$out/results.md" <<'PY'
import re, sys
table = open(sys.argv[1]).read()
text = open("README.md").read()
new = re.sub(r"(<!-- e2e:start -->\n).*?(<!-- e2e:end -->)", lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
open("README.md", "w").write(new)
PY
  say "README.md table updated"
fi
exit "$failed"
