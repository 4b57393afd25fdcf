#!/usr/bin/env python3
"""Corpus check: dockslim on real Dockerfiles, with their build contexts.

    .venv/bin/python scripts/corpus.py DIR [--bin target/release/dockslim]

DIR holds source trees (for example public repositories unpacked from
snapshots; none of them is committed here). The tree is copied to a
temporary folder, and every Dockerfile in it is fixed in place with
`--unsafe-fixes` in its own folder (its build context). For each file it
counts:

- crash: dockslim ended by a signal, or with an exit status other than
  0, 1 or 2;
- malformed: exit 2 on the original (reported, not written);
- invalid: the original parses with BuildKit's parser (the PyPI `dockerfile`
  package, when it is installed) and the output does not;
- not idempotent: a second `fix --check --unsafe-fixes` would still change
  the output.

It prints one line per problem and a summary line; it exits 1 when there is
a crash, an invalid output or a non-idempotent file.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

NAMES = ("Dockerfile", "Containerfile")


def is_dockerfile(name):
    return (
        name in NAMES
        or name.startswith("Dockerfile.")
        or name.endswith(".Dockerfile")
        or name.endswith(".dockerfile")
    ) and not name.endswith(".dockerignore")


def buildkit_parses(path):
    try:
        import dockerfile
    except ImportError:
        return None
    try:
        dockerfile.parse_file(path)
        return True
    except dockerfile.GoParseError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--bin", default="target/release/dockslim")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    counts = dict(files=0, changed=0, malformed=0, crash=0, invalid=0, not_idempotent=0)
    with tempfile.TemporaryDirectory() as scratch:
        tree = os.path.join(scratch, "tree")
        shutil.copytree(args.dir, tree, symlinks=True)
        files = []
        for root, dirs, names in os.walk(tree):
            dirs[:] = [d for d in dirs if d not in (".git", "node_modules")]
            files.extend(os.path.join(root, n) for n in names if is_dockerfile(n))
        for path in sorted(files):
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            label = os.path.relpath(path, tree)
            counts["files"] += 1
            before = open(path, "rb").read()
            parsed_before = buildkit_parses(path)
            run = subprocess.run(
                [binary, "fix", "--write", "--unsafe-fixes", path],
                cwd=os.path.dirname(path),
                capture_output=True,
            )
            if run.returncode < 0 or run.returncode > 2:
                counts["crash"] += 1
                print(f"crash ({run.returncode}): {label}\n{run.stderr.decode(errors='replace')[-800:]}")
                continue
            if run.returncode == 2 and open(path, "rb").read() == before:
                counts["malformed"] += 1
                continue
            after = open(path, "rb").read()
            counts["changed"] += after != before
            if parsed_before and buildkit_parses(path) is False:
                counts["invalid"] += 1
                print(f"invalid output: {label}")
            again = subprocess.run(
                [binary, "fix", "--check", "--unsafe-fixes", path],
                cwd=os.path.dirname(path),
                capture_output=True,
            )
            if again.returncode == 1:
                counts["not_idempotent"] += 1
                print(f"not idempotent: {label}\n{again.stdout.decode(errors='replace')[-800:]}")
    print(
        "corpus: {files} files, {changed} rewritten, {malformed} malformed (reported), "
        "{crash} crashes, {invalid} invalid outputs, {not_idempotent} not idempotent".format(**counts)
    )
    return 1 if counts["crash"] or counts["invalid"] or counts["not_idempotent"] else 0


if __name__ == "__main__":
    sys.exit(main())
