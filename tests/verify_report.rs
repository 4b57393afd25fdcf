//! `dockslim verify --from-report`: the pull-request body with the measured
//! figures, rendered from the JSON report a real `verify` run saved
//! (`tests/fixtures/verify/e2e-node-plain.json`, recorded by
//! `scripts/e2e.sh e2e-node-plain` with BuildKit), without Docker. The
//! figures the body must show are computed here from the report, and a
//! report of another rewrite is refused.
//!
//! The recorded report belongs to the rewrite dockslim makes of
//! `golden/e2e-node-plain/input.Dockerfile` with `--unsafe-fixes`; a change
//! to that rewrite makes it stale (the tests then say so): record it again
//! with `flock /tmp/docker.lock bash scripts/e2e.sh e2e-node-plain` and copy
//! `target/e2e/e2e-node-plain.json` here.

mod common;

use assert_cmd::Command;
use serde_json::Value;

const CASE: &str = "golden/e2e-node-plain";
const REPORT: &str = "tests/fixtures/verify/e2e-node-plain.json";

fn recorded() -> Value {
    let text = std::fs::read_to_string(common::root().join(REPORT)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `dockslim verify` of the case from `report`, with `flags`, and no docker
/// on the PATH: rendering a saved report must not need one.
fn render(report: &str, flags: &[&str]) -> std::process::Output {
    Command::cargo_bin("dockslim")
        .unwrap()
        .current_dir(common::root())
        .env("PATH", "/nonexistent")
        .env_remove("DOCKSLIM_DOCKER")
        .args(["verify", &format!("{CASE}/input.Dockerfile")])
        .args([
            "--context",
            &format!("{CASE}/context"),
            "--from-report",
            report,
        ])
        .args(flags)
        .output()
        .unwrap()
}

/// RUN steps a rebuild ran, and all RUN steps, from a report's step list.
fn ran(steps: &Value) -> (usize, usize) {
    let runs: Vec<&Value> = steps
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["instruction"]
                .as_str()
                .unwrap()
                .to_ascii_uppercase()
                .starts_with("RUN ")
        })
        .collect();
    let ran = runs.iter().filter(|s| s["cached"] == false).count();
    (ran, runs.len())
}

fn megabytes(bytes: &Value) -> String {
    dockslim::effects::mb(bytes.as_u64().unwrap() as f64 / 1_000_000.0)
}

#[test]
fn the_measured_body_shows_the_recorded_figures() {
    let report = recorded();
    let (a, b) = (&report["original"], &report["rewritten"]);
    let out = render(REPORT, &["--unsafe-fixes", "--format", "markdown"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let body = String::from_utf8(out.stdout).unwrap();
    let title = body.lines().next().unwrap();

    // The recorded run was a real one: both images built and passed the
    // smoke test, and the rewrite is smaller and reuses the install.
    assert_eq!(report["builder"], "buildkit");
    assert!(a["smoke_passed"] == true && b["smoke_passed"] == true);
    assert!(b["size_bytes"].as_u64() < a["size_bytes"].as_u64());

    // Sizes: measured, and without the compressed sizes the e2e run skips.
    let sizes = format!(
        "image {} → {} (measured)",
        megabytes(&a["size_bytes"]),
        megabytes(&b["size_bytes"])
    );
    assert!(
        title.starts_with(&format!("## dockslim: {sizes}")),
        "{title}"
    );
    assert_eq!(a["compressed_bytes"], 0);
    assert!(!title.contains("compressed"), "{title}");
    // Rebuild steps: what the report's step lists say.
    let ((x, y), (p, q)) = (ran(&b["rebuild_steps"]), ran(&a["rebuild_steps"]));
    assert!(x < p, "the rewrite re-runs fewer RUN steps: {x} vs {p}");
    assert!(
        title.contains(&format!(
            "a rebuild after a code change re-ran {x} of {y} RUN steps instead of {p} of {q}"
        )),
        "{title}"
    );
    // Times, the dependency change and the smoke test.
    let seconds = |v: &Value| format!("{:.1} s", v.as_f64().unwrap());
    let line = format!(
        "`dockslim verify` built the original and the rewritten image: rebuild after a code change {} → {}, after a dependency change (`package-lock.json`, `package.json`) {} → {}; the smoke test passed on both images.",
        seconds(&a["rebuild_seconds"]),
        seconds(&b["rebuild_seconds"]),
        seconds(&a["deps_rebuild_seconds"]),
        seconds(&b["deps_rebuild_seconds"]),
    );
    assert!(body.contains(&line), "{line}\nnot in\n{body}");
    // Measured, so no "estimates" sentence and no "build it and run it".
    assert!(!body.contains("Sizes are estimates"), "{body}");
    assert!(!body.contains("Build the image and run it"), "{body}");
    // The fixes and the diff of the rewrite the report measured.
    for code in report["fixes"].as_array().unwrap() {
        assert!(body.contains(code.as_str().unwrap()), "{code} in the body");
    }
    assert!(body.contains("+FROM node:18-slim"), "{body}");
}

#[test]
fn the_table_and_json_render_from_the_report_too() {
    let report = recorded();
    let out = render(REPORT, &["--unsafe-fixes", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let again: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again, report, "the JSON round-trips");
    let out = render(REPORT, &["--unsafe-fixes"]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("builder: BuildKit"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("rewritten") && l.contains("pass"))
    );
}

#[test]
fn a_report_of_another_rewrite_is_refused() {
    // Other flags: without --unsafe-fixes, dockslim makes another rewrite.
    let out = render(REPORT, &["--format", "markdown"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the report measured another rewrite") && stderr.contains("this run's: "),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, report: &Value| {
        let path = dir.path().join(name);
        std::fs::write(&path, serde_json::to_string(report).unwrap()).unwrap();
        path.display().to_string()
    };
    // The same fixes, but another Dockerfile (an edited input, another
    // dockslim).
    let mut edited = recorded();
    edited["rewritten_dockerfile"] = Value::from("FROM node:18-slim\nCMD [\"node\"]\n");
    let out = render(&write("edited.json", &edited), &["--unsafe-fixes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("with another result"));
    // A report that does not say what it built.
    let mut old = recorded();
    old.as_object_mut().unwrap().remove("rewritten_dockerfile");
    let out = render(&write("old.json", &old), &["--unsafe-fixes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("does not say which Dockerfile it built")
    );
    // Not a verify report.
    let out = render(
        &write("other.json", &serde_json::json!({"schema": "x"})),
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("not a `dockslim verify --format json` report")
    );
}

/// The README's example of a measured body is this report's rendering:
/// the block between `<!-- verify-body:start -->` and
/// `<!-- verify-body:end -->` equals what the `sh` command before it prints.
#[test]
fn the_readme_verify_body_is_real_output() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- verify-body:start -->\n")
        .expect("verify-body markers");
    let end = readme.find("<!-- verify-body:end -->").unwrap();
    let block = &readme[start + "<!-- verify-body:start -->\n".len()..end];
    let body = block
        .strip_prefix("`````markdown\n")
        .and_then(|b| b.strip_suffix("`````\n"))
        .expect("a `````markdown block");
    let command = readme[..start]
        .rsplit("```sh\n")
        .next()
        .and_then(|c| c.split("\n```").next())
        .unwrap();
    let args = command.strip_prefix("dockslim ").unwrap();
    assert!(args.contains(&format!("--from-report {REPORT}")), "{args}");
    let out = Command::cargo_bin("dockslim")
        .unwrap()
        .current_dir(common::root())
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        body,
        "README `{args}`"
    );
}
