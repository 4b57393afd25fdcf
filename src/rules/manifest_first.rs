//! DS201 `manifest-first-copy`: copy the dependency manifests and install
//! before the broad source copy, so a code change does not re-run the
//! install. The ecosystems are data in `transforms/manifests.yaml`.

use super::run::{self, RunForm, RunView};
use super::{Checker, Rule};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::manifests::{Ecosystem, InstallCommand, Manifests, Strategy};
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
It is only reported when the context cannot be read (except npm, which gets
`COPY package*.json` as an unsafe fix), when the install runs in another
folder than the copy, when an instruction between the copy and the install
could change it, when `package.json` has lifecycle scripts, or when a
requirements file names local paths. A manifest that is not in the context
is never named.
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
    files: Vec<String>,
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
    let (verb, rest) = match sub {
        Some(i) if pattern.subcommands.iter().any(|s| s == literals[i]) => {
            (&words[i + 1], &literals[i + 1..])
        }
        None if pattern.bare => (&words[0], &literals[..0]),
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

/// The workdir in effect before `instruction` in the stage (`None` if unknown).
fn workdir_before(stage: &Stage<'_>, instruction: &Instruction) -> Option<String> {
    let mut dir = Some("/".to_owned());
    for i in stage
        .instructions
        .iter()
        .take_while(|i| i.range.start < instruction.range.start)
    {
        if i.keyword() == Keyword::Workdir {
            let text = i.args_text();
            dir = if text.starts_with('/') && !text.contains('$') {
                Some(text.trim_end_matches('/').to_owned())
            } else {
                None
            };
        }
    }
    dir
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
        let program = install.program_word.literal.as_deref().unwrap_or_default();
        let verb = install.verb.literal.as_deref().unwrap_or_default();
        let shown = if std::ptr::eq(install.program_word, install.verb) {
            program.to_owned()
        } else {
            format!("{program} {verb}")
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
    // Only harmless instructions between the copy and the install.
    for between in stage
        .instructions
        .iter()
        .filter(|i| i.range.start > b.range.start && i.range.start < view.instruction.range.start)
    {
        if !matches!(between.keyword(), Keyword::Expose | Keyword::Label) {
            return Err(format!(
                "the {} between them could change the install",
                between.keyword()
            ));
        }
    }
    // The install must run where the copy lands.
    let workdir = workdir_before(stage, b);
    let dest = copy.dest.trim_end_matches('/');
    let same_place = matches!(dest, "." | "")
        || workdir
            .as_deref()
            .is_some_and(|w| w == dest || (w == "/" && dest.is_empty()));
    let cd_first = script
        .commands
        .iter()
        .take_while(|c| !std::ptr::eq(*c, install.command))
        .any(|c| c.name() == Some("cd"));
    if !same_place || cd_first {
        return Err("the install does not run in the folder the copy writes to".to_owned());
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
            let run_text = moved_run(checker, view, script, install, &mut edits)?;
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

/// The RUN text that moves up (with `append_flags` added) and, in `edits`,
/// the removal of the install from where it was.
fn moved_run(
    checker: &Checker<'_>,
    view: &RunView<'_>,
    script: &Script,
    install: &Install<'_>,
    edits: &mut Vec<Edit>,
) -> Result<String, String> {
    let document = checker.document;
    let source = document.source();
    let instruction = view.instruction;
    let newline = document.newline();
    let append: String = install
        .eco
        .append_flags
        .iter()
        .map(|f| format!(" {f}"))
        .collect();
    let verb_end = instruction
        .logical
        .to_source(install.verb.range.end, Bias::Left);
    // The whole RUN moves when the rest of it is housekeeping of the same
    // tool (`npm ci && npm cache clean --force`); a build step stays.
    let program = run::program(run::effective_words(install.command));
    let housekeeping = |c: &SimpleCommand| {
        let words = run::effective_words(c);
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
    let only_install = matches!(view.form, RunForm::Shell(_))
        && script
            .commands
            .iter()
            .all(|c| std::ptr::eq(c, install.command) || (!c.nested && housekeeping(c)));
    if only_install {
        let range = instruction.range;
        let mut text = String::new();
        text.push_str(&source[range.start..verb_end]);
        text.push_str(&append);
        text.push_str(&source[verb_end..range.end]);
        if !text.ends_with('\n') {
            text.push_str(newline);
        }
        // The RUN goes; if it was the last line without a line break, the
        // break before it goes too, so no blank line is left.
        let remove = if source[range.start..range.end].ends_with('\n') || range.start == 0 {
            range
        } else {
            let before = source[..range.start].trim_end_matches(['\n', '\r']).len();
            crate::syntax::TextRange::new(before, range.end)
        };
        edits.push(Edit::delete(remove));
        return Ok(text);
    }
    let k = script
        .statements
        .iter()
        .position(|s| *s == install.command.range)
        .ok_or("the install is not a plain statement of the RUN")?;
    let removal = run::remove_statement(document, instruction, script, k)
        .ok_or("the RUN is not a plain `&&` chain")?;
    edits.push(removal);
    let statement = install.command.range;
    let text = instruction.text(statement);
    let verb_in_text = install.verb.range.end - statement.start;
    let flags: String = instruction
        .command
        .flags
        .iter()
        .map(|f| format!("{} ", instruction.source_range(f.range).slice(source)))
        .collect();
    let indent = instruction.indent(source);
    Ok(format!(
        "{indent}RUN {flags}{}{append}{}{newline}",
        &text[..verb_in_text],
        &text[verb_in_text..]
    ))
}
