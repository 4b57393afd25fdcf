//! DS401 `base-image-swap`: heavy base images replaced from the table in
//! `transforms/base-images.yaml`, per stage role, when the stage needs
//! nothing the lighter image lacks.

use super::run;
use super::shared::interpreter_start::{self, InterpreterStart};
use super::{Checker, Rule, packages};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::images::{Condition, Entry, Role, Safety};
use crate::syntax::shell::SimpleCommand;
use crate::syntax::{ImageRef, Instruction, Item, Keyword, Stage, TextRange};

pub static RULE: Rule = Rule {
    code: "DS401",
    name: "base-image-swap",
    summary: "a heavy base image where a slim, JRE, runtime or distroless one would do",
    fix_safety: "unsafe (per table entry)",
    doc: r#"## What it does
Replaces a stage's base image using the mapping table
(`transforms/base-images.yaml`, overlaid by `--mappings FILE`): `node:18`
becomes `node:18-slim`, a JDK becomes a JRE in the final stage, `golang` or
`rust` in a final stage that only runs a binary becomes distroless, the .NET
SDK becomes the ASP.NET Core runtime. The entry is chosen by the stage's role
(the final stage is the runtime, others are builders, which keep their
toolchain) and only when the stage needs nothing the lighter image lacks:
no compiler or native build, no build of its ecosystem, no tool slim images
lack (curl, git …) unless it installs it, no shell for distroless. Alpine
targets only with `--profile alpine`, and only for stages that install no
system packages. `scratch`, stage references and registries the table does
not name are never touched.

A final `node:{18,20,22}` or `python:3.11` stage that needs no shell (no
RUN, exec-form `CMD` that runs the interpreter, or for Node.js `npm start`
whose script is plain `node FILE`; no `ENTRYPOINT`, no `HEALTHCHECK`, no
user by name) becomes distroless (`gcr.io/distroless/nodejs20-debian12:nonroot`,
`gcr.io/distroless/python3-debian12:nonroot`), whose ENTRYPOINT starts the
interpreter: `CMD ["node", "server.js"]` becomes `CMD ["server.js"]`.
Otherwise the slim image, and the message says why not distroless;
`--profile prefer-slim` (or `profiles: [prefer-slim]`) keeps slim for teams
that want a shell in production.

## Why
The base image alone changes the image size up to tenfold (`node:18` is about
1 GB, `node:18-slim` about 240 MB, distroless a few MB), and everything in it
is attack surface. The estimated saving (compressed) is in the message and
the JSON output.

## Example
```dockerfile
FROM node:18
COPY . /app
CMD ["node", "/app/server.js"]
```
becomes
```dockerfile
FROM node:18-slim
COPY . /app
CMD ["node", "/app/server.js"]
```

## Fix safety
Unsafe by default: the message says what could differ (missing tools, musl
instead of glibc, no shell). A digest-pinned reference is only reported, with
the suggested image, since the new digest cannot be known offline. `FROM $BASE`
with a global `ARG BASE=…` changes the ARG's default when that is its only
use; otherwise it is reported.
"#,
    check,
};

/// Programs that compile native code.
const COMPILERS: [&str; 10] = [
    "gcc", "g++", "cc", "c++", "clang", "make", "cmake", "node-gyp", "ld", "ninja",
];
/// Packages that only make sense to compile.
const BUILD_PACKAGES: [&str; 8] = [
    "build-essential",
    "gcc",
    "g++",
    "make",
    "cmake",
    "musl-dev",
    "pkg-config",
    "libc6-dev",
];
/// Tools that slim images do not have.
const SLIM_LACKS: [&str; 9] = [
    "curl", "wget", "git", "ssh", "scp", "gpg", "unzip", "bzip2", "xz",
];
/// Build tools by program; `go`, `cargo` and `dotnet` only with these subcommands.
const BUILD_TOOLS: [&str; 7] = [
    "mvn", "mvnw", "gradle", "gradlew", "javac", "rustc", "jlink",
];

struct StageFacts {
    commands: Vec<String>,
    installed: Vec<String>,
    compiles: Option<String>,
    builds: Option<String>,
    lacks_tool: Option<String>,
    needs_shell: Option<&'static str>,
    packages: bool,
}

fn literal_args(command: &SimpleCommand) -> Vec<String> {
    run::effective_words(command)
        .iter()
        .filter_map(|w| w.literal.clone())
        .collect()
}

