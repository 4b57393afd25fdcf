//! DS201 `manifest-first-copy`: copy the dependency manifests and install
//! before the broad source copy, so a code change does not re-run the
//! install. The ecosystems are data in `transforms/manifests.yaml`.

use super::run::{self, RunForm, RunView};
use super::{Checker, Rule};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::manifests::{Ecosystem, InstallCommand, Manifests, Strategy};
use crate::semantic::{Action, Resource, can_precede};
use crate::syntax::shell::{Script, SimpleCommand, Word};
use crate::syntax::{Bias, Instruction, Keyword, Stage};

pub static RULE: Rule = Rule {
    code: "DS201",
    name: "manifest-first-copy",
    summary: "a dependency install after `COPY . .`: every source change re-runs it",
    fix_safety: "unsafe; safe for `go mod download` and installs with `--ignore-scripts`",
    doc: r#"## What it does
When a broad copy of the source (`COPY . .`, `COPY . /app`, `ADD . .`,
`COPY services/api/ .`) is followed in the same stage by a dependency install
that needs only the manifests, it inserts before the broad copy a `COPY` of
exactly the manifests that exist in the build context (same destination,
`--chown`, `--chmod`), and moves the install up with it (npm, yarn, pnpm, pip
with `-r` files, pipenv, bundler, composer with `--no-scripts --no-autoloader`
and a `dump-autoload` after the source copy), or inserts a download step (`go
mod download`, `poetry install --no-root`, `uv sync --no-install-project`,
`mvn dependency:go-offline`, `gradle dependencies`, `dotnet restore`) while the
build stays where it is. Cargo is reported: it needs placeholder targets.

Go: an existing `RUN go mod download` (with its flags, and a `go mod
verify` after it) moves up with `go.mod` and `go.sum`, and the build stays
after the source copy; a `go mod tidy` reads the sources and stays. With no
download step, `go mod download` is inserted before the source copy when
go.mod requires a module; a module that requires none has nothing to
download, and gets no finding. Both
are only reported when go.mod `replace`s a module with a local folder, when
a `go.work` makes a workspace, or when a `vendor/` folder holds the modules.

## Why
Docker reuses a layer only while everything before it is unchanged. With
`COPY . .` before the install, any source change invalidates the install
layer: an 8-minute rebuild instead of 45 seconds.

## Example
```dockerfile
WORKDIR /app
COPY . .
RUN npm ci
```
becomes
```dockerfile
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
```

## Fix safety
Unsafe by default: an install hook (npm `postinstall`, a setup script) may
read source files that are not there yet. Safe where the install cannot read
anything but the manifests: `go mod download`, `npm ci --ignore-scripts`.

The install never moves past a step it needs (the semantic model's
dependency check): system package installs and `corepack enable` before it,
in its own RUN or in RUNs between the copy and it, move up with it as RUNs
of their own (a native module still finds its compiler); steps that provide
nothing it needs (`EXPOSE`, `LABEL`, `echo`) stay where they are.
It is only reported when the context cannot be read (except npm, which gets
`COPY package*.json` as an unsafe fix), when the install runs in another
folder than the copy, when an instruction or command between the copy and
the install could change it (an ENV, ARG, USER, WORKDIR, an unknown
command, `cd`), when an ENV names a file only the source copy provides
(`PIP_CONFIG_FILE=/app/pip.conf`), when a download step would run before a
package install it may need, when `package.json` has lifecycle scripts, or
when a requirements file names local paths, or when go.mod names a local
folder. A manifest that is not in the
context is never named.
"#,
    check,
};

/// A broad copy of the source: `COPY . .`, `COPY ./ /app/`, `COPY svc/api/ .`.
struct BroadCopy<'a> {
    instruction: &'a Instruction,
    /// The context folder it copies (`""` for the whole context).
    base: String,
    dest: String,
}

fn broad_copy<'a>(checker: &Checker<'_>, instruction: &'a Instruction) -> Option<BroadCopy<'a>> {
    if !matches!(instruction.keyword(), Keyword::Copy | Keyword::Add)
        || instruction.flag("from").is_some()
        || instruction.command.is_exec_form()
        || !instruction.heredocs.is_empty()
    {
        return None;
    }
    let words = instruction.words();
    let [source, dest] = words.as_slice() else {
        return None;
    };
    let source = instruction.text(*source);
    let base = match source.trim_start_matches("./").trim_end_matches('/') {
        "" | "." => String::new(),
        dir if checker.context.is_dir(dir) == Some(true) => dir.to_owned(),
        _ => return None,
    };
    Some(BroadCopy {
        instruction,
        base,
        dest: instruction.text(*dest).to_owned(),
    })
}

