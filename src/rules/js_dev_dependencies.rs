//! DS302 `js-dev-dependencies`: the final stage of a Node.js image that has
//! no build step, or a stage whose node_modules it copies, installs
//! `devDependencies` the app never uses. (With a build step in a single
//! stage, DS301 splits the file instead.)

use super::packages;
use super::run::{self, RunForm};
use super::{Checker, Rule};
use crate::fix::{Applicability, Diagnostic, Fix};
use crate::rules::multi_stage_split::{js_build, node_entry};
use crate::rules::shared::final_stage::{copies_from, stage_named};
use crate::syntax::shell::SimpleCommand;
use crate::syntax::{ImageRef, Instruction, Stage};

pub static RULE: Rule = Rule {
    code: "DS302",
    name: "js-dev-dependencies",
    summary: "the image that ships gets the devDependencies of a Node.js app that has no build step",
    fix_safety: "unsafe",
    doc: r#"## What it does
Adds `--omit=dev` to `npm ci` / `npm install` (`--production` for npm 6 and
Yarn 1, `--prod` for pnpm) in the final stage, when `package.json` in the
build context lists `devDependencies`, nothing in the stage builds or runs
tests after the install, and the container starts `node FILE` (directly,
or through a `start` script that does). The same for a stage the final
stage builds on (`FROM deps`) or whose `node_modules` it copies (`COPY
--from=deps /app/node_modules …`), when no other stage uses it and the
final stage runs no npm, npx, yarn, pnpm or node step of its own.

## Why
Test runners, linters, compilers and their dependencies often outweigh the
app's own dependencies, and every one of them ships in the image and is
scanned, patched and exposed with it.

## Example
```dockerfile
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "server.js"]
```
becomes
```dockerfile
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]
```

## Fix safety
Unsafe: an app that `require`s a package listed under `devDependencies` at
run time fails to start. Reported without a fix when a later step runs
`npm`, `npx`, `yarn`, `pnpm` or `node` (it may need the dev tools), when the
start script runs something other than `node`, or for Yarn 2+ (which has no
`--production`). No finding when `NODE_ENV=production` is set before the
install (npm and Yarn then leave dev dependencies out already) or the build
context is unknown.
"#,
    check,
};

/// The Node.js major version of a `node:TAG` image, when the tag starts
/// with one.
pub(super) fn node_major(image: &ImageRef) -> Option<u32> {
    (image.canonical_name() == "node")
        .then(|| image.tag_major())
        .flatten()
}

/// The production-only flag each manager understands, by npm's major
/// version where it matters.
pub(super) fn production_flag(manager: &str, node_major: Option<u32>) -> &'static str {
    match manager {
        "yarn" => "--production",
        "pnpm" => "--prod",
        // npm 7 (Node.js 15) introduced `--omit`; older npm has `--production`.
        _ if node_major.is_some_and(|m| m < 15) => "--production",
        _ => "--omit=dev",
    }
}

const ALREADY: [&str; 7] = [
    "--omit=dev",
    "--production",
    "--only=prod",
    "--only=production",
    "--prod",
    "-P",
    "--omit",
];

/// `NODE_ENV=production` is set for the install (an ENV or ARG before it,
/// or an assignment on the command): npm and Yarn leave dev dependencies out.
fn production_env(checker: &Checker<'_>, run: &Instruction, command: &SimpleCommand) -> bool {
    let production = |text: &str| {
        text.contains("NODE_ENV=production")
            || text.contains("NODE_ENV=\"production\"")
            || text.trim_start().starts_with("NODE_ENV production")
    };
    // The model's environment: ENV and ARG of the stage and the stages it
    // is built on.
    let from_env = checker.model.env_before(run).is_some_and(|env| {
        env.var("NODE_ENV")
            .is_some_and(|v| v.as_deref() == Some("production"))
    });
    from_env || command.assignments.iter().any(|a| production(run.text(*a)))
}

