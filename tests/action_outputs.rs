//! `--min-saving` (issue #17): a bot opens no pull request for changes worth
//! less. The flag and the `min-saving:` configuration key leave such a
//! Dockerfile as it is, and the Action's `changed` output stays false; the
//! Action also writes the body as the job summary.

mod common;

use std::path::Path;
use std::process::Command;

const APT: &str = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(repo)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn fixture_repo() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    std::fs::write(repo.path().join("Dockerfile"), APT).unwrap();
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-qm", "fixture"]);
    repo
}

/// Runs scripts/action-run.sh; returns ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY).
fn run_action(repo: &Path, min_saving: &str) -> (String, String) {
    let bin = assert_cmd::cargo::cargo_bin("dockslim");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap()
    );
    let outputs = repo.join("../outputs");
    let summary = repo.join("../summary");
    let _ = std::fs::remove_file(&outputs);
    let _ = std::fs::remove_file(&summary);
    let out = Command::new("bash")
        .arg(common::root().join("scripts/action-run.sh"))
        .current_dir(repo)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("INPUT_PATHS", ".")
        .env("INPUT_MIN_SAVING", min_saving)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        std::fs::read_to_string(&outputs).unwrap(),
        std::fs::read_to_string(&summary).unwrap_or_default(),
    )
}

#[test]
fn the_action_opens_nothing_for_changes_worth_less_than_min_saving() {
    let parent = tempfile::tempdir().unwrap();
    let repo = parent.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    let fixture = fixture_repo();
    std::fs::rename(fixture.path(), &repo).unwrap();

    // DS101 is estimated at 10–22 MB: below 500 MB nothing changes.
    let (outputs, summary) = run_action(&repo, "500MB");
    assert!(outputs.starts_with("changed=false\n"), "{outputs}");
    assert_eq!(
        std::fs::read_to_string(repo.join("Dockerfile")).unwrap(),
        APT
    );
    assert!(summary.contains("left as it was"), "{summary}");
    assert!(summary.contains("less than `--min-saving`"), "{summary}");

    // 5 MB is less than the low estimate: the fix is written.
    let (outputs, summary) = run_action(&repo, "5MB");
    assert!(outputs.starts_with("changed=true\n"), "{outputs}");
    assert!(outputs.contains("\nDockerfile\n"), "{outputs}");
    assert!(
        std::fs::read_to_string(repo.join("Dockerfile"))
            .unwrap()
            .ends_with("&& rm -rf /var/lib/apt/lists/*\n")
    );
    assert!(
        summary.starts_with("## dockslim: image 10–22 MB smaller"),
        "{summary}"
    );
}

fn dockslim(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("dockslim")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn min_saving_from_the_configuration_and_bad_sizes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), APT).unwrap();
    std::fs::write(dir.path().join(".dockslim.yaml"), "min-saving: 1GB\n").unwrap();
    let out = dockslim(dir.path(), &["fix", "--diff", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 file left as it was by --min-saving"),
        "{stderr}"
    );
    // The flag wins over the configuration.
    let out = dockslim(
        dir.path(),
        &["fix", "--diff", "--min-saving", "1", "Dockerfile"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("+RUN apt-get update"));

    let out = dockslim(dir.path(), &["fix", "--min-saving", "lots", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(dir.path().join(".dockslim.yaml"), "min-saving: 5 parsecs\n").unwrap();
    let out = dockslim(dir.path(), &["fix", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".dockslim.yaml") && stderr.contains("min-saving"),
        "{stderr}"
    );
}

#[test]
fn the_action_pins_caches_and_the_example_verifies_before_the_pull_request() {
    let action = std::fs::read_to_string(common::root().join("action.yml")).unwrap();
    let action: serde_json::Value = serde_saphyr::from_str(&action).unwrap();
    let steps = action["runs"]["steps"].as_array().unwrap();
    assert!(
        steps.iter().any(|s| s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/cache@v"))),
        "the binary is cached"
    );
    let toolchain = action["inputs"]["rust-toolchain"]["default"]
        .as_str()
        .unwrap();
    assert!(
        toolchain.split('.').count() == 3 && toolchain.split('.').all(|p| p.parse::<u32>().is_ok()),
        "the toolchain is pinned to a version: {toolchain}"
    );
    assert!(action["inputs"]["min-saving"].is_object());

    let workflow =
        std::fs::read_to_string(common::root().join("docs/dockslim-pull-request.yml")).unwrap();
    let workflow: serde_json::Value = serde_saphyr::from_str(&workflow).unwrap();
    let steps = workflow["jobs"]["dockslim"]["steps"].as_array().unwrap();
    let position = |pred: &dyn Fn(&serde_json::Value) -> bool| steps.iter().position(pred);
    let verify = position(&|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("dockslim verify") && r.contains("--format markdown"))
    })
    .expect("a verify step");
    let pull_request = position(&|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("peter-evans/create-pull-request@"))
    })
    .expect("a pull-request step");
    assert!(verify < pull_request);
    assert!(
        steps[pull_request]["with"]["body-path"]
            .as_str()
            .is_some_and(|p| p.ends_with("body.md"))
    );
}
