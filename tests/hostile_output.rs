//! Output injection (issue #13, part C): text from a Dockerfile or its path
//! must come out of every format as the text it is. A heredoc line of
//! backticks must not close the markdown diff block, a backtick in a stage
//! name must not open raw HTML, a newline in a file name must not start a
//! line of its own (a CI log reads `::error` there as a workflow command),
//! SARIF URIs are percent-encoded, and diff headers of odd paths are quoted
//! so that `git apply` and `patch -p1` apply them.

mod common;

use std::path::Path;
use std::process::Command;

use assert_cmd::Command as Cmd;

fn dockslim(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = Cmd::cargo_bin("dockslim")
        .unwrap()
        .current_dir(dir)
        .env_remove("CI")
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// Markdown with fenced code blocks and code spans taken out, by the
/// CommonMark rules: a fence closes on a line of at least as many backticks
/// (indented at most three spaces); a code span closes on a backtick run of
/// exactly its opening length. What is left is what renders as markdown.
fn outside_code(markdown: &str) -> String {
    let mut prose = String::new();
    let mut fence: Option<usize> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let ticks = trimmed.chars().take_while(|&c| c == '`').count();
        match fence {
            Some(open) => {
                if indent <= 3 && ticks >= open && trimmed[ticks..].trim().is_empty() {
                    fence = None;
                }
            }
            None if indent <= 3 && ticks >= 3 => fence = Some(ticks),
            None => {
                prose.push_str(&strip_code_spans(line));
                prose.push('\n');
            }
        }
    }
    assert!(fence.is_none(), "a code block is never closed:\n{markdown}");
    prose
}

fn strip_code_spans(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            out.push_str(&line[i..i + 2]);
            i += 2;
            continue;
        }
        if bytes[i] != b'`' {
            let next = line[i..].chars().next().unwrap();
            out.push(next);
            i += next.len_utf8();
            continue;
        }
        let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
        // Find the closing run of exactly `run` backticks.
        let mut j = i + run;
        let mut close = None;
        while j < bytes.len() {
            if bytes[j] == b'`' {
                let r = bytes[j..].iter().take_while(|&&b| b == b'`').count();
                if r == run {
                    close = Some(j);
                    break;
                }
                j += r;
            } else {
                j += 1;
            }
        }
        match close {
            Some(j) => {
                out.push_str("CODE");
                i = j + run;
            }
            None => {
                out.push_str(&line[i..i + run]);
                i += run;
            }
        }
    }
    out
}

/// Raw HTML left in rendered markdown, other than the tags dockslim writes.
fn raw_html(prose: &str) -> Vec<String> {
    let allowed = ["<details>", "</details>", "<summary>", "</summary>"];
    let mut found = Vec::new();
    let mut rest = prose;
    while let Some(at) = rest.find('<') {
        let tag: String = rest[at..].chars().take(12).collect();
        if !allowed.iter().any(|a| rest[at..].starts_with(a)) {
            found.push(tag);
        }
        rest = &rest[at + 1..];
    }
    found
}

#[test]
fn a_heredoc_line_of_backticks_does_not_close_the_markdown_diff() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY <<EOF /notes.md\n```\n# Approved\n<img src=x>\n````\nEOF\nRUN apt-get update && apt-get install -y --no-install-recommends git\n",
    )
    .unwrap();
    let (body, stderr, code) = dockslim(dir.path(), &["fix", "--diff", "--format", "markdown"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(body.contains("&& rm -rf /var/lib/apt/lists/*\n"), "{body}");
    // The diff reaches the four-backtick line: the fence must be longer still.
    assert!(
        body.contains("\n ````\n") && body.contains("\n`````diff\n"),
        "{body}"
    );
    let prose = outside_code(&body);
    assert!(
        !prose.contains("Approved"),
        "heredoc text escaped the diff block:\n{prose}"
    );
    assert!(
        raw_html(&prose).is_empty(),
        "{:?}\n{body}",
        raw_html(&prose)
    );
}

#[test]
fn a_backtick_in_a_stage_name_does_not_render_html() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\nFROM debian:bookworm-slim\nCOPY --from=build`<img/src=x/onerror=alert(1)>`*x*|y / /\nCMD [\"/out/app\"]\n",
    )
    .unwrap();
    let (body, stderr, _) = dockslim(dir.path(), &["fix", "--format", "markdown"]);
    assert!(body.contains("DS303"), "{body}{stderr}");
    let prose = outside_code(&body);
    assert!(
        raw_html(&prose).is_empty(),
        "{:?}\n{body}",
        raw_html(&prose)
    );
    // Emphasis markers from the file are escaped.
    assert!(
        !prose.contains(" *x*") && !prose.contains("`*x*"),
        "{prose}"
    );
}

