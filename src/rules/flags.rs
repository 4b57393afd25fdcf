//! Rules that insert a flag after an install subcommand: DS103 (assume yes),
//! DS104 (`--no-install-recommends`), DS106 (`apk add --no-cache`), DS107
//! (`pip install --no-cache-dir`), DS110 (`gem install --no-document`), DS111
//! (`composer install --no-dev`). The flags, what counts as already present
//! and when a flag is not needed are data in
//! `transforms/package-managers.yaml`; a flag edit is local to one command,
//! so it is exact whatever the shape of the chain around it.

use super::packages::{self, ManagerCommand};
use super::run::{self, RunForm};
use super::{Checker, Rule};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::transforms::{FlagSpec, Manager};

pub static ASSUME_YES: Rule = Rule {
    code: "DS103",
    name: "install-assume-yes",
    summary: "apt-get, yum, dnf or zypper install without `-y`",
    fix_safety: "safe",
    doc: r#"## What it does
Adds `-y` to `apt-get install`, `yum install`, `dnf install` and
`zypper install` when no assume-yes option is there (`-y`, a cluster such as
`-qy`, `--yes`, `--assumeyes`, zypper's `-n` / `--non-interactive`).

## Why
Without it the install asks for confirmation, and a build has no one to
answer: the RUN fails or, worse, behaves differently across versions.
hadolint reports it as DL3014, DL3030, DL3038 and DL3034.

## Example
```dockerfile
RUN apt-get update && apt-get install curl
```
becomes
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Fix safety
Safe: it answers the prompt the build could not answer.
"#,
    check: |checker, out| check(checker, &ASSUME_YES, Applicability::Safe, out),
};

pub static NO_INSTALL_RECOMMENDS: Rule = Rule {
    code: "DS104",
    name: "apt-no-install-recommends",
    summary: "`apt-get install` without `--no-install-recommends`",
    fix_safety: "unsafe",
    doc: r#"## What it does
Adds `--no-install-recommends` to `apt-get install`.

## Why
By default apt also installs every package the requested ones *recommend*,
often doubling what lands in the image (documentation tools, X libraries,
compilers). hadolint reports it as DL3015.

## Example
```dockerfile
RUN apt-get install -y python3
```
becomes
```dockerfile
RUN apt-get install --no-install-recommends -y python3
```

## Fix safety
Unsafe: the application may rely on a recommended package (for example
`ca-certificates` recommended by `curl`). Apply it with `--unsafe-fixes` and
check that the image still works, or add the missing package by name.
Not offered in a stage whose files there never reach the final image (a
builder of which only build output is copied): it would change nothing.
"#,
    check: |checker, out| check(checker, &NO_INSTALL_RECOMMENDS, Applicability::Unsafe, out),
};

pub static APK_NO_CACHE: Rule = Rule {
    code: "DS106",
    name: "apk-no-cache",
    summary: "`apk add` without `--no-cache`",
    fix_safety: "safe",
    doc: r#"## What it does
Adds `--no-cache` to `apk add`. In the same fix it removes what that makes
unnecessary in the same RUN: a separate `apk update` and
`rm -rf /var/cache/apk/*`.

## Why
`apk add --no-cache` fetches the index into memory and leaves nothing in
`/var/cache/apk`, so the layer carries no index or package cache. hadolint
reports it as DL3019.

## Example
```dockerfile
RUN apk update && apk add curl && rm -rf /var/cache/apk/*
```
becomes
```dockerfile
RUN apk add --no-cache curl
```

## Fix safety
Safe: the same packages are installed. A cache mount over `/var/cache/apk`
means the cache is wanted, and there is no finding. The redundant commands
are removed only from a plain `&&` chain, and never when a comment sits
between them, and `apk update` stays when a later RUN installs from its index.
Not offered in a stage whose files there never reach the final image (a
builder of which only build output is copied): it would change nothing.
"#,
    check: |checker, out| check(checker, &APK_NO_CACHE, Applicability::Safe, out),
};

pub static PIP_NO_CACHE_DIR: Rule = Rule {
    code: "DS107",
    name: "pip-no-cache-dir",
    summary: "`pip install` without `--no-cache-dir`",
    fix_safety: "safe",
    doc: r#"## What it does
Adds `--no-cache-dir` to `pip install`, `pip3 install` and
`python -m pip install`, unless `PIP_NO_CACHE_DIR` is set by an ENV or ARG of
the stage, or a cache mount covers pip's cache.

## Why
pip keeps every downloaded wheel in `~/.cache/pip`; in an image that is dead
weight, often tens of megabytes. hadolint reports it as DL3042.

## Example
```dockerfile
RUN pip install -r requirements.txt
```
becomes
```dockerfile
RUN pip install --no-cache-dir -r requirements.txt
```

## Fix safety
Safe: the same packages are installed.
Not offered in a stage whose files there never reach the final image (a
builder of which only build output is copied): it would change nothing.
"#,
    check: |checker, out| check(checker, &PIP_NO_CACHE_DIR, Applicability::Safe, out),
};

pub static GEM_NO_DOCUMENT: Rule = Rule {
    code: "DS110",
    name: "gem-no-document",
    summary: "`gem install` without `--no-document`",
    fix_safety: "safe",
    doc: r#"## What it does
Adds `--no-document` to `gem install`.

## Why
Without it RubyGems generates ri and rdoc documentation for every gem, which
takes build time and megabytes that nothing in a container reads.

## Example
```dockerfile
RUN gem install bundler
```
becomes
```dockerfile
RUN gem install --no-document bundler
```

## Fix safety
Safe: the gems are the same; only their generated documentation is skipped.
Not offered in a stage whose files there never reach the final image (a
builder of which only build output is copied): it would change nothing.
"#,
    check: |checker, out| check(checker, &GEM_NO_DOCUMENT, Applicability::Safe, out),
};

pub static COMPOSER_NO_DEV: Rule = Rule {
    code: "DS111",
    name: "composer-no-dev",
    summary: "`composer install` without `--no-dev` in the final stage",
    fix_safety: "unsafe",
    doc: r#"## What it does
Adds `--no-dev` to `composer install` in the final stage.

## Why
Development dependencies (test frameworks, linters, debug tools) have no
place in a production image: they add size and attack surface.

## Example
```dockerfile
RUN composer install --optimize-autoloader
```
becomes
```dockerfile
RUN composer install --no-dev --optimize-autoloader
```

## Fix safety
Unsafe: if a later step of the final stage runs tests or tools from the
development dependencies, it fails. Builder stages are not touched.
"#,
    check: |checker, out| check(checker, &COMPOSER_NO_DEV, Applicability::Unsafe, out),
};

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

fn check(
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
                        || super::cache_mounts::covers(checker, view, manager))
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
