//! DS301 for two toolchains in one image: a front end built with Node.js
//! beside a Go server, in the golang image with `nodejs`/`npm` from apt (or
//! the node image with Go from apt). The split gives each toolchain a
//! builder from its official image (the front end's manifests first), and a
//! runtime with the server and the built assets it serves, at the path the
//! original build wrote them to. What this module does not know for certain
//! (where the front end's output goes, whether the server needs Node.js at
//! run time, a `go:embed` that takes more than the output) it reports.
//!
//! Python servers beside a front end are not handled here: they keep the
//! Python split's report about the Node.js packages.

use super::go::{default_binary, go_build};
use super::{
    RULE, copy_runtime_files, join_path, last_command, report, shape, split_edits, stage_obstacle,
    start_command, system_packages,
};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::Checker;
use crate::rules::run::{self, RunForm, RunView};
use crate::semantic::{Action, commands::SYSTEM_MANAGERS};
use crate::syntax::shell::SimpleCommand;
use crate::syntax::{Bias, Keyword, Stage, TextRange};
use serde_json::Value;

/// Programs of a front-end build step.
const JS_PROGRAMS: [&str; 7] = ["npm", "npx", "yarn", "yarnpkg", "pnpm", "node", "corepack"];

/// The toolchain the image adds from apt to its own.
#[derive(Clone, Copy, PartialEq)]
enum Host {
    /// The golang image, with Node.js from apt.
    Golang,
    /// The node image, with Go from apt.
    Node,
    /// The python image, with Node.js from apt.
    Python,
}

impl Host {
    /// The toolchain apt adds.
    fn foreign(self) -> &'static str {
        match self {
            Host::Golang | Host::Python => "Node.js",
            Host::Node => "Go",
        }
    }

    fn is_foreign(self, package: &str) -> bool {
        match self {
            Host::Golang | Host::Python => matches!(package, "nodejs" | "npm"),
            Host::Node => {
                matches!(package, "golang" | "golang-go")
                    || package
                        .strip_prefix("golang-")
                        .and_then(|p| p.strip_suffix("-go"))
                        .is_some_and(|v| v.split('.').all(|n| n.parse::<u32>().is_ok()))
            }
        }
    }
}

/// The Debian release an image tag names, bookworm when it names none: the
/// official golang and node images have been built on bookworm since 2023.
fn debian_release(tag: &str) -> &'static str {
    ["trixie", "bookworm", "bullseye", "buster"]
        .into_iter()
        .find(|c| tag.contains(c))
        .unwrap_or("bookworm")
}

/// The Node.js major version of Debian's `nodejs` package in a release.
fn debian_node(release: &str) -> &'static str {
    match release {
        "trixie" => "20",
        "bullseye" => "12",
        "buster" => "10",
        _ => "18",
    }
}

/// The Go version of Debian's `golang-go` package in a release.
fn debian_go(release: &str) -> &'static str {
    match release {
        "trixie" => "1.24",
        "bullseye" => "1.15",
        "buster" => "1.11",
        _ => "1.19",
    }
}

/// Returns true when the stage builds with two toolchains (a front-end
/// build and `go build`), having pushed a split or the reason there is none.
pub(super) fn check(checker: &Checker<'_>, stage: &Stage<'_>, out: &mut Vec<Diagnostic>) -> bool {
    let Some(image) = stage.image() else {
        return false;
    };
    let host = match image.canonical_name().as_str() {
        "golang" => Host::Golang,
        "node" => Host::Node,
        "python" => Host::Python,
        _ => return false,
    };
    let in_stage = |v: &&RunView<'_>| v.stage == stage.index;
    let js_build = checker.runs.iter().filter(in_stage).find_map(|v| {
        let command = v.script()?.commands.iter().find(|c| super::js_build(c))?;
        Some((v, command))
    });
    if host == Host::Python {
        let Some((view, command)) = js_build else {
            return false;
        };
        let what =
            "the image ships Node.js and the front end's node_modules with the Python server";
        match plan_python(checker, stage, view, command) {
            Ok(diagnostic) => out.push(diagnostic),
            Err(why) => out.push(report(view.instruction, command, what, &why)),
        }
        return true;
    }
    let has_js_build = js_build.is_some();
    let Some((go_view, go_command)) = last_command(checker, |c| go_build(c).is_some()) else {
        return false;
    };
    if !has_js_build {
        return false;
    }
    let what = "the image ships two toolchains (Go and Node.js), the front end's node_modules and the sources with the server";
    let say = |why: &str| report(go_view.instruction, go_command, what, why);
    match plan(checker, stage, host, go_view, go_command) {
        Ok(diagnostic) => out.push(diagnostic),
        Err(why) => out.push(say(&why)),
    }
    true
}

