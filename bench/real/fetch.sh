#!/usr/bin/env bash
# Bring the bench's apps into bench/real/apps/ (ignored by git).
#
# Public repositories are fetched through the search tool's `fetch` verb (not
# from this shell: builds and scripts here have no route to GitHub), which
# leaves a bare git snapshot in /work/.mirror/OWNER+NAME/. For every
# repository in manifest.toml this script
#   - does nothing when bench/real/apps/OWNER+NAME/ already holds the pinned
#     commit (its .bench-commit file says which);
#   - extracts the pinned commit from the snapshot when the snapshot has it
#     (`git archive COMMIT | tar -x`);
#   - otherwise prints the `fetch github:OWNER/NAME` call still needed, and
#     exits 1 at the end.
#
#   bash bench/real/fetch.sh           MIRROR=/path overrides /work/.mirror
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mirror=${MIRROR:-/work/.mirror}
apps=$here/apps
mkdir -p "$apps"
missing=0
while read -r repo commit; do
  slug=${repo/\//+}
  dest=$apps/$slug
  if [ "$(cat "$dest/.bench-commit" 2>/dev/null)" = "$commit" ]; then
    continue
  fi
  gitdir=
  for d in "$mirror/$slug/repo/.git" "$mirror/$slug/repo"; do
    if [ -d "$d" ] && git --git-dir="$d" cat-file -e "$commit^{commit}" 2>/dev/null; then
      gitdir=$d
      break
    fi
  done
  if [ -z "$gitdir" ]; then
    echo "fetch github:$repo   # then rerun fetch.sh (needs commit $commit)"
    missing=1
    continue
  fi
  rm -rf "$dest"
  mkdir -p "$dest"
  git --git-dir="$gitdir" archive "$commit" | tar -x -C "$dest"
  echo "$commit" >"$dest/.bench-commit"
  echo "extracted $repo@${commit:0:12}"
done < <(python3 "$here/bench.py" repos)
exit "$missing"