fn check(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    let Some(package) = checker
        .context
        .text("package.json")
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
    else {
        return;
    };
    let dev: Vec<&str> = package["devDependencies"]
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    if dev.is_empty() {
        return;
    }
    let last = checker.stages.last().expect("a final stage");
    check_stage(checker, last, None, &dev, out);
    // Stages the final stage builds on or copies node_modules from ship
    // their installs too.
    let mut sources: Vec<(usize, String)> = Vec::new();
    if let Some(image) = last.image()
        && let Some(source) = stage_named(&checker.stages, &image.text, last.index)
    {
        sources.push((source.index, image.text.clone()));
    }
    for (instruction, from, words) in copies_from(last) {
        // The app folder of the source stage (its last WORKDIR) holds the
        // node_modules its installs write: copying that folder or one
        // above it copies them too (DS301's split without a build step).
        let app = stage_named(&checker.stages, from, last.index)
            .and_then(|s| checker.model.env_at_end(s.index).workdir.clone())
            .filter(|w| w != "/");
        let copies_modules = words.len() >= 2
            && words[..words.len() - 1].iter().any(|w| {
                let path = instruction.text(*w).trim_end_matches('/');
                path.ends_with("node_modules")
                    || app.as_deref().is_some_and(|app| {
                        !path.is_empty() && (app == path || app.starts_with(&format!("{path}/")))
                    })
            });
        if let (true, Some(source)) = (
            copies_modules,
            stage_named(&checker.stages, from, last.index),
        ) && !sources.iter().any(|(i, _)| *i == source.index)
        {
            sources.push((source.index, from.to_owned()));
        }
    }
    for (index, name) in sources {
        check_stage(checker, &checker.stages[index], Some(&name), &dev, out);
    }
}

/// The text of a command that may use the dev tools (npm, npx, yarn, pnpm
/// or node, other than cache and prune subcommands).
fn uses_js_tools(command: &SimpleCommand) -> Option<String> {
    let program = run::program(run::effective_words(command))?;
    let words: Vec<&str> = run::effective_words(command)
        .iter()
        .filter_map(|w| w.literal.as_deref())
        .collect();
    let harmless = matches!(words.get(1), Some(&"cache" | &"prune"));
    (["npm", "npx", "yarn", "pnpm", "node"].contains(&program) && !harmless)
        .then(|| words.join(" "))
}

/// How many instructions of other stages than the final one use `stage`
/// (`FROM stage`, `COPY --from=stage`).
fn other_uses(checker: &Checker<'_>, stage: &Stage<'_>) -> usize {
    let last = checker.stages.len() - 1;
    checker.stages[..last]
        .iter()
        .filter(|s| s.index != stage.index)
        .map(|s| {
            usize::from(s.image().is_some_and(|i| stage.is_named(&i.text)))
                + copies_from(s)
                    .filter(|(_, from, _)| stage.is_named(from))
                    .count()
        })
        .sum()
}

