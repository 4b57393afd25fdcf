//! DS114 `cache-mount`: the `cache-mounts` profile. Package and dependency
//! caches go into BuildKit cache mounts instead of being deleted, and the
//! cleanups and flags that the mounts make useless are removed. Which tool
//! uses which directories, what it needs first and what defeats the cache
//! are data in `transforms/package-managers.yaml` (`cache_mounts`). The
//! cleanup and flag rules (DS101, DS105–DS108) ask [`covers`] and stay quiet
//! on what this rule handles, so the two never undo each other.

use super::run::{self, RunForm, RunView};
use super::{Checker, Rule, packages};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::shared::merge_runs as merge;
use crate::syntax::shell::{Script, SimpleCommand};
use crate::syntax::{Bias, Item, Keyword, Stage, TextRange};
use crate::transforms::{CacheMount, Manager, MountTarget};

pub static RULE: Rule = Rule {
    code: "DS114",
    name: "cache-mount",
    summary: "with `--profile cache-mounts`: package caches in BuildKit cache mounts instead of cleanups",
    fix_safety: "safe with `--profile cache-mounts`; display-only otherwise",
    doc: r#"## What it does
With the profile `cache-mounts` (`--profile cache-mounts`, or
`profiles: [cache-mounts]` in `.dockslim.yaml`), adds
`--mount=type=cache,target=…` flags to each RUN that installs with apt, apk,
dnf, yum, pip, npm, yarn, pnpm, Go, Cargo, Maven, Gradle, Composer or
Bundler, over that tool's cache directories, and removes what the mount makes
useless: `rm -rf /var/lib/apt/lists/*`, `apt-get clean`, `pip install
--no-cache-dir`, `npm cache clean --force`, `yarn cache clean`, `apk add
--no-cache` (which becomes `--update`), `dnf clean all`, and any `rm` of a
path under a mounted directory.

- apt gets `/var/cache/apt` and `/var/lib/apt` with `sharing=locked`, and the
  RUN starts with `rm -f /etc/apt/apt.conf.d/docker-clean`: the official
  Debian and Ubuntu images ship that dpkg hook, which deletes every
  downloaded `.deb` after each install and so keeps the cache empty. (Setting
  `Binary::apt::APT::Keep-Downloaded-Packages` instead would only change the
  `apt` program, not `apt-get`, and not the hook.) The removal is done once
  per stage.
- Paths follow the user the RUN runs as: `~` is root's `/root`, the HOME set
  by `ENV HOME=…`, or the home of a user the stage creates with `useradd`
  (or `adduser`) or the image defines (`node`); a non-root user's mount gets
  its `uid=`/`gid=` so that it can write there. Variables that move a cache
  win: `PIP_CACHE_DIR`, `npm_config_cache`, `YARN_CACHE_FOLDER`,
  `GOMODCACHE`, `GOPATH`, `GOCACHE`, `CARGO_HOME`, `GRADLE_USER_HOME`,
  `COMPOSER_CACHE_DIR`, `GEM_HOME`. `PIP_NO_CACHE_DIR` turns pip's cache off:
  no mount.
- A RUN that already has a cache mount for a tool keeps it as it is.

Without the profile, a file that only BuildKit builds anyway (a `# syntax=`
directive, a `--mount` flag, a heredoc) gets the same finding without a fix,
as a suggestion. Cargo's `target/` is not mounted: the binary would have to
be copied out in the same RUN.

## Why
A cache mount keeps the downloads between builds but never in the image, so
the layer is as small as with a cleanup, and an install after a dependency
change fetches only what is new. Deleting the caches instead makes every
such rebuild download everything again.

## Example
```dockerfile
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir -r requirements.txt
```
becomes
```dockerfile
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y curl
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
```

## Fix safety
Safe with the profile: the same packages are installed and the layer holds
no cache. The file then needs BuildKit (Docker 23 and later build with it by
default); the classic builder rejects `--mount`. The image no longer has
the `docker-clean` hook, so an image built on it keeps `.deb` files unless
it cleans up or mounts a cache too. A RUN whose user has no known home or
uid, a heredoc, exec form or shell text that does not parse cleanly is only
reported; cleanups in a RUN that is not a plain `&&` chain stay.
"#,
    check,
};