fn stage_facts(checker: &Checker<'_>, index: usize, stage: &Stage<'_>) -> StageFacts {
    let mut facts = StageFacts {
        commands: Vec::new(),
        installed: Vec::new(),
        compiles: None,
        builds: None,
        lacks_tool: None,
        needs_shell: None,
        packages: false,
    };
    let scripts: Vec<&crate::syntax::shell::Script> = checker
        .runs
        .iter()
        .filter(|v| v.stage == index)
        .filter_map(|v| v.script())
        .collect();
    for script in &scripts {
        for command in &script.commands {
            let args = literal_args(command);
            let Some(program) = args
                .first()
                .map(|p| p.rsplit('/').next().unwrap_or(p).to_owned())
            else {
                continue;
            };
            for manager in &checker.managers.managers {
                if packages::install(manager, command).is_some() {
                    facts.packages |= !matches!(
                        manager.name.value.as_str(),
                        "pip" | "npm" | "yarn" | "pnpm" | "gem" | "composer"
                    );
                    facts
                        .installed
                        .extend(args.iter().skip(1).filter(|a| !a.starts_with('-')).cloned());
                }
            }
            if matches!(
                program.as_str(),
                "useradd" | "adduser" | "groupadd" | "addgroup"
            ) {
                facts.packages = true;
            }
            let sub = args.get(1).map(String::as_str);
            if let Some(why) = pip_builds_from_source(checker, &args) {
                facts.compiles.get_or_insert(why);
            }
            if let Some(why) = js_install_may_compile(checker, &args) {
                facts.compiles.get_or_insert(why);
            }
            if let Some(why) = install_may_compile(&args) {
                facts.compiles.get_or_insert(why);
            }
            if COMPILERS.contains(&program.as_str()) {
                facts.compiles.get_or_insert(program.clone());
            }
            let ecosystem_build = BUILD_TOOLS.contains(&program.as_str())
                || (program == "go"
                    && matches!(sub, Some("build" | "install" | "test" | "generate" | "mod")))
                || (program == "cargo" && sub.is_some())
                || (program == "dotnet"
                    && matches!(sub, Some("build" | "publish" | "restore" | "test" | "pack")));
            if ecosystem_build {
                facts
                    .builds
                    .get_or_insert(args[..args.len().min(2)].join(" "));
            }
            facts.commands.push(program);
        }
    }
    if let Some(package) = facts.installed.iter().find(|p| {
        BUILD_PACKAGES.contains(&p.as_str()) || p.ends_with("-dev") || p.ends_with("-devel")
    }) {
        facts.compiles.get_or_insert(package.clone());
    }
    // What the container runs and checks its health with: the model's
    // start closure.
    let start = &checker.model.stages[index].start;
    for program in start.programs() {
        facts
            .commands
            .push(program.rsplit('/').next().unwrap_or(&program).to_owned());
    }
    if stage
        .instructions
        .iter()
        .any(|i| i.keyword() == Keyword::Run)
    {
        facts.needs_shell = Some("a RUN instruction");
    }
    if let Some(why) = start.needs_shell() {
        facts.needs_shell.get_or_insert(why);
    }
    facts.lacks_tool = facts
        .commands
        .iter()
        .find(|c| SLIM_LACKS.contains(&c.as_str()) && !facts.installed.iter().any(|p| p == *c))
        .cloned();
    facts
}

/// `pip install` of something that builds from source (a local path, a VCS
/// URL, `--no-binary`), directly or through a requirements file of the
/// context: it may need a compiler.
pub(crate) fn pip_builds_from_source(checker: &Checker<'_>, args: &[String]) -> Option<String> {
    let pip = args.first()?.rsplit('/').next()?;
    let is_pip = pip.starts_with("pip")
        || (pip.starts_with("python")
            && args.get(1).is_some_and(|a| a == "-m")
            && args.get(2).is_some_and(|a| a == "pip"));
    if !is_pip || !args.iter().any(|a| a == "install") {
        return None;
    }
    let from_source = |spec: &str| {
        spec.starts_with("./")
            || spec.starts_with('/')
            || spec == "."
            || spec.starts_with("-e")
            || spec.starts_with("--no-binary")
            || spec.starts_with("git+")
            || spec.starts_with("file:")
    };
    let mut files = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        if from_source(arg) {
            return Some(format!("pip install {arg}"));
        }
        if matches!(arg.as_str(), "-r" | "--requirement") {
            files.extend(args.get(i + 1).cloned());
        }
    }
    for file in files {
        let text = checker.context.text(&file)?;
        if let Some(line) = text.lines().map(str::trim).find(|l| from_source(l)) {
            return Some(format!("{file} installs `{line}` from source"));
        }
    }
    None
}