/// A Python server beside a front end: the front end moves to a builder of
/// its own and its output comes back where its build wrote it, so every
/// later step (and the server) finds it as before; the Python stage keeps
/// its image and steps, without Node.js and node_modules. (The Python
/// split itself is for single-stage files; it is not made here.)
fn plan_python(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    js_view: &RunView<'_>,
    js_command: &SimpleCommand,
) -> Result<Diagnostic, String> {
    let context = checker.context;
    let newline = checker.document.newline();
    let image = stage.image().ok_or("the stage has no image")?;
    if image.text.contains('$') {
        return Err("the image is named by a variable, so the Debian release apt installs from is not known".to_owned());
    }
    let (_, mut edits) = foreign_install(checker, stage, Host::Python)?;
    let front = front_end(checker, stage, None)?;
    let py_files: Vec<(&str, &str)> = context
        .texts()
        .filter(|(path, _)| path.ends_with(".py"))
        .collect();
    names_node(&py_files, &['"', '\''])?;
    let (copy_root, front_source, from_tool) = front_manifest(checker, stage, &front)?;
    let (_, start_dir) = start_command(checker, stage);
    let folders = python_folders(&py_files, &copy_root, &start_dir, &front.dir);
    let dist = join_path(&front.dir, &out_dir(from_tool, &folders)?);
    super::plain_path(&dist)?;
    if dist == front.dir || front.dir.starts_with(&format!("{dist}/")) {
        return Err(format!(
            "the front end's build writes `{dist}`, its own folder"
        ));
    }
    let node_image = format!(
        "node:{}",
        debian_node(debian_release(image.tag.as_deref().unwrap_or_default()))
    );
    let web = if stage.name() == Some("web") {
        "frontend"
    } else {
        "web"
    };
    let text = front_stage(checker, stage, &front, &front_source, &node_image, web);
    edits.push(Edit::insert(stage.from.range.start, text));
    for (i, view) in front.runs.iter().enumerate() {
        let range = view.instruction.range;
        if i + 1 == front.runs.len() {
            edits.push(Edit::replace(
                range,
                format!("COPY --from={web} {dist} {dist}{newline}"),
            ));
        } else {
            edits.push(Edit::delete(range));
        }
    }
    Ok(Diagnostic::new(
        &RULE,
        js_view.instruction.source_range(js_command.range),
        format!(
            "the image ships Node.js and the front end's node_modules with the Python server: build the front end on {node_image} and copy `{dist}` into the image"
        ),
    )
    .with_fix(Fix::new(edits, Applicability::Unsafe)))
}

/// The first folders under the front end's folder that Python code serves
/// from: Flask's `static_folder=`/`template_folder=` (relative to the
/// module's folder), Starlette's `directory=` and `send_from_directory(`
/// (relative to the folder the server starts in).
fn python_folders(
    py_files: &[(&str, &str)],
    copy_root: &str,
    start_dir: &str,
    front_dir: &str,
) -> Vec<String> {
    let mut folders = Vec::new();
    for (file, text) in py_files {
        let file_dir = join_path(copy_root, file.rsplit_once('/').map_or("", |(d, _)| d));
        for (key, base) in [
            ("static_folder=", file_dir.as_str()),
            ("template_folder=", file_dir.as_str()),
            ("directory=", start_dir),
            ("send_from_directory(", start_dir),
        ] {
            for (at, _) in text.match_indices(key) {
                let rest = text[at + key.len()..].trim_start();
                let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                    continue;
                };
                let Some(literal) = rest[1..].split(quote).next() else {
                    continue;
                };
                let path = join_path(base, literal);
                if let Some(first) = path
                    .strip_prefix(&format!("{front_dir}/"))
                    .and_then(|r| r.split('/').next())
                    .filter(|f| !f.is_empty())
                {
                    folders.push(first.to_owned());
                }
            }
        }
    }
    folders.sort();
    folders.dedup();
    folders
}

/// The front-end build steps, as found in the stage.
struct FrontEnd<'c> {
    /// The RUNs of the front-end build, in order.
    runs: Vec<&'c RunView<'c>>,
    /// Where the build runs (absolute).
    dir: String,
    /// Its commands, without the `cd`, in order.
    commands: Vec<&'c SimpleCommand>,
    /// The RUN of each command.
    command_runs: Vec<&'c RunView<'c>>,
}