/// The install command of an ecosystem: which pattern matched, the
/// subcommand word, and for pip the requirement files.
struct Install<'a> {
    eco: &'a Ecosystem,
    pattern: &'a InstallCommand,
    command: &'a SimpleCommand,
    program_word: &'a Word,
    verb: &'a Word,
    /// The subcommand as the table names it (`ci`, `mod download`).
    subcommand: Option<&'a str>,
    files: Vec<String>,
}

/// `command` is a dependency install of `eco` (the model classifies with it).
pub(crate) fn installs(eco: &Ecosystem, command: &SimpleCommand) -> bool {
    match_install(eco, command).is_some()
}

fn match_install<'a>(eco: &'a Ecosystem, command: &'a SimpleCommand) -> Option<Install<'a>> {
    let words = run::effective_words(command);
    let program = run::program(words)?;
    let pattern = eco.install.iter().find(|p| p.program == program)?;
    let literals: Vec<&str> = words[1..]
        .iter()
        .map(|w| w.literal.as_deref().unwrap_or("$"))
        .collect();
    let sub = literals.iter().position(|w| !w.starts_with('-'));
    // A subcommand of several words (`mod download`) matches them in a
    // row; the verb is its last word.
    let matched = sub.and_then(|i| {
        pattern.subcommands.iter().find_map(|s| {
            let parts: Vec<&str> = s.split_whitespace().collect();
            (literals.get(i..i + parts.len()) == Some(parts.as_slice()))
                .then_some((i + parts.len(), s.as_str()))
        })
    });
    let (verb, rest, subcommand) = match (sub, matched) {
        (Some(_), Some((end, s))) => (&words[end], &literals[end..], Some(s)),
        (None, _) if pattern.bare => (&words[0], &literals[..0], None),
        _ => return None,
    };
    let mut files = Vec::new();
    if pattern.requirements {
        let mut i = 0;
        while i < rest.len() {
            let arg = rest[i];
            if matches!(arg, "-r" | "--requirement" | "-c" | "--constraint") {
                files.push((*rest.get(i + 1)?).to_owned());
                i += 2;
            } else if let Some(file) = arg
                .strip_prefix("--requirement=")
                .or_else(|| arg.strip_prefix("--constraint="))
            {
                files.push(file.to_owned());
                i += 1;
            } else if arg.starts_with('-') && !arg.starts_with("-e") && arg != "$" {
                i += 1;
            } else {
                return None;
            }
        }
        if files.is_empty() {
            return None;
        }
    } else if pattern.no_arguments && rest.iter().any(|a| !a.starts_with('-')) {
        return None;
    }
    Some(Install {
        eco,
        pattern,
        command,
        program_word: &words[0],
        verb,
        subcommand,
        files,
    })
}

/// The requirement files a pip install reads, following `-r`/`-c` inside
/// them; an error names a local path the install would read.
fn pip_files(checker: &Checker<'_>, base: &str, roots: &[String]) -> Result<Vec<String>, String> {
    let mut files: Vec<String> = Vec::new();
    let mut queue: Vec<String> = roots.to_vec();
    while let Some(file) = queue.pop() {
        if files.contains(&file) {
            continue;
        }
        let path = join(base, &file);
        if checker.context.has(&path) != Some(true) {
            return Err(format!("`{file}` is not in the build context"));
        }
        if let Some(text) = checker.context.text(&path) {
            let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
            for line in text.lines().map(str::trim) {
                let mut parts = line.split_whitespace();
                match parts.next() {
                    Some("-r" | "--requirement" | "-c" | "--constraint") => {
                        if let Some(next) = parts.next() {
                            queue.push(join(dir, next));
                        }
                    }
                    Some(first)
                        if first.starts_with("-e")
                            || first.starts_with('.')
                            || first.starts_with('/')
                            || first.starts_with("file:") =>
                    {
                        return Err(format!(
                            "`{file}` installs a local path (`{line}`), which is not there yet"
                        ));
                    }
                    _ => {}
                }
            }
        }
        files.push(file);
    }
    files.reverse();
    Ok(files)
}

