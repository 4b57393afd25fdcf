//! DS301 for Node.js apps without a build step: the full `node` image is
//! kept only because the dependency install may compile native addons
//! (DS401 cannot rule that out). The install stays in the full image, now a
//! builder, and the runtime stage on the slim variant gets the app folder
//! with its `node_modules` and the shared libraries the compiled addons
//! link against. (With a build step the split of `node.rs` applies; where
//! nothing can compile, DS401's base swap is the simpler change.)

use super::libraries;
use super::{RULE, js_build, last_command, report, runtime_image};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::Checker;
use crate::rules::run::{self, RunForm};
use crate::syntax::shell::SimpleCommand;
use crate::syntax::{Instruction, Stage};

const WHAT: &str = "the image keeps compilers and build tools for the dependency install";

/// What an npm, yarn or pnpm command does, for the split.
enum Js {
    /// Installs the dependencies into the app folder's `node_modules`.
    Install,
    /// Stays in the builder without harm (`cache clean`, `prune`, `rebuild`).
    Harmless,
    /// Anything else: a script (`npm run`), a global install, configuration
    /// in the home folder.
    Other,
}

fn js_command(literals: &[&str]) -> Js {
    if literals
        .iter()
        .any(|w| matches!(*w, "-g" | "--global" | "global" | "--location=global"))
    {
        return Js::Other;
    }
    match literals {
        ["npm", "ci" | "install" | "i", ..] => Js::Install,
        ["yarn"] | ["yarn", "install", ..] => Js::Install,
        ["yarn", flag, ..] if flag.starts_with('-') => Js::Install,
        ["pnpm", "install" | "i", ..] => Js::Install,
        ["npm" | "yarn" | "pnpm", "cache", ..] | ["npm" | "pnpm", "prune" | "rebuild", ..] => {
            Js::Harmless
        }
        _ => Js::Other,
    }
}

