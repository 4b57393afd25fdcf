//! The rule registry is the one source of what the rules are: the README's
//! rule table must list exactly its rules, in its order, with their names
//! and documented fix safety; and every fix a rule emits on the golden
//! cases must have an applicability its documentation admits.

mod common;

use std::collections::BTreeMap;

use dockslim::fix::Applicability;
use dockslim::rules;

/// `| DS101 | `name` | what | fix |` rows of the README's rule table.
fn readme_rows() -> Vec<(String, String, String)> {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    readme
        .lines()
        .filter(|l| l.starts_with("| DS"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            (
                cells[0].to_owned(),
                cells[1].trim_matches('`').to_owned(),
                cells.last().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn readme_rule_table_matches_the_registry() {
    let rows = readme_rows();
    let registry: Vec<(String, String, String)> = rules::ALL
        .iter()
        .map(|r| {
            (
                r.code.to_owned(),
                r.name.to_owned(),
                r.fix_safety.to_owned(),
            )
        })
        .collect();
    let mut sorted = registry.clone();
    sorted.sort();
    assert_eq!(
        rows, sorted,
        "the README rule table (code, name, fix) must list the registry's rules by code, with each rule's `fix_safety`"
    );
}

/// The applicabilities a rule's `fix_safety` sentence admits: `safe`,
/// `unsafe`, both, or neither (report-only rules).
fn admitted(fix_safety: &str) -> (bool, bool) {
    let words: Vec<String> = fix_safety
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .map(str::to_ascii_lowercase)
        .collect();
    (
        words.iter().any(|w| w == "safe"),
        words.iter().any(|w| w == "unsafe"),
    )
}

#[test]
fn emitted_fixes_match_the_documented_fix_safety() {
    use clap::Parser;
    use dockslim::cli::args::{Cli, Command};
    use dockslim::{Context, fix_source, syntax};
    let mut seen: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    let mut problems = Vec::new();
    for case in common::golden_cases() {
        let input = std::fs::read_to_string(case.join("input.Dockerfile")).unwrap();
        let args = std::fs::read_to_string(case.join("args")).unwrap_or_default();
        let mut argv = vec!["dockslim".to_owned(), "fix".to_owned()];
        argv.extend(args.split_whitespace().map(|a| {
            if case.join(a).is_file() {
                case.join(a).display().to_string()
            } else {
                a.to_owned()
            }
        }));
        let Command::Fix(fix_args) = Cli::try_parse_from(&argv).unwrap().command else {
            unreachable!()
        };
        // Every fix, whatever the chosen threshold: what a rule offers.
        let mut settings = dockslim::cli::settings_from_args(&fix_args.rules).unwrap();
        settings.unsafe_fixes = true;
        let context = if case.join("context").is_dir() {
            Context::for_document(&case.join("context"), syntax::parse(&input).ok().as_ref())
                .unwrap()
        } else {
            Context::unknown()
        };
        let Ok(outcome) = fix_source(&input, &context, &settings) else {
            continue;
        };
        for d in outcome.diagnostics.iter().chain(&outcome.remaining) {
            let (safe, unsafe_) = admitted(d.rule.fix_safety);
            let entry = seen.entry(d.rule.code).or_default();
            match d.fix_applicability() {
                Some(Applicability::Safe) => {
                    entry.0 = true;
                    if !safe {
                        problems.push(format!(
                            "{}: {} emits a safe fix, but its fix safety is `{}`",
                            case.display(),
                            d.rule.code,
                            d.rule.fix_safety
                        ));
                    }
                }
                Some(Applicability::Unsafe) => {
                    entry.1 = true;
                    if !unsafe_ {
                        problems.push(format!(
                            "{}: {} emits an unsafe fix, but its fix safety is `{}`",
                            case.display(),
                            d.rule.code,
                            d.rule.fix_safety
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    // And each documented safety shows up somewhere in the golden cases.
    for rule in rules::ALL {
        let (safe, unsafe_) = admitted(rule.fix_safety);
        let (saw_safe, saw_unsafe) = seen.get(rule.code).copied().unwrap_or_default();
        if safe && !saw_safe {
            problems.push(format!(
                "{} documents a safe fix that no golden case shows",
                rule.code
            ));
        }
        if unsafe_ && !saw_unsafe {
            problems.push(format!(
                "{} documents an unsafe fix that no golden case shows",
                rule.code
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
