#!/usr/bin/env python3
"""Helpers of the real-application bench (bench/real/run.sh calls them).

    bench.py apps [NAME...]        the runnable apps (no `skip`), one per line
    bench.py get NAME KEY          one manifest field of an app (the `context`,
                                   `dockerfile`, `touch` keys are printed
                                   relative to the repository root)
    bench.py buildargs NAME        its `--build-arg K=V` words, one per line
    bench.py repos                 `owner/name commit` of every app, deduplicated
    bench.py smoke IMAGE NAME      run the app's smoke test on IMAGE (exit 0 = pass)
    bench.py report RESULTS DOC    write RESULTS/results.json and the figures page DOC

The smoke test of an HTTP app runs the image with `--network none` and sends
the request from a probe container that joins the app's network namespace
(`--network container:ID`): the app is reachable on 127.0.0.1 only, from
nowhere else, and nothing binds a port of the machine.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tomllib
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "manifest.toml")
# The probe runs Python's http.client; the python:3.11-slim stand-in has it.
PROBE_IMAGE = "python:3.11-slim"
PROBE = r"""
import http.client, sys, time
port, path, timeout = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
deadline, last = time.time() + timeout, "no answer"
while time.time() < deadline:
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", path)
        r = c.getresponse()
        print(r.status)
        print(r.read(4000).decode("utf-8", "replace"))
        sys.exit(0)
    except OSError as e:
        last = repr(e)
        time.sleep(1)
