//! Rules that insert a flag after an install subcommand: DS103 (assume yes),
//! DS104 (`--no-install-recommends`), DS106 (`apk add --no-cache`), DS107
//! (`pip install --no-cache-dir`), DS110 (`gem install --no-document`), DS111
//! (`composer install --no-dev`). The flags, what counts as already present
//! and when a flag is not needed are data in
//! `transforms/package-managers.yaml`; a flag edit is local to one command,
//! so it is exact whatever the shape of the chain around it.

use super::packages::{self, ManagerCommand};
use super::run::{self, RunForm};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{Checker, Rule};
use crate::transforms::{FlagSpec, Manager};

/// Where the files a flag keeps out of the layer would live, for the flags
/// whose only effect is the image's size: the manager's cache, or for
/// `--no-install-recommends` and `--no-document` the system folders the
/// packages and documents go to. `None` for flags that change how the
/// build runs (`-y`) or what it installs (`--no-dev`).
fn effect_paths<'m>(rule: &Rule, manager: &'m Manager) -> Option<Vec<&'m str>> {
    match rule.code {
        "DS106" | "DS107" => Some(manager.cache_dirs.iter().map(String::as_str).collect()),
        "DS104" => Some(vec!["/usr", "/etc", "/lib", "/var", "/bin", "/sbin"]),
        "DS110" => Some(vec!["/usr", "/var/lib/gems", "/root"]),
        _ => None,
    }
}

fn present(spec: &FlagSpec, command: &ManagerCommand<'_>) -> bool {
    let before_subcommand = command.subcommand.unwrap_or(command.words.len());
    command.words[1..].iter().enumerate().any(|(i, word)| {
        let Some(w) = word.literal.as_deref() else {
            return false;
        };
        let is_global = i + 1 < before_subcommand && spec.global.iter().any(|g| g == w);
        let long = spec
            .present
            .long
            .iter()
            .any(|l| l == w || w.starts_with(&format!("{l}=")));
        let short = spec.present.short.is_some_and(|letter| {
            w.starts_with('-') && !w.starts_with("--") && w[1..].contains(letter)
        });
        is_global || long || short
    })
}

pub(crate) fn check(
    checker: &Checker<'_>,
    rule: &'static Rule,
    applicability: Applicability,
    out: &mut Vec<Diagnostic>,
) {
    for view in &checker.runs {
        let Some(script) = view.script() else {
            continue;
        };
        for manager in &checker.managers.managers {
            for spec in manager.flags.iter().filter(|f| f.rule.value == rule.code) {
                if spec.final_stage_only && !checker.is_final_stage(view.stage) {
                    continue;
                }
                // No fix without an effect: a flag that only keeps files out
                // of the layer is not offered where the layer does not ship.
                if let Some(paths) = effect_paths(rule, manager)
                    && !checker.model.ships_any(view.stage, &paths)
                {
                    continue;
                }
                // With the cache-mounts profile the cache goes into a mount (DS114).
                if spec.avoids_cache
                    && (view.has_cache_mount(&manager.cache_dirs)
                        || crate::rules::cache_mount::covers(checker, view, manager))
                {
                    continue;
                }
                if spec
                    .unless_env
                    .as_deref()
                    .is_some_and(|env| run::env_defined(&checker.model, view.instruction, env))
                {
                    continue;
                }
                let mut first = true;
                for command in &script.commands {
                    let Some(found) = packages::install(manager, command) else {
                        continue;
                    };
                    if present(spec, &found) {
                        // The flag is there; what it makes unnecessary may not be gone yet.
                        // Asked once per RUN, not per install: the scan is linear in the RUN.
                        let removals = if first {
                            redundant_removals(checker, view, manager)
                        } else {
                            Vec::new()
                        };
                        if !removals.is_empty() {
                            out.push(
                                Diagnostic::new(
                                    rule,
                                    view.instruction.source_range(command.range),
                                    format!(
                                        "with `{}`, the {} cache commands in this RUN are unnecessary",
                                        spec.insert.value, manager.name.value
                                    ),
                                )
                                .with_fix(Fix::new(removals, applicability)),
                            );
                        }
                        first = false;
                        continue;
                    }
                    let verb = &found.words[found.verb];
                    let shown = found.words[..=found.verb]
                        .iter()
                        .filter_map(|w| w.literal.as_deref())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let mut diagnostic = Diagnostic::new(
                        rule,
                        match view.form {
                            RunForm::Shell(_) => view.instruction.source_range(command.range),
                            _ => view.instruction.range,
                        },
                        format!("`{shown}` without `{}`", spec.insert.value),
                    );
                    let edit = match view.form {
                        RunForm::Shell(_) => run::insert_after_word(
                            view.instruction,
                            verb,
                            &format!(" {}", spec.insert.value),
                        ),
                        _ => None,
                    };
                    let Some(edit) = edit else {
                        diagnostic
                            .message
                            .push_str(" (not fixed automatically: the script is a heredoc)");
                        out.push(diagnostic.with_fix(Fix::display_only()));
                        continue;
                    };
                    let mut edits = vec![edit];
                    if first {
                        edits.extend(redundant_removals(checker, view, manager));
                        first = false;
                    }
                    out.push(diagnostic.with_fix(Fix::new(edits, applicability)));
                }
            }
        }
    }
}

/// Removals of commands the flag makes unnecessary (`apk update`,
/// `rm -rf /var/cache/apk/*`), when each can be removed exactly.
fn redundant_removals(
    checker: &Checker<'_>,
    view: &run::RunView<'_>,
    manager: &Manager,
) -> Vec<Edit> {
    let Some(script) = view.editable() else {
        return Vec::new();
    };
    let mut edits = Vec::new();
    for (k, command) in script.commands.iter().enumerate() {
        let redundant = manager.redundant_with.iter().any(|p| {
            packages::pattern_matches(p, command)
                && p.path.as_deref().is_none_or(|path| {
                    // Only when everything it removes is under the cache path.
                    run::effective_words(command)[1..]
                        .iter()
                        .filter_map(|w| w.literal.as_deref())
                        .filter(|w| !w.starts_with('-'))
                        .all(|w| w.starts_with(path))
                })
        });
        if !redundant || script.statements.get(k) != Some(&command.range) {
            continue;
        }
        // An update that a later RUN installs from is not redundant there:
        // deleting it would leave that install without lists.
        let run = checker
            .runs
            .iter()
            .position(|v| std::ptr::eq(v, view))
            .expect("a RUN of the checker");
        let is_update = packages::is_update(manager, command);
        if is_update
            && checker
                .model
                .lists_consumers(run, &manager.name.value)
                .iter()
                .any(|u| u.run != run)
        {
            continue;
        }
        if let Some(edit) = run::remove_statement(checker.document, view.instruction, script, k) {
            edits.push(edit);
        }
    }
    // Two removals that touch (adjacent commands) would overlap; keep the first.
    edits.sort_by_key(|e| e.range.start);
    let mut kept: Vec<Edit> = Vec::new();
    for edit in edits {
        if kept
            .last()
            .is_none_or(|last| last.range.end < edit.range.start)
        {
            kept.push(edit);
        }
    }
    kept
}
