//! DS301 for Go: `go build` in the golang image becomes a builder, and the
//! binary runs on distroless: `static` built with `CGO_ENABLED=0`, or `base`
//! (glibc) when the program uses cgo. The binary's path is the `-o` output,
//! or the name `go build` gives it without one.

use super::{
    RULE, copy_runtime_files, join_path, last_command, obstacle, report, shape, split_edits,
    start_command,
};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::Checker;
use crate::rules::run;
use crate::syntax::shell::SimpleCommand;
use crate::syntax::{Bias, Stage};

const STATIC_RUNTIME: &str = "gcr.io/distroless/static-debian12:nonroot";
const CGO_RUNTIME: &str = "gcr.io/distroless/base-debian12:nonroot";

/// `go build`'s flags that take a value as the next word.
const VALUE_FLAGS: [&str; 19] = [
    "-o",
    "-p",
    "-C",
    "-tags",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-gccgoflags",
    "-mod",
    "-modfile",
    "-pkgdir",
    "-buildmode",
    "-compiler",
    "-installsuffix",
    "-overlay",
    "-pgo",
    "-toolexec",
    "-covermode",
    "-coverpkg",
];

/// What a `go build` command says about its output.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct GoBuild {
    /// The `-o` value.
    pub(crate) output: Option<String>,
    /// The package or file arguments.
    packages: Vec<String>,
    /// `-C DIR`: the build runs in another folder.
    pub(crate) changes_dir: bool,
    /// A word we cannot read (a variable, a substitution).
    pub(crate) dynamic: bool,
}

pub(crate) fn go_build(command: &SimpleCommand) -> Option<GoBuild> {
    let words = run::effective_words(command);
    if run::program(words) != Some("go")
        || words.get(1).and_then(|w| w.literal.as_deref()) != Some("build")
    {
        return None;
    }
    let mut build = GoBuild::default();
    let mut i = 2;
    while i < words.len() {
        let Some(word) = words[i].literal.as_deref() else {
            build.dynamic = true;
            i += 1;
            continue;
        };
        // Go accepts `-flag` and `--flag`, with the value next or after `=`.
        let flag = word
            .strip_prefix('-')
            .map(|w| format!("-{}", w.trim_start_matches('-')));
        match flag {
            Some(flag) => {
                let (name, inline) = match flag.split_once('=') {
                    Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                    None => (flag.clone(), None),
                };
                let value = if VALUE_FLAGS.contains(&name.as_str()) && inline.is_none() {
                    i += 1;
                    words.get(i).and_then(|w| w.literal.clone())
                } else {
                    inline
                };
                match name.as_str() {
                    "-o" => build.output = value,
                    "-C" => build.changes_dir = true,
                    _ => {}
                }
            }
            None => build.packages.push(word.to_owned()),
        }
        i += 1;
    }
    Some(build)
}

/// The module path `go.mod` declares.
fn module_path(go_mod: &str) -> Option<&str> {
    go_mod.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("module")?;
        rest.starts_with([' ', '\t'])
            .then(|| rest.trim().trim_matches('"'))
            .filter(|m| !m.is_empty())
    })
}

/// The name `go build` gives a main package's binary: the last element of
/// its import path, or the one before a major-version suffix (`/v2`).
fn exec_name(import_path: &str) -> Option<&str> {
    let mut elements = import_path.trim_end_matches('/').rsplit('/');
    let last = elements.next()?;
    // A major-version suffix is v2 or later without a leading zero; v0 and
    // v1 are ordinary names (as in cmd/go's own tests).
    let is_major = last
        .strip_prefix('v')
        .filter(|n| !n.starts_with('0') && n.chars().all(|c| c.is_ascii_digit()))
        .and_then(|n| n.parse::<u64>().ok())
        .is_some_and(|n| n >= 2);
    match (is_major, elements.next()) {
        (true, Some(previous)) => Some(previous),
        _ => Some(last),
    }
    .filter(|n| !n.is_empty() && *n != "." && *n != "..")
}

/// The file name `go build` without `-o` writes into the working folder.
pub(crate) fn default_binary(build: &GoBuild, go_mod: Option<&str>) -> Result<String, String> {
    match build.packages.as_slice() {
        // Files: named after the first one.
        [first, ..] if first.ends_with(".go") => Ok(first
            .rsplit('/')
            .next()
            .unwrap_or(first)
            .trim_end_matches(".go")
            .to_owned()),
        [] | [_] => {
            let package = build.packages.first().map_or(".", String::as_str);
            if package.contains("...") {
                return Err("`go build` of a package pattern writes no binary".to_owned());
            }
            let import_path = if package == "." || package.starts_with("./") {
                let module = go_mod.and_then(module_path).ok_or(
                    "go.mod is not in the build context, so the module's name is not known",
                )?;
                let sub = package.trim_start_matches('.').trim_start_matches('/');
                if sub.is_empty() {
                    module.to_owned()
                } else {
                    format!("{module}/{sub}")
                }
            } else {
                package.to_owned()
            };
            exec_name(&import_path)
                .map(str::to_owned)
                .ok_or_else(|| format!("the binary's name for `{package}` is not certain"))
        }
        _ => Err("`go build` of several packages writes no binary".to_owned()),
    }
}

