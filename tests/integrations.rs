//! The GitHub Action and the pre-commit hooks: the action's script runs
//! locally against a fixture repository, and the hook file's patterns match
//! the Dockerfile names dockslim walks.

mod common;

use std::process::Command;

fn dockslim_dir() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("dockslim")
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn action_runs_dockslim_and_writes_outputs() {
    let action = std::fs::read_to_string(common::root().join("action.yml")).unwrap();
    let parsed: serde_json::Value = serde_saphyr::from_str(&action).unwrap();
    assert_eq!(parsed["runs"]["using"], "composite");
    let steps = parsed["runs"]["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("scripts/action-run.sh"))
    }));
    for output in ["changed", "changed-files", "markdown"] {
        assert!(parsed["outputs"][output]["value"].is_string(), "{output}");
    }

    let repo = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let status = Command::new("git")
            .current_dir(repo.path())
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    run(&["init", "-q"]);
    std::fs::create_dir_all(repo.path().join("api")).unwrap();
    std::fs::write(repo.path().join("api/Dockerfile"), "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n").unwrap();
    std::fs::write(
        repo.path().join("Dockerfile.clean"),
        "FROM debian:bookworm-slim\nCMD [\"bash\"]\n",
    )
    .unwrap();
    run(&["add", "."]);
    run(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "commit",
        "-qm",
        "fixture",
    ]);

    let output_file = repo.path().join("github-output");
    let path = format!(
        "{}:{}",
        dockslim_dir().display(),
        std::env::var("PATH").unwrap()
    );
    let out = Command::new("bash")
        .arg(common::root().join("scripts/action-run.sh"))
        .current_dir(repo.path())
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output_file)
        .env("INPUT_PATHS", ".")
        .env("INPUT_UNSAFE_FIXES", "false")
        .env("INPUT_ARGS", "--select DS1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outputs = std::fs::read_to_string(&output_file).unwrap();
    assert!(outputs.starts_with("changed=true\n"), "{outputs}");
    assert!(outputs.contains("\napi/Dockerfile\n"), "{outputs}");
    assert!(!outputs.contains("Dockerfile.clean"), "{outputs}");
    assert!(
        outputs.contains("## dockslim") && outputs.contains("| DS101 `apt-lists-cleanup` |"),
        "{outputs}"
    );
    let fixed = std::fs::read_to_string(repo.path().join("api/Dockerfile")).unwrap();
    assert!(
        fixed.ends_with("&& rm -rf /var/lib/apt/lists/*\n"),
        "{fixed}"
    );
}

#[test]
fn pre_commit_hooks_match_the_dockerfile_names() {
    let text = std::fs::read_to_string(common::root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let ids: Vec<&str> = hooks
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["dockslim", "dockslim-fix"]);
    let files = hooks[0]["files"].as_str().unwrap();
    let exclude = hooks[0]["exclude"].as_str().unwrap();
    // pre-commit uses Python regular expressions: check them with Python.
    let script = format!(
        "import re,sys\nf=re.compile(r'''{files}''')\nx=re.compile(r'''{exclude}''')\nfor p in sys.argv[1:]:\n  print(p, bool(f.search(p)) and not x.search(p))"
    );
    let names = [
        "Dockerfile",
        "svc/Dockerfile.prod",
        "web.Dockerfile",
        "a/b.dockerfile",
        "Containerfile",
        "Dockerfile.dockerignore",
        "README.md",
        "Dockerfiles/x",
    ];
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(names)
        .output()
        .unwrap();
    let result = String::from_utf8(out.stdout).unwrap();
    for name in names {
        let expected = dockslim::cli::walk::is_dockerfile_name(name.rsplit('/').next().unwrap())
            && !name.starts_with("Dockerfiles/");
        assert!(
            result.contains(&format!(
                "{name} {}",
                if expected { "True" } else { "False" }
            )),
            "{name}: {result}"
        );
    }
}
