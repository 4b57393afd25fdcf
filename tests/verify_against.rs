//! `dockslim verify --against FILE`: the second image is built from FILE (a
//! hand-written reference), not from dockslim's rewrite. A stand-in `docker`
//! on the PATH records the Dockerfile of each build; no engine is needed.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use assert_cmd::Command;

const FAKE_DOCKER: &str = r#"#!/bin/sh
case "$1" in
  version) echo "20.10.24+dfsg1|20.10.24+dfsg1|linux" ;;
  buildx) exit 1 ;;
  build)
    file=
    prev=
    for a in "$@"; do
      [ "$prev" = "-f" ] && file=$a
      prev=$a
    done
    { echo "--- build"; /bin/cat "$file"; } >>"$FAKE_DOCKER_LOG"
    printf 'Step 1/2 : FROM node:18\n ---> 1a2b\nStep 2/2 : RUN npm ci\n ---> Running in 3c4d\n' ;;
  image) echo 1000 ;;
  *) exit 0 ;;
esac
"#;

fn run(extra: &[&str]) -> (std::process::Output, String) {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    fs::write(bin.join("docker"), FAKE_DOCKER).unwrap();
    fs::set_permissions(bin.join("docker"), fs::Permissions::from_mode(0o755)).unwrap();
    let app = dir.path().join("app");
    fs::create_dir_all(&app).unwrap();
    // DS107 rewrites this, so the rewrite and the reference differ.
    fs::write(
        app.join("Dockerfile"),
        "FROM python:3.11-slim\nRUN pip install flask\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("reference.Dockerfile"),
        "FROM python:3.11-slim\n# by hand\nRUN pip install --no-cache-dir flask==3.0.0\n",
    )
    .unwrap();
    fs::write(app.join("app.py"), "\n").unwrap();
    let log = dir.path().join("calls.log");
    let out = Command::cargo_bin("dockslim")
        .unwrap()
        .current_dir(&app)
        .env("PATH", bin.display().to_string())
        .env_remove("DOCKSLIM_DOCKER")
        .env("FAKE_DOCKER_LOG", &log)
        .args([
            "verify",
            "Dockerfile",
            "--builder",
            "classic",
            "--skip-compressed-size",
        ])
        .args(extra)
        .output()
        .unwrap();
    (out, fs::read_to_string(log).unwrap_or_default())
}

#[test]
fn the_second_image_is_built_from_the_reference() {
    let (out, calls) = run(&["--against", "../reference.Dockerfile", "--format", "json"]);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["fixes"],
        serde_json::json!([]),
        "nothing of dockslim's is applied"
    );
    assert_eq!(report["changed"], true);
    assert!(
        calls.contains("RUN pip install flask\n"),
        "the original is built: {calls}"
    );
    assert!(
        calls.contains("# by hand\n"),
        "the reference is built: {calls}"
    );
    assert!(
        !calls.contains("pip install --no-cache-dir flask\n"),
        "dockslim's rewrite is not built: {calls}"
    );
}

#[test]
fn without_against_the_rewrite_is_built() {
    let (out, calls) = run(&["--format", "json"]);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        calls.contains("pip install --no-cache-dir flask\n"),
        "{calls}"
    );
    assert!(!calls.contains("# by hand"), "{calls}");
}

#[test]
fn against_refuses_the_markdown_body_and_builds_nothing() {
    let (out, calls) = run(&[
        "--against",
        "../reference.Dockerfile",
        "--format",
        "markdown",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--against"));
    assert!(calls.is_empty(), "{calls}");
}