fn plan(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    host: Host,
    go_view: &RunView<'_>,
    go_command: &SimpleCommand,
) -> Result<Diagnostic, String> {
    let document = checker.document;
    let context = checker.context;
    let newline = document.newline();
    let image = stage.image().ok_or("the stage has no image")?;
    let go = go_build(go_command).expect("matched by the caller");
    let build = go_view.instruction;
    if go.dynamic || go.changes_dir {
        return Err("the build's arguments use a variable or another folder (`-C`), so the binary's path is not certain".to_owned());
    }
    if image.text.contains('$') {
        return Err("the image is named by a variable, so the Debian release apt installs from is not known".to_owned());
    }
    // The node image's `node` user is not in the golang image or the runtime.
    if host == Host::Node
        && stage
            .instructions
            .iter()
            .any(|i| i.keyword() == Keyword::User)
    {
        return Err(
            "a USER of the node image would not exist in the Go builder and runtime".to_owned(),
        );
    }
    let shape = shape(checker, stage, build);
    // The toolchain from apt, and how to take it out.
    let (installs, mut edits) = foreign_install(checker, stage, host)?;
    let front = front_end(checker, stage, Some(build))?;
    // The server's binary, and that it is what the container starts.
    let binary = match &go.output {
        Some(output) => join_path(&shape.workdir, output),
        None => join_path(
            &shape.workdir,
            &default_binary(&go, context.text("go.mod"))?,
        ),
    };
    let (start, start_dir) = start_command(checker, stage);
    let started = start
        .first()
        .ok_or("the container's start command is not plain words")?;
    let base = |p: &str| p.rsplit('/').next().unwrap_or_default().to_owned();
    if join_path(&start_dir, started) != binary && base(started) != base(&binary) {
        return Err(format!(
            "the container starts `{}`, not the Go server `{binary}`",
            start.join(" ")
        ));
    }
    // Other steps must not need Node.js: `go generate` may run it.
    for view in checker.runs.iter().filter(|v| v.stage == stage.index) {
        let Some(script) = view.script() else {
            continue;
        };
        if script.commands.iter().any(|c| {
            let words = run::effective_words(c);
            run::program(words) == Some("go") && words.get(1).is_some_and(|w| w.is("generate"))
        }) {
            return Err("`go generate` may run the front end's tools".to_owned());
        }
    }
    // The server's code must not start Node.js itself.
    let go_files: Vec<(&str, &str)> = context
        .texts()
        .filter(|(path, _)| path.ends_with(".go"))
        .collect();
    names_node(&go_files, &['"'])?;
    // Where the context lands, and so where the front end comes from. The
    // output folder: from the build tool, or from the paths the server
    // reads (Go string literals and `go:embed` patterns under the front end).
    let (copy_root, front_source, from_tool) = front_manifest(checker, stage, &front)?;
    let references = server_references(&go_files, &copy_root, &start_dir, &front.dir)?;
    let out_dir = out_dir(from_tool, &references.folders)?;
    let dist = join_path(&front.dir, &out_dir);
    super::plain_path(&dist)?;
    if dist == front.dir || front.dir.starts_with(&format!("{dist}/")) {
        return Err(format!(
            "the front end's build writes `{dist}`, its own folder"
        ));
    }
    let embedded = references
        .embedded
        .iter()
        .any(|p| *p == dist || p.starts_with(&format!("{dist}/")));
    // A server that embeds its assets does not read them at run time,
    // unless it also names the folder in a string.
    let served = !embedded
        || references
            .named
            .iter()
            .any(|p| *p == dist || p.starts_with(&format!("{dist}/")));
    if let Some(why) = stage_obstacle(checker, stage, &shape, false, true) {
        return Err(why);
    }
    // The packages left must be build-only (the Go builder keeps them).
    let table = super::python::runtime_packages();
    if let Some(package) = system_packages(checker, build)?
        .iter()
        .filter(|p| !host.is_foreign(p))
        .find(|p| !table.build_only.iter().any(|b| b == *p))
    {
        return Err(format!(
            "the image installs `{package}`, which the running program may need and the runtime image would lack"
        ));
    }
    // The images: the front end's Node.js is the version apt gave.
    let release = debian_release(image.tag.as_deref().unwrap_or_default());
    let (node_image, go_image) = match host {
        Host::Golang | Host::Python => {
            (format!("node:{}", debian_node(release)), image.text.clone())
        }
        Host::Node => {
            let version = installs
                .iter()
                .find_map(|p| {
                    p.strip_prefix("golang-")
                        .and_then(|p| p.strip_suffix("-go"))
                })
                .unwrap_or(debian_go(release));
            (image.text.clone(), format!("golang:{version}"))
        }
    };
    let web = if stage.name() == Some("web") {
        "frontend"
    } else {
        "web"
    };
    let text = front_stage(checker, stage, &front, &front_source, &node_image, web);
    edits.push(Edit::insert(stage.from.range.start, text));
    if host == Host::Node {
        edits.push(Edit::replace(image.range, go_image.clone()));
    }
    // The front-end RUNs leave the Go builder; an embedded output comes
    // back where the last of them wrote it.
    for (i, view) in front.runs.iter().enumerate() {
        let range = view.instruction.range;
        if embedded && i + 1 == front.runs.len() {
            edits.push(Edit::replace(
                range,
                format!("COPY --from={web} {dist} {dist}{newline}"),
            ));
        } else {
            edits.push(Edit::delete(range));
        }
    }
    // As in the Go split: static unless the program uses cgo.
    let imports_c = go_files.iter().any(|(_, t)| t.contains("import \"C\""));
    let linking = super::go::go_linking(build, go_command, imports_c);
    let runtime = linking.runtime;
    edits.extend(linking.static_edit);
    let mut body = vec![format!("COPY --from={{alias}} {binary} {binary}")];
    if served {
        body.push(format!("COPY --from={web} {dist} {dist}"));
    }
    let front_dir = front.dir.clone();
    copy_runtime_files(
        checker,
        stage,
        &shape,
        |p| p == front_dir || p.starts_with(&format!("{front_dir}/")),
        &mut body,
    );
    let (split, _) = split_edits(checker, stage, &shape, runtime, &body, Vec::new());
    edits.extend(split);
    let assets = if served {
        format!(" with `{dist}`")
    } else {
        format!(" (`{dist}` embedded)")
    };
    Ok(Diagnostic::new(
        &RULE,
        build.source_range(go_command.range),
        format!(
            "the image ships Go, Node.js, the front end's node_modules and the sources with `{binary}`: build the front end on {node_image}, the server on {go_image}, and run it on {runtime}{assets}"
        ),
    )
    .with_fix(Fix::new(edits, Applicability::Unsafe)))
}