/// DS302 for the installs of one stage: the final stage (`copied_as` is
/// `None`) or a stage whose node_modules the final stage copies.
fn check_stage(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    copied_as: Option<&str>,
    dev: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    let node_major = stage.image().and_then(|image| node_major(&image));
    let yarn_berry = checker.context.has(".yarnrc.yml") == Some(true);
    // Every command of the stage's RUNs, in order, with its RUN.
    let commands: Vec<_> = checker
        .runs
        .iter()
        .filter(|v| v.stage == stage.index)
        .filter_map(|v| v.script().map(|s| (v, s)))
        .flat_map(|(v, s)| s.commands.iter().filter(|c| !c.nested).map(move |c| (v, c)))
        .collect();
    if commands.iter().any(|(_, c)| js_build(c)) {
        return;
    }
    for (k, (view, command)) in commands.iter().enumerate() {
        let Some((manager, found)) = checker
            .managers
            .managers
            .iter()
            .filter(|m| ["npm", "yarn", "pnpm"].contains(&m.name.value.as_str()))
            .find_map(|m| packages::install(m, command).map(|f| (m.name.value.as_str(), f)))
        else {
            continue;
        };
        let literals: Vec<&str> = found.words[1..]
            .iter()
            .filter_map(|w| w.literal.as_deref())
            .collect();
        let names_packages = found.subcommand.is_some_and(|sub| {
            found.words[sub + 1..]
                .iter()
                .any(|w| w.literal.as_deref().is_none_or(|l| !l.starts_with('-')))
        });
        let global = literals.iter().any(|w| *w == "-g" || *w == "--global")
            || literals.first() == Some(&"global");
        if names_packages
            || global
            || literals
                .iter()
                .any(|w| ALREADY.iter().any(|a| w.starts_with(a)))
            || production_env(checker, view.instruction, command)
        {
            continue;
        }
        let shown = found.words[..=found.verb]
            .iter()
            .filter_map(|w| w.literal.as_deref())
            .collect::<Vec<_>>()
            .join(" ");
        let mut listed: Vec<&str> = dev.iter().take(3).copied().collect();
        if dev.len() > 3 {
            listed.push("…");
        }
        let count = format!("the {} devDependencies ({})", dev.len(), listed.join(", "));
        let what = match copied_as {
            None => format!("`{shown}` installs {count} into the image that ships"),
            Some(name) => format!(
                "`{shown}` in stage `{name}` installs {count}, and the final stage ships its node_modules"
            ),
        };
        let range = view.instruction.source_range(command.range);
        // A later command that may use the dev tools.
        // (For a stage the final one builds on or copies from, the final
        // stage's own commands come later too.)
        let final_commands = checker
            .runs
            .iter()
            .filter(|v| copied_as.is_some() && v.stage + 1 == checker.stages.len())
            .filter_map(|v| v.script())
            .flat_map(|s| s.commands.iter().filter(|c| !c.nested));
        let later = commands[k + 1..]
            .iter()
            .map(|(_, c)| *c)
            .chain(final_commands)
            .find_map(uses_js_tools);
        let shared = other_uses(checker, stage);
        let why = if copied_as.is_some() && shared > 0 {
            Some(format!(
                "other stages use `{}` too and may need them; install production dependencies in a stage of their own",
                copied_as.unwrap_or_default()
            ))
        } else if let Some(later) = later {
            Some(format!("a later step runs `{later}`, which may need them"))
        } else if yarn_berry && manager == "yarn" {
            Some("Yarn 2+ has no `--production` install".to_owned())
        } else if !matches!(view.form, RunForm::Shell(_)) {
            Some("the script is a heredoc".to_owned())
        } else if let Some((file, package)) = dev_required(checker, dev) {
            Some(format!(
                "`{file}` loads `{package}`, which is a devDependency"
            ))
        } else {
            let last = checker.stages.last().expect("a final stage");
            node_entry(checker, last).err()
        };
        let edit = run::insert_after_word(
            view.instruction,
            &found.words[found.verb],
            &format!(" {}", production_flag(manager, node_major)),
        );
        match (why, edit) {
            (None, Some(edit)) => out.push(
                Diagnostic::new(
                    &RULE,
                    range,
                    format!("{what}: install production dependencies only"),
                )
                .with_fix(Fix::new(vec![edit], Applicability::Unsafe)),
            ),
            (why, _) => out.push(
                Diagnostic::new(
                    &RULE,
                    range,
                    format!(
                        "{what} (not fixed automatically: {})",
                        why.unwrap_or_else(|| "the command is not plain text".to_owned())
                    ),
                )
                .with_fix(Fix::display_only()),
            ),
        }
    }
}

/// A JavaScript source of the build context that loads one of the
/// devDependencies (`require("x")`, `import … from "x"`, `import("x")`, or
/// a subpath `x/…`): the app needs it at run time, whatever package.json
/// says. Only the files the context reader reads are seen (the top level
/// and the folders COPY names), so this can miss one; the fix stays unsafe.
fn dev_required(checker: &Checker<'_>, dev: &[&str]) -> Option<(String, String)> {
    for (path, text) in checker.context.texts() {
        let is_js = [".js", ".mjs", ".cjs", ".ts"]
            .iter()
            .any(|e| path.ends_with(e));
        if !is_js || path.starts_with("node_modules/") || path.contains("/node_modules/") {
            continue;
        }
        for package in dev {
            let loads = ["'", "\""].iter().any(|q| {
                [
                    format!("require({q}{package}{q}"),
                    format!("require({q}{package}/"),
                    format!("from {q}{package}{q}"),
                    format!("from {q}{package}/"),
                    format!("import({q}{package}{q}"),
                    format!("import {q}{package}{q}"),
                ]
                .iter()
                .any(|needle| text.contains(needle.as_str()))
            });
            if loads {
                return Some((path.to_owned(), (*package).to_owned()));
            }
        }
    }
    None
}
