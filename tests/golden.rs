//! The golden runner. Each `golden/<case>/` holds `input.Dockerfile`, and
//! when a change is expected `expected.Dockerfile` and `expected.diff`;
//! `args` holds extra `dockslim fix` flags. For every case: the output
//! equals the expected file byte for byte, the diff equals `expected.diff`,
//! the pipeline reaches a fixpoint within a low round cap, and fixing the
//! expected output changes nothing. `expected.findings` records what the
//! run reports: the rules whose fixes were applied, and every finding left
//! on the output with its fix safety and message, so that a report-only case
//! asserts what is reported and why. `DOCKSLIM_BLESS=1` rewrites the
//! expected files from the current output, for review;
//! `DOCKSLIM_GOLDEN=name[,name…]` runs only the cases named (or whose name
//! starts with one of them).

mod common;

use std::path::Path;

use clap::Parser;
use dockslim::cli::args::{Cli, Command};
use dockslim::cli::{output, settings_from_args};
use dockslim::settings::Settings;
use dockslim::{Context, fix_source, syntax};

fn settings_for(case: &Path) -> Settings {
    let args = std::fs::read_to_string(case.join("args")).unwrap_or_default();
    let mut argv = vec!["dockslim".to_owned(), "fix".to_owned()];
    // Paths in `args` are relative to the case folder.
    argv.extend(args.split_whitespace().map(|a| {
        if case.join(a).is_file() {
            case.join(a).display().to_string()
        } else {
            a.to_owned()
        }
    }));
    let cli =
        Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("{}: bad args: {e}", case.display()));
    let Command::Fix(fix_args) = cli.command else {
        unreachable!()
    };
    let mut settings =
        settings_from_args(&fix_args.rules).unwrap_or_else(|e| panic!("{}", e.render()));
    // A low cap: a case that needs more rounds than this has a rule that oscillates.
    settings.max_rounds = 5;
    settings
}

/// The findings file of a case: applied rules, then what remains.
fn findings_text(outcome: &dockslim::Outcome) -> String {
    let mut applied: Vec<&str> = outcome.applied.iter().map(|r| r.code).collect();
    applied.sort_unstable();
    applied.dedup();
    let applied = if applied.is_empty() {
        "-".to_owned()
    } else {
        applied.join(", ")
    };
    let mut text = format!("applied: {applied}\n");
    let index = syntax::LineIndex::new(&outcome.fixed);
    for d in &outcome.remaining {
        let at = index.line_col(&outcome.fixed, d.range.start);
        let safety = match d.fix_applicability() {
            Some(dockslim::fix::Applicability::Safe) => "safe fix",
            Some(dockslim::fix::Applicability::Unsafe) => "unsafe fix",
            _ => "report",
        };
        text.push_str(&format!(
            "{}:{} {} [{safety}] {}\n",
            at.line, at.col, d.rule.code, d.message
        ));
    }
    text
}

fn run_case(case: &Path, bless: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let input = std::fs::read_to_string(case.join("input.Dockerfile")).unwrap();
    let settings = settings_for(case);
    let context_dir = case.join("context");
    let context = if context_dir.is_dir() {
        Context::for_document(&context_dir, syntax::parse(&input).ok().as_ref()).unwrap()
    } else {
        Context::unknown()
    };
    let outcome = match fix_source(&input, &context, &settings) {
        Ok(outcome) => outcome,
        Err(e) => return vec![format!("{name}: input does not parse: {e}")],
    };
    if !outcome.converged {
        problems.push(format!(
            "{name}: no fixpoint within {} rounds",
            settings.max_rounds
        ));
    }
    if !outcome.internal_errors.is_empty() {
        problems.push(format!(
            "{name}: internal errors: {:?}",
            outcome.internal_errors
        ));
    }
    let mut diff = output::unified_diff("Dockerfile", &input, &outcome.fixed);
    for file in &outcome.files {
        diff.push_str(&output::file_diff(
            &file.path,
            file.old.as_deref(),
            &file.new,
        ));
    }
    let expected_path = case.join("expected.Dockerfile");
    let diff_path = case.join("expected.diff");
    let findings_path = case.join("expected.findings");
    let findings = findings_text(&outcome);
    if bless {
        std::fs::write(&findings_path, &findings).unwrap();
    }
    match std::fs::read_to_string(&findings_path) {
        Ok(expected) if expected == findings => {}
        Ok(expected) => problems.push(format!(
            "{name}: findings differ from expected.findings\n--- expected ---\n{expected}--- got ---\n{findings}"
        )),
        Err(_) => problems.push(format!(
            "{name}: no expected.findings (DOCKSLIM_BLESS=1 writes it)"
        )),
    }
    if bless {
        if outcome.changed() {
            std::fs::write(&expected_path, &outcome.fixed).unwrap();
            std::fs::write(&diff_path, &diff).unwrap();
        } else {
            let _ = std::fs::remove_file(&expected_path);
            let _ = std::fs::remove_file(&diff_path);
        }
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| input.clone());
    let expected_diff = std::fs::read_to_string(&diff_path).unwrap_or_default();
    if outcome.fixed != expected {
        problems.push(format!(
            "{name}: output differs from expected.Dockerfile\n--- output ---\n{}\n--- diff ---\n{diff}",
            outcome.fixed
        ));
    }
    if diff != expected_diff {
        problems.push(format!("{name}: diff differs from expected.diff\n{diff}"));
    }
    if expected != input && !diff_path.exists() {
        problems.push(format!("{name}: expected.Dockerfile without expected.diff"));
    }
    // Fixing the expected output, with the files the fix wrote, changes nothing.
    let mut context = context;
    for file in &outcome.files {
        context.add(&file.path, Some(&file.new));
    }
    match fix_source(&expected, &context, &settings) {
        Ok(again) if !again.files.is_empty() => problems.push(format!(
            "{name}: not idempotent; a second run writes {:?}",
            again.files
        )),
        Ok(again) if again.fixed != expected => problems.push(format!(
            "{name}: not idempotent; a second run gives\n{}",
            again.fixed
        )),
        Ok(_) => {}
        Err(e) => problems.push(format!("{name}: expected output does not parse: {e}")),
    }
    if let Err(e) = syntax::parse(&outcome.fixed) {
        problems.push(format!("{name}: output does not parse: {e}"));
    }
    problems
}

#[test]
fn golden_cases() {
    let bless = std::env::var("DOCKSLIM_BLESS").as_deref() == Ok("1");
    let only = std::env::var("DOCKSLIM_GOLDEN").unwrap_or_default();
    let only: Vec<&str> = only.split(',').filter(|s| !s.is_empty()).collect();
    let cases: Vec<_> = common::golden_cases()
        .into_iter()
        .filter(|c| {
            let name = c.file_name().unwrap().to_string_lossy();
            only.is_empty() || only.iter().any(|o| name.starts_with(o))
        })
        .collect();
    assert!(!cases.is_empty(), "no golden cases");
    let problems: Vec<String> = cases.iter().flat_map(|c| run_case(c, bless)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    eprintln!("{} golden cases pass", cases.len());
}