/// The profile that turns the rule's fixes on.
pub const PROFILE: &str = "cache-mounts";

fn profile_on(checker: &Checker<'_>) -> bool {
    checker.settings.profiles.iter().any(|p| p == PROFILE)
        && checker.settings.rules.is_enabled(&RULE)
}

/// Whether this rule mounts (or has mounted) `manager`'s cache in this RUN,
/// so that the cleanup and flag rules leave it alone.
pub(crate) fn covers(checker: &Checker<'_>, view: &RunView<'_>, manager: &Manager) -> bool {
    if !profile_on(checker) || view.editable().is_none_or(|s| s.has_errors) {
        return false;
    }
    checker
        .managers
        .cache_mounts
        .iter()
        .filter(|m| {
            m.manager
                .as_ref()
                .is_some_and(|n| n.value == manager.name.value)
        })
        .any(|m| {
            matches!(
                plan_tool(checker, view, m),
                Plan::Mount(_) | Plan::Mounted | Plan::Disabled
            )
        })
}

/// The file can only be built with BuildKit.
fn buildkit_only(checker: &Checker<'_>) -> bool {
    checker.document.items().iter().any(|item| match item {
        Item::Directive(d) => d.name.eq_ignore_ascii_case("syntax"),
        Item::Instruction(i) => {
            !i.heredocs.is_empty() || i.command.flags.iter().any(|f| f.name() == "mount")
        }
        _ => false,
    })
}

/// A cache directory, resolved for one RUN.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Resolved {
    path: String,
    sharing: Option<String>,
}

enum Plan {
    /// The RUN does not use the tool.
    Unused,
    /// A cache mount for it is already there.
    Mounted,
    /// The stage turns the tool's cache off.
    Disabled,
    /// Where it cannot tell the directory (and why).
    Unknown(String),
    Mount(Vec<Resolved>),
}

/// Who a RUN runs as.
enum Runner {
    Root,
    User {
        name: String,
        home: Option<String>,
        ids: Option<(u32, Option<u32>)>,
    },
}

impl Runner {
    fn mount_options(&self) -> String {
        match self {
            Runner::User {
                ids: Some((uid, gid)),
                ..
            } => format!(",uid={uid},gid={}", gid.unwrap_or(*uid)),
            _ => String::new(),
        }
    }
}

fn check(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    let fixes = profile_on(checker);
    if !fixes && !buildkit_only(checker) {
        return;
    }
    for (i, view) in checker.runs.iter().enumerate() {
        if view.script().is_none() {
            continue;
        }
        let mut mounts: Vec<(&CacheMount, Vec<Resolved>)> = Vec::new();
        let mut unknown = Vec::new();
        for tool in &checker.managers.cache_mounts {
            match plan_tool(checker, view, tool) {
                Plan::Mount(targets) => mounts.push((tool, targets)),
                Plan::Unknown(why) => unknown.push(format!("{}: {why}", tool.name.value)),
                Plan::Unused | Plan::Mounted | Plan::Disabled => {}
            }
        }
        let range = view
            .instruction
            .source_range(view.instruction.command.keyword_range);
        if !unknown.is_empty() && fixes {
            out.push(
                Diagnostic::new(
                    &RULE,
                    range,
                    format!(
                        "no cache mount: {} (set HOME, or create the user with `useradd -u UID`)",
                        unknown.join("; ")
                    ),
                )
                .with_fix(Fix::display_only()),
            );
        }
        if mounts.is_empty() {
            continue;
        }
        let names: Vec<&str> = mounts.iter().map(|(t, _)| t.name.value.as_str()).collect();
        let mut diagnostic = Diagnostic::new(
            &RULE,
            range,
            format!(
                "{} could keep {} cache in a BuildKit cache mount instead of downloading again on every change",
                names.join(", "),
                if names.len() == 1 { "its" } else { "their" }
            ),
        );
        if !fixes {
            diagnostic
                .message
                .push_str(" (this file builds with BuildKit: `--profile cache-mounts` adds them)");
            out.push(diagnostic.with_fix(Fix::display_only()));
            continue;
        }
        let editable = match &view.form {
            RunForm::Shell(s) if !s.has_errors => Some(s),
            _ => None,
        };
        let Some(script) = editable else {
            let why = match view.form {
                RunForm::Heredoc(_) => "the script is a heredoc",
                _ => "the shell text does not parse cleanly",
            };
            diagnostic
                .message
                .push_str(&format!(" (not fixed automatically: {why})"));
            out.push(diagnostic.with_fix(Fix::display_only()));
            continue;
        };
        // DS102 merges this RUN with a neighbour this round; the merged RUN
        // gets its mounts in the next one.
        if merges_this_round(checker, i) {
            continue;
        }
        let edits = edits(checker, view, script, &mounts);
        out.push(diagnostic.with_fix(Fix::new(edits, Applicability::Safe)));
    }
}

