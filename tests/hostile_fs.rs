//! Hostile input, part A (issue #13): a repository or pull request dockslim
//! does not control must not make it read or write outside the tree it was
//! given, leak what it should not have read, block, eat memory, lose an edit,
//! leave temporary files, or report a write that did not happen.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const DIRTY: &str = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";
const FIXED: &str = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n";
/// DS101 is safe here, DS104 (`--no-install-recommends`) unsafe.
const UNSAFE_TOO: &str =
    "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n";
/// A Node.js image copying everything: DS202 wants a `.dockerignore`.
const COPIES_ALL: &str = "FROM node:18\nCOPY . .\nRUN npm ci\n";

fn dockslim() -> Command {
    let mut command = Command::cargo_bin("dockslim").unwrap();
    command.timeout(Duration::from_secs(60));
    command
}

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("dockslim")
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

fn output_of(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> (i32, String, String) {
    let out = dockslim()
        .current_dir(dir)
        .args(args)
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn mkfifo(path: &Path) {
    let status = Process::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

fn temp_files_below(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".dockslim-") {
                found.push(entry.path().display().to_string());
            }
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            }
        }
    }
    found
}

// 1. `.dockerignore` that is a symbolic link.

#[test]
fn dockerignore_link_out_of_the_repository_is_neither_read_nor_appended_to() {
    let dir = dir_with(&[
        ("outside/notes.txt", "private-notes-4711\n"),
        ("repo/Dockerfile", COPIES_ALL),
        ("repo/.git/HEAD", "ref: refs/heads/main\n"),
        ("repo/node_modules/x/index.js", ""),
    ]);
    symlink(
        "../outside/notes.txt",
        dir.path().join("repo/.dockerignore"),
    )
    .unwrap();
    for args in [
        &["fix", "--diff", "repo"][..],
        &["fix", "--format", "json", "repo"],
        &["fix", "--format", "markdown", "repo"],
        &["fix", "--write", "--format", "markdown", "repo"],
    ] {
        let (code, stdout, stderr) = output_of(dir.path(), args, &[]);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(
            !stdout.contains("private-notes") && !stderr.contains("private-notes"),
            "{args:?} shows the link's target:\n{stdout}\n{stderr}"
        );
    }
    assert_eq!(
        read(dir.path().join("outside/notes.txt")),
        "private-notes-4711\n"
    );
    assert!(
        fs::symlink_metadata(dir.path().join("repo/.dockerignore"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // Reported instead, for a human.
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "repo"])
        .assert()
        .stdout(contains("DS202 `.dockerignore` is a symbolic link"));
}

#[test]
fn dockerignore_link_to_the_environment_leaks_nothing() {
    let dir = dir_with(&[
        ("Dockerfile", COPIES_ALL),
        (".git/HEAD", "ref: refs/heads/main\n"),
    ]);
    symlink("/proc/self/environ", dir.path().join(".dockerignore")).unwrap();
    let canary = ("DOCKSLIM_CANARY_TOKEN", "canary-8d1f0c");
    for format in ["text", "json", "markdown", "sarif", "github"] {
        let (_, stdout, stderr) = output_of(
            dir.path(),
            &["fix", "--diff", "--format", format, "."],
            &[canary],
        );
        assert!(
            !stdout.contains("canary-8d1f0c") && !stderr.contains("canary-8d1f0c"),
            "{format} leaks the environment:\n{stdout}\n{stderr}"
        );
    }
}

// 2. Links met while walking.

#[test]
fn a_walk_does_not_follow_a_dockerfile_link_out_of_the_tree() {
    let dir = dir_with(&[("outside/Dockerfile", DIRTY), ("tree/Dockerfile", DIRTY)]);
    symlink(
        "../../outside/Dockerfile",
        dir.path().join("tree/sub/Dockerfile").tap_parent(),
    )
    .unwrap();
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "tree"])
        .assert()
        .code(1)
        .stderr(contains(
            "tree/sub/Dockerfile: a symbolic link out of tree; not followed",
        ))
        .stderr(contains("Rewrote 1 of 1 file"));
    assert_eq!(read(dir.path().join("tree/Dockerfile")), FIXED);
    assert_eq!(read(dir.path().join("outside/Dockerfile")), DIRTY);
    // Given by name, the link is the user's choice and is followed.
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "tree/sub/Dockerfile"])
        .assert()
        .code(1);
    assert_eq!(read(dir.path().join("outside/Dockerfile")), FIXED);
}