/// An npm, yarn or pnpm install whose dependencies may compile native code
/// (node-gyp needs the python3, make and g++ of the full image). Only an
/// install with no dependencies, or with `--ignore-scripts`, rules it out:
/// a lockfile's `hasInstallScript` names packages with install scripts, but
/// npm also builds any package that ships a `binding.gyp` without one, and
/// no lockfile records that (heapdump 0.3.15 is such a package: its
/// lockfile entry has no `hasInstallScript`, and `npm ci` compiles it). An
/// unknown build context (standard input) says nothing either way.
pub(crate) fn js_install_may_compile(checker: &Checker<'_>, args: &[String]) -> Option<String> {
    let program = args.first()?.rsplit('/').next()?;
    let sub = args.get(1).map(String::as_str);
    let installs = match program {
        "npm" => matches!(sub, Some("ci" | "install" | "i")),
        "yarn" => matches!(sub, None | Some("install")),
        "pnpm" => matches!(sub, Some("install" | "i")),
        _ => false,
    };
    if !installs || args.iter().any(|a| a == "--ignore-scripts") {
        return None;
    }
    let manifest = checker
        .context
        .text("package.json")
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())?;
    let lock = checker
        .context
        .text("package-lock.json")
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok());
    let locked = lock.as_ref().and_then(|l| l["packages"].as_object());
    if let Some((path, _)) = locked.and_then(|packages| {
        packages
            .iter()
            .find(|(_, p)| p["hasInstallScript"].as_bool() == Some(true))
    }) {
        let name = path.rsplit("node_modules/").next().unwrap_or(path);
        return Some(format!(
            "`{name}` runs an install script (native modules compile with node-gyp)"
        ));
    }
    let declared = ["dependencies", "optionalDependencies", "devDependencies"]
        .iter()
        .any(|key| manifest[key].as_object().is_some_and(|d| !d.is_empty()));
    let locked_any = locked.is_some_and(|p| p.keys().any(|k| !k.is_empty()));
    (declared || locked_any).then(|| {
        format!(
            "`{}`: a dependency may build a native addon from its binding.gyp, which no lockfile records",
            args[..2.min(args.len())].join(" ")
        )
    })
}

/// A pip, gem or Bundler install, which builds from source whatever has no
/// wheel for the platform or is a gem with a native extension: which ones
/// that are is not knowable offline, so only `--only-binary :all:` rules it
/// out.
fn install_may_compile(args: &[String]) -> Option<String> {
    let program = args.first()?.rsplit('/').next()?;
    let pip = program.starts_with("pip")
        || (program.starts_with("python")
            && args.get(1).is_some_and(|a| a == "-m")
            && args.get(2).is_some_and(|a| a == "pip"));
    let verb = |v: &str| args.iter().any(|a| a == v);
    if pip && verb("install") {
        let binary_only = args
            .windows(2)
            .any(|w| w[0] == "--only-binary" && w[1] == ":all:")
            || verb("--only-binary=:all:");
        return (!binary_only).then(|| {
            "`pip install`: a package without a wheel for the platform builds from source"
                .to_owned()
        });
    }
    if (program == "gem" && verb("install"))
        || (program == "bundle" && (args.len() == 1 || verb("install")))
    {
        return Some(format!(
            "`{program} install`: gems with native extensions compile"
        ));
    }
    None
}

/// Why `entry` does not fit the stage, if it does not.
fn unmet(entry: &Entry, facts: &StageFacts) -> Option<String> {
    for condition in &entry.when {
        let problem = match condition {
            Condition::NoCompile => facts
                .compiles
                .as_ref()
                .map(|c| format!("the stage compiles native code ({c})")),
            Condition::SlimTools => facts
                .lacks_tool
                .as_ref()
                .map(|t| format!("the stage uses {t}, which the image lacks")),
            Condition::NoShell => facts
                .needs_shell
                .map(|s| format!("the stage needs a shell ({s})")),
            Condition::NoBuild => facts
                .builds
                .as_ref()
                .map(|b| format!("the stage builds (`{b}`)")),
            Condition::NoPackages => facts
                .packages
                .then(|| "the stage installs system packages or adds users".to_owned()),
        };
        if problem.is_some() {
            return problem;
        }
    }
    None
}