pub(super) fn check(checker: &Checker<'_>, stage: &Stage<'_>, out: &mut Vec<Diagnostic>) {
    if last_command(checker, js_build).is_some() {
        return;
    }
    let Some(image) = stage.image() else { return };
    if image.text.contains('$') {
        return;
    }
    let table = super::python::runtime_packages();
    let start_programs = checker.model.stages[stage.index].start.programs();
    // node-gyp's Python: a build tool unless the container runs Python.
    let build_only = |package: &str| {
        table.build_only.iter().any(|b| b == package)
            || (matches!(package, "python3" | "python-is-python3" | "python3-minimal")
                && !start_programs.iter().any(|p| p.contains("python")))
    };
    let mut install: Option<(&Instruction, &SimpleCommand)> = None;
    let mut compiles: Option<String> = None;
    let mut made = Vec::new();
    // The first step a split would lose, reported only where the split
    // would pay (the install may compile): elsewhere DS401 swaps the base.
    let mut blocked: Option<Diagnostic> = None;
    for view in &checker.runs {
        let RunForm::Shell(script) = &view.form else {
            return;
        };
        for command in script.commands.iter().filter(|c| !c.nested) {
            let words = run::effective_words(command);
            let literals: Vec<&str> = words.iter().filter_map(|w| w.literal.as_deref()).collect();
            if literals.len() != words.len() {
                // A word with a variable or substitution cannot be judged.
                blocked.get_or_insert(report(
                    view.instruction,
                    command,
                    WHAT,
                    "a RUN uses a word that cannot be read literally",
                ));
                continue;
            }
            let program = run::program(words).unwrap_or_default();
            match program {
                "npm" | "yarn" | "pnpm" => match js_command(&literals) {
                    Js::Install => {
                        install = Some((view.instruction, command));
                        let args: Vec<String> = literals.iter().map(|w| w.to_string()).collect();
                        if let Some(why) =
                            crate::rules::base_image_swap::js_install_may_compile(checker, &args)
                        {
                            compiles.get_or_insert(why);
                        }
                    }
                    Js::Harmless => {}
                    Js::Other => {
                        blocked.get_or_insert(report(
                            view.instruction,
                            command,
                            WHAT,
                            &format!(
                                "`{}` may write outside the app folder or need the builder",
                                literals.join(" ")
                            ),
                        ));
                        continue;
                    }
                },
                "apt-get" | "apt" => {
                    if let Some(at) = literals.iter().position(|w| *w == "install") {
                        for package in literals[at + 1..].iter().filter(|w| !w.starts_with('-')) {
                            let package = package.split('=').next().unwrap_or(package);
                            if !build_only(package) {
                                blocked.get_or_insert(report(
                                    view.instruction,
                                    command,
                                    WHAT,
                                    &format!(
                                        "the image installs `{package}`, which the running program may need and the runtime image would lack"
                                    ),
                                ));
                                continue;
                            }
                            compiles.get_or_insert(format!("`{package}` is installed"));
                        }
                    } else if !literals
                        .iter()
                        .any(|w| matches!(*w, "update" | "clean" | "autoremove"))
                    {
                        blocked.get_or_insert(report(
                            view.instruction,
                            command,
                            WHAT,
                            "an apt-get command that is not an update or install",
                        ));
                        continue;
                    }
                }
                "mkdir" => made.extend(
                    literals
                        .iter()
                        .skip(1)
                        .filter(|w| !w.starts_with('-'))
                        .map(|p| (view.instruction, command, p.to_string())),
                ),
                "rm" | "echo" | "set" | "true" => {}
                other => {
                    blocked.get_or_insert(report(
                        view.instruction,
                        command,
                        WHAT,
                        &format!("a RUN of `{other}` may write outside the app folder"),
                    ));
                    continue;
                }
            }
        }
    }
    let Some((install, command)) = install else {
        return;
    };
    // Nothing compiles: DS401 swaps the base, which is simpler than a split.
    if compiles.is_none() {
        return;
    }
    let Some(runtime) = runtime_image(checker, &image).filter(|r| *r != image.text) else {
        return;
    };
    if !libraries::debian_based(&image.text) {
        return;
    }
    // Only now, where a split would pay: a lighter Debian runtime exists.
    if let Some(report) = blocked {
        out.push(report);
        return;
    }
    let workdir = match libraries::app_folder(checker, stage, (install, command, WHAT), &made) {
        Ok(workdir) => workdir,
        Err(report) => {
            out.push(report);
            return;
        }
    };
    let compiles = compiles.unwrap_or_default();
    // The builder lists the addons' libraries right after the install. When
    // DS201 (earlier in the pipeline) moves the install before the source
    // copy this round, the split waits for that round, so that the listing
    // lands after the moved install and a rebuild after a source change
    // reuses it; until then the finding only explains.
    if crate::rules::offered_fix(out, &crate::rules::manifest_first_copy::RULE).is_some() {
        out.push(
            Diagnostic::new(
                &RULE,
                install.source_range(command.range),
                format!(
                    "{WHAT} ({compiles}): a builder stage and a runtime on {runtime} would not; the split follows once DS201 has moved the install before the source copy"
                ),
            )
            .with_fix(Fix::display_only()),
        );
        return;
    }
    // Distroless has no shell and no apt for the libraries' install.
    let not_distroless = crate::rules::shared::interpreter_start::interpreter_image(
        &checker.settings.images,
        checker.settings,
        &image,
        crate::images::Role::Runtime,
    )
    .map_or(String::new(), |(_, name)| {
        format!(" (not `{name}`: the libraries are installed with apt, which needs a shell)")
    });
    out.push(
        Diagnostic::new(
            &RULE,
            install.source_range(command.range),
            format!(
                "{WHAT} ({compiles}): install in a builder stage and run on {runtime} with the app folder, its node_modules and the shared libraries the addons link against{not_distroless}"
            ),
        )
        .with_fix(Fix::new(
            edits(checker, stage, install, &image, &runtime, &workdir),
            Applicability::Unsafe,
        )),
    );
}

/// The builder keeps every step; the runtime stage, appended, repeats the
/// settings the container depends on, installs the libraries the builder
/// listed and copies the app folder; what the container runs moves to it.
fn edits(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    install: &Instruction,
    image: &crate::syntax::ImageRef,
    runtime: &str,
    workdir: &str,
) -> Vec<Edit> {
    let document = checker.document;
    let source = document.source();
    let newline = document.newline();
    let escape = document.escape();
    let mut edits = Vec::new();
    if stage.name().is_none() {
        edits.push(Edit::insert(image.range.end, " AS build"));
    }
    let alias = stage.name().unwrap_or("build").to_owned();
    // The listing goes right after the install, so that a rebuild after a
    // source change (the install before the sources) reuses it.
    let scan = libraries::scan_run(
        &format!("{workdir}/node_modules"),
        "*.node",
        &[],
        escape,
        newline,
    );
    let at = install.range.end;
    let lead = if source[..at].ends_with('\n') {
        ""
    } else {
        newline
    };
    edits.extend(run::close_continuation(document, install));
    edits.push(Edit::insert(at, format!("{lead}{scan}")));
    let mut text = format!("{newline}FROM {runtime}{newline}");
    text.push_str(&libraries::install_scanned_run(&alias, escape, newline));
    libraries::append_app_runtime(checker, stage, (&alias, workdir), text, &mut edits, |_| {
        None
    });
    edits
}
