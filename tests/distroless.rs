//! Distroless Node.js and Python runtimes (issue #15): where a golden case
//! keeps the slim image, the finding says why not distroless; the
//! `prefer-slim` profile works from the command line and from
//! `.dockslim.yaml`; and what a distroless rewrite must hold (no RUN, no
//! shell form, the start command rewritten for the image's ENTRYPOINT).

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn dockslim() -> Command {
    Command::cargo_bin("dockslim").unwrap()
}

/// The text report of a golden case run with its own `args`.
fn report(case: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("golden")
        .join(case);
    let args = fs::read_to_string(dir.join("args")).unwrap_or_default();
    let output = dockslim()
        .arg("fix")
        .args(args.split_whitespace())
        .arg("--context")
        .arg(dir.join("context"))
        .arg(dir.join("input.Dockerfile"))
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

fn assert_says(case: &str, rule: &str, needles: &[&str]) {
    let text = report(case);
    let line = text
        .lines()
        .find(|l| l.contains(rule))
        .unwrap_or_else(|| panic!("{case}: no {rule} finding in\n{text}"));
    for needle in needles {
        assert!(line.contains(needle), "{case}: `{needle}` not in\n{line}");
    }
}

#[test]
fn slim_runtimes_say_why_not_distroless() {
    assert_says(
        "distroless-node-shell-form-slim",
        "DS401",
        &[
            "can be `node:20-slim`",
            "not `gcr.io/distroless/nodejs20-debian12:nonroot`: the stage needs a shell (a shell-form CMD or ENTRYPOINT)",
        ],
    );
    assert_says(
        "distroless-node-runtime-apt-slim",
        "DS401",
        &[
            "can be `node:18-slim`",
            "the stage needs a shell (a RUN instruction)",
        ],
    );
    assert_says(
        "distroless-node-16-slim",
        "DS401",
        &[
            "can be `node:16-slim`",
            "not distroless: `gcr.io/distroless/nodejs{version}-debian12` exists only for version 18, 20, 22",
        ],
    );
    assert_says(
        "distroless-node-split-healthcheck-curl-slim",
        "DS301",
        &[
            "on node:20-slim",
            "not `gcr.io/distroless/nodejs20-debian12:nonroot`: a shell-form HEALTHCHECK needs a shell",
        ],
    );
    assert_says(
        "distroless-prefer-slim",
        "DS301",
        &["on node:20-slim", "the prefer-slim profile keeps a shell"],
    );
    assert_says(
        "distroless-python-312-slim",
        "DS301",
        &[
            "on python:3.12-slim",
            "`gcr.io/distroless/python3-debian12` exists only for version 3.11",
        ],
    );
    // A local package builds with the official image's compilers.
    assert_says(
        "e2e-python-compiled",
        "DS301",
        &[
            "on python:3.11-slim",
            "installs `./fastsum` from source, which needs the compilers and headers of `python:3.11`",
        ],
    );
}

#[test]
fn distroless_rewrites_say_what_the_start_becomes() {
    assert_says(
        "distroless-npm-start-resolved",
        "DS401",
        &[
            "can be `gcr.io/distroless/nodejs22-debian12:nonroot`",
            "CMD becomes `[\"--enable-source-maps\", \"lib/main.js\"]`",
        ],
    );
    assert_says(
        "distroless-node-split",
        "DS301",
        &[
            "on gcr.io/distroless/nodejs20-debian12:nonroot (no shell)",
            "as the `nonroot` user (65532:65532)",
        ],
    );
    assert_says(
        "distroless-python-split",
        "DS301",
        &[
            "in a debian:12-slim builder",
            "on gcr.io/distroless/python3-debian12:nonroot (no shell)",
        ],
    );
}

/// Every distroless runtime stage a golden case expects can run without a
/// shell: no RUN, no shell-form CMD/ENTRYPOINT/HEALTHCHECK, a numeric or
/// nonroot user, and a CMD that does not name the interpreter the image's
/// ENTRYPOINT already starts.
#[test]
fn expected_distroless_stages_need_no_shell() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let mut seen = 0;
    for entry in fs::read_dir(&golden).unwrap() {
        let path = entry.unwrap().path().join("expected.Dockerfile");
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let Some(at) = text.rfind("FROM gcr.io/distroless/") else {
            continue;
        };
        let stage = &text[at..];
        let interpreter = if stage.starts_with("FROM gcr.io/distroless/nodejs") {
            "node"
        } else if stage.starts_with("FROM gcr.io/distroless/python3") {
            "python"
        } else {
            continue;
        };
        seen += 1;
        let name = path.display();
        for line in stage.lines().skip(1) {
            let keyword = line.split_whitespace().next().unwrap_or_default();
            assert!(
                !keyword.eq_ignore_ascii_case("RUN"),
                "{name}: a RUN on distroless: {line}"
            );
            if matches!(keyword, "CMD" | "ENTRYPOINT") {
                let args = line[keyword.len()..].trim();
                assert!(args.starts_with('['), "{name}: shell form: {line}");
                let words: Vec<String> = serde_json::from_str(args).unwrap();
                if keyword == "CMD" {
                    assert!(
                        !words[0].starts_with(interpreter) && !words[0].starts_with("npm"),
                        "{name}: the CMD names the interpreter the ENTRYPOINT runs: {line}"
                    );
                }
            }
            if keyword == "HEALTHCHECK" {
                panic!("{name}: a HEALTHCHECK on distroless: {line}");
            }
            if keyword == "USER" {
                let user = line[4..].trim().split(':').next().unwrap().to_owned();
                assert!(
                    user.chars().all(|c| c.is_ascii_digit()),
                    "{name}: USER {user} is not numeric"
                );
            }
        }
    }
    assert!(seen >= 8, "only {seen} distroless Node.js/Python cases");
}

