//! Rules that append a manager's cleanup to the RUN that installs, so its
//! caches never reach the layer: DS101 (apt lists), DS105 (yum, dnf,
//! microdnf, zypper, composer caches), DS108 (npm, yarn, pnpm caches).
//! Which manager belongs to which rule, the command and what counts as
//! already clean are data in `transforms/package-managers.yaml`.

use super::run::{self, RunForm};
use super::{Checker, Rule, merge, packages};
use crate::fix::{Applicability, Diagnostic, Fix};
use crate::transforms::Manager;

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
Safe: the installed packages are the same. It is unsafe when a later RUN of
the same stage (or of a stage built on it) runs `apt-get install` without its
own `apt-get update`, since that RUN relies on the lists. The cleanup goes
after the last statement with `&&`, which keeps the RUN's exit status
whatever comes before (`||`, `;`, pipes, `if`, subshells). In a heredoc, or
shell text that does not parse cleanly, dockslim only reports.
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

/// DS102 merges this RUN with a neighbour in this round: the cleanup goes
/// to the merged RUN in the next round. A RUN that stays on its own ships
/// its lists in its own layer, so it gets its own finding.
fn merges_first(checker: &Checker<'_>, i: usize, manager: &Manager) -> bool {
    let runs = &checker.runs;
    (i > 0 && merge::will_merge(checker, &runs[i - 1], &runs[i], manager))
        || (i + 1 < runs.len() && merge::will_merge(checker, &runs[i], &runs[i + 1], manager))
}

/// A later RUN that can see this stage's files installs with `manager`
/// without refreshing its lists first.
fn later_install_relies_on_lists(checker: &Checker<'_>, i: usize, manager: &Manager) -> bool {
    let view = &checker.runs[i];
    let name = checker.stages[view.stage]
        .name()
        .map(str::to_ascii_lowercase);
    let inherits = |stage: usize| {
        stage == view.stage
            || name.as_deref().is_some_and(|n| {
                checker.stages[stage]
                    .image()
                    .is_some_and(|img| img.text.eq_ignore_ascii_case(n))
            })
    };
    checker.runs[i + 1..]
        .iter()
        .filter(|later| inherits(later.stage))
        .filter_map(|later| later.script())
        .any(|script| {
            for command in &script.commands {
                if packages::is_update(manager, command) {
                    return false;
                }
                if packages::install(manager, command).is_some() {
                    return true;
                }
            }
            false
        })
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
            if merges_first(checker, i, manager) {
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
            let Some(edit) = view.editable().and_then(|script| {
                run::append_to_chain(
                    checker.document,
                    view.instruction,
                    script,
                    &cleanup.command.value,
                )
            }) else {
                let why = match view.form {
                    RunForm::Heredoc(_) => "the script is a heredoc",
                    _ => "the shell text does not parse cleanly or ends in `&`",
                };
                diagnostic
                    .message
                    .push_str(&format!(" (not fixed automatically: {why})"));
                out.push(diagnostic.with_fix(Fix::display_only()));
                continue;
            };
            let mut applicability = Applicability::Safe;
            if cleanup.breaks_later_installs && later_install_relies_on_lists(checker, i, manager) {
                applicability = Applicability::Unsafe;
                diagnostic
                    .message
                    .push_str(" (a later RUN installs without refreshing the lists: it would need its own update)");
            }
            out.push(diagnostic.with_fix(Fix::new(vec![edit], applicability)));
        }
    }
}