/// `base/name` with `.` and `..` resolved (`a/../b` is `b`); a path that
/// climbs out of the context keeps its `..` and so is never found in it.
fn join(base: &str, name: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in base.split('/').chain(name.split('/')) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// A COPY source that names one of the ecosystem's manifests (or, for pip,
/// a requirements file): `package.json`, `package*.json`, `App.csproj`.
fn names_manifest(eco: &Ecosystem, files: &[String], source: &str) -> bool {
    let name = source
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let glob_prefix = name.split('*').next().unwrap_or_default();
    eco.manifests
        .iter()
        .chain(&eco.no_context_manifests)
        .chain(files)
        .any(|m| {
            let m = m.trim_end_matches('/');
            let m = m.rsplit('/').next().unwrap_or(m);
            m == name
                || m.strip_prefix('*')
                    .is_some_and(|suffix| name.ends_with(suffix))
                || (name.contains('*') && !glob_prefix.is_empty() && m.starts_with(glob_prefix))
        })
        || (eco.install.iter().any(|p| p.requirements) && name.starts_with("requirements"))
}

/// The manifests of `eco` found in the context folder `base`, in table order.
fn present_manifests(checker: &Checker<'_>, eco: &Ecosystem, base: &str) -> Vec<String> {
    let mut found = Vec::new();
    for manifest in &eco.manifests {
        if let Some(suffix) = manifest.strip_prefix('*') {
            let mut matched: Vec<String> = checker
                .context
                .names(base)
                .into_iter()
                .flatten()
                .filter(|n| !n.ends_with('/') && n.ends_with(suffix))
                .map(str::to_owned)
                .collect();
            matched.sort();
            found.extend(matched);
        } else if let Some(dir) = manifest.strip_suffix('/') {
            if checker.context.is_dir(&join(base, dir)) == Some(true) {
                found.push(manifest.clone());
            }
        } else if checker.context.has(&join(base, manifest)) == Some(true)
            && checker.context.is_dir(&join(base, manifest)) != Some(true)
        {
            found.push(manifest.clone());
        }
    }
    found
}

/// Problems that make the move or insert uncertain.
fn obstacle(checker: &Checker<'_>, install: &Install<'_>, base: &str) -> Option<String> {
    if install.eco.name == "npm" || install.eco.name == "yarn" || install.eco.name == "pnpm" {
        let ignores_scripts = run::effective_words(install.command)
            .iter()
            .any(|w| w.is("--ignore-scripts"));
        if let Some(text) = checker.context.text(&join(base, "package.json"))
            && !ignores_scripts
        {
            let json: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            let hooks: Vec<&str> = ["preinstall", "install", "postinstall", "prepare"]
                .into_iter()
                .filter(|h| json["scripts"].get(h).is_some())
                .collect();
            if !hooks.is_empty() {
                return Some(format!(
                    "package.json has `{}` scripts, which may read source files",
                    hooks.join("`, `")
                ));
            }
        }
        if let Some(why) = checker
            .context
            .text(&join(base, "package.json"))
            .and_then(js_local_sources)
        {
            return Some(why);
        }
    }
    if matches!(install.eco.name.as_str(), "go" | "go modules")
        && let Some(why) = go_local_sources(checker, base)
    {
        return Some(why);
    }
    if install.eco.name == "maven"
        && checker
            .context
            .text(&join(base, "pom.xml"))
            .is_some_and(|t| t.contains("<modules>"))
    {
        return Some("the Maven build has modules, whose poms are needed too".to_owned());
    }
    None
}

/// What a Go module download reads besides go.mod and go.sum: a workspace's
/// member modules (`go.work`), a folder a `replace` points at; and with a
/// `vendor/` folder the build takes its modules from the source copy, so a
/// download before it would not be what the build uses.
fn go_local_sources(checker: &Checker<'_>, base: &str) -> Option<String> {
    if checker.context.has(&join(base, "go.work")) == Some(true) {
        return Some(
            "go.work makes a workspace: the download needs every member module's go.mod".to_owned(),
        );
    }
    if checker.context.is_dir(&join(base, "vendor")) == Some(true) {
        return Some(
            "the module vendors its dependencies (`vendor/`): the build reads them from the source copy"
                .to_owned(),
        );
    }
    let go_mod = checker.context.text(&join(base, "go.mod"))?;
    go_local_replace(go_mod).map(|(module, path)| {
        format!("go.mod replaces `{module}` with the local folder `{path}`, which is not there yet")
    })
}

/// go.mod requires at least one module (`require x v1` or a `require (…)`
/// block with an entry).
fn go_requires(go_mod: &str) -> bool {
    let mut in_block = false;
    for line in go_mod.lines() {
        let line = line.split("//").next().unwrap_or_default().trim();
        if in_block {
            if line == ")" {
                in_block = false;
            } else if !line.is_empty() {
                return true;
            }
        } else if let Some(rest) = line.strip_prefix("require") {
            match rest.trim() {
                "(" => in_block = true,
                "" => {}
                _ if rest.starts_with([' ', '\t', '(']) => return true,
                _ => {}
            }
        }
    }
    false
}

/// The first `replace` of go.mod whose target is a folder (`./lib`,
/// `../shared`, `/src/x`) rather than a module version: (module, folder).
fn go_local_replace(go_mod: &str) -> Option<(String, String)> {
    let mut in_block = false;
    for line in go_mod.lines() {
        let line = line.split("//").next().unwrap_or_default().trim();
        let spec = if in_block {
            if line == ")" {
                in_block = false;
                continue;
            }
            line
        } else if let Some(rest) = line.strip_prefix("replace") {
            let rest = rest.trim();
            if rest == "(" {
                in_block = true;
                continue;
            }
            rest
        } else {
            continue;
        };
        let Some((old, new)) = spec.split_once("=>") else {
            continue;
        };
        let target = new.split_whitespace().next().unwrap_or_default();
        let target = target.trim_matches('"');
        // The go.mod reference: a path that starts with `./`, `../` or `/`
        // is a folder (also `.` and `..`).
        if matches!(target, "." | "..")
            || target.starts_with("./")
            || target.starts_with("../")
            || target.starts_with('/')
        {
            let module = old.split_whitespace().next().unwrap_or_default();
            return Some((module.to_owned(), target.to_owned()));
        }
    }
    None
}

/// What a JS install reads besides the manifests: workspaces, and
/// dependencies on local folders (`file:`, `link:`, `portal:`), which are not
/// there before the source copy. Scripts and `--ignore-scripts` do not change
/// that: the package manager reads the folder itself.
pub(super) fn js_local_sources(package_json: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(package_json).ok()?;
    if json.get("workspaces").is_some() {
        return Some("package.json declares workspaces, whose manifests are needed too".to_owned());
    }
    for section in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        let Some(deps) = json[section].as_object() else {
            continue;
        };
        for (name, spec) in deps {
            let spec = spec.as_str().unwrap_or_default();
            if ["file:", "link:", "portal:"]
                .iter()
                .any(|p| spec.starts_with(p))
                || spec.starts_with("./")
                || spec.starts_with("../")
                || spec.starts_with('/')
            {
                return Some(format!(
                    "package.json depends on the local folder `{spec}` (`{name}`), which is not there yet"
                ));
            }
        }
    }
    None
}