/// The front end's output folder, relative to its folder: what the build
/// tool says, which the folders the server names must agree with, or else
/// the one folder the server names.
fn out_dir(from_tool: Option<String>, folders: &[String]) -> Result<String, String> {
    match (from_tool, folders) {
        (Some(dir), folders)
            if folders
                .iter()
                .all(|f| dir.split('/').next() == Some(f.as_str())) =>
        {
            Ok(dir)
        }
        (Some(dir), []) => Ok(dir),
        (Some(dir), [folder, ..]) => Err(format!(
            "the build writes `{dir}` but the server reads `{folder}` in the front end's folder"
        )),
        (None, [folder]) => Ok(folder.clone()),
        (None, [_, _, ..]) => Err(
            "the server reads several folders of the front end's, so its output folder is not certain"
                .to_owned(),
        ),
        (None, []) => Err(
            "neither the front end's build script nor the server's code says which folder the build writes"
                .to_owned(),
        ),
    }
}

/// The front end's builder: its manifests, the install, its sources, the
/// build, in the folder the original build ran in.
fn front_stage(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    front: &FrontEnd<'_>,
    front_source: &str,
    node_image: &str,
    web: &str,
) -> String {
    let document = checker.document;
    let context = checker.context;
    let newline = document.newline();
    let in_context = |name: &str| in_front(front_source, name);
    let mut text = format!("FROM {node_image} AS {web}{newline}");
    let last_front = front
        .runs
        .last()
        .expect("a front end has a RUN")
        .instruction;
    for instruction in stage.instructions.iter().filter(|i| {
        matches!(i.keyword(), Keyword::Arg | Keyword::Env) && i.range.start < last_front.range.start
    }) {
        text.push_str(
            instruction
                .range
                .slice(document.source())
                .trim_end_matches(['\n', '\r']),
        );
        text.push_str(newline);
    }
    text.push_str(&format!("WORKDIR {}{newline}", front.dir));
    let source_copy = if front_source.is_empty() {
        "COPY . .".to_owned()
    } else {
        format!("COPY {front_source}/ ./")
    };
    let installs_first = front.commands.iter().take_while(|c| is_install(c)).count();
    let command_text = |k: usize| {
        front.command_runs[k]
            .instruction
            .text(front.commands[k].range)
            .trim()
            .to_owned()
    };
    let all_installs_first = front.commands[installs_first..]
        .iter()
        .all(|c| !is_install(c));
    if installs_first > 0 && all_installs_first {
        let manifests: Vec<String> = [
            "package.json",
            "package-lock.json",
            "npm-shrinkwrap.json",
            "yarn.lock",
            ".npmrc",
        ]
        .into_iter()
        .map(in_context)
        .filter(|f| context.has(f) == Some(true))
        .collect();
        text.push_str(&format!("COPY {} ./{newline}", manifests.join(" ")));
        let install: Vec<String> = (0..installs_first).map(command_text).collect();
        text.push_str(&format!("RUN {}{newline}", install.join(" && ")));
        text.push_str(&format!("{source_copy}{newline}"));
        if installs_first < front.commands.len() {
            let rest: Vec<String> = (installs_first..front.commands.len())
                .map(command_text)
                .collect();
            text.push_str(&format!("RUN {}{newline}", rest.join(" && ")));
        }
    } else {
        text.push_str(&format!("{source_copy}{newline}"));
        let all: Vec<String> = (0..front.commands.len()).map(command_text).collect();
        text.push_str(&format!("RUN {}{newline}", all.join(" && ")));
    }
    text.push_str(newline);
    text
}

/// An install of the front end's dependencies from its manifests.
fn is_install(command: &SimpleCommand) -> bool {
    let literals: Vec<&str> = run::effective_words(command)
        .iter()
        .map(|w| w.literal.as_deref().unwrap_or("$"))
        .collect();
    match literals.as_slice() {
        ["npm", "ci", ..] | ["yarn" | "yarnpkg"] => true,
        ["npm", "install" | "i", rest @ ..]
        | ["yarn" | "yarnpkg" | "pnpm", "install", rest @ ..] => {
            rest.iter().all(|w| w.starts_with('-'))
        }
        _ => false,
    }
}