/// The RUN belongs to a group of RUNs of one install that DS102 merges (the
/// same group DS101 reads), whose merged RUN gets its mounts afterwards.
fn merges_this_round(checker: &Checker<'_>, i: usize) -> bool {
    checker.managers.managers.iter().any(|m| {
        let group = merge::install_group(checker, i, m);
        group.len() > 1 && merge::merge_group(checker, &group).is_some()
    })
}

fn manager_of<'m>(checker: &'m Checker<'_>, tool: &CacheMount) -> Option<&'m Manager> {
    let name = tool.manager.as_ref()?;
    checker
        .managers
        .managers
        .iter()
        .find(|m| m.name.value == name.value)
}

/// The commands of `script` that use `tool`'s cache.
fn uses<'s>(
    checker: &Checker<'_>,
    tool: &CacheMount,
    script: &'s Script,
) -> Vec<&'s SimpleCommand> {
    let manager = manager_of(checker, tool);
    script
        .commands
        .iter()
        .filter(|c| match manager {
            Some(m) => packages::install(m, c).is_some() || packages::is_update(m, c),
            None => {
                let words = run::effective_words(c);
                run::program(words).is_some_and(|p| tool.programs.iter().any(|t| t == p))
                    && (tool.subcommands.is_empty()
                        || words[1..]
                            .iter()
                            .filter_map(|w| w.literal.as_deref())
                            .find(|w| !w.starts_with('-'))
                            .is_some_and(|w| tool.subcommands.iter().any(|s| s == w)))
            }
        })
        .collect()
}

fn plan_tool(checker: &Checker<'_>, view: &RunView<'_>, tool: &CacheMount) -> Plan {
    let Some(script) = view.script() else {
        return Plan::Unused;
    };
    if uses(checker, tool, script).is_empty() {
        return Plan::Unused;
    }
    if tool
        .disabled_by_env
        .as_deref()
        .is_some_and(|env| run::env_defined(&checker.model, view.instruction, env))
    {
        return Plan::Disabled;
    }
    let existing = mounted_targets(view);
    let overlaps = |dir: &str| {
        existing
            .iter()
            .any(|m| is_under(dir, m) || is_under(m, dir))
    };
    let manager_dirs = manager_of(checker, tool)
        .map(|m| m.cache_dirs.as_slice())
        .unwrap_or_default();
    if manager_dirs.iter().any(|d| overlaps(d)) {
        return Plan::Mounted;
    }
    let runner = runner(checker, view.stage, view.instruction.range.start);
    let mut resolved = Vec::new();
    for target in &tool.targets {
        match resolve(checker, view, target, &runner) {
            Ok(path) => resolved.push(Resolved {
                path,
                sharing: target.sharing.as_ref().map(|s| s.value.clone()),
            }),
            Err(why) => return Plan::Unknown(why),
        }
    }
    if resolved.iter().any(|r| overlaps(&r.path)) {
        return Plan::Mounted;
    }
    if let Runner::User {
        name, ids: None, ..
    } = &runner
    {
        return Plan::Unknown(format!(
            "the uid of user `{name}` is unknown, and a cache mount is root's unless it names one"
        ));
    }
    Plan::Mount(resolved)
}