fn check(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    let table = Manifests::builtin();
    for (index, stage) in checker.stages.iter().enumerate() {
        let Some(copy) = stage
            .instructions
            .iter()
            .find_map(|i| broad_copy(checker, i))
        else {
            continue;
        };
        let b = copy.instruction;
        let views: Vec<&RunView<'_>> = checker
            .runs
            .iter()
            .filter(|v| v.stage == index && v.instruction.range.start > b.range.start)
            .collect();
        let found = views.iter().find_map(|view| {
            let script = view.editable()?;
            script.commands.iter().filter(|c| !c.nested).find_map(|c| {
                table
                    .ecosystems
                    .iter()
                    .find_map(|eco| match_install(eco, c))
                    .map(|i| (*view, script, i))
            })
        });
        let Some((view, script, install)) = found else {
            continue;
        };
        // Already manifest-first: the stage copies a manifest before the broad copy.
        let named_before = stage
            .instructions
            .iter()
            .take_while(|i| i.range.start < b.range.start)
            .any(|i| {
                matches!(i.keyword(), Keyword::Copy | Keyword::Add)
                    && i.words()
                        .iter()
                        .any(|w| names_manifest(install.eco, &install.files, i.text(*w)))
            });
        if named_before {
            continue;
        }
        // A module that requires nothing has nothing to download: an
        // inserted download step would change no rebuild (no churn).
        if install.eco.name == "go"
            && checker
                .context
                .text(&join(&copy.base, "go.mod"))
                .is_some_and(|go_mod| !go_requires(go_mod))
        {
            continue;
        }
        let program = install.program_word.literal.as_deref().unwrap_or_default();
        let shown = match install.subcommand {
            Some(sub) => format!("{program} {sub}"),
            None => program.to_owned(),
        };
        let copy_text = b.range.slice(checker.document.source()).trim_end();
        let mut diagnostic = Diagnostic::new(
            &RULE,
            view.instruction.source_range(install.command.range),
            format!("`{shown}` runs after `{copy_text}`: every source change re-runs it"),
        );
        let report = |mut d: Diagnostic, why: String| {
            d.message
                .push_str(&format!(" (not moved automatically: {why})"));
            d.with_fix(Fix::display_only())
        };
        match plan(checker, stage, &copy, view, script, &install) {
            Ok((edits, applicability, note)) => {
                if let Some(note) = note {
                    diagnostic.message.push_str(&format!(" ({note})"));
                }
                out.push(diagnostic.with_fix(Fix::new(edits, applicability)));
            }
            Err(why) => out.push(report(diagnostic, why)),
        }
    }
}