print("probe: " + last)
sys.exit(3)
"""


def apps():
    with open(MANIFEST, "rb") as f:
        return {a["name"]: a for a in tomllib.load(f)["app"]}


def docker(*args, **kw):
    return subprocess.run(["docker", *args], capture_output=True, text=True, **kw)


def smoke(image, name):
    app = apps()[name]
    s = app["smoke"]
    env = [w for e in s.get("env", []) for w in ("-e", e)]
    if s["kind"] == "cli":
        r = docker("run", "--rm", "--network", "none", *env, image, *s.get("args", []), timeout=120)
        out = r.stdout + r.stderr
        print(out[-2000:])
        ok = s["expect"] in out
        print(f"smoke: {'pass' if ok else 'FAIL'}: expected {s['expect']!r} in the output")
        return 0 if ok else 1
    container = f"dsbench-{name}-{uuid.uuid4().hex[:8]}"
    # Files the app expects from outside the image (what a dev tool would
    # sync in), mounted read-only so that any user can read them.
    mounts = []
    scratch = tempfile.mkdtemp(prefix="dsbench-files-")
    for i, (path, text) in enumerate(sorted(s.get("files", {}).items())):
        host = os.path.join(scratch, str(i))
        with open(host, "w") as f:
            f.write(text)
        os.chmod(host, 0o644)
        mounts += ["-v", f"{host}:{path}:ro"]
    r = docker("run", "-d", "--name", container, "--network", "none", *env, *mounts, image)
    if r.returncode != 0:
        print("smoke: FAIL: docker run: " + r.stderr)
        return 1
    try:
        p = docker(
            "run", "--rm", "--network", f"container:{container}", "--entrypoint", "python3",
            PROBE_IMAGE, "-c", PROBE, str(s["port"]), s["path"], "90", timeout=150,
        )
        out = p.stdout
        lines = out.split("\n", 1)
        status = lines[0].strip()
        body = lines[1] if len(lines) > 1 else ""
        ok = p.returncode == 0 and status == str(s["status"]) and s["expect"] in body
        print(out[:1500] + p.stderr[-500:])
        if not ok:
            logs = docker("logs", "--tail", "30", container)
            print("--- app log:\n" + (logs.stdout + logs.stderr)[-2500:])
        print(
            f"smoke: {'pass' if ok else 'FAIL'}: GET {s['path']} -> {status or '-'}, "
            f"expected {s['status']} and {s['expect']!r} in the body"
        )
        return 0 if ok else 1
    finally:
        docker("rm", "-f", container)
        shutil.rmtree(scratch, ignore_errors=True)


def reruns(image):
    """RUN steps the cached rebuild after the one-line change ran again."""
    return sum(1 for s in image.get("rebuild_steps", []) if s["instruction"].upper().startswith("RUN") and not s["cached"])


def reference_table(results, ran):
    """Rows and a summary line comparing dockslim's rewrite with the
    hand-optimized reference, for the apps that have both measured."""
    rows, ours, theirs, rr = [], [], [], [0, 0, 0]
    for rec in ran:
        path = os.path.join(results, f"{rec['name']}.reference.json")
        v = rec.get("verify")
        if not v or not os.path.exists(path):
            continue
        try:
            ref = json.load(open(path))
        except ValueError:
            continue
        a, b, r = v["original"], v["rewritten"], ref["rewritten"]
        a2 = ref["original"]
        if not (a["built"] and b["built"] and r["built"] and a2["built"]):
            rows.append(f"| {rec['name']} | - | - | {'built' if r['built'] else 'NOT BUILT'} | - | - | - |")
            continue
        ratio_b = b["size_bytes"] / a["size_bytes"]
        ratio_r = r["size_bytes"] / a2["size_bytes"]
        ours.append(ratio_b)
        theirs.append(ratio_r)
        runs = (reruns(a), reruns(b), reruns(r))
        rr = [x + y for x, y in zip(rr, runs)]
        smoke = "pass" if r["smoke_passed"] is True else "FAIL"
        rows.append(
            f"| {rec['name']} | {a['size_bytes'] / 1e6:.1f} MB | {b['size_bytes'] / 1e6:.1f} MB ({ratio_b:.2f}) | "
            f"{r['size_bytes'] / 1e6:.1f} MB ({ratio_r:.2f}) | {ratio_b / ratio_r:.2f} | "
            f"{runs[0]} / {runs[1]} / {runs[2]} | {smoke} |"
        )
    if not ours:
        return rows, "no reference measured"
    m_ours, m_theirs = statistics.median(ours), statistics.median(theirs)
    summary = (
        f"{len(ours)} apps with a reference: median size ratio dockslim {m_ours:.2f}, "
        f"reference {m_theirs:.2f} ({m_ours / m_theirs:.2f}x the reference's; target at most 1.25x); "
        f"RUN steps re-run on rebuild: original {rr[0]}, dockslim {rr[1]}, reference {rr[2]}"
    )
    return rows, summary


def report(results, doc):
    table = apps()
    rows, records = [], []
    for name, app in table.items():
        if "skip" in app:
            continue
        path = os.path.join(results, f"{name}.json")
        if not os.path.exists(path):
            continue
        rec = json.load(open(path))
        records.append(rec)
    ran = [r for r in records if r.get("status") != "not-fetched"]
    broken, ratios, rr_a, rr_b, changed = [], [], 0, 0, 0
    for rec in ran:
        name, app = rec["name"], table[rec["name"]]
        v = rec.get("verify")
        fixes = ", ".join(rec.get("fixes") or []) or "-"
        if not v:
            rows.append(f"| {name} | {app['shape']} | no | - | - | - | - | - | {fixes} | - |")
            continue
        a, b = v["original"], v["rewritten"]
        if v["changed"]:
            changed += 1
        a_ok = a["built"] and a["smoke_passed"] is True
        b_ok = b["built"] and b["smoke_passed"] is True
        if a_ok and not b_ok:
            broken.append(name)
        yn = lambda x: "yes" if x else "NO"
        sm = lambda i: "pass" if i["smoke_passed"] is True else ("FAIL" if i["built"] else "-")
        mb = lambda i: f"{i['size_bytes'] / 1e6:.1f} MB" if i["built"] else "-"
        ratio = "-"
        if a["built"] and b["built"] and a["size_bytes"]:
            r = b["size_bytes"] / a["size_bytes"]
            ratios.append(r)
            ratio = f"{r:.2f}"
        ra, rb = reruns(a), reruns(b)
        if a["built"] and b["built"]:
            rr_a, rr_b = rr_a + ra, rr_b + rb
        rows.append(
            f"| {name} | {app['shape']} | {yn(a['built'])} / {yn(b['built'])} | {sm(a)} / {sm(b)} | "
            f"{mb(a)} | {mb(b)} | {ratio} | {ra} / {rb} | {fixes} | {'yes' if v['changed'] else 'no'} |"
        )
    ref_rows, ref_summary = reference_table(results, ran)
    median = f"{statistics.median(ratios):.2f}" if ratios else "-"
    summary = (
        f"{len(ran)} apps run: {changed} rewritten, {len(ran) - changed} left unchanged; "
        f"broken {len(broken)}{' (' + ', '.join(broken) + ')' if broken else ''}; "
        f"median size ratio {median}; RUN steps re-run on rebuild {rr_a} -> {rr_b}"
    )
    json.dump({"summary": summary, "reference_summary": ref_summary, "apps": records}, open(os.path.join(results, "results.json"), "w"), indent=1)
    lines = [
        "# Real-application bench",
        "",
        "Generated by `bash bench/real/run.sh` (see the top of that script); apps in",
        "`bench/real/manifest.toml`. Sizes are those of the local stand-in base images",
        "(`bench/real/aliases.tsv`). Columns with `a / b`: original / rewritten",
        "(`dockslim fix --write --unsafe-fixes`). RUN re-runs: RUN steps the cache did",
        "not reuse on a rebuild after a one-line change to the app's touch file.",
        "",
        "DS107 (`pip install --no-cache-dir`) measures about nothing here: this",
        "machine's package proxy sends no Cache-Control header, so pip caches no",
        "download. With PyPI's headers pip keeps every wheel it downloads, and",
        "`--no-cache-dir` takes them out of the layer: `bash bench/pip-cache/run.sh`",
        "serves wheels with those headers and measures it (flask: 0.6 MB, pandas:",
        "29.7 MB, the size of the wheels).",
        "",
        f"**{summary}**",
        "",
        "| app | shape | built | smoke | size before | size after | ratio | RUN re-runs | fixes applied | changed |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        "## Against hand-optimized references",
        "",
        "`bench/real/reference/NAME.Dockerfile`: what a maintainer would write by hand",
        "(our own files), built beside a second build of the original with",
        "`dockslim verify --against`. Ratios are to that original build.",
        "",
        f"**{ref_summary}**",
        "",
        "| app | original | dockslim | reference | ratio dockslim / reference | RUN re-runs original / dockslim / reference | reference smoke |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *ref_rows,
        "",
    ]
    open(doc, "w").write("\n".join(lines))
    print(summary)
    print(ref_summary)


def main(argv):
    cmd = argv[0]
    if cmd == "apps":
        for name, app in apps().items():
            if "skip" not in app and (len(argv) == 1 or name in argv[1:]):
                print(name)
    elif cmd == "get":
        value = apps()[argv[1]].get(argv[2], "")
        print(value)
    elif cmd == "buildargs":
        for a in apps()[argv[1]].get("build_args", []):
            print(a)
    elif cmd == "repos":
        seen = {}
        for app in apps().values():
            seen.setdefault(app["repo"], app["commit"])
        for repo, commit in seen.items():
            print(repo, commit)
    elif cmd == "smoke":
        return smoke(argv[1], argv[2])
    elif cmd == "report":
        report(argv[1], argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
