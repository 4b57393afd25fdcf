//! Rules that append a manager's cleanup to the RUN that installs, so its
//! caches never reach the layer: DS101 (apt lists), DS105 (yum, dnf,
//! microdnf, zypper, composer caches), DS108 (npm, yarn, pnpm caches).
//! Which manager belongs to which rule, the command and what counts as
//! already clean are data in `transforms/package-managers.yaml`.

use super::run::{self, RunForm};
use super::{Checker, Rule, merge, packages};
use crate::fix::{Applicability, Diagnostic, Fix};
use crate::semantic::{Action, ListsFrom};
use crate::transforms::{Cleanup, Manager};

pub static APT_LISTS: Rule = Rule {
    code: "DS101",
    name: "apt-lists-cleanup",
    summary: "`apt-get install` without removing /var/lib/apt/lists in the same RUN",
    fix_safety: "safe; unsafe when a later RUN installs without `apt-get update`",
    doc: r#"## What it does
Finds RUN instructions that install Debian packages with `apt-get install`
(or `apt install`) but do not remove `/var/lib/apt/lists/*` in the same RUN,
and appends `&& rm -rf /var/lib/apt/lists/*` to the command chain. When the
install is split over consecutive RUNs, the cleanup goes to the last of them
(DS102 merges them). `apt-get clean` is redundant on Debian and Ubuntu images
but harmless, and is left alone.

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
Safe: the installed packages are the same. When a later RUN of the same
stage (or of a stage built on it) installs from these lists without its own
`apt-get update`, the fix also puts `apt-get update &&` in front of that
RUN, and is unsafe (that RUN's text, and so its cache, changes). A RUN that
installs from lists an earlier RUN downloaded gets no cleanup: the lists
live in that earlier layer, and deleting them later saves nothing (it is
reported when the update is in the Dockerfile). Neither is a stage whose
files never reach the final image. The cleanup goes after the last
statement with `&&`, which keeps the RUN's exit status whatever comes
before (`||`, `;`, pipes, `if`, subshells). In a heredoc, or shell text
that does not parse cleanly, dockslim only reports.
"#,
    check: |checker, out| check(checker, &APT_LISTS, out),
};

pub static PACKAGE_CACHE: Rule = Rule {
    code: "DS105",
    name: "package-cache-cleanup",
    summary: "yum, dnf, microdnf, zypper or composer installs without cleaning the cache in the same RUN",
    fix_safety: "safe",
    doc: r#"## What it does
Finds RUN instructions that install with `yum`, `dnf`, `microdnf`, `zypper` or
`composer` without cleaning that manager's cache in the same RUN, and appends
the cleanup: `yum clean all && rm -rf /var/cache/yum`, `dnf clean all`,
`microdnf clean all`, `zypper clean --all`, `composer clear-cache`.

## Why
These managers keep downloaded metadata and packages in `/var/cache`; a file
deleted in a later layer still ships in the earlier one. hadolint reports the
same as DL3032, DL3040 and DL3036.

## Example
```dockerfile
RUN yum -y install httpd
```
becomes
```dockerfile
RUN yum -y install httpd && yum clean all && rm -rf /var/cache/yum
```

## Fix safety
Safe: only caches are removed; a later install downloads metadata again.
In a heredoc, or shell text that does not parse cleanly, dockslim only
reports.
"#,
    check: |checker, out| check(checker, &PACKAGE_CACHE, out),
};

pub static JS_CACHE: Rule = Rule {
    code: "DS108",
    name: "js-cache-clean",
    summary: "npm, yarn or pnpm installs in the final stage without cleaning their cache",
    fix_safety: "safe",
    doc: r#"## What it does
Finds RUN instructions of the final stage that install with `npm`, `yarn` or
`pnpm` without cleaning the package cache in the same RUN, and appends
`npm cache clean --force`, `yarn cache clean` or `pnpm store prune`.

## Why
The package managers keep a copy of every downloaded package in their cache
(`~/.npm`, yarn's cache folder, the pnpm store), often as large as
`node_modules` itself. In a builder stage it does not ship, so only the final
stage is checked. hadolint reports yarn's case as DL3060.

## Example
```dockerfile
RUN yarn install --frozen-lockfile
```
becomes
```dockerfile
RUN yarn install --frozen-lockfile && yarn cache clean
```

## Fix safety
Safe: only the cache is removed. A cache mount over the cache directory means
it is not in the layer, and there is no finding.
"#,
    check: |checker, out| check(checker, &JS_CACHE, out),
};

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

fn check(checker: &Checker<'_>, rule: &'static Rule, out: &mut Vec<Diagnostic>) {
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
                || super::cache_mounts::covers(checker, view, manager)
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