/// The edits for one stage, its safety and a note, or why it cannot be done.
fn plan(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    copy: &BroadCopy<'_>,
    view: &RunView<'_>,
    script: &Script,
    install: &Install<'_>,
) -> Result<(Vec<Edit>, Applicability, Option<String>), String> {
    let document = checker.document;
    let source = document.source();
    let eco = install.eco;
    if eco.strategy == Strategy::Report {
        return Err(eco.why_report.clone().unwrap_or_default());
    }
    let b = copy.instruction;
    let moving = eco.strategy == Strategy::Move;
    let run_index = checker
        .runs
        .iter()
        .position(|v| std::ptr::eq(v.instruction, view.instruction))
        .ok_or("the install's RUN is not known")?;
    let command_index = script
        .commands
        .iter()
        .position(|c| std::ptr::eq(c, install.command))
        .ok_or("the install is not a command of the RUN")?;
    // The install moves before everything between the copy and it, so it
    // may need nothing they provide (the model's dependency check; what it
    // reads from the context comes with the manifest copy). Setup steps
    // (system packages, `corepack enable`) that it may need move up with it
    // instead, in their order, as RUNs of their own: the same answer
    // whether they sit in RUNs between or earlier in its own RUN.
    let mut needs: Vec<Resource> = checker.model.runs[run_index].commands[command_index]
        .needs
        .iter()
        .filter(|n| **n != Resource::ContextFiles)
        .cloned()
        .collect();
    let cd_first = script
        .commands
        .iter()
        .take_while(|c| !std::ptr::eq(*c, install.command))
        .any(|c| c.name() == Some("cd"));
    // The commands before the install in its RUN: they stay where they are
    // when the install needs nothing they provide; otherwise they move up
    // with it (a moved install) or keep the download step from going first.
    // A statement before the install that holds no simple command is a
    // declaration or assignment (`export NPM_TOKEN=…`) the shell view does
    // not list: the install may read it.
    if let Some(hidden) = script
        .statements
        .iter()
        .filter(|s| s.end <= install.command.range.start)
        .find(|s| !script.commands.iter().any(|c| s.contains_range(c.range)))
    {
        let text = instruction_text(view, *hidden);
        return Err(format!(
            "`{text}` before it in the RUN could change the install"
        ));
    }
    let program = run::program(run::effective_words(install.command));
    let prefix = &checker.model.runs[run_index].commands[..command_index];
    let prefix_moves = prefix
        .iter()
        .filter(|c| {
            // The build tool's own commands before a build (`go mod download
            // && go build`) are what the inserted download step does anyway.
            moving || run::program(run::effective_words(&script.commands[c.index])) != program
        })
        .any(|c| !can_precede(&needs, &c.provides));
    if prefix_moves && !cd_first {
        if !moving {
            return Err(
                "the download step would run before the commands before the build in its RUN, which it may need"
                    .to_owned(),
            );
        }
        if let Err(why) = setup_only(checker, run_index, command_index) {
            return Err(format!(
                "{why} before it in the RUN could change the install"
            ));
        }
        // What moves needs what it needs too (an install, its lists).
        needs.extend(prefix.iter().flat_map(|c| c.needs.iter().cloned()));
    }
    // The steps between, nearest first, so that a step that moves brings
    // its own needs into the check of the steps before it.
    let between_steps: Vec<&Instruction> = stage
        .instructions
        .iter()
        .filter(|i| i.range.start > b.range.start && i.range.start < view.instruction.range.start)
        .copied()
        .collect();
    let mut setup: Vec<&Instruction> = Vec::new();
    for between in between_steps.into_iter().rev() {
        if can_precede(&needs, &checker.model.provides(between)) {
            continue;
        }
        let r = checker
            .runs
            .iter()
            .position(|v| std::ptr::eq(v.instruction, between));
        match r.map(|r| (r, setup_only(checker, r, usize::MAX))) {
            Some((r, Ok(()))) if moving => {
                setup.push(between);
                needs.extend(
                    checker.model.runs[r]
                        .commands
                        .iter()
                        .flat_map(|c| c.needs.iter().cloned()),
                );
            }
            Some((_, Ok(()))) => {
                return Err(
                    "the download step would run before the RUN between them, which it may need"
                        .to_owned(),
                );
            }
            Some((_, Err(why))) => {
                return Err(format!("{why} between them could change the install"));
            }
            None => {
                return Err(format!(
                    "the {} between them could change the install",
                    between.keyword()
                ));
            }
        }
    }
    setup.reverse();
    // The install must run where the copy lands.
    let workdir = checker.model.workdir_before(b);
    let dest = copy.dest.trim_end_matches('/');
    let same_place =
        matches!(dest, "." | "") || workdir.is_some_and(|w| crate::semantic::join(w, dest) == w);
    if !same_place || cd_first {
        return Err("the install does not run in the folder the copy writes to".to_owned());
    }
    // A setting that names a file only the source copy provides
    // (`ENV PIP_CONFIG_FILE=/app/pip.conf`) would be missing.
    if let (Some(workdir), Some(env)) = (workdir, checker.model.env_before(view.instruction)) {
        // In name order: the map's own order is not stable between runs.
        let mut vars: Vec<_> = env.vars.iter().collect();
        vars.sort();
        for (name, value) in vars {
            let Some(value) = value else { continue };
            // Paths in lists (`PATH`, `GOPROXY=file:///src/proxy,off`),
            // in flags (`GOFLAGS=-modfile=/src/alt.mod`) and in URLs.
            for part in value.split([':', ',', '|', ' ', '=']) {
                let trimmed = part.trim_start_matches('/');
                let part = if part.len() - trimmed.len() > 1 {
                    format!("/{trimmed}")
                } else {
                    part.to_owned()
                };
                let Some(relative) =
                    part.strip_prefix(&format!("{}/", workdir.trim_end_matches('/')))
                else {
                    continue;
                };
                let first = relative.split('/').next().unwrap_or_default();
                if !first.is_empty()
                    && checker.context.has(&join(&copy.base, first)) == Some(true)
                    && !names_manifest(eco, &install.files, relative)
                {
                    return Err(format!(
                        "`{name}` names `{part}`, which only the source copy provides"
                    ));
                }
            }
        }
    }
    if let Some(why) = obstacle(checker, install, &copy.base) {
        return Err(why);
    }
    // What to copy.
    let mut applicability = if eco.always_safe
        || eco.safe_when.iter().any(|f| {
            run::effective_words(install.command)
                .iter()
                .any(|w| w.is(f))
        }) {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let mut note = None;
    let manifests: Vec<String> = if !checker.context.is_known() {
        if eco.no_context_manifests.is_empty() {
            return Err("the build context cannot be read to see which manifests exist".to_owned());
        }
        applicability = Applicability::Unsafe;
        note = Some("the build context is unknown: a conservative pattern is copied".to_owned());
        eco.no_context_manifests.clone()
    } else if install.pattern.requirements {
        pip_files(checker, &copy.base, &install.files)?
    } else {
        let present = present_manifests(checker, eco, &copy.base);
        let has_required = eco.required.iter().any(|r| {
            present
                .iter()
                .any(|p| p == r || r.strip_prefix('*').is_some_and(|s| p.ends_with(s)))
        });
        if !has_required {
            return Err(format!(
                "the build context has no {}",
                eco.required.join(" or ")
            ));
        }
        present
    };
    let flags: Vec<&str> = b
        .command
        .flags
        .iter()
        .filter(|f| matches!(f.name(), "chown" | "chmod" | "link"))
        .map(|f| b.source_range(f.range).slice(source))
        .collect();
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!(" {}", flags.join(" "))
    };
    let keyword = b.command.keyword_range;
    let keyword = b.source_range(keyword).slice(source);
    let dest_dir = if matches!(copy.dest.as_str(), "." | "./") {
        "./".to_owned()
    } else {
        format!("{}/", copy.dest.trim_end_matches('/'))
    };
    let indent = b.indent(source);
    let newline = document.newline();
    let (dirs, files): (Vec<&String>, Vec<&String>) =
        manifests.iter().partition(|m| m.ends_with('/'));
    let mut lines = String::new();
    // One COPY per folder, so `requirements/base.txt` lands in
    // `requirements/` where `-r requirements/base.txt` finds it.
    let mut by_folder: Vec<(&str, Vec<String>)> = Vec::new();
    for file in &files {
        let folder = file.rsplit_once('/').map_or("", |(d, _)| d);
        match by_folder.iter_mut().find(|(f, _)| *f == folder) {
            Some((_, sources)) => sources.push(join(&copy.base, file)),
            None => by_folder.push((folder, vec![join(&copy.base, file)])),
        }
    }
    by_folder.sort_by_key(|(folder, _)| !folder.is_empty());
    for (folder, sources) in by_folder {
        let dest = if folder.is_empty() {
            dest_dir.clone()
        } else {
            format!("{dest_dir}{folder}/")
        };
        lines.push_str(&format!(
            "{indent}{keyword}{flags} {} {dest}{newline}",
            sources.join(" ")
        ));
    }
    for dir in dirs {
        let dir = dir.trim_end_matches('/');
        lines.push_str(&format!(
            "{indent}{keyword}{flags} {} {dest_dir}{dir}/{newline}",
            join(&copy.base, dir)
        ));
    }
    let mut edits = Vec::new();
    match eco.strategy {
        Strategy::Insert => {
            let program = install.program_word.literal.clone().unwrap_or_default();
            let command = eco
                .insert_command
                .clone()
                .unwrap_or_default()
                .replace("{program}", &program);
            lines.push_str(&format!("{indent}RUN {command}{newline}"));
            edits.push(Edit::insert(b.range.start, lines));
        }
        Strategy::Move => {
            let (setup_text, run_text) =
                moved_run(checker, view, script, install, prefix_moves, &mut edits)?;
            // The setup goes first: it changes less often than the manifests.
            let mut setup_lines = String::new();
            for run in &setup {
                let text = run.range.slice(source);
                setup_lines.push_str(text);
                if !text.ends_with('\n') {
                    setup_lines.push_str(newline);
                }
                edits.push(Edit::delete(removal_range(source, run.range)));
            }
            setup_lines.push_str(&setup_text);
            lines.insert_str(0, &setup_lines);
            lines.push_str(&run_text);
            edits.push(Edit::insert(b.range.start, lines));
            if let Some(after) = &eco.after_copy {
                let at = b.range.end;
                let ends_line = source[..at].ends_with('\n');
                let prefix = if ends_line {
                    String::new()
                } else {
                    newline.to_owned()
                };
                let suffix = if ends_line { newline } else { "" };
                edits.push(Edit::insert(
                    at,
                    format!("{prefix}{indent}RUN {after}{suffix}"),
                ));
            }
        }
        Strategy::Report => unreachable!("handled above"),
    }
    Ok((edits, applicability, note))
}

