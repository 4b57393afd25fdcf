//! DS112 `bundle-without-dev`.

use super::run::{self, RunForm};
use super::{Checker, Rule};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::syntax::Bias;
use crate::syntax::shell::Connector;

pub static RULE: Rule = Rule {
    code: "DS112",
    name: "bundle-without-dev",
    summary: "`bundle install` in the final stage installs the development and test groups",
    fix_safety: "unsafe",
    doc: r#"## What it does
Adds `bundle config set without 'development test' &&` before `bundle install`
in the final stage, unless the groups are already excluded (`BUNDLE_WITHOUT`
in an ENV or ARG, `--without`, or an earlier `bundle config … without`).

## Why
Development and test gems (debuggers, test frameworks, linters) have no place
in a production image: they add size, build time and attack surface.

## Example
```dockerfile
RUN bundle install
```
becomes
```dockerfile
RUN bundle config set without 'development test' && bundle install
```

## Fix safety
Unsafe: a later step of the final stage (asset compilation, tests) may need
a gem from those groups. Builder stages are not touched. The setting is only
added where the install is a top-level command joined with `&&`, so it runs
exactly when the install would.
"#,
    check,
};

const SETTING: &str = "bundle config set without 'development test' && ";

fn check(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    let Some(last) = checker.stages.len().checked_sub(1) else {
        return;
    };
    let mut configured = false;
    for view in checker.runs.iter().filter(|v| v.stage == last) {
        let Some(script) = view.script() else {
            continue;
        };
        if run::env_defined(&checker.model, view.instruction, "BUNDLE_WITHOUT") {
            return;
        }
        for command in &script.commands {
            let words = run::effective_words(command);
            if run::program(words) != Some("bundle") {
                continue;
            }
            let literals: Vec<&str> = words[1..]
                .iter()
                .filter_map(|w| w.literal.as_deref())
                .collect();
            match literals.first().copied() {
                Some("config")
                    if literals
                        .iter()
                        .any(|w| *w == "without" || w.starts_with("--without")) =>
                {
                    configured = true;
                }
                Some("install")
                    if !configured && !literals.iter().any(|w| w.starts_with("--without")) =>
                {
                    let mut diagnostic = Diagnostic::new(
                        &RULE,
                        view.instruction.source_range(command.range),
                        "`bundle install` in the final stage installs the development and test groups",
                    );
                    let top_level = !command.nested
                        && matches!(command.connector, Connector::Start | Connector::And);
                    let fix = match view.form {
                        RunForm::Shell(_) if top_level => {
                            let at = view
                                .instruction
                                .logical
                                .to_source(command.range.start, Bias::Right);
                            Fix::new(vec![Edit::insert(at, SETTING)], Applicability::Unsafe)
                        }
                        _ => {
                            diagnostic.message.push_str(" (not fixed automatically: the install is not a top-level `&&` command)");
                            Fix::display_only()
                        }
                    };
                    out.push(diagnostic.with_fix(fix));
                }
                _ => {}
            }
        }
    }
}
