//! Hostile inputs (issue #13, crashes and blow-ups): files an attacker
//! controls must end in a report, a diff or an error for that file, never
//! in a crash that ends the batch. Each test runs the CLI binary on a
//! generated file next to an ordinary one, so that the job runs on a worker
//! thread (whose stack is smaller than the main thread's), and checks that
//! the process exited with a status, not a signal, and that the other file's
//! finding is still reported.

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

/// An ordinary file with one safe finding, reported in every batch below.
const ORDINARY: &str = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";

fn dockslim() -> Command {
    let mut command = Command::cargo_bin("dockslim").unwrap();
    // A guard against a hang, not a performance assertion: these inputs take
    // a few seconds in a debug build.
    command.timeout(Duration::from_secs(300));
    command
}

/// A folder with `hostile.Dockerfile` and `ordinary.Dockerfile`.
fn batch(hostile: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("hostile.Dockerfile"), hostile).unwrap();
    fs::write(dir.path().join("ordinary.Dockerfile"), ORDINARY).unwrap();
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let output = dockslim()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("dockslim runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let Some(code) = output.status.code() else {
        panic!(
            "dockslim {args:?} was killed ({:?}); stderr ends with {:?}",
            output.status,
            &stderr[stderr.len().saturating_sub(500)..]
        );
    };
    Run {
        code,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    }
}

fn chain(n: usize, command: impl Fn(usize) -> String) -> String {
    (0..n).map(command).collect::<Vec<_>>().join(" && ")
}

