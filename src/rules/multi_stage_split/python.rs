//! DS301's Python split: the builder installs into a virtualenv, the runtime
//! stage (the slim image) gets the virtualenv, the app folder and the shared
//! libraries the compiled modules need.

use super::libraries;
use super::*;
use crate::images::Role;
use crate::rules::shared::interpreter_start::{
    InterpreterStart, interpreter_image, interpreter_start, user_obstacle, why_no_interpreter_image,
};
pub(super) fn runtime_packages() -> &'static crate::transforms::RuntimePackages {
    crate::transforms::RuntimePackages::builtin()
}

const VENV: &str = "/opt/venv";

pub(super) fn check_python(checker: &Checker<'_>, stage: &Stage<'_>, out: &mut Vec<Diagnostic>) {
    let what = "the image ships compilers, headers and build caches with the installed packages";
    let document = checker.document;
    let source = document.source();
    let newline = document.newline();
    // The installs: pip into what becomes a virtualenv, apt packages sorted
    // into build-only and runtime ones.
    let mut pip = None;
    // The last RUN that installs with pip: the library listing goes right
    // after it, so a rebuild after a source change reuses it.
    let mut last_pip: Option<&crate::syntax::Instruction> = None;
    let mut runtime_apt: Vec<String> = Vec::new();
    let mut build_apt = false;
    // A `-dev` package the table does not know: its runtime library is only
    // known once the builder has compiled against it.
    let mut unknown_dev = None;
    // Folders a RUN creates: the runtime stage only has those in the app folder.
    let mut made = Vec::new();
    // A pip install that builds from source (a local package, a VCS URL):
    // it needs the compilers of the official image, which the Debian
    // builder of a distroless split does not have.
    let mut from_source: Option<String> = None;
    let table = runtime_packages();
    for view in checker.runs.iter() {
        let RunForm::Shell(script) = &view.form else {
            if let Some(command) = view.script().and_then(|s| s.commands.first()) {
                out.push(report(
                    view.instruction,
                    command,
                    what,
                    "a heredoc RUN cannot be checked",
                ));
            }
            return;
        };
        for command in script.commands.iter().filter(|c| !c.nested) {
            let literals: Vec<&str> = run::effective_words(command)
                .iter()
                .filter_map(|w| w.literal.as_deref())
                .collect();
            let program = run::program(run::effective_words(command)).unwrap_or_default();
            let is_pip = program.starts_with("pip")
                || (program.starts_with("python")
                    && literals.get(1) == Some(&"-m")
                    && literals.get(2) == Some(&"pip"));
            if is_pip {
                if literals.contains(&"--user")
                    || literals.contains(&"--target")
                    || literals.contains(&"--prefix")
                {
                    out.push(report(
                        view.instruction,
                        command,
                        what,
                        "pip installs outside the environment (`--user`, `--target`, `--prefix`)",
                    ));
                    return;
                }
                let args: Vec<String> = literals.iter().map(|w| w.to_string()).collect();
                if let Some(why) =
                    crate::rules::base_image_swap::pip_builds_from_source(checker, &args)
                {
                    from_source.get_or_insert(why);
                }
                pip.get_or_insert((view.instruction, command));
                last_pip = Some(view.instruction);
                continue;
            }
            match program {
                "apt-get" | "apt" => {
                    if literals.contains(&"install") {
                        for package in literals
                            .iter()
                            .skip_while(|w| **w != "install")
                            .skip(1)
                            .filter(|w| !w.starts_with('-'))
                        {
                            let package = package.split('=').next().unwrap_or(package);
                            if table.build_only.iter().any(|b| b == package) {
                                build_apt = true;
                            } else if let Some(lib) = table.runtime_of.get(package) {
                                build_apt = true;
                                if !runtime_apt.contains(lib) {
                                    runtime_apt.push(lib.clone());
                                }
                            } else if package.ends_with("-dev") {
                                // Which library it builds against is found in
                                // the builder (see `scan_run`).
                                build_apt = true;
                                unknown_dev.get_or_insert((
                                    view.instruction,
                                    command,
                                    package.to_string(),
                                ));
                            } else if !runtime_apt.iter().any(|p| p == package) {
                                runtime_apt.push(package.to_owned());
                            }
                        }
                    }
                }
                "mkdir" => {
                    for path in literals.iter().skip(1).filter(|w| !w.starts_with('-')) {
                        made.push((view.instruction, command, path.to_string()));
                    }
                }
                "rm" | "echo" | "set" | "true" => {}
                other => {
                    out.push(report(
                        view.instruction,
                        command,
                        what,
                        &format!("a RUN of `{other}` may write outside the app folder"),
                    ));
                    return;
                }
            }
        }
    }
    let Some((install, command)) = pip else {
        return;
    };
    if !build_apt
        && checker
            .settings
            .images
            .candidates(&stage.image().expect("a FROM has an image"))
            .is_empty()
    {
        return;
    }
    // The app folder: the final WORKDIR, which every COPY must write into.
    let workdir = match libraries::app_folder(checker, stage, (install, command, what), &made) {
        Ok(workdir) => workdir,
        Err(report) => {
            out.push(report);
            return;
        }
    };
    let Some(image) = stage.image() else { return };
    let runtime = runtime_image(checker, &image).unwrap_or_else(|| image.text.clone());
    // The builder may hold shared libraries the runtime image lacks: those of
    // a heavier base (the full `python:3.11` ships dozens of `-dev`
    // packages that a source build links against without the Dockerfile
    // naming them) and those of a `-dev` package the table does not know.
    // Which ones the compiled code uses is knowable only in the builder, so
    // the builder lists them and the runtime stage installs them.
    // Distroless when the runtime needs no system package and no shell.
    let blocker = if !runtime_apt.is_empty() || build_apt || unknown_dev.is_some() {
        Some(
            "the image installs system packages, which a runtime without a package manager cannot"
                .to_owned(),
        )
    } else {
        from_source.map(|why| {
            format!(
                "{why}, which needs the compilers and headers of `{}`",
                image.text
            )
        })
    };
    let distroless = match blocker {
        None => distroless_runtime(checker, stage, &image),
        Some(why) => match interpreter_image(
            &checker.settings.images,
            checker.settings,
            &image,
            Role::Runtime,
        ) {
            Some((_, name)) => Err(format!("not `{name}`: {why}")),
            None => Ok(None),
        },
    };
    let (distroless, not_distroless) = match distroless {
        Ok(found) => (found, None),
        Err(why) => (None, Some(why)),
    };
    let runtime = distroless
        .as_ref()
        .map_or(runtime, |(name, _)| name.clone());
    // Only wheels install in the Debian builder (it has no compiler), and a
    // manylinux wheel carries the libraries it links: nothing to list.
    let scan = distroless.is_none() && (runtime != image.text || unknown_dev.is_some());
    if scan && !libraries::debian_based(&image.text) {
        let (run, command, why) = match &unknown_dev {
            Some((run, command, package)) => (*run, *command, format!("`{package}` has no known runtime library (transforms/runtime-packages.yaml) and the image is not Debian-based, so the builder cannot list it")),
            None => (install, command, "the image is not Debian-based, so the builder cannot list the shared libraries the runtime needs".to_owned()),
        };
        out.push(report(run, command, what, &why));
        return;
    }
    // The edits: the builder installs into a virtualenv from the start; the
    // runtime stage, appended, gets the virtualenv and the app folder; what
    // the container runs moves to it.
    let mut edits = Vec::new();
    let as_build = if stage.name().is_none() {
        " AS build"
    } else {
        ""
    };
    if distroless.is_some() {
        edits.push(Edit::replace(
            image.range,
            format!("{DEBIAN_BUILDER}{as_build}"),
        ));
    } else if !as_build.is_empty() {
        edits.push(Edit::insert(image.range.end, as_build));
    }
    let alias = stage.name().unwrap_or("build").to_owned();
    let env_line = format!("ENV VIRTUAL_ENV={VENV} PATH={VENV}/bin:$PATH");
    let from_end = stage.from.range.end;
    let lead = if source[..from_end].ends_with('\n') {
        ""
    } else {
        newline
    };
    let venv = if distroless.is_some() {
        // Debian's python3, the interpreter distroless has at
        // /usr/bin/python3: the virtualenv's python links to it.
        format!(
            "RUN apt-get update && apt-get install -y --no-install-recommends python3-venv && rm -rf /var/lib/apt/lists/* && python3 -m venv {VENV}"
        )
    } else {
        format!("RUN python -m venv {VENV}")
    };
    edits.push(Edit::insert(
        from_end,
        format!("{lead}{env_line}{newline}{venv}{newline}"),
    ));
    let escape = document.escape();
    let mut text = String::new();
    if scan && let Some(last) = last_pip {
        let listing = libraries::scan_run(VENV, "*.so*", &runtime_apt, escape, newline);
        let at = last.range.end;
        let lead = if source[..at].ends_with('\n') {
            ""
        } else {
            newline
        };
        edits.extend(run::close_continuation(document, last));
        edits.push(Edit::insert(at, format!("{lead}{listing}")));
    }
    text.push_str(&format!(
        "{newline}FROM {runtime}{newline}{env_line}{newline}"
    ));
    if scan {
        text.push_str(&libraries::install_scanned_run(&alias, escape, newline));
    } else if !runtime_apt.is_empty() {
        text.push_str(&format!(
            "RUN apt-get update && apt-get install -y --no-install-recommends {} && rm -rf /var/lib/apt/lists/*{newline}",
            runtime_apt.join(" ")
        ));
    }
    text.push_str(&format!("COPY --from={alias} {VENV} {VENV}{newline}"));
    // The virtualenv's python, which finds the environment the image's own
    // /usr/bin/python3.11 would not.
    let rewrite = |instruction: &crate::syntax::Instruction| match &distroless {
        Some((_, start)) if std::ptr::eq(start.cmd, instruction) => Some(format!(
            "ENTRYPOINT [\"{VENV}/bin/python3\"]{newline}CMD {}",
            start.json()
        )),
        _ => None,
    };
    libraries::append_app_runtime(
        checker,
        stage,
        (&alias, &workdir),
        text,
        &mut edits,
        rewrite,
    );
    out.push(
        Diagnostic::new(
            &RULE,
            install.source_range(command.range),
            match &distroless {
                Some(_) => format!("{what}: install into a virtualenv of Debian's Python 3.11 in a {DEBIAN_BUILDER} builder (no compiler: a package without a wheel fails the build there) and run on {runtime} (no shell) with only the environment and the app"),
                None => format!(
                    "{what}: install into a virtualenv in a builder stage and run on {runtime} with only the environment, the app and its shared libraries{}",
                    not_distroless.map_or(String::new(), |why| format!(" ({why})"))
                ),
            },
        )
        .with_fix(Fix::new(edits, Applicability::Unsafe)),
    );
}

