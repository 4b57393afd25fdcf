//! Command-line tests: every flag and exit code, diffs that `git apply` and
//! `patch -p1` accept, and in-place writes on awkward files.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const DIRTY: &str = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";
const FIXED: &str = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n";
const CLEAN: &str = "FROM debian:bookworm-slim\nCMD [\"bash\"]\n";
const UNSAFE_ONLY: &str = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nWORKDIR /src\nRUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n";

fn dockslim() -> Command {
    Command::cargo_bin("dockslim").unwrap()
}

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn report_lists_findings_and_exits_1() {
    let dir = dir_with(&[("Dockerfile", DIRTY)]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains("Dockerfile:2:23 DS101 [fix] `apt-get install`"))
        .stderr(contains(
            "Found 1 finding in 1 file: 1 fixable with --write; estimated saving 10–22 MB (compressed).",
        ));
    assert_eq!(
        read(dir.path().join("Dockerfile")),
        DIRTY,
        "report mode never writes"
    );
}

#[test]
fn clean_file_exits_0() {
    let dir = dir_with(&[("Dockerfile", CLEAN)]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "Dockerfile"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("No findings in 1 file."));
}

#[test]
fn unsafe_fixes_are_counted_and_applied_only_when_asked() {
    let dir = dir_with(&[("Dockerfile", UNSAFE_ONLY)]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix"])
        .assert()
        .code(1)
        .stdout(contains("[unsafe fix]"))
        .stderr(contains("(1 more with --unsafe-fixes)"));
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--check"])
        .assert()
        .code(0);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--check", "--unsafe-fixes"])
        .assert()
        .code(1)
        .stdout(contains("would fix Dockerfile (1 fix: DS101 line 2)"));
}

#[test]
fn diff_applies_with_git_apply_and_patch() {
    let dir = dir_with(&[
        ("Dockerfile", DIRTY),
        (
            "svc/api.Dockerfile",
            "FROM ubuntu:22.04\r\nRUN apt-get update && \\\r\n    apt-get install -y --no-install-recommends git\r\n",
        ),
        (
            "svc/Containerfile",
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends make",
        ),
    ]);
    let out = dockslim()
        .current_dir(dir.path())
        .args(["fix", "--diff", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("--- a/Dockerfile\n+++ b/Dockerfile\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+++ b/svc/api.Dockerfile"),
        "paths are normalised: {diff}"
    );
    assert!(!diff.contains("./"), "{diff}");
    assert!(diff.contains("\\ No newline at end of file"), "{diff}");
    fs::write(dir.path().join("fix.patch"), &diff).unwrap();

    for tool in ["git", "patch"] {
        let copy = tempfile::tempdir().unwrap();
        for name in ["Dockerfile", "svc/api.Dockerfile", "svc/Containerfile"] {
            fs::create_dir_all(copy.path().join("svc")).unwrap();
            fs::copy(dir.path().join(name), copy.path().join(name)).unwrap();
        }
        let patch = dir.path().join("fix.patch");
        let status = if tool == "git" {
            Process::new("git")
                .current_dir(copy.path())
                .arg("apply")
                .arg(&patch)
                .status()
        } else {
            Process::new("patch")
                .current_dir(copy.path())
                .args(["-p1", "-i"])
                .arg(&patch)
                .status()
        }
        .unwrap();
        assert!(status.success(), "{tool} rejected the diff:\n{diff}");
        assert_eq!(read(copy.path().join("Dockerfile")), FIXED, "{tool}");
        let api = read(copy.path().join("svc/api.Dockerfile"));
        assert!(
            api.ends_with("git && \\\r\n    rm -rf /var/lib/apt/lists/*\r\n"),
            "{tool}: {api:?}"
        );
        assert_eq!(
            read(copy.path().join("svc/Containerfile")),
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*",
            "{tool}"
        );
    }
}

#[test]
fn diff_of_clean_files_is_empty_and_exits_0() {
    let dir = dir_with(&[("Dockerfile", CLEAN)]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--diff"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("Nothing to rewrite in 1 file."));
}

#[test]
fn write_rewrites_only_changed_files_and_keeps_mode() {
    let dir = dir_with(&[("Dockerfile", DIRTY), ("clean/Dockerfile", CLEAN)]);
    let path = dir.path().join("Dockerfile");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    let clean = dir.path().join("clean/Dockerfile");
    let before = fs::metadata(&clean).unwrap().modified().unwrap();
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "."])
        .assert()
        .code(1)
        .stderr(contains(
            "Rewrote 1 of 2 files with 1 fix: DS101 ×1; estimated saving 10–22 MB (compressed).",
        ));
    assert_eq!(read(&path), FIXED);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
        0o755
    );
    assert_eq!(
        fs::metadata(&clean).unwrap().modified().unwrap(),
        before,
        "unchanged files are not written"
    );
    // No temporary files are left behind.
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".dockslim"))
        .collect();
    assert!(leftovers.is_empty());
    // Running again changes nothing.
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "."])
        .assert()
        .code(0);
    assert_eq!(read(&path), FIXED);
}

