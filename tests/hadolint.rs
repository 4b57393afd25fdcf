//! hadolint as an oracle: for every golden case, the expected output carries
//! none of the layer-hygiene findings the input had (DL3009, DL3019, DL3042,
//! DL3060, DL3032, DL3036, DL3040, and DL3015 where the case enables unsafe
//! fixes), and no finding of any kind more often than the input did.
//!
//! A case may keep a targeted finding only with a reason, in
//! `golden/<case>/hadolint-allow` (`DL3009: why`); an allowance that no
//! longer matches a remaining finding fails the test, so none go stale.
//! `DL3008+: why` allows a code to occur more often than in the input (a
//! stage split repeats an install), again only where it does.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const TARGETED: [&str; 7] = [
    "DL3009", "DL3019", "DL3042", "DL3060", "DL3032", "DL3036", "DL3040",
];

fn findings(hadolint: &Path, file: &Path) -> BTreeMap<String, usize> {
    let output = Command::new(hadolint)
        .args(["--no-fail", "--format", "json"])
        .arg(file)
        .output()
        .expect("run hadolint");
    let list: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut counts = BTreeMap::new();
    for finding in list {
        *counts
            .entry(finding["code"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
    }
    counts
}

#[test]
fn fixes_remove_hadolint_findings_and_add_none() {
    let Some(hadolint) = common::hadolint() else {
        return;
    };
    let cases = common::golden_cases();
    let mut problems = Vec::new();
    let (mut before_total, mut after_total) = (BTreeMap::new(), BTreeMap::new());
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let unsafe_fixes = std::fs::read_to_string(case.join("args"))
            .unwrap_or_default()
            .contains("--unsafe-fixes");
        let allow_lines: Vec<String> = std::fs::read_to_string(case.join("hadolint-allow"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split(':').next())
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        let allowed: Vec<String> = allow_lines
            .iter()
            .filter(|c| !c.ends_with('+'))
            .cloned()
            .collect();
        let may_grow: Vec<String> = allow_lines
            .iter()
            .filter_map(|c| c.strip_suffix('+'))
            .map(str::to_owned)
            .collect();
        let input = findings(&hadolint, &case.join("input.Dockerfile"));
        let expected_path = case.join("expected.Dockerfile");
        let output = if expected_path.exists() {
            findings(&hadolint, &expected_path)
        } else {
            input.clone()
        };
        for (code, n) in &input {
            *before_total.entry(code.clone()).or_insert(0) += n;
        }
        for (code, n) in &output {
            *after_total.entry(code.clone()).or_insert(0) += n;
        }
        let mut targeted: Vec<&str> = TARGETED.to_vec();
        if unsafe_fixes {
            targeted.push("DL3015");
        }
        for code in targeted {
            let had = input.get(code).copied().unwrap_or(0);
            let has = output.get(code).copied().unwrap_or(0);
            if had > 0 && has > 0 && !allowed.iter().any(|a| a == code) {
                problems.push(format!(
                    "{name}: {code} remains ({had} before, {has} after)"
                ));
            }
        }
        for code in &allowed {
            if output.get(code).copied().unwrap_or(0) == 0 {
                problems.push(format!(
                    "{name}: hadolint-allow names {code}, which no longer remains"
                ));
            }
        }
        for (code, has) in &output {
            let had = input.get(code).copied().unwrap_or(0);
            if *has > had && !may_grow.contains(code) {
                problems.push(format!(
                    "{name}: new {code} finding ({had} before, {has} after)"
                ));
            }
        }
        for code in &may_grow {
            if output.get(code).copied().unwrap_or(0) <= input.get(code).copied().unwrap_or(0) {
                problems.push(format!(
                    "{name}: hadolint-allow lets {code} grow, which it no longer does"
                ));
            }
        }
    }
    eprintln!(
        "hadolint findings over {} golden cases, before -> after:",
        cases.len()
    );
    for (code, before) in &before_total {
        eprintln!(
            "  {code}: {before} -> {}",
            after_total.get(code).copied().unwrap_or(0)
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