trait TapParent {
    fn tap_parent(self) -> Self;
}

impl TapParent for std::path::PathBuf {
    /// Creates the parent folder, and hands the path on.
    fn tap_parent(self) -> Self {
        fs::create_dir_all(self.parent().unwrap()).unwrap();
        self
    }
}

// 3. `mappings:` in a repository's configuration.

#[test]
fn repository_mappings_stay_inside_the_configuration_folder() {
    let secret = "base-images:\n  - SECRET-LINE-31337 ::\n";
    let dir = dir_with(&[("secret.yaml", secret), ("repo/Dockerfile", DIRTY)]);
    symlink("../secret.yaml", dir.path().join("repo/link.yaml")).unwrap();
    let absolute = dir.path().join("secret.yaml").display().to_string();
    for (value, why) in [
        (
            "../secret.yaml",
            "must be a relative path inside this file's folder",
        ),
        (
            absolute.as_str(),
            "must be a relative path inside this file's folder",
        ),
        (
            "/proc/self/environ",
            "must be a relative path inside this file's folder",
        ),
        ("link.yaml", "is a symbolic link out of this file's folder"),
    ] {
        fs::write(
            dir.path().join("repo/.dockslim.yaml"),
            format!("ignore: [DS104]\nmappings: {value}\n"),
        )
        .unwrap();
        let (code, stdout, stderr) = output_of(dir.path(), &["fix", "repo"], &[]);
        assert_eq!(code, 2, "{value}: {stderr}");
        assert!(
            stderr.contains("repo/.dockslim.yaml:2:11:"),
            "{value}: {stderr}"
        );
        assert!(stderr.contains(why), "{value}: {stderr}");
        assert!(
            !stderr.contains("SECRET-LINE") && !stdout.contains("SECRET-LINE"),
            "{value}: echoes a file it must not read:\n{stderr}"
        );
    }
    // Also in an override that matches no Dockerfile.
    fs::write(
        dir.path().join("repo/.dockslim.yaml"),
        "overrides:\n  - paths: [\"none/**\"]\n    mappings: ../secret.yaml\n",
    )
    .unwrap();
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "repo"])
        .assert()
        .code(2)
        .stderr(contains("repo/.dockslim.yaml:3:15:"))
        .stderr(contains("SECRET").not());
    // Inside the folder (through a link that stays inside, too): read.
    fs::write(dir.path().join("repo/docker-images.yaml"), "images: []\n").unwrap();
    symlink("docker-images.yaml", dir.path().join("repo/inside.yaml")).unwrap();
    for value in ["docker-images.yaml", "./inside.yaml"] {
        fs::write(
            dir.path().join("repo/.dockslim.yaml"),
            format!("mappings: {value}\n"),
        )
        .unwrap();
        dockslim()
            .current_dir(dir.path())
            .args(["fix", "repo"])
            .assert()
            .code(1);
    }
    // Given on the command line, a table anywhere is the user's choice.
    fs::remove_file(dir.path().join("repo/.dockslim.yaml")).unwrap();
    fs::write(dir.path().join("mine.yaml"), "images: []\n").unwrap();
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--mappings", "mine.yaml", "repo"])
        .assert()
        .code(1);
}

#[test]
fn a_linked_configuration_file_is_refused_not_echoed() {
    let dir = dir_with(&[
        ("secret.txt", "x: SECRET-CONFIG-LINE\n"),
        ("repo/Dockerfile", DIRTY),
    ]);
    symlink("../secret.txt", dir.path().join("repo/.dockslim.yaml")).unwrap();
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "repo"])
        .assert()
        .code(2)
        .stderr(contains("repo/.dockslim.yaml: a symbolic link"))
        .stderr(contains("SECRET").not());
    // `--config` is the user's choice: followed (and then rejected for its
    // unknown key, with its line, which is theirs to see).
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--config", "repo/.dockslim.yaml", "repo"])
        .assert()
        .code(2)
        .stderr(contains("unknown field"));
}

