//! The report matches the diff (issue #17): on every golden case, the fixes
//! the JSON report lists as applied are exactly those whose edits are in the
//! diff. Each listed fix's edited range (in the original file) must touch a
//! line the diff changes, every line the diff changes must lie in some
//! listed fix's range, and a listed fix that writes another file must have
//! that file in the diff. The markdown body lists the same rules.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;

/// Slots of the original file: `2L` is line L, `2L - 1` the boundary
/// before it (where a pure insertion goes).
fn diff_slots(diff: &str, file: &str) -> BTreeSet<usize> {
    let mut slots = BTreeSet::new();
    let header = format!("diff --git a/{file} b/{file}\n");
    let Some(start) = diff.find(&header) else {
        return slots;
    };
    let section = &diff[start + header.len()..];
    let section = &section[..section
        .find("\ndiff --git ")
        .map_or(section.len(), |i| i + 1)];
    let mut old_line = 0;
    for line in section.lines() {
        if let Some(rest) = line.strip_prefix("@@ -") {
            let first = rest.split([',', ' ']).next().unwrap();
            old_line = first.parse::<usize>().unwrap();
            // "-0,0" (an empty file) inserts before line 1.
            old_line = old_line.max(1);
            let count = rest.split(' ').next().unwrap();
            if count.ends_with(",0") {
                // Nothing removed: the hunk inserts after line `first`.
                old_line += 1;
            }
        } else if line.starts_with("---") || line.starts_with("+++") {
            continue;
        } else if line.starts_with('-') {
            slots.insert(2 * old_line);
            old_line += 1;
        } else if line.starts_with('+') {
            slots.insert(2 * old_line - 1);
        } else if line.starts_with(' ') {
            old_line += 1;
        }
    }
    slots
}

/// The slots an edited range (1-based line/column) covers.
fn range_slots(start: (usize, usize), end: (usize, usize)) -> (usize, usize) {
    if start == end {
        let slot = if start.1 == 1 {
            2 * start.0 - 1
        } else {
            2 * start.0
        };
        return (slot, slot);
    }
    let last = if end.1 == 1 {
        2 * (end.0 - 1)
    } else {
        2 * end.0
    };
    (2 * start.0, last.max(2 * start.0))
}

fn position(value: &serde_json::Value) -> (usize, usize) {
    (
        value["line"].as_u64().unwrap() as usize,
        value["column"].as_u64().unwrap() as usize,
    )
}

fn run(case: &Path, format: &str) -> String {
    let args = std::fs::read_to_string(case.join("args")).unwrap_or_default();
    let mut command = Command::cargo_bin("dockslim").unwrap();
    command
        .current_dir(case)
        .args(["fix", "--diff", "--format", format]);
    command.args(args.split_whitespace());
    if case.join("context").is_dir() {
        command.args(["--context", "context"]);
    }
    let out = command.arg("input.Dockerfile").output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}: {}",
        case.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn check_case(case: &Path) -> Vec<String> {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let mut problems = Vec::new();
    let report: serde_json::Value = serde_json::from_str(&run(case, "json")).unwrap();
    let file = &report["files"][0];
    let diff = file["diff"].as_str().unwrap_or("");
    let changed = diff_slots(diff, "input.Dockerfile");
    let fixes = file["fixes"].as_array().unwrap();
    let mut covered = BTreeSet::new();
    for fix in fixes {
        let code = fix["code"].as_str().unwrap();
        let mut in_diff = false;
        if let Some(edited) = fix["edited"].as_object() {
            let (a, b) = range_slots(position(&edited["start"]), position(&edited["end"]));
            // One slot of slack: a diff may show an insertion at a line end
            // as a change of that line, or of the boundary after it.
            let (lo, hi) = (a.saturating_sub(1), b + 1);
            in_diff |= changed.range(lo..=hi).next().is_some();
            covered.extend(lo..=hi);
        }
        for path in fix["files"].as_array().unwrap() {
            let path = path.as_str().unwrap();
            in_diff |= diff.contains(&format!("/{path} b/")) && diff.contains("+++ b/");
        }
        // An edit of text an earlier round's fix wrote has no place of its
        // own in the original: it is mapped into that fix's range (an
        // insertion point, which the diff may show a line away, after an
        // unchanged line that the insertion repeats).
        if !in_diff && let Some(edited) = fix["edited"].as_object() {
            let (start, end) = (position(&edited["start"]), position(&edited["end"]));
            let round = fix["round"].as_u64().unwrap_or(0);
            in_diff = fixes.iter().any(|other| {
                other["round"].as_u64().unwrap_or(0) < round
                    && other["edited"].as_object().is_some_and(|o| {
                        position(&o["start"]) <= start && end <= position(&o["end"])
                    })
            });
        }
        if !in_diff {
            problems.push(format!(
                "{name}: {code} is listed as applied but its edit is not in the diff:\n{fix:#}\n{diff}"
            ));
        }
    }
    for slot in &changed {
        if !covered.contains(slot) {
            problems.push(format!(
                "{name}: the diff changes line {} (slot {slot}) but no listed fix edits it:\n{diff}\n{:#}",
                slot.div_ceil(2),
                file["fixes"]
            ));
        }
    }
    if fixes.is_empty() != diff.is_empty() {
        problems.push(format!(
            "{name}: {} fixes listed, diff {}",
            fixes.len(),
            if diff.is_empty() {
                "empty"
            } else {
                "not empty"
            }
        ));
    }
    // The pull-request body lists the same rules.
    let listed: BTreeSet<&str> = fixes.iter().map(|f| f["code"].as_str().unwrap()).collect();
    let body = run(case, "markdown");
    let in_body: BTreeSet<&str> = body
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| l.split(" | ").nth(1))
        .filter_map(|cell| cell.split(' ').next())
        .collect();
    if listed != in_body {
        problems.push(format!(
            "{name}: JSON lists {listed:?}, the markdown body {in_body:?}"
        ));
    }
    problems
}

#[test]
fn applied_fixes_are_exactly_those_in_the_diff_on_every_golden_case() {
    let cases = common::golden_cases();
    let mut checked_with_fixes = 0;
    let mut problems = Vec::new();
    for case in &cases {
        let found = check_case(case);
        if found.is_empty()
            && std::fs::metadata(case.join("expected.diff")).is_ok_and(|m| m.len() > 0)
        {
            checked_with_fixes += 1;
        }
        problems.extend(found);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(
        checked_with_fixes > 100,
        "only {checked_with_fixes} cases with fixes"
    );
}

#[test]
fn the_slot_reading_of_a_diff() {
    let diff = "diff --git a/input.Dockerfile b/input.Dockerfile\n--- a/input.Dockerfile\n+++ b/input.Dockerfile\n@@ -1,3 +1,4 @@\n FROM a\n-RUN x\n+RUN y\n+RUN z\n CMD b\n";
    assert_eq!(diff_slots(diff, "input.Dockerfile"), BTreeSet::from([4, 5]));
    assert_eq!(range_slots((2, 1), (3, 1)), (4, 4));
    assert_eq!(range_slots((3, 1), (3, 1)), (5, 5));
    assert_eq!(range_slots((2, 5), (2, 5)), (4, 4));
}
