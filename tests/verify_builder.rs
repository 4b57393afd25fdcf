//! `dockslim verify --builder`: which docker client and builder it picks,
//! against stand-in `docker` programs on the PATH that answer like a new
//! client without buildx (28.2) and like Debian's 20.10 client, and log how
//! they were called. No engine is needed.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use assert_cmd::Command;

/// A `docker` that reports `client_version` and, for `build`, appends its
/// DOCKER_BUILDKIT and arguments to `$FAKE_DOCKER_LOG` and prints a log in
/// the builder's format.
fn fake_docker(dir: &Path, client_version: &str) {
    fs::create_dir_all(dir).unwrap();
    let script = format!(
        r#"#!/bin/sh
case "$1" in
  version) echo "{client_version}|20.10.24+dfsg1|linux" ;;
  buildx) exit 1 ;;
  build)
    echo "$0 DOCKER_BUILDKIT=$DOCKER_BUILDKIT $*" >>"$FAKE_DOCKER_LOG"
    if [ "$DOCKER_BUILDKIT" = 1 ]; then
      printf '#4 [1/3] FROM docker.io/library/node:18\n#4 DONE 0.1s\n#5 [2/3] COPY package.json ./\n#5 CACHED\n#6 [3/3] RUN --mount=type=cache,target=/root/.npm npm ci\n#6 0.5 added 1 package\n#6 DONE 0.6s\n' >&2
    else
      printf 'Step 1/3 : FROM node:18\n ---> 1a2b\nStep 2/3 : COPY package.json ./\n ---> Using cache\nStep 3/3 : RUN npm ci\n ---> Running in 3c4d\nadded 1 package\n'
    fi ;;
  image) echo 1000 ;;
  *) exit 0 ;;
esac
"#
    );
    let path = dir.join("docker");
    fs::write(&path, script).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
}

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        fake_docker(&dir.path().join("new"), "28.2.2");
        fake_docker(&dir.path().join("old"), "20.10.24+dfsg1");
        let app = dir.path().join("app");
        fs::create_dir_all(&app).unwrap();
        fs::write(
            app.join("Dockerfile"),
            "FROM node:18\nCOPY package.json ./\nRUN npm ci\n",
        )
        .unwrap();
        fs::write(app.join("package.json"), "{}\n").unwrap();
        fs::write(app.join("server.js"), "\n").unwrap();
        Setup { dir }
    }

    fn verify(&self, builder: &str) -> (serde_json::Value, String) {
        let root = self.dir.path();
        let log = root.join("calls.log");
        let _ = fs::remove_file(&log);
        // Only the stand-ins: the real client in /usr/bin must not be found.
        let path = format!(
            "{}:{}",
            root.join("new").display(),
            root.join("old").display()
        );
        let out = Command::cargo_bin("dockslim")
            .unwrap()
            .current_dir(root.join("app"))
            .env("PATH", path)
            .env_remove("DOCKSLIM_DOCKER")
            .env("FAKE_DOCKER_LOG", &log)
            .args([
                "verify",
                "Dockerfile",
                "--format",
                "json",
                "--skip-compressed-size",
            ])
            .args(["--builder", builder])
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report = serde_json::from_slice(&out.stdout).unwrap();
        (report, fs::read_to_string(log).unwrap_or_default())
    }
}

#[test]
fn auto_picks_the_client_with_buildkit_built_in_over_a_newer_one_without_buildx() {
    let setup = Setup::new();
    let (report, calls) = setup.verify("auto");
    assert_eq!(report["builder"], "buildkit");
    let docker = report["docker"].as_str().unwrap();
    assert!(
        docker.contains("/old/docker") && docker.ends_with("20.10.24+dfsg1"),
        "{docker}"
    );
    for call in calls.lines() {
        assert!(
            call.contains("/old/docker DOCKER_BUILDKIT=1 build --progress=plain"),
            "{call}"
        );
    }
    // The per-step report comes from BuildKit's plain progress.
    let steps = &report["original"]["rebuild_steps"];
    assert_eq!(steps[1]["cached"], true);
    assert_eq!(steps[2]["cached"], false);
    assert_eq!(steps[2]["cache_mounts"][0], "/root/.npm");
    assert_eq!(steps[2]["output"][0], "added 1 package");
}

#[test]
fn classic_is_chosen_on_request_and_parsed_from_the_classic_log() {
    let setup = Setup::new();
    let (report, calls) = setup.verify("classic");
    assert_eq!(report["builder"], "classic");
    assert!(report["docker"].as_str().unwrap().contains("/new/docker"));
    assert!(!calls.is_empty());
    for call in calls.lines() {
        assert!(
            call.contains("/new/docker DOCKER_BUILDKIT=0 build -f"),
            "{call}"
        );
        assert!(!call.contains("--progress"), "{call}");
    }
    let steps = &report["original"]["rebuild_steps"];
    assert_eq!(steps[1]["cached"], true);
    assert_eq!(steps[2]["instruction"], "RUN npm ci");
    assert_eq!(steps[2]["output"][0], "added 1 package");
}

#[test]
fn buildkit_without_a_client_that_can_is_an_error_that_says_why() {
    let dir = tempfile::tempdir().unwrap();
    fake_docker(&dir.path().join("new"), "28.2.2");
    fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    let out = Command::cargo_bin("dockslim")
        .unwrap()
        .current_dir(dir.path())
        .env("PATH", dir.path().join("new"))
        .env_remove("DOCKSLIM_DOCKER")
        .args(["verify", "Dockerfile", "--builder", "buildkit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no docker client here builds with BuildKit") && stderr.contains("28.2.2"),
        "{stderr}"
    );
}