/// The packages of the other toolchain the stage installs with apt, and
/// the edits that take them out: the whole RUN when it only installs them,
/// else their words.
fn foreign_install(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    host: Host,
) -> Result<(Vec<String>, Vec<Edit>), String> {
    let source = checker.document.source();
    let mut found = Vec::new();
    let mut edits = Vec::new();
    for (r, view) in checker
        .runs
        .iter()
        .enumerate()
        .filter(|(_, v)| v.stage == stage.index)
    {
        let Some(script) = view.script() else {
            continue;
        };
        let facts = &checker.model.runs[r].commands;
        let foreign_here = facts.iter().any(|f| match &f.action {
            Action::PackageInstall {
                manager, packages, ..
            } => {
                SYSTEM_MANAGERS.contains(&manager.as_str())
                    && packages.iter().any(|p| host.is_foreign(p))
            }
            _ => false,
        });
        if !foreign_here {
            continue;
        }
        let RunForm::Shell(_) = view.form else {
            return Err(format!(
                "{} is installed in a RUN that cannot be edited",
                host.foreign()
            ));
        };
        let mut only_foreign = true;
        for (k, command) in script.commands.iter().enumerate() {
            match &facts[k].action {
                Action::PackageInstall { packages, .. } => {
                    if packages.iter().any(|p| !host.is_foreign(p)) {
                        only_foreign = false;
                    }
                }
                Action::ListsUpdate { .. } | Action::Cleanup { .. } => {}
                _ => {
                    let program = run::program(run::effective_words(command)).unwrap_or("?");
                    return Err(format!(
                        "the RUN that installs {} also runs `{program}`",
                        host.foreign()
                    ));
                }
            }
        }
        let instruction = view.instruction;
        if only_foreign {
            edits.push(Edit::delete(instruction.range));
        }
        for (k, command) in script.commands.iter().enumerate() {
            let Action::PackageInstall { packages, .. } = &facts[k].action else {
                continue;
            };
            found.extend(packages.iter().filter(|p| host.is_foreign(p)).cloned());
            if only_foreign {
                continue;
            }
            if packages.iter().all(|p| host.is_foreign(p)) {
                return Err(format!(
                    "a RUN installs {} in a command of its own beside other packages",
                    host.foreign()
                ));
            }
            // Delete each run of the toolchain's words up to the next word,
            // or from the word before when it reaches the end.
            let words = run::effective_words(command);
            let foreign = |w: &crate::syntax::shell::Word| {
                w.literal.as_deref().is_some_and(|l| host.is_foreign(l))
            };
            let to_source = |at: usize, bias| instruction.logical.to_source(at, bias);
            let mut i = 0;
            while i < words.len() {
                if !foreign(&words[i]) {
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j + 1 < words.len() && foreign(&words[j + 1]) {
                    j += 1;
                }
                let range = if j + 1 < words.len() {
                    TextRange::new(
                        to_source(words[i].range.start, Bias::Right),
                        to_source(words[j + 1].range.start, Bias::Right),
                    )
                } else {
                    TextRange::new(
                        to_source(words[i - 1].range.end, Bias::Left),
                        to_source(words[j].range.end, Bias::Left),
                    )
                };
                if range.slice(source).contains('#') {
                    return Err(format!(
                        "a comment sits among the packages of {}",
                        host.foreign()
                    ));
                }
                edits.push(Edit::delete(range));
                i = j + 1;
            }
        }
    }
    if found.is_empty() {
        return Err(match host {
            Host::Golang | Host::Python => {
                "Node.js is not installed from Debian's packages, so its version is not known"
            }
            Host::Node => "Go is not installed from Debian's packages, so its version is not known",
        }
        .to_owned());
    }
    Ok((found, edits))
}

/// The front-end build: every RUN of the stage that runs a JS tool, each
/// made only of an optional `cd DIR` and JS tools, all in one folder and
/// before the Go build.
fn front_end<'c>(
    checker: &'c Checker<'_>,
    stage: &Stage<'_>,
    go_build: Option<&crate::syntax::Instruction>,
) -> Result<FrontEnd<'c>, String> {
    let mut front = FrontEnd {
        runs: Vec::new(),
        dir: String::new(),
        commands: Vec::new(),
        command_runs: Vec::new(),
    };
    for view in checker.runs.iter().filter(|v| v.stage == stage.index) {
        let Some(script) = view.script() else {
            continue;
        };
        let js = |c: &SimpleCommand| {
            run::program(run::effective_words(c)).is_some_and(|p| JS_PROGRAMS.contains(&p))
        };
        if !script.commands.iter().any(js) {
            continue;
        }
        let RunForm::Shell(script) = &view.form else {
            return Err(
                "the front-end build is a RUN that cannot be read as one shell line".to_owned(),
            );
        };
        if !script.is_simple_chain() || script.commands.iter().any(|c| c.nested) {
            return Err("the front-end build's RUN is not a plain chain of commands".to_owned());
        }
        if go_build.is_some_and(|b| view.instruction.range.start > b.range.start) {
            return Err("the front-end build runs after the Go build".to_owned());
        }
        if !view.instruction.command.flags.is_empty() {
            return Err("the front-end build's RUN has flags".to_owned());
        }
        let workdir = checker
            .model
            .workdir_before(view.instruction)
            .ok_or("a WORKDIR uses a variable that cannot be resolved")?;
        let mut dir = workdir.to_owned();
        for (k, command) in script.commands.iter().enumerate() {
            let words = run::effective_words(command);
            match run::program(words) {
                Some("cd") if k == 0 && words.len() == 2 => {
                    let target = words[1]
                        .literal
                        .as_deref()
                        .ok_or("the front-end build changes to a folder named by a variable")?;
                    dir = join_path(workdir, target);
                }
                Some(p) if JS_PROGRAMS.contains(&p) => {
                    front.commands.push(command);
                    front.command_runs.push(view);
                }
                other => {
                    return Err(format!(
                        "the front-end build's RUN also runs `{}`",
                        other.unwrap_or("a command that cannot be read")
                    ));
                }
            }
        }
        if !front.dir.is_empty() && front.dir != dir {
            return Err("the front-end build runs in several folders".to_owned());
        }
        front.dir = dir;
        front.runs.push(view);
    }
    if front.runs.is_empty() {
        return Err("the front-end build cannot be read".to_owned());
    }
    Ok(front)
}