// 4. `verify --touch` stays inside the copied context.

#[test]
fn verify_touch_outside_the_context_is_rejected() {
    let dir = dir_with(&[
        ("ctx/Dockerfile", CLEAN_APP),
        ("ctx/app.py", "print(1)\n"),
        ("x", "keep\n"),
    ]);
    let outside = dir.path().join("x").display().to_string();
    for touch in [outside.as_str(), "../x", "../../x", "sub/../../x", ""] {
        dockslim()
            .current_dir(dir.path())
            .args(["verify", "ctx/Dockerfile", "--touch", touch])
            // Refused before any engine is asked; without `docker` on the
            // path a version that did not check could build nothing either.
            .env("PATH", "/nonexistent")
            .assert()
            .code(2)
            .stderr(contains(
                "must be a path relative to the build context, inside it",
            ));
    }
    assert_eq!(read(dir.path().join("x")), "keep\n");
}

const CLEAN_APP: &str =
    "FROM python:3.12-slim\nCOPY app.py /app.py\nCMD [\"python\", \"/app.py\"]\n";

// 5. One file under two names.

#[test]
fn a_file_reached_by_two_names_is_written_once_with_its_own_settings() {
    let dir = dir_with(&[
        ("Dockerfile", UNSAFE_TOO),
        (
            ".dockslim.yaml",
            "overrides:\n  - paths: [\"Dockerfile.dev\"]\n    unsafe-fixes: true\n",
        ),
    ]);
    symlink("Dockerfile", dir.path().join("Dockerfile.dev")).unwrap();
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "."])
        .assert()
        .code(1)
        .stderr(contains(
            "Dockerfile.dev: the same file as Dockerfile; fixed once",
        ))
        .stderr(contains("Rewrote 1 of 1 file"));
    let text = read(dir.path().join("Dockerfile"));
    assert!(text.contains("rm -rf /var/lib/apt/lists/*"), "{text}");
    assert!(
        !text.contains("--no-install-recommends"),
        "the unsafe fix the file's own configuration does not allow:\n{text}"
    );
    // Named twice on the command line, or by a hard link: the same.
    fs::write(dir.path().join("Dockerfile"), DIRTY).unwrap();
    fs::hard_link(
        dir.path().join("Dockerfile"),
        dir.path().join("hard.Dockerfile"),
    )
    .unwrap();
    dockslim()
        .current_dir(dir.path())
        .args([
            "fix",
            "--diff",
            "Dockerfile",
            "./Dockerfile",
            "hard.Dockerfile",
        ])
        .assert()
        .code(1)
        .stdout(predicate::function(|s: &str| {
            s.matches("diff --git").count() == 1
        }));
}

// 6. Special files and sizes.

