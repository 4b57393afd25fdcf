//! Rules that append a manager's cleanup to the RUN that installs, so its
//! caches never reach the layer: DS101 (apt lists), DS105 (yum, dnf,
//! microdnf, zypper, composer caches), DS108 (npm, yarn, pnpm caches).
//! Which manager belongs to which rule, the command and what counts as
//! already clean are data in `transforms/package-managers.yaml`.

use super::run::{self, RunForm};
use super::{merge_runs as merge, packages};
use crate::fix::{Applicability, Diagnostic, Fix};
use crate::rules::{Checker, Rule};
use crate::semantic::{Action, ListsFrom};
use crate::transforms::{Cleanup, Manager};

/// How a cleanup of RUN `i` would take effect, worked out from the
/// model's package lists and install groups.
enum Plan {
    /// Append the cleanup to RUN `at` (after merging `merge` into one RUN),
    /// and give each later RUN in `refresh` its own list update.
    Apply {
        at: usize,
        merge: Vec<crate::fix::Edit>,
        refresh: Vec<usize>,
        stuck: Option<&'static str>,
    },
    /// Nothing to offer, with the reason to report (or none: silent).
    Skip(Option<String>),
}

fn plan(checker: &Checker<'_>, i: usize, manager: &Manager, cleanup: &Cleanup) -> Plan {
    let model = &checker.model;
    let group = merge::install_group(checker, i, manager);
    let merged = if group.len() > 1 {
        merge::merge_group(checker, &group)
    } else {
        None
    };
    let members: Vec<usize> = if merged.is_some() {
        group.clone()
    } else {
        vec![i]
    };
    let last = *members.last().expect("a group has a RUN");
    if merged.is_some() {
        // One finding for the group, on its last install.
        let installs_later = members.iter().any(|&r| {
            r > i
                && model
                    .lists
                    .iter()
                    .any(|u| u.run == r && u.manager == manager.name.value)
        });
        let cleaned = members.iter().any(|&r| {
            checker.runs[r].script().is_some_and(|s| {
                s.commands.iter().any(|c| {
                    cleanup
                        .done_by
                        .iter()
                        .any(|p| packages::pattern_matches(p, c))
                })
            })
        });
        // A cleanup already in the group takes effect once DS102 merges it.
        if installs_later || cleaned {
            return Plan::Skip(None);
        }
    }
    if !cleanup.breaks_later_installs {
        return Plan::Apply {
            at: last,
            merge: merged.unwrap_or_default(),
            refresh: Vec::new(),
            stuck: None,
        };
    }
    // The lists: the cleanup only shrinks the image in the layer that
    // downloaded them.
    let refreshes_here = members.iter().any(|&r| {
        model.runs[r].commands.iter().any(
            |c| matches!(&c.action, Action::ListsUpdate { manager: m } if *m == manager.name.value),
        )
    });
    if !refreshes_here {
        let from = model
            .lists
            .iter()
            .find(|u| u.run == i && u.manager == manager.name.value)
            .map(|u| u.from);
        return Plan::Skip(match from {
            Some(ListsFrom::Run(r)) => Some(format!(
                "the lists come from the update on line {}, in an earlier layer, where a cleanup here cannot remove them: the update belongs in this RUN",
                checker.runs[r].instruction.start_line
            )),
            _ => None,
        });
    }
    // Later RUNs that install from these lists need their own update.
    let mut refresh = Vec::new();
    let mut stuck = None;
    for r in &members {
        for consumer in model.lists_consumers(*r, &manager.name.value) {
            if members.contains(&consumer.run) || refresh.contains(&consumer.run) {
                continue;
            }
            let later = &checker.runs[consumer.run];
            if later.editable().is_some_and(|s| s.is_simple_chain()) {
                refresh.push(consumer.run);
            } else {
                stuck = Some(
                    "a later RUN installs from these lists and cannot be given its own update",
                );
            }
        }
    }
    Plan::Apply {
        at: last,
        merge: merged.unwrap_or_default(),
        refresh,
        stuck,
    }
}

