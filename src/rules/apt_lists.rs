//! DS101 `apt-lists-cleanup`.

use super::Rule;
use super::run::{self, RunView};
use crate::fix::{Applicability, Diagnostic, Fix};
use crate::syntax::shell::SimpleCommand;
use crate::syntax::{Document, TextRange};

pub static RULE: Rule = Rule {
    code: "DS101",
    name: "apt-lists-cleanup",
    summary: "`apt-get install` without removing /var/lib/apt/lists in the same RUN",
    fix_safety: "safe; unsafe when a later RUN installs without `apt-get update`",
    doc: r#"## What it does
Finds RUN instructions that install Debian packages with `apt-get install`
(or `apt install`) but do not remove `/var/lib/apt/lists/*` in the same RUN,
and appends `&& rm -rf /var/lib/apt/lists/*` to the command chain.

## Why
`apt-get update` downloads the package lists (tens of megabytes) into
`/var/lib/apt/lists`. They are not needed at run time, and a file deleted in a
later layer still ships in the earlier one, so they must be removed in the
RUN that installs. A BuildKit cache mount over the lists
(`--mount=type=cache,target=/var/lib/apt/lists`) keeps them out of the image
already, and is left alone.

## Example
```dockerfile
RUN apt-get update && apt-get install -y curl
```
becomes
```dockerfile
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
```
Multi-line RUNs keep their continuation style and indentation.

## Fix safety
Safe: the installed packages are the same. It is unsafe when a later RUN of
the same stage (or of a stage built on it) runs `apt-get install` without its
own `apt-get update`, since that RUN relies on the lists. When the shell text
is not a plain `&&` chain (`||`, `;` without `set -e`, pipes, subshells,
heredocs, exec form), dockslim cannot be sure where the cleanup belongs and
only reports.
"#,
    check,
};

const LISTS: &str = "/var/lib/apt/lists";
const CLEANUP: &str = "rm -rf /var/lib/apt/lists/*";
/// apt-get options that take a value, so the word after them is not the subcommand.
const VALUE_OPTIONS: [&str; 6] = [
    "-o",
    "-c",
    "-t",
    "--option",
    "--config-file",
    "--target-release",
];

fn apt_subcommand(command: &SimpleCommand) -> Option<&str> {
    let words = run::effective_words(command);
    match run::program(words)? {
        "apt-get" | "apt" => run::subcommand(words, &VALUE_OPTIONS).map(|(_, sub)| sub),
        _ => None,
    }
}

fn removes_lists(command: &SimpleCommand) -> bool {
    let words = run::effective_words(command);
    run::program(words) == Some("rm")
        && words[1..]
            .iter()
            .any(|w| w.literal.as_deref().is_some_and(|p| p.starts_with(LISTS)))
}

/// The RUN installs with apt and relies on lists from an earlier layer.
fn installs_without_update(view: &RunView<'_>) -> bool {
    let Some(script) = view.script() else {
        return false;
    };
    for command in &script.commands {
        match apt_subcommand(command) {
            Some("update") => return false,
            Some("install") => return true,
            _ => {}
        }
    }
    false
}

fn check(document: &Document, out: &mut Vec<Diagnostic>) {
    let views = run::runs(document);
    let stages = document.stages();
    for (i, view) in views.iter().enumerate() {
        let Some(script) = view.script() else {
            continue;
        };
        let Some(install) = script
            .commands
            .iter()
            .find(|c| apt_subcommand(c) == Some("install"))
        else {
            continue;
        };
        if script.commands.iter().any(removes_lists) || view.has_cache_mount(&[LISTS]) {
            continue;
        }
        let instruction = view.instruction;
        let range = match view.form {
            run::RunForm::Shell(_) => instruction.source_range(install.range),
            _ => instruction.range,
        };
        let range = TextRange::new(range.start, range.end.max(range.start));
        let diagnostic = Diagnostic::new(
            &RULE,
            range,
            "`apt-get install` without `rm -rf /var/lib/apt/lists/*` in the same RUN: the package lists ship in this layer",
        );
        let Some(edit) = view
            .editable()
            .and_then(|script| run::append_to_chain(document, instruction, script, CLEANUP))
        else {
            let why = match view.form {
                run::RunForm::Heredoc(_) => "the script is a heredoc",
                _ => "the shell text is not a plain `&&` chain",
            };
            let mut diagnostic = diagnostic.with_fix(Fix::display_only());
            diagnostic
                .message
                .push_str(&format!(" (not fixed automatically: {why})"));
            out.push(diagnostic);
            continue;
        };
        // Stages that build on this one inherit its file system.
        let name = stages[view.stage].name().map(str::to_ascii_lowercase);
        let inherits = |stage: usize| {
            stage == view.stage
                || name.as_deref().is_some_and(|n| {
                    stages[stage]
                        .image()
                        .is_some_and(|img| img.text.eq_ignore_ascii_case(n))
                })
        };
        let later_needs_lists = views[i + 1..]
            .iter()
            .any(|later| inherits(later.stage) && installs_without_update(later));
        let applicability = if later_needs_lists {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        let mut diagnostic = diagnostic.with_fix(Fix::new(vec![edit], applicability));
        if later_needs_lists {
            diagnostic.message.push_str(
                " (a later RUN installs without `apt-get update`: it would need its own update)",
            );
        }
        out.push(diagnostic);
    }
}