#[test]
fn a_fifo_or_a_device_as_the_path_is_refused_at_once() {
    let dir = dir_with(&[]);
    mkfifo(&dir.path().join("Dockerfile"));
    let start = Instant::now();
    dockslim()
        .current_dir(dir.path())
        .timeout(Duration::from_secs(20))
        .args(["fix", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("Dockerfile: a FIFO, not a regular file; not read"));
    assert!(start.elapsed() < Duration::from_secs(20));
    dockslim()
        .args(["fix", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(contains("/dev/zero: a device, not a regular file"));
    dockslim()
        .args(["fix", "--mappings", "/dev/zero", "-"])
        .write_stdin(DIRTY)
        .assert()
        .code(2)
        .stderr(contains("/dev/zero: a device, not a regular file"));
}

#[test]
fn inputs_over_the_size_limits_are_refused() {
    let big = "# x\n".repeat(3 * 1024 * 1024); // 12 MiB
    let dir = dir_with(&[
        ("Dockerfile", big.as_str()),
        ("maps.yaml", &"#\n".repeat(600 * 1024)),
    ]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("Dockerfile: larger than 10 MiB; not read"));
    dockslim()
        .args(["fix", "-"])
        .write_stdin(big)
        .assert()
        .code(2)
        .stderr(contains("-: larger than 10 MiB; not read"));
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--mappings", "maps.yaml", "-"])
        .write_stdin(DIRTY)
        .assert()
        .code(2)
        .stderr(contains("maps.yaml: larger than 1 MiB; not read"));
}

#[test]
fn special_files_in_the_build_context_do_not_block() {
    let dir = dir_with(&[("Dockerfile", COPIES_ALL)]);
    mkfifo(&dir.path().join("package.json"));
    mkfifo(&dir.path().join(".dockerignore"));
    dockslim()
        .current_dir(dir.path())
        .timeout(Duration::from_secs(20))
        .args(["fix", "--diff", "."])
        .assert()
        .code(1);
}

// 8. Interrupted runs.

#[test]
fn an_interrupted_rewrite_leaves_no_temporary_files() {
    for signal in ["INT", "TERM"] {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..1500 {
            let sub = dir.path().join(format!("d{i:04}"));
            fs::create_dir(&sub).unwrap();
            fs::write(sub.join("Dockerfile"), DIRTY).unwrap();
        }
        let mut child = Process::new(bin())
            .current_dir(dir.path())
            .args(["fix", "--write", "."])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the writes have begun (the files are written in path
        // order, each through a temporary file), then interrupt.
        let deadline = Instant::now() + Duration::from_secs(60);
        while read(dir.path().join("d0000/Dockerfile")) != FIXED {
            assert!(Instant::now() < deadline, "the rewrite never started");
            assert!(
                child.try_wait().unwrap().is_none(),
                "ended before the signal"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        let killed = Process::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(
            temp_files_below(dir.path()),
            Vec::<String>::new(),
            "{signal}"
        );
        assert_eq!(status.code(), Some(130), "{signal}: {status:?}");
        assert_ne!(
            read(dir.path().join("d1499/Dockerfile")),
            FIXED,
            "{signal}: interrupted before the end"
        );
    }
}

// 9. A failed write.

#[test]
fn a_failed_write_is_an_error_and_not_counted_as_rewritten() {
    let dir = dir_with(&[("Dockerfile", DIRTY)]);
    // A file-size limit of 0 makes every write of file content fail (EFBIG),
    // as a full disk would, also for root; standard error is a pipe here.
    let out = Process::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" fix --write --format text .")
        .arg(bin())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: Dockerfile: cannot write a temporary file"),
        "{stderr}"
    );
    assert!(!stderr.contains("Rewrote 1 of 1 file"), "{stderr}");
    assert!(
        stderr.contains("Rewrote 0 of 1 file with 0 fixes; 1 file could not be written"),
        "{stderr}"
    );
    assert_eq!(read(dir.path().join("Dockerfile")), DIRTY);
    assert_eq!(temp_files_below(dir.path()), Vec::<String>::new());
    // The JSON report says so too.
    let out = Process::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" fix --write --format json .")
        .arg(bin())
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["summary"]["changed"], 0);
    assert!(
        value["files"][0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot write")
    );
}

// 10. Standard input writes standard output only.

#[test]
fn write_from_standard_input_creates_no_context_file() {
    let dir = dir_with(&[("ctx/.git/HEAD", "ref: refs/heads/main\n")]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "--stdin-filename", "ctx/Dockerfile", "-"])
        .write_stdin(COPIES_ALL)
        .assert()
        .stdout(contains("RUN npm ci"))
        .stderr(contains(
            "ctx/.dockerignore: not written from standard input",
        ));
    assert!(!dir.path().join("ctx/.dockerignore").exists());
    assert!(!dir.path().join("ctx/Dockerfile").exists());
}

// 11. A closed pipe does not hide the status.

#[test]
fn a_closed_pipe_keeps_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        let sub = dir.path().join(format!("d{i:03}"));
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("Dockerfile"), DIRTY).unwrap();
    }
    let run = |dir: &Path| {
        Process::new("bash")
            .current_dir(dir)
            .arg("-c")
            .arg("\"$0\" fix --diff . | head -n 1; exit ${PIPESTATUS[0]}")
            .arg(bin())
            .output()
            .unwrap()
    };
    let out = run(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "changes: {stderr}");
    assert!(
        !stderr.contains("Broken pipe") && !stderr.contains("panicked"),
        "{stderr}"
    );
    fs::write(
        dir.path().join("d000/Dockerfile"),
        "FROM alpine\n  FOO bar\n",
    )
    .unwrap();
    let out = run(dir.path());
    assert_eq!(out.status.code(), Some(2), "a malformed file");
    // Standard error closed too: no panic.
    let out = Process::new("bash")
        .current_dir(dir.path())
        .arg("-c")
        .arg("\"$0\" fix --diff . 2>&1 | head -n 1; exit ${PIPESTATUS[0]}")
        .arg(bin())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