#[test]
fn write_through_a_symlink_rewrites_the_target() {
    let dir = dir_with(&[("real/Dockerfile.base", DIRTY)]);
    let link = dir.path().join("Dockerfile");
    symlink("real/Dockerfile.base", &link).unwrap();
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "Dockerfile"])
        .assert()
        .code(1);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert_eq!(read(dir.path().join("real/Dockerfile.base")), FIXED);
}

#[test]
fn write_refuses_a_read_only_file() {
    let dir = dir_with(&[("Dockerfile", DIRTY), ("other/Dockerfile", DIRTY)]);
    let path = dir.path().join("Dockerfile");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "."])
        .assert()
        .code(2)
        .stderr(contains("Dockerfile is read-only; not rewritten"));
    assert_eq!(read(&path), DIRTY);
    assert_eq!(
        read(dir.path().join("other/Dockerfile")),
        FIXED,
        "one bad file does not stop the others"
    );
}

#[test]
fn write_keeps_crlf_and_missing_final_newline() {
    let crlf = "FROM debian:bookworm-slim\r\nRUN apt-get update && apt-get install -y --no-install-recommends curl\r\n";
    let dir = dir_with(&[
        ("a.Dockerfile", crlf),
        (
            "b.dockerfile",
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends x",
        ),
    ]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write"])
        .assert()
        .code(1);
    assert_eq!(
        read(dir.path().join("a.Dockerfile")),
        "FROM debian:bookworm-slim\r\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\r\n"
    );
    assert_eq!(
        read(dir.path().join("b.dockerfile")),
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends x && rm -rf /var/lib/apt/lists/*"
    );
}

#[test]
fn stdin_is_read_and_written_to_stdout() {
    dockslim()
        .args(["fix", "--write", "-"])
        .write_stdin(DIRTY)
        .assert()
        .code(1)
        .stdout(FIXED);
    dockslim()
        .args(["fix", "--diff", "-"])
        .write_stdin(DIRTY)
        .assert()
        .code(1)
        .stdout(contains("+++ b/-"));
}

#[test]
fn malformed_dockerfile_is_an_error_with_a_snippet_and_others_go_on() {
    let dir = dir_with(&[
        ("bad/Dockerfile", "FROM alpine\n  FOO bar\n"),
        ("good/Dockerfile", DIRTY),
    ]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "."])
        .assert()
        .code(2)
        .stderr(contains(
            "error: bad/Dockerfile:2:3: unknown instruction: FOO\n  |\n2 |   FOO bar\n  |   ^\n",
        ));
    assert_eq!(
        read(dir.path().join("bad/Dockerfile")),
        "FROM alpine\n  FOO bar\n"
    );
    assert_eq!(read(dir.path().join("good/Dockerfile")), FIXED);
}

#[test]
fn unreadable_and_missing_paths_are_errors() {
    dockslim()
        .args(["fix", "/nonexistent/Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("error: /nonexistent/Dockerfile:"));
    let dir = dir_with(&[("Dockerfile", "")]);
    fs::write(dir.path().join("Dockerfile"), b"FROM a\nRUN \xff\xfe\n").unwrap();
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("not valid UTF-8"));
}

#[test]
fn bad_flags_and_unknown_rules_exit_2() {
    dockslim().args(["fix", "--no-such-flag"]).assert().code(2);
    dockslim()
        .args(["fix", "--diff", "--write"])
        .assert()
        .code(2);
    dockslim()
        .args(["fix", "--select", "DS999", "-"])
        .write_stdin(DIRTY)
        .assert()
        .code(2)
        .stderr(contains("unknown rule selector `DS999`"));
    dockslim().args(["explain", "nope"]).assert().code(2);
}

#[test]
fn select_and_ignore_by_code_prefix_and_name() {
    for args in [
        ["--select", "DS101"],
        ["--select", "DS1"],
        ["--select", "apt-lists-cleanup"],
    ] {
        dockslim()
            .args(["fix"])
            .args(args)
            .arg("-")
            .write_stdin(DIRTY)
            .assert()
            .code(1);
    }
    for args in [["--ignore", "DS101"], ["--ignore", "apt-lists-cleanup"]] {
        dockslim()
            .args(["fix"])
            .args(args)
            .arg("-")
            .write_stdin(DIRTY)
            .assert()
            .code(0);
    }
}

#[test]
fn directories_are_walked_honouring_gitignore_in_stable_order() {
    let dir = dir_with(&[
        (".gitignore", "ignored/\n"),
        ("ignored/Dockerfile", DIRTY),
        ("b/Dockerfile", DIRTY),
        ("a/Dockerfile.prod", DIRTY),
        ("a/web.Dockerfile", DIRTY),
        (".devcontainer/Dockerfile", DIRTY),
        ("a/Dockerfile.dockerignore", "node_modules\n"),
        ("notes.txt", DIRTY),
    ]);
    let out = dockslim()
        .current_dir(dir.path())
        .args(["fix"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let files: Vec<&str> = stdout
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            ".devcontainer/Dockerfile",
            "a/Dockerfile.prod",
            "a/web.Dockerfile",
            "b/Dockerfile"
        ]
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        fs::create_dir_all(dir.path().join(format!("d{i:03}"))).unwrap();
        fs::write(dir.path().join(format!("d{i:03}/Dockerfile")), DIRTY).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("dockslim");
    let out = Process::new("bash")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "'{}' fix --diff . | head -n 3; exit ${{PIPESTATUS[0]}}",
            bin.display()
        ))
        .output()
        .unwrap();
    // Quiet, and the status still says that files would change.
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);
}

#[test]
fn rules_and_explain() {
    dockslim()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(contains("DS101  apt-lists-cleanup"));
    for selector in ["DS101", "ds101", "apt-lists-cleanup"] {
        dockslim()
            .args(["explain", selector])
            .assert()
            .code(0)
            .stdout(
                contains("# DS101 (apt-lists-cleanup)")
                    .and(contains("## Fix safety"))
                    .and(contains("## Example")),
            );
    }
}

#[test]
fn help_and_version_exit_0() {
    dockslim()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(contains("Exit codes"));
    dockslim()
        .args(["fix", "--help"])
        .assert()
        .code(0)
        .stdout(contains("--unsafe-fixes"));
    dockslim()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(contains("dockslim"));
}

#[test]
fn a_bad_mapping_table_is_an_error_with_its_location() {
    let dir = dir_with(&[
        ("Dockerfile", "FROM node:18\nCMD [\"node\"]\n"),
        (
            "maps.yaml",
            "images:\n  - match: \"node:{v}\"\n    too: \"x\"\n",
        ),
        (
            "unknown.yaml",
            "images:\n  - {match: \"node:{v}\", to: \"node:{w}\", role: runtime, reason: r, differs: d, size_mb: [1, 0]}\n",
        ),
    ]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--mappings", "maps.yaml", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(
            contains("error: maps.yaml:3:5: unknown field `too`")
                .and(contains("3 |     too: \"x\"")),
        );
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--mappings", "unknown.yaml", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("unknown.yaml:2:").and(contains("`{w}` is not captured")));
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--mappings", "missing.yaml", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("error: missing.yaml:"));
}

#[test]
fn dockerignore_is_created_by_write_and_applies_from_diff() {
    let files = [
        (
            "Dockerfile",
            "FROM node:18-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --ignore-scripts\n",
        ),
        (
            "Dockerfile.dev",
            "FROM node:18-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --ignore-scripts\n",
        ),
        ("package.json", "{}\n"),
        ("node_modules/x/index.js", "1\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
    ];
    let dir = dir_with(&files);
    let out = dockslim()
        .current_dir(dir.path())
        .args(["fix", "--diff", "--select", "DS202", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        diff.matches("+++ b/.dockerignore").count(),
        1,
        "a shared context is written once: {diff}"
    );
    assert!(
        diff.contains("--- /dev/null\n+++ b/.dockerignore\n"),
        "{diff}"
    );
    assert!(diff.contains("+.git\n+node_modules\n"), "{diff}");
    let patched = dir_with(&files);
    fs::write(patched.path().join("fix.patch"), &diff).unwrap();
    let status = Process::new("git")
        .current_dir(patched.path())
        .args(["apply", "fix.patch"])
        .status()
        .unwrap();
    assert!(status.success(), "git apply rejected:\n{diff}");
    let created = read(patched.path().join(".dockerignore"));

    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "--select", "DS202", "."])
        .assert()
        .code(1);
    assert_eq!(read(dir.path().join(".dockerignore")), created);
    // The second run finds nothing more to do.
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--check", "--select", "DS202", "."])
        .assert()
        .code(0);
}

#[test]
fn dockerignore_keeps_git_when_a_run_uses_it() {
    let dir = dir_with(&[
        (
            "Dockerfile",
            "FROM debian:bookworm-slim\nCOPY . /src\nRUN git -C /src rev-parse HEAD > /version\n",
        ),
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("app.log", "x\n"),
    ]);
    let out = dockslim()
        .current_dir(dir.path())
        .args(["fix", "--diff", "--select", "DS202", "Dockerfile"])
        .output()
        .unwrap();
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("+*.log\n") && !diff.contains("+.git"),
        "{diff}"
    );
}

#[test]
fn verify_without_an_engine_says_what_it_needs() {
    let dir = dir_with(&[("Dockerfile", DIRTY)]);
    dockslim()
        .current_dir(dir.path())
        .env("DOCKER_HOST", "unix:///nonexistent/dockslim-test.sock")
        .args(["verify", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(
            contains("no Docker engine is reachable")
                .or(contains("the `docker` command is not available")),
        );
}

#[test]
fn formats_json_github_markdown_and_plain_text_when_piped() {
    let dir = dir_with(&[("Dockerfile", DIRTY)]);
    let json = dockslim()
        .current_dir(dir.path())
        .args(["fix", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["schema"], "dockslim/1");
    assert_eq!(value["files"][0]["findings"][0]["code"], "DS101");
    assert_eq!(
        value["files"][0]["findings"][0]["fix"]["applicability"],
        "safe"
    );
    assert_eq!(value["files"][0]["findings"][0]["start"]["line"], 2);

    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--format", "github"])
        .assert()
        .code(1)
        .stdout(
            contains("::warning file=Dockerfile,line=2,col=23,")
                .and(contains("title=DS101 apt-lists-cleanup::")),
        );

    let dir2 = dir_with(&[(
        "Dockerfile",
        "FROM node:18\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCMD [\"node\"]\n",
    )]);
    dockslim()
        .current_dir(dir2.path())
        .args(["fix", "--format", "markdown", "--diff"])
        .assert()
        .code(1)
        .stdout(
            contains("## dockslim")
                .and(contains("| DS101 `apt-lists-cleanup` |"))
                .and(contains("<details><summary>Diff of `Dockerfile`</summary>"))
                .and(contains("### What to check by hand"))
                .and(contains(
                    "DS401 `base-image-swap` (unsafe: applied only with --unsafe-fixes)",
                )),
        );
    // Piped output has no colour codes, and no progress bar.
    let text = dockslim()
        .current_dir(dir.path())
        .args(["fix"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&text.stdout).contains('\x1b'));
    assert!(!String::from_utf8_lossy(&text.stderr).contains('\r'));
}

#[test]
fn no_progress_bar_when_not_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        fs::create_dir_all(dir.path().join(format!("s{i}"))).unwrap();
        fs::write(dir.path().join(format!("s{i}/Dockerfile")), DIRTY).unwrap();
    }
    let out = dockslim()
        .current_dir(dir.path())
        .env_remove("CI")
        .args(["fix", "--check"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.contains('\r') && !stderr.contains("Dockerfiles"),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("40 of 40 files would be rewritten with 40 fixes: DS101 ×40"),
        "{stderr}"
    );
}

#[test]
fn configuration_is_discovered_with_overrides_and_flags_win() {
    let dir = dir_with(&[
        (
            ".dockslim.yaml",
            "ignore: [DS101]\noverrides:\n  - paths: [\"legacy/**\"]\n    select: [DS104]\n    unsafe-fixes: true\n",
        ),
        ("app/Dockerfile", DIRTY),
        (
            "legacy/Dockerfile",
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n",
        ),
    ]);
    // DS101 is ignored by the configuration.
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "app/Dockerfile"])
        .assert()
        .code(0);
    // The override turns on unsafe fixes and selects DS104 for legacy/.
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "legacy/Dockerfile"])
        .assert()
        .code(1);
    assert!(
        read(dir.path().join("legacy/Dockerfile"))
            .contains("install --no-install-recommends -y curl")
    );
    // Flags win: --select overrides the configuration's choice.
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--select", "DS101", "app/Dockerfile"])
        .assert()
        .code(1);
    // `dockslim config` shows what is in effect.
    let out = dockslim()
        .current_dir(dir.path())
        .args(["config", "legacy/Dockerfile"])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["config_file"], ".dockslim.yaml");
    assert_eq!(value["effective"]["unsafe_fixes"], true);
    assert_eq!(value["effective"]["rules"], serde_json::json!(["DS104"]));
}

#[test]
fn configuration_errors_name_file_line_and_column() {
    let dir = dir_with(&[
        (".dockslim.yaml", "select: [DS1]\nunsafe_fixes: true\n"),
        ("Dockerfile", DIRTY),
    ]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix"])
        .assert()
        .code(2)
        .stderr(
            contains("error: ")
                .and(contains(".dockslim.yaml:2:1: unknown field `unsafe_fixes`"))
                .and(contains("2 | unsafe_fixes: true")),
        );
    let dir = dir_with(&[("c.yaml", "unsafe-fixes: maybe\n"), ("Dockerfile", DIRTY)]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--config", "c.yaml"])
        .assert()
        .code(2)
        .stderr(contains("c.yaml:1:15:"));
    let dir = dir_with(&[("c.yaml", "select: [DS999]\n"), ("Dockerfile", DIRTY)]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--config", "c.yaml"])
        .assert()
        .code(2)
        .stderr(contains("DS999"));
}

#[test]
fn stdin_filename_names_the_file_and_finds_its_configuration() {
    let dir = dir_with(&[("svc/.dockslim.yaml", "ignore: [DS101]\n")]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--stdin-filename", "svc/Dockerfile", "-"])
        .write_stdin(DIRTY)
        .assert()
        .code(0);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--stdin-filename", "other/Dockerfile", "-"])
        .write_stdin(DIRTY)
        .assert()
        .code(1)
        .stdout(contains("other/Dockerfile:2:23 DS101"));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        dockslim()
            .args(["completions", shell])
            .assert()
            .code(0)
            .stdout(contains("unsafe-fixes"));
    }
}

#[test]
fn pragmas_suppress_and_unused_ones_are_reported() {
    let dir = dir_with(&[(
        "Dockerfile",
        "FROM debian:bookworm-slim\n# dockslim: ignore=DS101\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n# dockslim: ignore=DS106\nRUN echo hi\n",
    )]);
    let out = dockslim()
        .current_dir(dir.path())
        .args(["fix"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("DS101"), "{stdout}");
    assert!(
        stdout.contains("Dockerfile:4:1 DS001 [fix] unused pragma: DS106 found nothing to ignore"),
        "{stdout}"
    );
}

/// The README's examples (a `cargo run --release -- ARGS` block followed by
/// a `diff` block) print exactly what the README shows.
#[test]
fn readme_examples_print_what_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let blocks: Vec<&str> = readme.split("```").collect();
    let mut checked = 0;
    for pair in blocks.windows(3) {
        let (command, expected) = (pair[0], pair[2]);
        let Some(args) = command
            .strip_prefix("sh\n")
            .and_then(|c| c.trim().strip_prefix("cargo run --release -- "))
        else {
            continue;
        };
        let Some(expected) = expected.strip_prefix("diff\n") else {
            continue;
        };
        let output = dockslim()
            .current_dir(root)
            .args(args.split_whitespace())
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            expected,
            "README example `{args}`"
        );
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} README examples found");
}