/// The binary a builder stage writes with `go build -o PATH` built with an
/// explicit `CGO_ENABLED=0` (on the command or in the stage's ENV): a
/// static file that runs anywhere on its own.
pub(crate) fn static_binary(checker: &Checker<'_>, stage: &Stage<'_>) -> Option<String> {
    let (view, command) = checker
        .runs
        .iter()
        .rev()
        .filter(|v| v.stage == stage.index)
        .find_map(|v| {
            let script = v.script()?;
            let command = script
                .commands
                .iter()
                .rev()
                .find(|c| !c.nested && go_build(c).is_some())?;
            Some((v, command))
        })?;
    let go = go_build(command)?;
    let output = go
        .output
        .as_deref()
        .filter(|_| !go.dynamic && !go.changes_dir)?;
    let build = view.instruction;
    let static_build = command
        .assignments
        .iter()
        .any(|a| build.text(*a) == "CGO_ENABLED=0")
        || stage.instructions.iter().any(|i| {
            i.keyword() == crate::syntax::Keyword::Env
                && i.range.start < build.range.start
                && i.words().iter().any(|w| i.text(*w) == "CGO_ENABLED=0")
        });
    static_build.then(|| join_path(&shape(checker, stage, build).workdir, output))
}

pub(super) fn check(checker: &Checker<'_>, stage: &Stage<'_>, out: &mut Vec<Diagnostic>) {
    let what = "the image ships the Go toolchain and sources with the binary";
    // The build RUN: the last RUN with `go build`.
    let Some((view, command)) = last_command(checker, |c| go_build(c).is_some()) else {
        return;
    };
    let go = go_build(command).expect("matched above");
    let build = view.instruction;
    let shape = shape(checker, stage, build);
    if go.dynamic || go.changes_dir {
        out.push(report(
            build,
            command,
            what,
            "the build's arguments use a variable or another folder (`-C`), so the binary's path is not certain",
        ));
        return;
    }
    let binary = match &go.output {
        Some(output) => join_path(&shape.workdir, output),
        None => match default_binary(&go, checker.context.text("go.mod")) {
            Ok(name) => {
                let binary = join_path(&shape.workdir, &name);
                // An inferred name must be what the container starts.
                let (start, workdir) = start_command(checker, stage);
                let started = start.first().map(|s| join_path(&workdir, s));
                if started.as_deref() != Some(binary.as_str()) {
                    out.push(report(
                        build,
                        command,
                        what,
                        &format!(
                            "`go build` without `-o` writes `{binary}`, which is not what the container starts"
                        ),
                    ));
                    return;
                }
                binary
            }
            Err(why) => {
                out.push(report(build, command, what, &why));
                return;
            }
        },
    };
    if let Some(why) = obstacle(checker, stage, &shape, false, true) {
        out.push(report(build, command, what, &why));
        return;
    }
    let context = checker.context;
    let uses_cgo = context
        .names("")
        .into_iter()
        .flatten()
        .filter(|n| n.ends_with(".go"))
        .any(|n| context.text(n).is_some_and(|t| t.contains("import \"C\"")))
        || command
            .assignments
            .iter()
            .any(|a| build.text(*a).starts_with("CGO_ENABLED=1"));
    // cgo needs glibc (distroless base); a C library the stage installs
    // would be missing there, which the obstacle check above reports.
    let runtime = if uses_cgo {
        CGO_RUNTIME
    } else {
        STATIC_RUNTIME
    };
    // Files under the working folder the running program is pointed at.
    let mut body = vec![format!("COPY --from={{alias}} {binary} {binary}")];
    copy_runtime_files(checker, stage, &shape, |_| false, &mut body);
    let mut extra = Vec::new();
    if !uses_cgo
        && !command
            .assignments
            .iter()
            .any(|a| build.text(*a).starts_with("CGO_ENABLED="))
    {
        extra.push(Edit::insert(
            build.logical.to_source(command.range.start, Bias::Right),
            "CGO_ENABLED=0 ",
        ));
    }
    let (edits, _) = split_edits(checker, stage, &shape, runtime, &body, extra);
    let linking = if uses_cgo { " (cgo: glibc)" } else { "" };
    out.push(
        Diagnostic::new(
            &RULE,
            build.source_range(command.range),
            format!("the image ships the Go toolchain and sources with `{binary}`: build in a stage and run on {runtime}{linking}"),
        )
        .with_fix(Fix::new(edits, Applicability::Unsafe)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(packages: &[&str]) -> GoBuild {
        GoBuild {
            packages: packages.iter().map(|p| p.to_string()).collect(),
            ..GoBuild::default()
        }
    }

    #[test]
    fn default_binary_names() {
        let go_mod = Some("module example.com/shop\n\ngo 1.22\n");
        assert_eq!(default_binary(&build(&[]), go_mod).unwrap(), "shop");
        assert_eq!(default_binary(&build(&["."]), go_mod).unwrap(), "shop");
        assert_eq!(
            default_binary(&build(&["./cmd/api"]), go_mod).unwrap(),
            "api"
        );
        assert_eq!(
            default_binary(&build(&["main.go", "db.go"]), go_mod).unwrap(),
            "main"
        );
        assert_eq!(
            default_binary(&build(&["example.com/x/tool"]), None).unwrap(),
            "tool"
        );
        let v2 = Some("module github.com/acme/shop/v2\n");
        assert_eq!(default_binary(&build(&[]), v2).unwrap(), "shop");
        let v1 = Some("module example.com/mycmd/v1\n");
        assert_eq!(default_binary(&build(&[]), v1).unwrap(), "v1");
        assert!(default_binary(&build(&["./..."]), go_mod).is_err());
        assert!(default_binary(&build(&["./a", "./b"]), go_mod).is_err());
        assert!(default_binary(&build(&[]), None).is_err());
        assert!(default_binary(&build(&[]), Some("go 1.22\n")).is_err());
    }
}