/// The builder of a distroless split: Debian 12, whose python3 is the one
/// distroless ships.
const DEBIAN_BUILDER: &str = "debian:12-slim";

/// The distroless Python image for the stage and its start command
/// rewritten for it, or why not; `Ok(None)` when the table has none for the
/// image and says nothing (no Python image of the table).
fn distroless_runtime<'a>(
    checker: &Checker<'_>,
    stage: &Stage<'a>,
    image: &crate::syntax::ImageRef,
) -> Result<Option<(String, InterpreterStart<'a>)>, String> {
    let table = &checker.settings.images;
    let Some((entry, runtime)) = interpreter_image(table, checker.settings, image, Role::Runtime)
    else {
        return match why_no_interpreter_image(table, checker.settings, image, Role::Runtime) {
            Some(why) => Err(why),
            None => Ok(None),
        };
    };
    let Some(entrypoint) = &entry.entrypoint else {
        return Ok(None);
    };
    let not = |why: String| format!("not `{runtime}`: {why}");
    if let Some(why) = user_obstacle(stage) {
        return Err(not(why));
    }
    if stage.image().is_some_and(|i| i.has_variables()) {
        return Err(not("the base image comes from a build argument".to_owned()));
    }
    let start = interpreter_start(checker, stage, entrypoint).map_err(not)?;
    Ok(Some((runtime, start)))
}