// 12. Configuration errors with file:line:column.

#[test]
fn configuration_errors_are_located() {
    for (config, place, message) in [
        (
            "select: [DS999]\n",
            ":1:10:",
            "unknown rule selector `DS999`",
        ),
        (
            "ignore: [DS101, nope]\n",
            ":1:17:",
            "unknown rule selector `nope`",
        ),
        (
            "mappings: missing.yaml\n",
            ":1:11:",
            "cannot read mappings `missing.yaml`",
        ),
        (
            "profiles: [windows]\n",
            ":1:12:",
            "unknown profile `windows` (known: alpine, cache-mounts, prefer-slim)",
        ),
        ("unsafe-fixes: \"yes\"\n", ":1:15:", "invalid boolean"),
        ("no-builtin: on\n", ":1:13:", "invalid boolean"),
        (
            "overrides:\n  - paths: [\"nothing/**\"]\n    ignore: [bogus-rule]\n",
            ":3:14:",
            "unknown rule selector `bogus-rule`",
        ),
        (
            "overrides:\n  - paths: [\"nothing/**\"]\n    profiles: [windows]\n",
            ":3:16:",
            "unknown profile",
        ),
    ] {
        let dir = dir_with(&[(".dockslim.yaml", config), ("Dockerfile", DIRTY)]);
        dockslim()
            .current_dir(dir.path())
            .args(["fix", "Dockerfile"])
            .assert()
            .code(2)
            .stderr(contains(format!(".dockslim.yaml{place} {message}")));
    }
}

#[test]
fn true_and_false_still_work() {
    let dir = dir_with(&[
        (".dockslim.yaml", "unsafe-fixes: true\nno-builtin: false\n"),
        ("Dockerfile", UNSAFE_TOO),
    ]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--diff", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains("--no-install-recommends"));
}

#[test]
fn hostile_ignore_files_do_not_block_or_fill_memory() {
    let dir = dir_with(&[
        ("tree/ok/Dockerfile", DIRTY),
        ("tree/sub/Dockerfile", DIRTY),
    ]);
    let ignore = dir.path().join("tree/sub/.gitignore");
    mkfifo(&ignore);
    let expect = |message: &str| {
        dockslim()
            .current_dir(dir.path())
            .timeout(Duration::from_secs(20))
            .args(["fix", "tree"])
            .assert()
            .code(2)
            .stdout(contains("tree/ok/Dockerfile:2:23 DS101"))
            .stderr(contains(format!(
                "error: tree/sub: folder not searched: its .gitignore {message}"
            )));
    };
    expect("is not a regular file");
    fs::remove_file(&ignore).unwrap();
    symlink("/dev/zero", &ignore).unwrap();
    expect("is a symbolic link out of the tree");
    fs::remove_file(&ignore).unwrap();
    // The walked folder's own ignore file is read before any filter runs.
    mkfifo(&dir.path().join("tree/.ignore"));
    dockslim()
        .current_dir(dir.path())
        .timeout(Duration::from_secs(20))
        .args(["fix", "tree"])
        .assert()
        .code(2)
        .stderr(contains(
            "error: tree: not searched: its .ignore is not a regular file",
        ));
}