pub(crate) fn check(checker: &Checker<'_>, rule: &'static Rule, out: &mut Vec<Diagnostic>) {
    for (i, view) in checker.runs.iter().enumerate() {
        let Some(script) = view.script() else {
            continue;
        };
        for manager in &checker.managers.managers {
            let Some(cleanup) = manager
                .cleanup
                .as_ref()
                .filter(|c| c.rule.value == rule.code)
            else {
                continue;
            };
            if cleanup.final_stage_only && !checker.is_final_stage(view.stage) {
                continue;
            }
            // No fix without an effect: caches of a stage whose files never
            // reach the final image cost nothing.
            let paths: Vec<&str> = manager.cache_dirs.iter().map(String::as_str).collect();
            if !paths.is_empty() && !checker.model.ships_any(view.stage, &paths) {
                continue;
            }
            let Some(install) = script
                .commands
                .iter()
                .find(|c| packages::install(manager, c).is_some())
            else {
                continue;
            };
            let cleaned = |commands: &[crate::syntax::shell::SimpleCommand]| {
                commands.iter().any(|c| {
                    cleanup
                        .done_by
                        .iter()
                        .any(|p| packages::pattern_matches(p, c))
                })
            };
            // With the cache-mounts profile the cache goes into a mount (DS114).
            if cleaned(&script.commands)
                || view.has_cache_mount(&manager.cache_dirs)
                || crate::rules::cache_mount::covers(checker, view, manager)
            {
                continue;
            }
            let program = packages::install(manager, install)
                .map(|m| {
                    let sub = m.subcommand_name().unwrap_or_default();
                    format!("{} {sub}", run::program(m.words).unwrap_or_default())
                })
                .unwrap_or_default();
            let mut diagnostic = Diagnostic::new(
                rule,
                match view.form {
                    RunForm::Shell(_) => view.instruction.source_range(install.range),
                    _ => view.instruction.range,
                },
                format!(
                    "`{}` without `{}` in the same RUN: what it downloads stays in this layer",
                    program.trim(),
                    cleanup.command.value
                ),
            );
            let (at, merge, refresh, stuck) = match plan(checker, i, manager, cleanup) {
                Plan::Skip(None) => continue,
                Plan::Skip(Some(why)) => {
                    diagnostic.message = format!(
                        "`{}` in a RUN that does not refresh its lists: {why}",
                        program.trim()
                    );
                    out.push(diagnostic.with_fix(Fix::display_only()));
                    continue;
                }
                Plan::Apply {
                    at,
                    merge,
                    refresh,
                    stuck,
                } => (at, merge, refresh, stuck),
            };
            let target = &checker.runs[at];
            let Some(edit) = target.editable().and_then(|script| {
                run::append_to_chain(
                    checker.document,
                    target.instruction,
                    script,
                    &cleanup.command.value,
                )
            }) else {
                let why = match target.form {
                    RunForm::Heredoc(_) => "the script is a heredoc",
                    _ => "the shell text does not parse cleanly or ends in `&`",
                };
                diagnostic
                    .message
                    .push_str(&format!(" (not fixed automatically: {why})"));
                out.push(diagnostic.with_fix(Fix::display_only()));
                continue;
            };
            if let Some(why) = stuck {
                diagnostic
                    .message
                    .push_str(&format!(" (not fixed automatically: {why})"));
                out.push(diagnostic.with_fix(Fix::display_only()));
                continue;
            }
            let mut edits = merge;
            edits.push(edit);
            let mut applicability = Applicability::Safe;
            if !refresh.is_empty() {
                // The later installs keep working: each refreshes the lists
                // itself, which changes their text (and so the cache).
                applicability = Applicability::Unsafe;
                let update = manager
                    .update
                    .first()
                    .map(|u| format!("{} {u}", manager.programs[0]))
                    .unwrap_or_default();
                for r in &refresh {
                    let later = &checker.runs[*r];
                    let script = later.editable().expect("checked in plan");
                    let first = script.statements[0].start;
                    let at = later
                        .instruction
                        .logical
                        .to_source(first, crate::syntax::Bias::Right);
                    edits.push(crate::fix::Edit::insert(at, format!("{update} && ")));
                }
                let lines: Vec<String> = refresh
                    .iter()
                    .map(|r| checker.runs[*r].instruction.start_line.to_string())
                    .collect();
                diagnostic.message.push_str(&format!(
                    " (the RUN on line {} installs from these lists: it gets its own `{update}`)",
                    lines.join(", ")
                ));
            }
            out.push(diagnostic.with_fix(Fix::new(edits, applicability)));
        }
    }
}
