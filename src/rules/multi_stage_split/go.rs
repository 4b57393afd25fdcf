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
    /// `go install`: the binary goes to `$GOBIN` or `$GOPATH/bin`.
    install: bool,
}

pub(crate) fn go_build(command: &SimpleCommand) -> Option<GoBuild> {
    let words = run::effective_words(command);
    if run::program(words) != Some("go") {
        return None;
    }
    let install = match words.get(1).and_then(|w| w.literal.as_deref()) {
        Some("build") => false,
        Some("install") => true,
        _ => return None,
    };
    let mut build = GoBuild {
        install,
        ..GoBuild::default()
    };
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
            // go.mod's text reaches the Dockerfile only as a plain name.
            exec_name(&import_path)
                .filter(|name| super::plain_path(name).is_ok())
                .map(str::to_owned)
                .ok_or_else(|| format!("the binary's name for `{package}` is not certain"))
        }
        _ => Err("`go build` of several packages writes no binary".to_owned()),
    }
}

/// Where `go install` (which has no `-o`) writes its binary, and the
/// binary's name: `$GOBIN/NAME`, else the first `$GOPATH` folder's
/// `bin/NAME` (`/go/bin` in the official image, which sets `GOPATH=/go`).
/// NAME is the main package's: from go.mod's module path for `.` and
/// `./sub`, from the path for `example.com/x/cmd/tool@v1`; for a pattern
/// (`./...`), the one main package the context holds under it.
fn installed_binary(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    build: &crate::syntax::Instruction,
    go: &GoBuild,
) -> Result<(String, String), String> {
    let env = checker.model.env_before(build);
    let var = |name: &str| env.and_then(|e| e.var(name).cloned());
    for cross in ["GOOS", "GOARCH"] {
        if var(cross).is_some() {
            return Err(format!(
                "`{cross}` is set: a cross-compiling `go install` writes into a `bin/GOOS_GOARCH` folder"
            ));
        }
    }
    let dir = match (var("GOBIN"), var("GOPATH")) {
        (Some(Some(gobin)), _) => gobin,
        (Some(None), _) | (None, Some(None)) => {
            return Err("`GOBIN` or `GOPATH` is set to a value that is not known".to_owned());
        }
        (None, Some(Some(gopath))) => {
            format!("{}/bin", gopath.split(':').next().unwrap_or_default())
        }
        // The official golang image's GOPATH.
        (None, None)
            if stage
                .image()
                .is_some_and(|i| i.canonical_name() == "golang") =>
        {
            "/go/bin".to_owned()
        }
        (None, None) => return Err("the image's `GOPATH` is not known".to_owned()),
    };
    if !dir.starts_with('/') || dir.contains('$') {
        return Err(format!(
            "`go install` writes into `{dir}`, which is not certain"
        ));
    }
    // `pkg@version` builds a module from the proxy, not the sources.
    let root = source_folder(checker, stage, build);
    let go_mod = root
        .as_ref()
        .ok()
        .and_then(|root| checker.context.text(&join_context(root, "go.mod")));
    let name = match go.packages.as_slice() {
        [one] if one.contains('@') => {
            let path = one.split('@').next().unwrap_or_default();
            exec_name(path)
                .map(str::to_owned)
                .ok_or_else(|| format!("the binary's name for `{one}` is not certain"))?
        }
        [one] if one.contains("...") => {
            let mains = main_packages(checker, &root?, one)?;
            match mains.as_slice() {
                [main] => {
                    let package = if main.is_empty() {
                        ".".to_owned()
                    } else {
                        format!("./{main}")
                    };
                    let single = GoBuild {
                        packages: vec![package],
                        ..GoBuild::default()
                    };
                    default_binary(&single, go_mod)?
                }
                [] => return Err(format!("the context holds no main package under `{one}`")),
                _ => {
                    return Err(format!(
                        "`go install {one}` installs several main packages ({})",
                        mains
                            .iter()
                            .map(|m| if m.is_empty() { "." } else { m.as_str() })
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        [_, _, ..] => {
            return Err("`go install` of several packages writes several binaries".to_owned());
        }
        _ => {
            root?;
            default_binary(go, go_mod)?
        }
    };
    Ok((format!("{}/{name}", dir.trim_end_matches('/')), name))
}

/// The folder of `binary` is on the PATH `build` runs with, so a start by
/// name finds it there and not another program of that name: the PATH the
/// Dockerfile sets, or the golang image's (`/go/bin` and the system
/// folders) when it sets none.
fn on_path(checker: &Checker<'_>, build: &crate::syntax::Instruction, binary: &str) -> bool {
    let dir = binary.rsplit_once('/').map_or("", |(d, _)| d);
    match checker.model.env_before(build).and_then(|e| e.var("PATH")) {
        Some(Some(path)) => path.split(':').any(|d| d.trim_end_matches('/') == dir),
        Some(None) => false,
        None => matches!(
            dir,
            "/go/bin"
                | "/usr/local/sbin"
                | "/usr/local/bin"
                | "/usr/sbin"
                | "/usr/bin"
                | "/sbin"
                | "/bin"
        ),
    }
}

/// The context folders (relative, `""` for the root) under a `./...`
/// pattern that hold a main package, in walk order. Go skips `vendor`,
/// `testdata`, folders starting with `.` or `_`, and folders with a go.mod
/// of their own (other modules). The context is read as the module root;
/// a folder or a Go file under the pattern that was not read makes the
/// answer uncertain.
fn main_packages(
    checker: &Checker<'_>,
    module_root: &str,
    pattern: &str,
) -> Result<Vec<String>, String> {
    let under = pattern
        .strip_suffix("...")
        .map(|p| p.trim_start_matches("./").trim_end_matches('/'))
        .filter(|p| !p.contains("...") && !p.starts_with('.') && !p.starts_with('/'))
        .ok_or_else(|| format!("the package pattern `{pattern}` is not certain"))?;
    let root = join_context(module_root, under);
    let context = checker.context;
    let mut mains = Vec::new();
    let mut queue = vec![root.to_owned()];
    while let Some(dir) = queue.pop() {
        let names: Vec<&str> = context
            .names(&dir)
            .ok_or_else(|| {
                format!("`go install {pattern}` reaches `{dir}/`, whose packages were not read")
            })?
            .collect();
        let mut is_main = false;
        for name in names {
            let path = if dir.is_empty() {
                name.trim_end_matches('/').to_owned()
            } else {
                format!("{dir}/{}", name.trim_end_matches('/'))
            };
            let path = path.as_str();
            if let Some(sub) = name.strip_suffix('/') {
                let skipped = matches!(sub, "vendor" | "testdata")
                    || sub.starts_with('.')
                    || sub.starts_with('_')
                    || context.has(&format!("{path}/go.mod")) == Some(true);
                if !skipped {
                    queue.push(path.to_owned());
                }
            } else if name.ends_with(".go") && !name.ends_with("_test.go") {
                let text = context
                    .text(path)
                    .ok_or_else(|| format!("`{path}` was not read, so its package is not known"))?;
                is_main |= text
                    .lines()
                    .map(str::trim)
                    .find(|l| l.starts_with("package "))
                    .is_some_and(|l| l.split_whitespace().nth(1) == Some("main"));
            }
        }
        if is_main {
            // Relative to the module root, as `./NAME` names it.
            let relative = dir
                .strip_prefix(module_root)
                .unwrap_or(&dir)
                .trim_start_matches('/');
            mains.push(relative.to_owned());
        }
    }
    mains.sort();
    Ok(mains)
}

/// `dir/name` in the build context (`""` is its root).
fn join_context(dir: &str, name: &str) -> String {
    match (dir.trim_end_matches('/'), name.trim_start_matches('/')) {
        ("", name) => name.to_owned(),
        (dir, "") => dir.to_owned(),
        (dir, name) => format!("{dir}/{name}"),
    }
}

/// The context folder whose copy is the folder the build runs in: the
/// last `COPY`/`ADD` of one folder (`.`, `src/`) before the build whose
/// destination is that folder (`ADD src /go/src/app` with `WORKDIR
/// /go/src/app`: `src`). Otherwise which files the build reads is not
/// certain.
fn source_folder(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    build: &crate::syntax::Instruction,
) -> Result<String, String> {
    let workdir = checker.model.workdir_before(build);
    stage
        .instructions
        .iter()
        .take_while(|i| i.range.start < build.range.start)
        .filter(|i| {
            matches!(
                i.keyword(),
                crate::syntax::Keyword::Copy | crate::syntax::Keyword::Add
            ) && i.flag("from").is_none()
        })
        .filter_map(|i| {
            let words = i.words();
            let [source, dest] = words.as_slice() else {
                return None;
            };
            let at = checker.model.workdir_before(i)?;
            let dest = join_path(at, i.text(*dest));
            let source = i
                .text(*source)
                .trim_start_matches("./")
                .trim_end_matches('/');
            let folder = match source {
                "" | "." => String::new(),
                dir if !dir.contains(['*', '?', '$', '['])
                    && !dir.starts_with("..")
                    && checker.context.is_dir(dir) == Some(true) =>
                {
                    dir.to_owned()
                }
                _ => return None,
            };
            (Some(dest.as_str()) == workdir).then_some(folder)
        })
        .last()
        .ok_or_else(|| "no copy of the sources lands in the folder `go install` runs in".to_owned())
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
                .find(|c| !c.nested && go_build(c).is_some_and(|b| !b.install))?;
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

/// How a Go binary is linked, and where it runs.
pub(super) struct Linking {
    pub uses_cgo: bool,
    /// Distroless static, or distroless base (glibc) with cgo.
    pub runtime: &'static str,
    /// `CGO_ENABLED=0 ` before the build when it does not set CGO_ENABLED
    /// itself: a static binary runs on the static image.
    pub static_edit: Vec<Edit>,
}

/// The linking of the build `command` of RUN `build`: cgo when a Go file
/// imports "C" (`imports_c`) or the build sets `CGO_ENABLED=1`. Shared by
/// the Go split and the mixed Node.js + Go split.
pub(super) fn go_linking(
    build: &crate::syntax::Instruction,
    command: &SimpleCommand,
    imports_c: bool,
) -> Linking {
    let sets = |prefix: &str| {
        command
            .assignments
            .iter()
            .any(|a| build.text(*a).starts_with(prefix))
    };
    let uses_cgo = imports_c || sets("CGO_ENABLED=1");
    let static_edit = if !uses_cgo && !sets("CGO_ENABLED=") {
        vec![Edit::insert(
            build.logical.to_source(command.range.start, Bias::Right),
            "CGO_ENABLED=0 ",
        )]
    } else {
        Vec::new()
    };
    Linking {
        uses_cgo,
        runtime: if uses_cgo {
            CGO_RUNTIME
        } else {
            STATIC_RUNTIME
        },
        static_edit,
    }
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
    // The runtime's path for the binary, when it differs from the builder's.
    let mut runtime_path = None;
    let binary = match &go.output {
        _ if go.install => match installed_binary(checker, stage, build, &go) {
            Ok((binary, name)) => {
                let (start, workdir) = start_command(checker, stage);
                match start.first().map(String::as_str) {
                    Some(started) if join_path(&workdir, started) == binary => binary,
                    // Started by name from the PATH (the golang image has
                    // `/go/bin` on it); distroless has /usr/local/bin.
                    Some(started) if started == name && on_path(checker, build, &binary) => {
                        runtime_path = Some(format!("/usr/local/bin/{name}"));
                        binary
                    }
                    _ => {
                        out.push(report(
                            build,
                            command,
                            what,
                            &format!(
                                "`go install` writes `{binary}`, which is not what the container starts"
                            ),
                        ));
                        return;
                    }
                }
            }
            Err(why) => {
                out.push(report(build, command, what, &why));
                return;
            }
        },
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
    // The Go files of the folder the build runs in (the context's root
    // unless a copy of a subfolder lands there).
    let go_dir = source_folder(checker, stage, build).unwrap_or_default();
    let imports_c = context
        .names(&go_dir)
        .into_iter()
        .flatten()
        .filter(|n| n.ends_with(".go"))
        .any(|n| {
            context
                .text(&join_context(&go_dir, n))
                .is_some_and(|t| t.contains("import \"C\""))
        });
    // cgo needs glibc (distroless base); a C library the stage installs
    // would be missing there, which the obstacle check above reports.
    let linking = go_linking(build, command, imports_c);
    // Files under the working folder the running program is pointed at.
    let runtime_path = runtime_path.unwrap_or_else(|| binary.clone());
    let mut body = vec![format!("COPY --from={{alias}} {binary} {runtime_path}")];
    // A binary started by name is found on the PATH, not as the folder of
    // the same name its main package sits in (`go install ./...` of `api/`).
    let by_name = (runtime_path != binary).then(|| {
        join_path(
            &shape.workdir,
            runtime_path.rsplit('/').next().unwrap_or_default(),
        )
    });
    copy_runtime_files(
        checker,
        stage,
        &shape,
        |path| by_name.as_deref() == Some(path),
        &mut body,
    );
    let runtime = linking.runtime;
    let (edits, _) = split_edits(checker, stage, &shape, runtime, &body, linking.static_edit);
    let linking = if linking.uses_cgo {
        " (cgo: glibc)"
    } else {
        ""
    };
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

    #[test]
    fn go_install_is_read_like_go_build() {
        let text = "go install -v -ldflags '-s -w' ./cmd/api && go build -o /app . && go vet ./...";
        let script =
            crate::syntax::shell::parse_script(text, crate::syntax::TextRange::new(0, text.len()));
        let parsed: Vec<Option<GoBuild>> = script.commands.iter().map(go_build).collect();
        let install = parsed[0].as_ref().unwrap();
        assert!(install.install);
        assert_eq!(install.packages, ["./cmd/api"]);
        assert_eq!(install.output, None);
        let build = parsed[1].as_ref().unwrap();
        assert!(!build.install);
        assert_eq!(build.output.as_deref(), Some("/app"));
        assert!(parsed[2].is_none());
    }
}