/// `path` is `dir` or below it.
fn is_under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn mounted_targets(view: &RunView<'_>) -> Vec<String> {
    view.cache_mount_targets()
}

/// Where a target is for this RUN, or why that is unknown.
fn resolve(
    checker: &Checker<'_>,
    view: &RunView<'_>,
    target: &MountTarget,
    runner: &Runner,
) -> Result<String, String> {
    let stage = &checker.stages[view.stage];
    for spec in &target.env {
        let (name, sub) = spec.split_once('/').unwrap_or((spec, ""));
        match env_value(stage, view.instruction.range.start, name) {
            None => continue,
            Some(Some(value)) if value.starts_with('/') => {
                let base = value.trim_end_matches('/');
                return Ok(if sub.is_empty() {
                    base.to_owned()
                } else {
                    format!("{base}/{sub}")
                });
            }
            Some(_) => return Err(format!("`{name}` is not set to a literal absolute path")),
        }
    }
    let path = &target.path.value;
    let Some(rest) = path.strip_prefix("~/") else {
        return Ok(path.clone());
    };
    let home = match env_value(stage, view.instruction.range.start, "HOME") {
        Some(Some(home)) if home.starts_with('/') => home,
        Some(_) => return Err("`HOME` is not set to a literal absolute path".to_owned()),
        None => match runner {
            Runner::Root => {
                if let Some(root) = &target.root {
                    return Ok(root.clone());
                }
                "/root".to_owned()
            }
            Runner::User {
                home: Some(home), ..
            } => home.clone(),
            Runner::User { name, .. } => {
                return Err(format!("the home of user `{name}` is unknown"));
            }
        },
    };
    Ok(format!("{}/{rest}", home.trim_end_matches('/')))
}

/// The value an ENV of the stage gives `name` before `offset`: `None` when
/// no ENV or ARG sets it, `Some(None)` when the value is not a literal (an
/// ARG, which the build may override, or text with `$`).
fn env_value(stage: &Stage<'_>, offset: usize, name: &str) -> Option<Option<String>> {
    let mut value = None;
    for instruction in stage
        .instructions
        .iter()
        .take_while(|i| i.range.start < offset)
    {
        let keyword = instruction.keyword();
        if !matches!(keyword, Keyword::Env | Keyword::Arg) {
            continue;
        }
        let words = instruction.words();
        let legacy = keyword == Keyword::Env
            && words
                .first()
                .is_some_and(|w| !instruction.text(*w).contains('='));
        if legacy {
            if instruction.text(words[0]) == name {
                let rest = words[1..]
                    .iter()
                    .map(|w| instruction.text(*w))
                    .collect::<Vec<_>>()
                    .join(" ");
                value = Some(literal(&rest));
            }
            continue;
        }
        for word in words {
            let text = instruction.text(word);
            let (key, v) = text.split_once('=').unwrap_or((text, ""));
            if key == name {
                value = Some(if keyword == Keyword::Arg {
                    None
                } else {
                    literal(v)
                });
            }
        }
    }
    value
}

/// A value without quotes, or `None` when it expands something.
fn literal(value: &str) -> Option<String> {
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    (!unquoted.contains(['$', '`', '\\']) && !unquoted.is_empty()).then(|| unquoted.to_owned())
}