/// `name` in the front end's folder of the build context (`source`, empty
/// for the context's top).
fn in_front(source: &str, name: &str) -> String {
    if source.is_empty() {
        name.to_owned()
    } else {
        format!("{source}/{name}")
    }
}

/// Refuses a server whose code names node, npm or npx as a string (in
/// `quotes`, its language's string quotes): it may run Node.js at run time,
/// which the runtime stage lacks.
fn names_node(files: &[(&str, &str)], quotes: &[char]) -> Result<(), String> {
    for (path, text) in files {
        for tool in ["node", "npm", "npx"] {
            if quotes
                .iter()
                .any(|q| text.contains(&format!("{q}{tool}{q}")))
            {
                return Err(format!(
                    "`{path}` names `{tool}`, so the server may run Node.js at run time"
                ));
            }
        }
    }
    Ok(())
}

/// Where the build context lands and the front end's folder in it
/// (`front_source`), with the output folder the front end's build tool
/// names, if it names one; its package.json must be in the context.
fn front_manifest(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    front: &FrontEnd<'_>,
) -> Result<(String, String, Option<String>), String> {
    let (copy_root, front_source) = front_source(checker, stage, front)?;
    let in_context = |name: &str| in_front(&front_source, name);
    let package = checker
        .context
        .text(&in_context("package.json"))
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
        .ok_or_else(|| {
            format!(
                "`{}` is not in the build context",
                in_context("package.json")
            )
        })?;
    let from_tool = tool_out_dir(checker, front, &package, &in_context)?;
    Ok((copy_root, front_source, from_tool))
}

/// Where the build context lands in the image (the destination of `COPY .`
/// before the front-end build) and the front end's folder in the context.
fn front_source(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    front: &FrontEnd<'_>,
) -> Result<(String, String), String> {
    let first = front.runs[0].instruction.range.start;
    let copies: Vec<_> = stage
        .instructions
        .iter()
        .filter(|i| i.range.start < first)
        .filter(|i| matches!(i.keyword(), Keyword::Copy | Keyword::Add))
        .collect();
    let whole = |i: &&crate::syntax::Instruction| {
        let words = i.words();
        i.flag("from").is_none() && words.len() == 2 && matches!(i.text(words[0]), "." | "./")
    };
    let at = copies
        .iter()
        .rposition(|i| whole(i))
        .ok_or("the front end's files do not come from a `COPY . DEST` of the build context")?;
    let copy = copies[at];
    // A later copy into the front end's folder would not reach its builder.
    for later in &copies[at + 1..] {
        let dest = later
            .words()
            .last()
            .map(|w| later.text(*w))
            .unwrap_or_default();
        let dest = join_path(checker.model.workdir_before(later).unwrap_or("/"), dest);
        // Files copied above the front end's folder stay out of it; a
        // folder (or a pattern, or another stage's files) may reach into it.
        let words = later.words();
        let folder_source = later.flag("from").is_some()
            || words[..words.len().saturating_sub(1)].iter().any(|w| {
                let source = later.text(*w);
                source.contains(['*', '?', '['])
                    || checker.context.is_dir(source.trim_end_matches('/')) != Some(false)
            });
        if dest == front.dir
            || dest.starts_with(&format!("{}/", front.dir))
            || (folder_source
                && front
                    .dir
                    .starts_with(&format!("{}/", dest.trim_end_matches('/'))))
        {
            return Err(format!(
                "a {} into `{dest}` after the context's copy would not reach the front end's builder",
                later.keyword()
            ));
        }
    }
    let workdir = checker
        .model
        .workdir_before(copy)
        .ok_or("a WORKDIR uses a variable that cannot be resolved")?;
    let words = copy.words();
    let root = join_path(workdir, copy.text(words[1]));
    let source = if front.dir == root {
        String::new()
    } else {
        front
            .dir
            .strip_prefix(&format!("{}/", root.trim_end_matches('/')))
            .ok_or_else(|| {
                format!(
                    "the front end's folder `{}` is not in the copied context",
                    front.dir
                )
            })?
            .to_owned()
    };
    Ok((root, source))
}

