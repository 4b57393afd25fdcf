#!/usr/bin/env bash
# The GitHub Action's work (action.yml): `dockslim fix --write` on the given
# paths of the repository in the current directory, then the outputs a
# pull-request step consumes, written to $GITHUB_OUTPUT, and the body as the
# job summary ($GITHUB_STEP_SUMMARY, when set). With INPUT_MIN_SAVING a
# Dockerfile whose fixes are estimated to save less is left as it is, so
# `changed` stays false for it. Kept as a script so tests/integrations.rs and
# tests/action_outputs.rs can run it locally.
set -euo pipefail
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT must name the file for step outputs}"

read -r -a paths <<<"${INPUT_PATHS:-.}"
read -r -a extra <<<"${INPUT_ARGS:-}"
flags=(--write --format markdown)
if [ "${INPUT_UNSAFE_FIXES:-false}" = "true" ]; then
  flags+=(--unsafe-fixes)
fi
if [ -n "${INPUT_MIN_SAVING:-}" ]; then
  flags+=(--min-saving "$INPUT_MIN_SAVING")
fi

body=$(mktemp)
status=0
dockslim fix "${flags[@]}" "${extra[@]}" "${paths[@]}" >"$body" || status=$?
if [ "$status" -gt 1 ]; then
  cat "$body"
  echo "dockslim failed (exit $status)" >&2
  exit "$status"
fi

# Modified tracked files and new files (a created .dockerignore).
changed=$( { git diff --name-only; git ls-files --others --exclude-standard; } | sort -u)
delimiter="dockslim_$RANDOM$RANDOM"
{
  if [ -n "$changed" ]; then echo "changed=true"; else echo "changed=false"; fi
  echo "changed-files<<$delimiter"
  [ -n "$changed" ] && echo "$changed"
  echo "$delimiter"
  echo "markdown<<$delimiter"
  cat "$body"
  echo "$delimiter"
} >>"$GITHUB_OUTPUT"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$body" >>"$GITHUB_STEP_SUMMARY"
fi
rm -f "$body"