/// Who the RUNs of `stage` at `offset` run as: its last USER before, or
/// the user of the stage it is built on, or root.
fn runner(checker: &Checker<'_>, stage_index: usize, offset: usize) -> Runner {
    let stage = &checker.stages[stage_index];
    let user = stage
        .instructions
        .iter()
        .take_while(|i| i.range.start < offset)
        .filter(|i| i.keyword() == Keyword::User)
        .last()
        .map(|i| i.args_text().trim().to_owned());
    let Some(user) = user else {
        // `FROM build`: the user of that stage, at its end.
        let parent = stage.image().and_then(|image| {
            checker.stages[..stage_index]
                .iter()
                .rposition(|s| s.is_named(&image.text))
        });
        return match parent {
            Some(p) => runner(checker, p, usize::MAX),
            None => Runner::Root,
        };
    };
    let (name, group) = user.split_once(':').unwrap_or((&user, ""));
    if name == "root" || name == "0" {
        return Runner::Root;
    }
    let numeric_group = group.parse::<u32>().ok();
    if let Ok(uid) = name.parse::<u32>() {
        return Runner::User {
            name: name.to_owned(),
            home: None,
            ids: Some((uid, numeric_group)),
        };
    }
    if let Some((home, uid, gid)) = created_user(checker, stage_index, offset, name) {
        return Runner::User {
            name: name.to_owned(),
            home: Some(home),
            ids: uid.map(|u| (u, numeric_group.or(gid))),
        };
    }
    // A user the base image defines (`node`), from transforms/runtime-users.yaml.
    let known = stage
        .image()
        .and_then(|image| crate::rules::shared::final_stage::known_user(&image))
        .filter(|u| u.name == name);
    if let Some(known) = known {
        let mut ids = known.user.split(':').map(|n| n.parse::<u32>().ok());
        let uid = ids.next().flatten();
        let gid = ids.next().flatten();
        return Runner::User {
            name: name.to_owned(),
            home: Some(format!("/home/{name}")),
            ids: uid.map(|u| (u, numeric_group.or(gid))),
        };
    }
    Runner::User {
        name: name.to_owned(),
        home: None,
        ids: None,
    }
}

/// A `useradd`/`adduser` of `name` in an earlier RUN of the stage: its home
/// (`-d`, `--home-dir`, busybox's `-h`, or `/home/NAME`), uid and numeric gid.
fn created_user(
    checker: &Checker<'_>,
    stage: usize,
    offset: usize,
    name: &str,
) -> Option<(String, Option<u32>, Option<u32>)> {
    let mut found = None;
    for view in checker
        .runs
        .iter()
        .filter(|v| v.stage == stage && v.instruction.range.start < offset)
    {
        let Some(script) = view.script() else {
            continue;
        };
        for command in &script.commands {
            let words = run::effective_words(command);
            let program = run::program(words);
            if !matches!(program, Some("useradd" | "adduser")) {
                continue;
            }
            let literals: Vec<&str> = words[1..]
                .iter()
                .map(|w| w.literal.as_deref().unwrap_or("$"))
                .collect();
            let (mut home, mut uid, mut gid, mut last) = (None, None, None, None);
            let mut k = 0;
            while k < literals.len() {
                let word = literals[k];
                let (option, inline) = match word.split_once('=') {
                    Some((o, v)) if o.starts_with("--") => (o, Some(v)),
                    _ => (word, None),
                };
                let takes_value = matches!(
                    option,
                    "-d" | "--home-dir"
                        | "--home"
                        | "-h"
                        | "-u"
                        | "--uid"
                        | "-g"
                        | "--gid"
                        | "-G"
                        | "--groups"
                        | "--ingroup"
                        | "-s"
                        | "--shell"
                        | "-c"
                        | "--comment"
                        | "--gecos"
                        | "-k"
                        | "--skel"
                        | "-e"
                        | "--expiredate"
                        | "-f"
                        | "--inactive"
                        | "-K"
                        | "--key"
                        | "-p"
                        | "--password"
                );
                if takes_value {
                    let value = inline.or_else(|| literals.get(k + 1).copied());
                    match option {
                        "-d" | "--home-dir" | "--home" | "-h" => home = value,
                        "-u" | "--uid" => uid = value.and_then(|v| v.parse().ok()),
                        "-g" | "--gid" => gid = value.and_then(|v| v.parse().ok()),
                        _ => {}
                    }
                    k += if inline.is_some() { 1 } else { 2 };
                    continue;
                }
                if !word.starts_with('-') {
                    last = Some(word);
                }
                k += 1;
            }
            if last == Some(name) {
                let home = home
                    .filter(|h| h.starts_with('/'))
                    .map_or_else(|| format!("/home/{name}"), str::to_owned);
                found = Some((home, uid, gid));
            }
        }
    }
    found
}