/// The logical text of a range of an editable RUN's script.
fn instruction_text(view: &RunView<'_>, range: crate::syntax::TextRange) -> String {
    view.instruction.text(range).trim().to_owned()
}

/// The commands of RUN `run` before `upto` only set the image up (system
/// package lists, installs and cleanups, `corepack enable`): they may move
/// up together with the install. Otherwise the first command that does
/// something else, shown.
fn setup_only(checker: &Checker<'_>, run: usize, upto: usize) -> Result<(), String> {
    let facts = &checker.model.runs[run];
    let view = &checker.runs[run];
    let Some(script) = view.editable() else {
        return Err("the RUN".to_owned());
    };
    for command in facts.commands.iter().take(upto) {
        let movable = matches!(
            command.action,
            Action::ListsUpdate { .. }
                | Action::PackageInstall { .. }
                | Action::Cleanup { .. }
                | Action::ToolSetup
        ) && !script.commands[command.index].nested;
        if !movable {
            let shown = run::program(run::effective_words(&script.commands[command.index]))
                .unwrap_or("a command");
            return Err(format!("`{shown}`"));
        }
    }
    Ok(())
}

/// The range that removes a whole instruction: with the line break before
/// it when it is the last line without one, so no blank line is left.
pub(crate) fn removal_range(
    source: &str,
    range: crate::syntax::TextRange,
) -> crate::syntax::TextRange {
    if source[range.start..range.end].ends_with('\n') || range.start == 0 {
        range
    } else {
        let before = source[..range.start].trim_end_matches(['\n', '\r']).len();
        crate::syntax::TextRange::new(before, range.end)
    }
}