/// A folder whose name holds a newline and a workflow command.
const EVIL_DIR: &str = "svc\n::error file=x::injected";

fn evil_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join(EVIL_DIR);
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        sub.join("Dockerfile"),
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_newline_in_a_file_name_starts_no_line_in_any_format() {
    let dir = evil_repo();
    let path = format!("{EVIL_DIR}/Dockerfile");
    for args in [
        &["fix", path.as_str()][..],
        &["fix", "--check", path.as_str()],
        &["fix", "--diff", path.as_str()],
        &["fix", "--format", "markdown", path.as_str()],
        &["fix", "--format", "github", path.as_str()],
        &["fix", "."],
        &["fix", "--diff", "--format", "markdown", "."],
    ] {
        let (stdout, stderr, code) = dockslim(dir.path(), args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        for line in stdout.lines().chain(stderr.lines()) {
            assert!(
                !line.starts_with("::error"),
                "{args:?} printed a workflow command:\n{stdout}\n{stderr}"
            );
        }
        assert!(!stdout.is_empty(), "{args:?}");
    }
    let (stdout, _, _) = dockslim(dir.path(), &["fix", path.as_str()]);
    assert!(
        stdout.starts_with("\"svc\\n::error file=x::injected/Dockerfile\":2:23 DS101"),
        "{stdout}"
    );
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("a #%b\nc?d");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        sub.join("Dockerfile"),
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n",
    )
    .unwrap();
    let (sarif, stderr, _) = dockslim(dir.path(), &["fix", "--format", "sarif", "."]);
    let value: serde_json::Value =
        serde_json::from_str(&sarif).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let uri = value["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert_eq!(uri, "a%20%23%25b%0Ac%3Fd/Dockerfile");
    if let (Some(python), Some(schema)) = (common::oracle_python(), common::sarif_schema()) {
        common::validate(&python, &schema, sarif.as_bytes())
            .unwrap_or_else(|e| panic!("invalid SARIF:\n{e}"));
    }
}

#[test]
fn diffs_of_paths_with_spaces_newlines_and_quotes_apply_with_git_and_patch() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let names = ["my app", "new\nline", "quo\"te é"];
    for name in names {
        let sub = repo.join(name);
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join("Dockerfile"),
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY . .\n",
        )
        .unwrap();
        std::fs::write(sub.join("app.sh"), "echo hi\n").unwrap();
        std::fs::create_dir_all(sub.join(".git")).unwrap();
    }
    // Safe fixes: DS101 edits each Dockerfile, DS202 creates a .dockerignore.
    let (diff, stderr, code) = dockslim(&repo, &["fix", "--diff", "."]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        diff.contains("diff --git \"a/new\\nline/Dockerfile\""),
        "{diff}"
    );
    assert!(diff.contains("--- a/my app/Dockerfile\t\n"), "{diff}");
    assert!(
        diff.contains("+++ \"b/quo\\\"te \\303\\251/.dockerignore\"\n"),
        "{diff}"
    );
    let (_, _, code) = dockslim(&repo, &["fix", "--write", "."]);
    assert_eq!(code, 1);
    // `repo` now holds the fixed files; apply the diff to fresh copies of the originals.
    for tool in ["git", "patch"] {
        let copy = dir.path().join(tool);
        for name in names {
            let sub = copy.join(name);
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(
                sub.join("Dockerfile"),
                "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY . .\n",
            )
            .unwrap();
            std::fs::write(sub.join("app.sh"), "echo hi\n").unwrap();
            std::fs::create_dir_all(sub.join(".git")).unwrap();
        }
        let patch_file = dir.path().join("changes.diff");
        std::fs::write(&patch_file, &diff).unwrap();
        let out = if tool == "git" {
            Command::new("git")
                .current_dir(&copy)
                .args(["apply", "--verbose"])
                .arg(&patch_file)
                .output()
                .unwrap()
        } else {
            Command::new("patch")
                .current_dir(&copy)
                .args(["-p1", "--batch", "-i"])
                .arg(&patch_file)
                .output()
                .unwrap()
        };
        assert!(
            out.status.success(),
            "{tool}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for name in names {
            for file in ["Dockerfile", ".dockerignore"] {
                let want = std::fs::read_to_string(repo.join(name).join(file)).unwrap();
                let got = std::fs::read_to_string(copy.join(name).join(file))
                    .unwrap_or_else(|e| panic!("{tool}: {name}/{file}: {e}"));
                assert_eq!(got, want, "{tool}: {name}/{file}");
            }
        }
    }
}
