//! BuildKit parity: BuildKit's own parser (through the PyPI `dockerfile`
//! bindings) and dockslim must find the same instructions in every fixture
//! and golden Dockerfile: names, line ranges, flags, exec form, heredoc
//! count and, where BuildKit splits them the same way, the argument values.

mod common;

use dockslim::syntax::{self, Body, Instruction, Keyword};
use serde_json::Value;

fn our_values(instruction: &Instruction) -> Option<Vec<String>> {
    let command = instruction.effective();
    if let Body::Exec(elements) = &command.body {
        return Some(elements.iter().map(|e| e.value.clone()).collect());
    }
    let text = |r| instruction.text(r).to_owned();
    match command.keyword {
        Keyword::From | Keyword::Expose | Keyword::Copy | Keyword::Add | Keyword::Volume
            if !matches!(command.body, Body::Onbuild(_)) =>
        {
            Some(instruction.words().into_iter().map(text).collect())
        }
        Keyword::Run
        | Keyword::Cmd
        | Keyword::Entrypoint
        | Keyword::Shell
        | Keyword::User
        | Keyword::Workdir
        | Keyword::Stopsignal
        | Keyword::Maintainer => Some(vec![text(command.args)]),
        _ => None,
    }
}

#[test]
fn buildkit_parser_agrees_on_every_fixture() {
    let Some(python) = common::oracle_python() else {
        return;
    };
    let files = common::all_valid_dockerfiles();
    assert!(files.len() >= 60, "only {} fixtures", files.len());
    let output = std::process::Command::new(python)
        .arg(common::root().join("tests/buildkit_parity.py"))
        .args(&files)
        .output()
        .expect("run the BuildKit oracle");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in stdout.lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        let path = record["path"].as_str().unwrap();
        if let Some(error) = record.get("error") {
            failures.push(format!("{path}: BuildKit rejects it: {error}"));
            continue;
        }
        let source = std::fs::read_to_string(path).unwrap();
        let document = match syntax::parse(&source) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{path}: dockslim rejects it: {e}"));
                continue;
            }
        };
        let ours: Vec<&Instruction> = document.instructions().collect();
        let theirs = record["commands"].as_array().unwrap();
        if ours.len() != theirs.len() {
            failures.push(format!(
                "{path}: {} instructions, BuildKit has {}",
                ours.len(),
                theirs.len()
            ));
            continue;
        }
        for (i, (mine, bk)) in ours.iter().zip(theirs).enumerate() {
            let mut diffs = Vec::new();
            let bk_cmd = bk["cmd"].as_str().unwrap();
            if !mine.keyword().as_str().eq_ignore_ascii_case(bk_cmd) {
                diffs.push(format!("keyword {} vs {bk_cmd}", mine.keyword()));
            }
            let sub = match &mine.command.body {
                Body::Onbuild(inner) => Some(inner.keyword.as_str().to_owned()),
                _ => None,
            };
            let bk_sub = bk["sub_cmd"].as_str().map(str::to_ascii_uppercase);
            if sub != bk_sub {
                diffs.push(format!("sub-command {sub:?} vs {bk_sub:?}"));
            }
            let lines = (mine.start_line as u64, mine.end_line as u64);
            let bk_lines = (
                bk["start_line"].as_u64().unwrap(),
                bk["end_line"].as_u64().unwrap(),
            );
            if lines != bk_lines {
                diffs.push(format!("lines {lines:?} vs {bk_lines:?}"));
            }
            let flags: Vec<&str> = mine.command.flags.iter().map(|f| f.word.as_str()).collect();
            let bk_flags: Vec<&str> = bk["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect();
            if flags != bk_flags {
                diffs.push(format!("flags {flags:?} vs {bk_flags:?}"));
            }
            let json = mine.effective().is_exec_form();
            if json != bk["json"].as_bool().unwrap() {
                diffs.push(format!("exec form {json} vs {}", bk["json"]));
            }
            // The bindings do not report an ONBUILD trigger's heredocs.
            if sub.is_none() && mine.heredocs.len() as u64 != bk["heredocs"].as_u64().unwrap() {
                diffs.push(format!(
                    "{} heredocs vs {}",
                    mine.heredocs.len(),
                    bk["heredocs"]
                ));
            }
            if let Some(values) = our_values(mine) {
                let bk_values: Vec<&str> = bk["value"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                if values != bk_values {
                    diffs.push(format!("values {values:?} vs {bk_values:?}"));
                }
            }
            if !diffs.is_empty() {
                failures.push(format!(
                    "{path}: instruction {}: {}",
                    i + 1,
                    diffs.join("; ")
                ));
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "BuildKit parity: {} files, {checked} instructions agree",
        files.len()
    );
}