/// The text that moves up: the setup commands before the install in its
/// RUN, as a RUN of their own (empty when there are none), and the install
/// (with `append_flags` added); in `edits`, their removal from where they
/// were.
fn moved_run(
    checker: &Checker<'_>,
    view: &RunView<'_>,
    script: &Script,
    install: &Install<'_>,
    prefix_moves: bool,
    edits: &mut Vec<Edit>,
) -> Result<(String, String), String> {
    let document = checker.document;
    let source = document.source();
    let instruction = view.instruction;
    let logical = &instruction.logical;
    let newline = document.newline();
    let append: String = install
        .eco
        .append_flags
        .iter()
        .map(|f| format!(" {f}"))
        .collect();
    // The rest of the RUN moves along when it is housekeeping of the same
    // tool (`npm ci && npm cache clean --force`); a build step stays.
    let program = run::program(run::effective_words(install.command));
    let housekeeping = |c: &SimpleCommand| {
        let words = run::effective_words(c);
        let literals: Vec<Option<&str>> = words.iter().map(|w| w.literal.as_deref()).collect();
        // `go mod verify` checks the downloaded modules against go.sum and
        // reads no source; `go mod tidy` reads the imports, so it stays.
        if literals.starts_with(&[Some("go"), Some("mod"), Some("verify")]) {
            return program == Some("go");
        }
        // `go clean` alone cleans the package in the working folder (it
        // loads the sources); only the cache flags are housekeeping.
        if literals.starts_with(&[Some("go"), Some("clean")]) {
            return program == Some("go")
                && literals.len() > 2
                && literals[2..].iter().all(|w| {
                    matches!(
                        w,
                        Some("-cache" | "-modcache" | "-testcache" | "-fuzzcache")
                    )
                });
        }
        run::program(words) == program
            && words
                .get(1)
                .and_then(|w| w.literal.as_deref())
                .is_some_and(|sub| {
                    matches!(
                        sub,
                        "cache"
                            | "store"
                            | "config"
                            | "clean"
                            | "clear-cache"
                            | "clearcache"
                            | "dedupe"
                    )
                })
    };
    let flags: String = instruction
        .command
        .flags
        .iter()
        .map(|f| format!("{} ", instruction.source_range(f.range).slice(source)))
        .collect();
    let indent = instruction.indent(source);
    let statements = &script.statements;
    let k = statements.iter().position(|s| *s == install.command.range);
    let before_install = |c: &SimpleCommand| c.range.end <= install.command.range.start;
    let prefix = prefix_moves && script.commands.iter().any(before_install);
    let rest_moves = matches!(view.form, RunForm::Shell(_))
        && script.commands.iter().all(|c| {
            (prefix && before_install(c))
                || std::ptr::eq(c, install.command)
                || (!c.nested && !before_install(c) && housekeeping(c))
        });
    if !prefix && rest_moves {
        let verb_end = logical.to_source(install.verb.range.end, Bias::Left);
        let range = instruction.range;
        let mut text = String::new();
        text.push_str(&source[range.start..verb_end]);
        text.push_str(&append);
        text.push_str(&source[verb_end..range.end]);
        if !text.ends_with('\n') {
            text.push_str(newline);
        }
        edits.push(Edit::delete(removal_range(source, range)));
        return Ok((String::new(), text));
    }
    let k = k.ok_or("the install is not a plain statement of the RUN")?;
    let verb_in_text = install.verb.range.end - install.command.range.start;
    let mut setup = String::new();
    if prefix {
        if !script.is_simple_chain() || k == 0 {
            return Err("the RUN is not a plain `&&` chain".to_owned());
        }
        let start = logical.to_source(statements[0].start, Bias::Right);
        let end = logical.to_source(statements[k - 1].end, Bias::Left);
        setup = format!("{indent}RUN {flags}{}{newline}", &source[start..end]);
    }
    let moved_end = if rest_moves {
        script.end_of_statements
    } else {
        install.command.range.end
    };
    let text = instruction.text(crate::syntax::TextRange::new(
        install.command.range.start,
        moved_end,
    ));
    let removal = if rest_moves {
        Edit::delete(removal_range(source, instruction.range))
    } else if prefix {
        let range = crate::syntax::TextRange::new(
            logical.to_source(statements[0].start, Bias::Right),
            logical.to_source(statements[k + 1].start, Bias::Right),
        );
        if range.slice(source).contains('#') {
            return Err("a comment sits inside the RUN".to_owned());
        }
        Edit::delete(range)
    } else {
        run::remove_statement(document, instruction, script, k)
            .ok_or("the RUN is not a plain `&&` chain")?
    };
    edits.push(removal);
    Ok((
        setup,
        format!(
            "{indent}RUN {flags}{}{append}{}{newline}",
            &text[..verb_in_text],
            &text[verb_in_text..]
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::{go_local_replace, go_requires};

    #[test]
    fn go_mod_requires() {
        assert!(!go_requires("module a\n\ngo 1.19\n"));
        assert!(!go_requires("module a\nrequire (\n)\n"));
        assert!(!go_requires("module a\n// require x v1.0.0\n"));
        assert!(go_requires("module a\nrequire example.com/x v1.0.0\n"));
        assert!(go_requires(
            "module a\nrequire (\n\texample.com/x v1.0.0 // indirect\n)\n"
        ));
    }

    #[test]
    fn go_mod_replaces_with_local_folders_only() {
        let one_line = "module a\n\nreplace example.com/lib => ../lib\n";
        assert_eq!(
            go_local_replace(one_line),
            Some(("example.com/lib".to_owned(), "../lib".to_owned()))
        );
        let block = "module a\nreplace (\n\texample.com/x v1.0.0 => example.com/y v1.2.0\n\texample.com/z => ./z // local\n)\n";
        assert_eq!(
            go_local_replace(block),
            Some(("example.com/z".to_owned(), "./z".to_owned()))
        );
        let version = "module a\nreplace example.com/x => example.com/fork v1.0.1\n";
        assert_eq!(go_local_replace(version), None);
        let commented = "module a\n// replace example.com/x => ./x\n";
        assert_eq!(go_local_replace(commented), None);
    }
}