/// The output folder the front end's build tool writes, relative to the
/// front end's folder: `--outDir`/`-o`, vite's `dist`, react-scripts'
/// `build`; `None` when the tools do not say.
fn tool_out_dir(
    checker: &Checker<'_>,
    front: &FrontEnd<'_>,
    package: &Value,
    in_context: &dyn Fn(&str) -> String,
) -> Result<Option<String>, String> {
    let mut texts: Vec<String> = Vec::new();
    for command in &front.commands {
        let words: Vec<&str> = run::effective_words(command)
            .iter()
            .map(|w| w.literal.as_deref().unwrap_or("$"))
            .collect();
        let script = match words.as_slice() {
            ["npm" | "pnpm", "run" | "run-script", name, ..] => Some(*name),
            ["yarn" | "yarnpkg", "run", name, ..] => Some(*name),
            ["yarn" | "yarnpkg" | "pnpm", name, ..] if !is_install(command) => Some(*name),
            _ => None,
        };
        match script {
            Some(name) => {
                let text = package["scripts"][name].as_str().ok_or_else(|| {
                    format!("the front end's package.json has no `{name}` script")
                })?;
                if text.split_whitespace().any(|w| w == "go") {
                    return Err(format!("the front end's `{name}` script runs `go`"));
                }
                texts.push(text.to_owned());
            }
            None if !is_install(command) => texts.push(words.join(" ")),
            None => {}
        }
    }
    let mut found: Option<String> = None;
    for text in texts {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut dir = None;
        for (i, word) in words.iter().enumerate() {
            for flag in ["--outDir", "--out-dir", "--outdir", "-o", "--output"] {
                if *word == flag {
                    dir = words.get(i + 1).map(|w| w.to_string());
                } else if let Some(v) = word.strip_prefix(&format!("{flag}=")) {
                    dir = Some(v.to_owned());
                }
            }
        }
        if dir.is_none() && words.windows(2).any(|w| w == ["vite", "build"]) {
            let configured = [
                "vite.config.js",
                "vite.config.ts",
                "vite.config.mjs",
                "vite.config.mts",
            ]
            .into_iter()
            .any(|f| {
                checker
                    .context
                    .text(&in_context(f))
                    .is_some_and(|t| t.contains("outDir"))
            });
            if configured {
                return Err("vite's configuration sets `outDir`, which is not read".to_owned());
            }
            dir = Some("dist".to_owned());
        }
        if dir.is_none() && words.windows(2).any(|w| w == ["react-scripts", "build"]) {
            if text.contains("BUILD_PATH") {
                return Err("react-scripts' BUILD_PATH is set".to_owned());
            }
            dir = Some("build".to_owned());
        }
        if let Some(dir) = dir {
            if dir.contains('$') {
                return Err("the build's output folder uses a variable".to_owned());
            }
            let dir = dir
                .trim_matches(['"', '\''])
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_owned();
            if found.as_ref().is_some_and(|f| *f != dir) {
                return Err("the front end's build writes several output folders".to_owned());
            }
            found = Some(dir);
        }
    }
    Ok(found)
}

/// What the Go code says about the front end's folder.
struct References {
    /// First folders under the front end's folder that the code names
    /// (strings or `go:embed` patterns).
    folders: Vec<String>,
    /// Absolute paths embedded with `go:embed`.
    embedded: Vec<String>,
    /// Absolute paths named in strings (read at run time).
    named: Vec<String>,
}

fn server_references(
    go_files: &[(&str, &str)],
    copy_root: &str,
    start_dir: &str,
    front_dir: &str,
) -> Result<References, String> {
    let mut refs = References {
        folders: Vec::new(),
        embedded: Vec::new(),
        named: Vec::new(),
    };
    let under = |path: &str| -> Option<String> {
        path.strip_prefix(&format!("{front_dir}/"))
            .and_then(|rest| rest.split('/').next())
            .filter(|first| !first.is_empty())
            .map(str::to_owned)
    };
    for (file, text) in go_files {
        let file_dir = join_path(copy_root, file.rsplit_once('/').map_or("", |(d, _)| d));
        for line in text.lines() {
            let line = line.trim();
            if let Some(patterns) = line.strip_prefix("//go:embed ") {
                for pattern in patterns.split_whitespace() {
                    let pattern = pattern.trim_matches(['"', '`']).trim_start_matches("all:");
                    let path = join_path(&file_dir, pattern);
                    // The pattern's fixed part, before a glob: what it may
                    // take. One that takes the front end's folder, or one
                    // above it, embeds its sources and node_modules.
                    let fixed = path
                        .split('/')
                        .take_while(|c| !c.contains(['*', '?', '[']))
                        .collect::<Vec<_>>()
                        .join("/");
                    let fixed = if fixed.is_empty() {
                        "/".to_owned()
                    } else {
                        fixed
                    };
                    let glob = fixed != path;
                    if (glob
                        && (fixed == front_dir
                            || front_dir.starts_with(&format!("{}/", fixed.trim_end_matches('/')))))
                        || (!glob
                            && (path == front_dir || front_dir.starts_with(&format!("{path}/"))))
                    {
                        return Err(format!(
                            "`{file}` embeds `{pattern}`, which takes more than the front end's output"
                        ));
                    }
                    if let Some(first) = under(&path) {
                        refs.folders.push(first);
                        refs.embedded.push(path);
                    }
                }
                continue;
            }
            // The folders the server serves files from at run time,
            // relative to the folder it starts in.
            for literal in served_paths(line) {
                let path = join_path(start_dir, &literal);
                if let Some(first) = under(&path) {
                    refs.folders.push(first);
                    refs.named.push(path);
                }
            }
        }
    }
    refs.folders.sort();
    refs.folders.dedup();
    Ok(refs)
}