/// A global `ARG NAME=value` (before the first FROM): the value's source range.
fn global_arg_value(checker: &Checker<'_>, name: &str) -> Option<(String, TextRange)> {
    for item in checker.document.items() {
        let Item::Instruction(instruction) = item else {
            continue;
        };
        if instruction.keyword() == Keyword::From {
            break;
        }
        if instruction.keyword() != Keyword::Arg {
            continue;
        }
        for word in instruction.words() {
            let text = instruction.text(word);
            let Some((key, value)) = text.split_once('=') else {
                continue;
            };
            if key != name || !instruction.logical.is_contiguous(word) {
                continue;
            }
            let start = word.start + key.len() + 1;
            let (value, range) = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                Some(inner) => (inner, TextRange::new(start + 1, word.end - 1)),
                None => (value, TextRange::new(start, word.end)),
            };
            return Some((value.to_owned(), instruction.source_range(range)));
        }
    }
    None
}

/// How the stage's base image was written.
#[derive(Clone, Copy)]
enum Via {
    Literal,
    /// `FROM $BASE`, from a global `ARG BASE=…`.
    ArgDefault {
        single_use: bool,
    },
    /// Variables inside the reference, resolved from global ARG defaults.
    Variables,
}

/// The reference with `$NAME` / `${NAME}` replaced by global ARG defaults;
/// `None` when one has no default.
fn resolve_variables(checker: &Checker<'_>, text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, len) = match after.strip_prefix('{') {
            Some(inner) => {
                let close = inner.find('}')?;
                (&inner[..close], close + 2)
            }
            None => {
                let len = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..len], len)
            }
        };
        out.push_str(&global_arg_value(checker, name)?.0);
        rest = &after[len..];
    }
    out.push_str(rest);
    Some(out)
}

fn variable_name(text: &str) -> Option<&str> {
    let name = text
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .or_else(|| text.strip_prefix('$'))?;
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then_some(name)
}