#[test]
fn a_run_with_100000_and_commands_does_not_overflow_the_stack() {
    let hostile = format!(
        "FROM debian\nRUN {}\n",
        chain(100_000, |i| format!("echo {i}"))
    );
    let dir = batch(&hostile);
    let out = run(dir.path(), &["fix", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("ordinary.Dockerfile:2:23 DS101"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("hostile.Dockerfile"), "{}", out.stdout);
}

#[test]
fn a_long_chain_of_installs_is_fixed_without_overflow() {
    // The install chain is checked and fixed, not just parsed.
    let hostile = format!(
        "FROM debian\nRUN apt-get update && {}\n",
        chain(20_000, |i| format!(
            "apt-get install -y --no-install-recommends p{i}"
        ))
    );
    let dir = batch(&hostile);
    let out = run(dir.path(), &["fix", "--diff", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("+++ b/hostile.Dockerfile"),
        "{}",
        &out.stdout[..500]
    );
    assert!(out.stdout.contains("p19999 && rm -rf /var/lib/apt/lists/*"));
    assert!(out.stdout.contains("+++ b/ordinary.Dockerfile"));
}

#[test]
fn merging_8000_install_runs_ends_in_one_run() {
    let hostile: String = std::iter::once("FROM debian\nRUN apt-get update\n".to_owned())
        .chain((0..8000).map(|i| format!("RUN apt-get install -y --no-install-recommends p{i}\n")))
        .collect();
    let dir = batch(&hostile);
    let out = run(dir.path(), &["fix", "--write", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let fixed = fs::read_to_string(dir.path().join("hostile.Dockerfile")).unwrap();
    assert_eq!(fixed.matches("RUN ").count(), 1, "{}", &fixed[..500]);
    assert_eq!(fixed.matches("apt-get install").count(), 8000);
    assert!(
        fixed
            .trim_end()
            .ends_with("p7999 && \\\n    rm -rf /var/lib/apt/lists/*")
    );
    // A second run has nothing left to do on the merged file.
    let again = run(dir.path(), &["fix", "--check", "hostile.Dockerfile"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
}

#[test]
fn twenty_thousand_adjacent_runs_with_unsafe_fixes() {
    let hostile: String = std::iter::once("FROM debian\n".to_owned())
        .chain((0..20_000).map(|i| format!("RUN echo {i}\n")))
        .collect();
    let dir = batch(&hostile);
    let out = run(dir.path(), &["fix", "--unsafe-fixes", "--diff", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("+    echo 19999"),
        "{}",
        &out.stdout[..500]
    );
    assert!(out.stdout.contains("+++ b/ordinary.Dockerfile"));
}

#[test]
fn forty_thousand_pragma_lines() {
    let hostile: String = std::iter::once("FROM debian\n".to_owned())
        .chain((0..40_000).map(|_| "# dockslim: ignore=DS101\n".to_owned()))
        .chain(std::iter::once(
            "RUN apt-get update && apt-get install -y --no-install-recommends x\n".to_owned(),
        ))
        .collect();
    let dir = batch(&hostile);
    let out = run(dir.path(), &["fix", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    // Every pragma suppresses the one finding: none is unused, and the
    // finding is not reported.
    assert!(
        !out.stdout.contains("hostile.Dockerfile"),
        "{}",
        &out.stdout[..out.stdout.len().min(500)]
    );
    assert!(out.stdout.contains("ordinary.Dockerfile:2:23 DS101"));
}

#[test]
fn an_error_past_column_65535_is_reported_not_a_panic() {
    let hostile = format!("FROM debian\nRUN echo {} <<EOF\n", "x".repeat(70_000));
    let dir = batch(&hostile);
    let out = run(dir.path(), &["fix", "."]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: hostile.Dockerfile:2:70011: unterminated heredoc"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(
        out.stderr.len() < 2_000,
        "the snippet is cut around the caret"
    );
    assert!(
        out.stdout.contains("ordinary.Dockerfile:2:23 DS101"),
        "{}",
        out.stdout
    );
}

#[test]
fn terminal_escapes_from_the_dockerfile_are_printed_escaped() {
    // In a finding's message (a pragma names its rules) ...
    let hostile = "FROM debian\n# dockslim: ignore=\x1b]0;owned\x07\x1b[2J\nRUN echo hi\n";
    let dir = batch(hostile);
    let out = run(dir.path(), &["fix", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        !out.stdout.contains('\x1b') && !out.stdout.contains('\x07'),
        "{:?}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("DS001 [fix] unused pragma: \\u{1b}]0;owned\\u{7}\\u{1b}[2J found"),
        "{}",
        out.stdout
    );
    // ... and in an error's message and snippet.
    let hostile = "FROM debian\n\x1b[31mRUN\u{202e} echo\n";
    let dir = batch(hostile);
    let out = run(dir.path(), &["fix", "."]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        !out.stderr.contains('\x1b') && !out.stderr.contains('\u{202e}'),
        "{:?}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("unknown instruction: \\u{1b}[31mRUN\\u{202e}"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("2 | \\u{1b}[31mRUN\\u{202e} echo\n"),
        "{}",
        out.stderr
    );
}

/// Instructions `docker build` rejects (checked against BuildKit's parser
/// and a Docker engine), with where the error is reported.
const REJECTED: [(&str, &str); 14] = [
    ("ENV FOO", "2:1: ENV must have two arguments"),
    ("LABEL maintainer", "2:1: LABEL must have two arguments"),
    ("ENV A=1 B", "2:9: Syntax error - can't find = in \"B\""),
    (
        "LABEL a=b \"c\"",
        "2:11: Syntax error - can't find = in \"\"c\"\"",
    ),
    ("ONBUILD ENV FOO", "2:9: ENV must have two arguments"),
    ("ENV =x", "2:5: ENV names can not be blank"),
    ("LABEL a=1 =x", "2:11: LABEL names can not be blank"),
    ("ARG =x", "2:5: ARG names can not be blank"),
    ("COPY app", "2:1: COPY requires at least two arguments"),
    ("ADD [\"app\"]", "2:1: ADD requires at least two arguments"),
    (
        "SHELL bash -c",
        "2:1: SHELL requires the arguments to be in JSON form",
    ),
    (
        "HEALTHCHECK curl localhost",
        "2:1: Unknown type \"CURL\" in HEALTHCHECK (try CMD)",
    ),
    (
        "HEALTHCHECK NONE now",
        "2:1: HEALTHCHECK NONE takes no arguments",
    ),
    (
        "HEALTHCHECK --interval=5s CMD",
        "2:1: Missing command after HEALTHCHECK CMD",
    ),
];

#[test]
fn files_buildkit_rejects_are_malformed_and_not_written() {
    for (instruction, error) in REJECTED {
        let hostile =
            format!("FROM debian\n{instruction}\nRUN apt-get update && apt-get install -y curl\n");
        let dir = batch(&hostile);
        let out = run(dir.path(), &["fix", "--write", "."]);
        assert_eq!(out.code, 2, "{instruction}: {}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("error: hostile.Dockerfile:{error}")),
            "{instruction}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains(&format!("2 | {instruction}\n")),
            "{}",
            out.stderr
        );
        let kept = fs::read_to_string(dir.path().join("hostile.Dockerfile")).unwrap();
        assert_eq!(
            kept, hostile,
            "{instruction}: a malformed file is never written"
        );
        let fixed = fs::read_to_string(dir.path().join("ordinary.Dockerfile")).unwrap();
        assert_ne!(fixed, ORDINARY, "the rest of the batch is still fixed");
    }
}

#[test]
fn forms_buildkit_accepts_are_still_fixed() {
    for instruction in [
        "ENV A B C",
        "ENV A=\"x y\" B='1 2' C=x\\ y",
        "LABEL \"a b\"=c d=",
        "ENV A \"x=1\" b",
        "ARG A B=1",
        "ONBUILD COPY app",
        "HEALTHCHECK NONE",
        "HEALTHCHECK --interval=5s cmd curl -f localhost",
        "COPY <<EOF /etc/motd\nhi\nEOF",
    ] {
        let hostile =
            format!("FROM debian\n{instruction}\nRUN apt-get update && apt-get install -y curl\n");
        let dir = batch(&hostile);
        let out = run(dir.path(), &["fix", "hostile.Dockerfile"]);
        assert_eq!(out.code, 1, "{instruction}: {}", out.stderr);
        assert!(
            out.stdout.contains("DS101"),
            "{instruction}: {}",
            out.stdout
        );
    }
}

#[test]
fn a_latin1_comment_is_rejected_once_with_line_and_column() {
    let hostile: &[u8] =
        b"FROM debian\n# Maintainer: Jos\xe9\nRUN apt-get update && apt-get install -y curl\n";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), hostile).unwrap();
    let expected = "error: Dockerfile:2:18: not valid UTF-8 (byte 0xE9;";
    let out = run(dir.path(), &["fix", "--write", "Dockerfile"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.starts_with(expected), "{}", out.stderr);
    assert!(
        out.stderr.contains("2 | # Maintainer: Jos\u{fffd}\n"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.matches("error:").count(), 1, "{}", out.stderr);
    assert_eq!(fs::read(dir.path().join("Dockerfile")).unwrap(), hostile);

    // On standard input: the same error, printed once, nothing written out.
    let output = dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "--stdin-filename", "Dockerfile", "-"])
        .write_stdin(hostile)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with(expected), "{stderr}");
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    assert!(output.stdout.is_empty());
}

#[path = "../examples/fuzz/generator.rs"]
mod generator;

/// The short run of the fuzz driver (`cargo run --release --example fuzz`
/// runs a million): no panic, lossless round trip, a fixed file that
/// parses, idempotence. `DOCKSLIM_FUZZ_INPUTS` sets the count.
#[test]
fn fuzz_short_run() {
    let count: u64 = std::env::var("DOCKSLIM_FUZZ_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let seeds = generator::golden_inputs(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(seeds.len() > 10, "the golden inputs are the mutation seeds");
    let failures: Vec<String> = (0..count)
        .filter_map(|seed| {
            let text = generator::generate(seed, &seeds);
            generator::check(seed, &text)
                .err()
                .map(|f| format!("seed {}: {}", f.seed, f.what))
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_fuzz_generator_is_deterministic_and_varied() {
    // A file that does not parse is fine; the invariants hold on a good one.
    assert!(
        generator::check(
            0,
            "FROM debian\nRUN apt-get update && apt-get install -y curl\n"
        )
        .is_ok()
    );
    assert!(generator::check(0, "NOT A DOCKERFILE").is_ok());
    // The generator makes every kind of input, deterministically.
    let seeds = vec!["FROM debian\nRUN echo\n".to_owned()];
    let a: Vec<String> = (0..2000).map(|s| generator::generate(s, &seeds)).collect();
    let b: Vec<String> = (0..2000).map(|s| generator::generate(s, &seeds)).collect();
    assert_eq!(a, b);
    assert!(a.iter().any(|t| t.len() > 20_000), "huge or deep inputs");
    assert!(a.iter().any(|t| t.contains("<<EOF")), "heredocs");
    assert!(
        a.iter()
            .filter(|t| dockslim::syntax::parse(t).is_ok())
            .count()
            > 500
    );
    assert!(
        a.iter()
            .filter(|t| dockslim::syntax::parse(t).is_err())
            .count()
            > 100
    );
}

/// Found by the fuzz driver (seed 97780): a flag ending in a backslash at
/// the end of the line (not a continuation under `# escape=\``) indexed
/// past the end of the line.
#[test]
fn a_flag_ending_in_a_backslash_does_not_panic() {
    for text in [
        "# escape=`\nFROM --platform=x\\\n",
        "# escape=`\nCOPY --chown=\"1\\\n",
        "FROM debian\nRUN --mount=x\\ \n",
    ] {
        if let Ok(document) = dockslim::syntax::parse(text) {
            assert_eq!(document.render(), text);
        }
        assert!(generator::check(0, text).is_ok(), "{text:?}");
    }
}

#[test]
fn deeply_nested_shell_does_not_overflow_the_stack() {
    let n = 20_000;
    for body in [
        format!("{}echo{}", "(".repeat(n), ")".repeat(n)),
        format!("echo {}x{}", "$(echo ".repeat(n), ")".repeat(n)),
        format!("{}true{}", "if true; then ".repeat(n), "; fi".repeat(n)),
        vec!["true"; n].join(" | "),
    ] {
        let dir = batch(&format!("FROM debian\nRUN {body}\n"));
        let out = run(dir.path(), &["fix", "."]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(
            out.stdout.contains("ordinary.Dockerfile:2:23 DS101"),
            "{}",
            out.stdout
        );
    }
}