/// All edits of one RUN: the mounts, the setup, and what they make useless.
fn edits(
    checker: &Checker<'_>,
    view: &RunView<'_>,
    script: &Script,
    mounts: &[(&CacheMount, Vec<Resolved>)],
) -> Vec<Edit> {
    let instruction = view.instruction;
    let logical = &instruction.logical;
    let runner = runner(checker, view.stage, instruction.range.start);
    let options = runner.mount_options();
    let flags: Vec<String> = mounts
        .iter()
        .flat_map(|(_, targets)| targets)
        .map(|t| {
            let sharing = t
                .sharing
                .as_deref()
                .map(|s| format!(",sharing={s}"))
                .unwrap_or_default();
            format!("--mount=type=cache,target={}{sharing}{options}", t.path)
        })
        .collect();
    // After the flags already there, so that they keep their order.
    let after = instruction
        .command
        .flags
        .last()
        .map_or(instruction.command.keyword_range.end, |f| f.range.end);
    let mut edits = vec![Edit::insert(
        logical.to_source(after, Bias::Left),
        format!(" {}", flags.join(" ")),
    )];
    let mut changes: Vec<Edit> = Vec::new();
    // An `rm` under a mounted directory, or under the cache directories of
    // the manager (apk's /var/cache/apk beside the /etc/apk/cache mount),
    // only empties what is no longer in the layer.
    let all_targets: Vec<&str> = mounts
        .iter()
        .flat_map(|(tool, targets)| {
            let dirs = manager_of(checker, tool).map(|m| m.cache_dirs.as_slice());
            targets
                .iter()
                .map(|t| t.path.as_str())
                .chain(dirs.unwrap_or_default().iter().map(String::as_str))
        })
        .collect();
    for (tool, _) in mounts {
        for command in uses(checker, tool, script) {
            for word in run::effective_words(command) {
                let Some(literal) = word.literal.as_deref() else {
                    continue;
                };
                let Some(drop) = tool
                    .drop_flags
                    .iter()
                    .find(|d| literal == d.flag || literal.starts_with(&format!("{}=", d.flag)))
                else {
                    continue;
                };
                if !logical.is_contiguous(word.range) {
                    continue;
                }
                let range = instruction.source_range(word.range);
                // `--no-cache` → `--update`, unless the RUN refreshes the
                // index itself first (`apk update &&`).
                let refreshed = manager_of(checker, tool).is_some_and(|m| {
                    script
                        .commands
                        .iter()
                        .take_while(|c| c.range.start < command.range.start)
                        .any(|c| packages::is_update(m, c))
                });
                changes.push(match drop.with.as_ref().filter(|_| !refreshed) {
                    Some(with) => Edit::replace(range, with.clone()),
                    None => {
                        // The word and the blank before it.
                        let source = checker.document.source();
                        let start = source[..range.start].trim_end_matches([' ', '\t']).len();
                        Edit::delete(TextRange::new(start, range.end))
                    }
                });
            }
        }
    }
    let useless: Vec<usize> = script
        .commands
        .iter()
        .enumerate()
        .filter(|(k, command)| {
            script.statements.get(*k) == Some(&command.range)
                && (mounts.iter().any(|(tool, _)| {
                    tool.drop_commands
                        .iter()
                        .any(|p| packages::pattern_matches(p, command))
                }) || removes_only_under(command, &all_targets))
        })
        .map(|(k, _)| k)
        .collect();
    changes.extend(remove_statements(checker, view, script, &useless));
    let setups: Vec<&str> = mounts
        .iter()
        .filter_map(|(tool, _)| tool.setup.as_ref().map(|s| s.value.as_str()))
        .filter(|setup| !stage_runs(checker, view, setup))
        .collect();
    if !setups.is_empty()
        && let Some(first) = script.statements.first()
    {
        let at = logical.to_source(first.start, Bias::Right);
        changes.push(Edit::insert(at, format!("{} && ", setups.join(" && "))));
    }
    // Edits of one fix must not touch; a removal that would is left for a
    // later round (or stays).
    changes.sort_by_key(|e| (e.range.start, e.range.end));
    for edit in changes {
        if edits
            .iter()
            .all(|e| e.range.end < edit.range.start || edit.range.end < e.range.start)
        {
            edits.push(edit);
        }
    }
    edits
}