fn uses_of(source: &str, name: &str) -> usize {
    source.matches(&format!("${{{name}}}")).count()
        + source
            .match_indices(&format!("${name}"))
            .filter(|(i, m)| {
                !source[i + m.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            })
            .count()
}

fn check(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    let table = &checker.settings.images;
    // DS301 decides the stage layout first (pipeline order): a stage it
    // offers to split becomes a builder, which keeps its image. The split
    // is unsafe like this fix, so whenever this fix could apply, so does it.
    if super::offered_fix(out, &crate::rules::multi_stage_split::RULE).is_some() {
        return;
    }
    let mut aliases: Vec<String> = Vec::new();
    for (index, stage) in checker.stages.iter().enumerate() {
        let from: &Instruction = stage.from;
        let alias = stage.name().map(str::to_ascii_lowercase);
        let Some(written) = from.from_image() else {
            continue;
        };
        let is_stage_ref = aliases.contains(&written.text.to_ascii_lowercase());
        if let Some(alias) = alias {
            aliases.push(alias);
        }
        if is_stage_ref || written.is_scratch() {
            continue;
        }
        // Build arguments: `FROM $BASE` is resolved from the global ARG and
        // edited there; `FROM node:${VERSION}` is resolved and keeps its
        // variable when the replacement only adds a suffix.
        let (image, via) = if written.has_variables() {
            match variable_name(&written.text) {
                Some(name) => {
                    let Some((value, range)) = global_arg_value(checker, name) else {
                        continue;
                    };
                    let single_use = uses_of(checker.document.source(), name) == 1;
                    (
                        ImageRef::parse(&value, range),
                        Via::ArgDefault { single_use },
                    )
                }
                None => {
                    let Some(resolved) = resolve_variables(checker, &written.text) else {
                        continue;
                    };
                    (ImageRef::parse(&resolved, written.range), Via::Variables)
                }
            }
        } else {
            (written.clone(), Via::Literal)
        };
        let role = if checker.is_final_stage(index) {
            Role::Runtime
        } else {
            Role::Builder
        };
        let mut candidates: Vec<_> = table
            .candidates(&image)
            .into_iter()
            .filter(|(e, _)| e.role == role || e.role == Role::Any)
            .filter(|(e, _)| {
                e.profile
                    .as_ref()
                    .is_none_or(|p| checker.settings.profiles.contains(p))
            })
            .collect();
        // An enabled profile is a request: its entries go first.
        candidates.sort_by_key(|(e, _)| e.profile.is_none());
        // `prefer-slim`: no image without a shell for the interpreter.
        let mut skipped: Option<String> = None;
        if checker.settings.prefers_slim()
            && let Some((e, v)) = candidates.iter().find(|(e, _)| e.entrypoint.is_some())
        {
            skipped = Some(format!(
                "not `{}`: the prefer-slim profile keeps a shell",
                e.replacement(&image, v)
            ));
            candidates.retain(|(e, _)| e.entrypoint.is_none());
        }
        if candidates.is_empty() {
            continue;
        }
        if skipped.is_none() && !candidates.iter().any(|(e, _)| e.entrypoint.is_some()) {
            skipped =
                interpreter_start::why_no_interpreter_image(table, checker.settings, &image, role);
        }
        let facts = stage_facts(checker, index, stage);
        // An image that starts the interpreter itself also needs a start
        // command it can take, rewritten for its ENTRYPOINT.
        let fits = |e: &Entry| -> Result<Option<InterpreterStart<'_>>, String> {
            if let Some(why) = unmet(e, &facts) {
                return Err(why);
            }
            let Some(entrypoint) = &e.entrypoint else {
                return Ok(None);
            };
            if !matches!(via, Via::Literal) {
                return Err("the base image comes from a build argument".to_owned());
            }
            if let Some(why) = interpreter_start::user_obstacle(stage) {
                return Err(why);
            }
            interpreter_start::interpreter_start(checker, stage, entrypoint).map(Some)
        };
        let mut chosen = None;
        for (entry, values) in &candidates {
            match fits(entry) {
                Ok(start) => {
                    chosen = Some((*entry, values, start));
                    break;
                }
                Err(why) if entry.entrypoint.is_some() && skipped.is_none() => {
                    skipped = Some(format!(
                        "not `{}`: {why}",
                        entry.replacement(&image, values)
                    ));
                }
                Err(_) => {}
            }
        }
        let Some((entry, values, start)) = chosen else {
            // The first entry that is not distroless says why it was kept.
            let (entry, values) = candidates
                .iter()
                .find(|(e, _)| e.entrypoint.is_none())
                .unwrap_or(&candidates[0]);
            let why = unmet(entry, &facts).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    &RULE,
                    written.range,
                    format!(
                        "`{}` could be `{}` ({}), but {why}; kept",
                        image.text,
                        entry.replacement(&image, values),
                        entry.reason
                    ),
                )
                .with_fix(Fix::display_only()),
            );
            continue;
        };
        let replacement = entry.replacement(&image, values);
        let mut message = format!(
            "`{}` can be `{replacement}`, about {} MB smaller compressed: {}; what could differ: {}",
            image.text,
            entry.saving_mb(),
            entry.reason,
            entry.differs
        );
        if let Some(start) = &start {
            message.push_str(&format!("; CMD becomes `{}`", start.json()));
        }
        if let Some(why) = &skipped {
            message.push_str(&format!(" ({why})"));
        }
        let mut diagnostic = Diagnostic::new(&RULE, written.range, message);
        diagnostic.saving_mb = Some(entry.saving_mb());
        let applicability = match entry.safety {
            Safety::Safe => Applicability::Safe,
            Safety::Unsafe => Applicability::Unsafe,
        };
        let fix = if image.digest.is_some() {
            diagnostic
                .message
                .push_str(" (pinned by digest: pin the new image's digest by hand)");
            Fix::display_only()
        } else {
            match via {
                Via::ArgDefault { single_use: false } => {
                    diagnostic.message.push_str(
                        " (the base comes from an ARG used elsewhere too: change it by hand)",
                    );
                    Fix::display_only()
                }
                Via::Variables => match replacement.strip_prefix(image.text.as_str()) {
                    Some(suffix) if !suffix.is_empty() => {
                        Fix::new(vec![Edit::insert(written.range.end, suffix)], applicability)
                    }
                    _ => {
                        diagnostic
                            .message
                            .push_str(" (the reference uses build arguments: change it by hand)");
                        Fix::display_only()
                    }
                },
                _ => {
                    let mut edits = vec![Edit::replace(image.range, replacement)];
                    edits.extend(start.as_ref().map(InterpreterStart::edit));
                    // Distroless starts in /home/nonroot: a stage without a
                    // WORKDIR ran in /, and says so now.
                    if start.is_some()
                        && !stage
                            .instructions
                            .iter()
                            .any(|i| i.keyword() == Keyword::Workdir)
                    {
                        let source = checker.document.source();
                        let end = from.range.end;
                        let newline = checker.document.newline();
                        let lead = if source[..end].ends_with('\n') {
                            ""
                        } else {
                            newline
                        };
                        edits.push(Edit::insert(end, format!("{lead}WORKDIR /{newline}")));
                    }
                    Fix::new(edits, applicability)
                }
            }
        };
        out.push(diagnostic.with_fix(fix));
    }
}
