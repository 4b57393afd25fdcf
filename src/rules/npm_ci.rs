//! DS109 `npm-ci`.

use super::packages;
use super::run::RunForm;
use super::{Checker, Rule};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    code: "DS109",
    name: "npm-ci",
    summary: "`npm install` where a lockfile is in the build context: `npm ci` installs exactly it",
    fix_safety: "unsafe",
    doc: r#"## What it does
Replaces `npm install` (or `npm i`) without package names by `npm ci`, when
the build context has `package-lock.json` or `npm-shrinkwrap.json` and the
stage copies it into the image before the RUN.

## Why
`npm install` may resolve newer versions than the lockfile names and rewrite
it; `npm ci` installs exactly the locked tree, fails when the lockfile and
`package.json` disagree, and is faster. Builds become reproducible.

## Example
```dockerfile
COPY package.json package-lock.json ./
RUN npm install
```
becomes
```dockerfile
COPY package.json package-lock.json ./
RUN npm ci
```

## Fix safety
Unsafe: `npm ci` deletes an existing `node_modules` first and refuses a
lockfile that is out of date with `package.json`, so a build that worked may
now fail until the lockfile is regenerated. Without a readable build context
there is no finding.
"#,
    check,
};

const LOCKFILES: [&str; 2] = ["package-lock.json", "npm-shrinkwrap.json"];

/// A COPY/ADD source that brings the lockfile along.
fn copies_lockfile(source: &str) -> bool {
    let source = source.trim_start_matches("./");
    source.is_empty()
        || source == "."
        || LOCKFILES.contains(&source)
        || ["package*.json", "*.json", "package-*.json", "*"].contains(&source)
}

fn check(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    let Some(lockfile) = LOCKFILES
        .iter()
        .find(|f| checker.context.has(f) == Some(true))
    else {
        return;
    };
    let Some(npm) = checker
        .managers
        .managers
        .iter()
        .find(|m| m.name.value == "npm")
    else {
        return;
    };
    for view in &checker.runs {
        let RunForm::Shell(script) = &view.form else {
            continue;
        };
        let stage = &checker.stages[view.stage];
        let copied = stage
            .instructions
            .iter()
            .take_while(|i| i.range.start < view.instruction.range.start)
            .filter(|i| {
                matches!(i.keyword(), Keyword::Copy | Keyword::Add) && i.flag("from").is_none()
            })
            .any(|i| {
                let words = i.words();
                words.len() >= 2
                    && words[..words.len() - 1]
                        .iter()
                        .any(|w| copies_lockfile(i.text(*w)))
            });
        if !copied {
            continue;
        }
        for command in &script.commands {
            let Some(found) = packages::install(npm, command) else {
                continue;
            };
            let Some(sub) = found.subcommand else {
                continue;
            };
            let is_install = matches!(found.subcommand_name(), Some("install" | "i"));
            let names_packages = found.words[sub + 1..]
                .iter()
                .any(|w| w.literal.as_deref().is_none_or(|l| !l.starts_with('-')));
            if !is_install || names_packages {
                continue;
            }
            let word = &found.words[sub];
            if !view.instruction.logical.is_contiguous(word.range) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    view.instruction.source_range(command.range),
                    format!("`npm {}` with `{lockfile}` in the build context: `npm ci` installs exactly the locked versions", found.subcommand_name().unwrap_or_default()),
                )
                .with_fix(Fix::new(
                    vec![Edit::replace(view.instruction.source_range(word.range), "ci")],
                    Applicability::Unsafe,
                )),
            );
        }
    }
}