/// Removes statements `ks` (ascending) of a simple chain, each group of
/// adjacent ones with one edit so that the edits do not touch; nothing when
/// that would empty the script, and no group whose text holds a comment.
fn remove_statements(
    checker: &Checker<'_>,
    view: &RunView<'_>,
    script: &Script,
    ks: &[usize],
) -> Vec<Edit> {
    let statements = &script.statements;
    if !script.is_simple_chain() || ks.is_empty() || ks.len() >= statements.len() {
        return Vec::new();
    }
    let logical = &view.instruction.logical;
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for &k in ks {
        match groups.last_mut() {
            Some((_, last)) if *last + 1 == k => *last = k,
            _ => groups.push((k, k)),
        }
    }
    let mut edits = Vec::new();
    for (first, last) in groups {
        let range = if last + 1 < statements.len() {
            TextRange::new(
                logical.to_source(statements[first].start, Bias::Right),
                logical.to_source(statements[last + 1].start, Bias::Right),
            )
        } else {
            TextRange::new(
                logical.to_source(statements[first - 1].end, Bias::Left),
                logical.to_source(statements[last].end, Bias::Left),
            )
        };
        if !range.slice(checker.document.source()).contains('#') {
            edits.push(Edit::delete(range));
        }
    }
    edits
}

/// `rm` whose every operand is under one of the mounted directories.
fn removes_only_under(command: &SimpleCommand, targets: &[&str]) -> bool {
    let words = run::effective_words(command);
    if run::program(words) != Some("rm") {
        return false;
    }
    let operands: Vec<Option<&str>> = words[1..]
        .iter()
        .map(|w| w.literal.as_deref())
        .filter(|w| !w.is_some_and(|w| w.starts_with('-')))
        .collect();
    !operands.is_empty()
        && operands.iter().all(|w| {
            w.is_some_and(|w| {
                let w = w.trim_end_matches("/*").trim_end_matches('*');
                targets.iter().any(|t| is_under(w.trim_end_matches('/'), t))
            })
        })
}

/// The stage already runs `setup` in this RUN or an earlier one.
fn stage_runs(checker: &Checker<'_>, view: &RunView<'_>, setup: &str) -> bool {
    let wanted: Vec<&str> = setup.split_whitespace().collect();
    checker
        .runs
        .iter()
        .filter(|v| v.stage == view.stage && v.item <= view.item)
        .filter_map(|v| v.script())
        .flat_map(|s| &s.commands)
        .any(|c| {
            let words: Vec<&str> = run::effective_words(c)
                .iter()
                .filter_map(|w| w.literal.as_deref())
                .collect();
            words == wanted
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_a_directory() {
        assert!(is_under("/var/lib/apt/lists", "/var/lib/apt"));
        assert!(is_under("/var/lib/apt", "/var/lib/apt/"));
        assert!(!is_under("/var/lib/aptitude", "/var/lib/apt"));
    }

    #[test]
    fn literal_values() {
        assert_eq!(literal("\"/cache\""), Some("/cache".to_owned()));
        assert_eq!(literal("$HOME/x"), None);
        assert_eq!(literal(""), None);
    }
}