/// Calls that serve files from a folder or file named by a string: the
/// standard library's (`http.Dir`, `os.DirFS`, `http.ServeFile`) and the
/// routers' (`Static`, `StaticFile`, `StaticFS` of gin, echo, chi …).
const SERVING_CALLS: [&str; 6] = [
    "http.Dir(",
    "os.DirFS(",
    "ServeFile(",
    "Static(",
    "StaticFile(",
    "StaticFS(",
];

/// The path a serving call on this line of Go names: its last string
/// literal argument (at the call's own level: `os.Getenv("DIR")` names a
/// variable, not a folder). Only these count, not every string: a content
/// type or a route is not a folder.
fn served_paths(line: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for call in SERVING_CALLS {
        for (at, _) in line.match_indices(call) {
            let mut depth = 0usize;
            let mut literal: Option<String> = None;
            let mut last = None;
            for c in line[at + call.len()..].chars() {
                match (&mut literal, c) {
                    (Some(text), '"') => {
                        if depth == 0 {
                            last = Some(std::mem::take(text));
                        }
                        literal = None;
                    }
                    (Some(text), c) => text.push(c),
                    (None, '"') => literal = Some(String::new()),
                    (None, '(') => depth += 1,
                    (None, ')') if depth == 0 => break,
                    (None, ')') => depth -= 1,
                    _ => {}
                }
            }
            if let Some(path) = last.filter(|p| !p.is_empty()) {
                paths.push(path);
            }
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_paths_are_the_folders_serving_calls_name() {
        assert_eq!(
            served_paths(r#"mux.Handle("/", http.FileServer(http.Dir("web/dist")))"#),
            ["web/dist"]
        );
        assert_eq!(
            served_paths(r#"r.Static("/assets", "./web/build")"#),
            ["./web/build"]
        );
        assert_eq!(
            served_paths(r#"http.ServeFile(w, r, "web/dist/index.html")"#),
            ["web/dist/index.html"]
        );
        // A content type or a route is not a folder.
        assert!(served_paths(r#"w.Header().Set("Content-Type", "application/json")"#).is_empty());
        assert!(served_paths(r#"http.Dir(os.Getenv("STATIC_DIR"))"#).is_empty());
    }

    #[test]
    fn foreign_packages() {
        assert!(Host::Golang.is_foreign("nodejs"));
        assert!(Host::Golang.is_foreign("npm"));
        assert!(!Host::Golang.is_foreign("git"));
        assert!(Host::Node.is_foreign("golang-go"));
        assert!(Host::Node.is_foreign("golang-1.19-go"));
        assert!(!Host::Node.is_foreign("golang-github-foo-dev"));
        assert!(!Host::Node.is_foreign("nodejs"));
    }

    #[test]
    fn debian_versions_by_tag() {
        assert_eq!(debian_node(debian_release("1.19")), "18");
        assert_eq!(debian_node(debian_release("1.21-bookworm")), "18");
        assert_eq!(debian_node(debian_release("1.19-bullseye")), "12");
        assert_eq!(debian_go(debian_release("18")), "1.19");
        assert_eq!(debian_go(debian_release("20-trixie")), "1.24");
    }

    #[test]
    fn embed_patterns_and_served_folders_under_the_front_end() {
        let files = [(
            "main.go",
            "//go:embed all:web/dist\nvar a embed.FS\nhttp.Handle(\"/\", http.FileServer(http.Dir(\"web/dist\")))\n",
        )];
        let refs = server_references(&files, "/src", "/src", "/src/web").unwrap();
        assert_eq!(refs.folders, ["dist"]);
        assert_eq!(refs.embedded, ["/src/web/dist"]);
        assert_eq!(refs.named, ["/src/web/dist"]);
        // The whole front end (sources and node_modules), or a glob over it.
        for pattern in ["web", "web/*", "*", "."] {
            let text = format!("//go:embed {pattern}\n");
            let files = [("main.go", text.as_str())];
            assert!(
                server_references(&files, "/src", "/src", "/src/web").is_err(),
                "{pattern}"
            );
        }
        // A package one folder down embeds relative to its own folder.
        let files = [("server/assets.go", "//go:embed static\n")];
        let refs = server_references(&files, "/src", "/src", "/src/server").unwrap();
        assert_eq!(refs.embedded, ["/src/server/static"]);
    }
}