#[test]
fn prefer_slim_from_the_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap();
    write(
        "Dockerfile",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
    );
    write(
        "package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
    );
    write("server.js", "console.log(1)\n");
    let run = || {
        let output = dockslim()
            .current_dir(dir.path())
            .args([
                "fix",
                "--diff",
                "--unsafe-fixes",
                "--select",
                "DS401",
                "Dockerfile",
            ])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let diff = run();
    assert!(
        diff.contains("+FROM gcr.io/distroless/nodejs20-debian12:nonroot")
            && diff.contains("+CMD [\"server.js\"]"),
        "{diff}"
    );
    write(".dockslim.yaml", "profiles: [prefer-slim]\n");
    let diff = run();
    assert!(diff.contains("+FROM node:20-slim"), "{diff}");
    assert!(!diff.contains("CMD [\"server.js\"]"), "{diff}");
    // The configuration says it, and `dockslim config` shows it.
    let output = dockslim()
        .current_dir(dir.path())
        .args(["config", "Dockerfile"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("prefer-slim"), "{text}");
}

#[test]
fn an_entrypoint_or_a_named_user_keeps_slim() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("package.json"),
        "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
    )
    .unwrap();
    for (dockerfile, why) in [
        (
            "FROM node:20\nCOPY . /app\nENTRYPOINT [\"node\", \"/app/server.js\"]\n",
            "its ENTRYPOINT would replace the image's `/nodejs/bin/node`",
        ),
        (
            "FROM node:20\nCOPY . /app\nUSER node\nCMD [\"node\", \"/app/server.js\"]\n",
            "the stage runs as `node`, a user the image does not have",
        ),
        (
            "FROM node:20\nCOPY . /app\nCMD [\"node\"]\n",
            "the CMD starts node without a program",
        ),
        (
            "FROM node:20\nCOPY . /app\nCMD [\"yarn\", \"serve\"]\n",
            "package.json has no `serve` script",
        ),
    ] {
        fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
        let output = dockslim()
            .current_dir(dir.path())
            .args(["fix", "--unsafe-fixes", "--select", "DS401", "Dockerfile"])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.contains("can be `node:20-slim`"),
            "{dockerfile}\n{text}"
        );
        assert!(text.contains(why), "{dockerfile}: `{why}` not in\n{text}");
    }
}
