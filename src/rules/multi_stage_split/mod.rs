//! DS301 `multi-stage-split`: a single-stage Dockerfile that builds its app
//! becomes a builder stage plus a lean runtime stage that receives only what
//! runs (Go, Node.js, Python, Rust, Java, .NET). A split is only proposed where the artifact
//! and the runtime needs are known; otherwise the finding says why not.

mod dotnet;
mod go;
mod java;
mod libraries;
mod mixed;
mod node;
mod node_install;
mod python;
mod rust;
mod static_site;

pub(crate) use go::static_binary;
pub(crate) use node::node_entry;

use super::run::{self, RunForm};
use super::{Checker, Rule};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::syntax::shell::SimpleCommand;
use crate::syntax::{Body, Instruction, Keyword, Stage};

pub static RULE: Rule = Rule {
    code: "DS301",
    name: "multi-stage-split",
    summary: "a single-stage image that ships its toolchain, sources and build dependencies with the app (Go, Node.js, Python, Rust, Java, .NET)",
    fix_safety: "unsafe",
    doc: r#"## What it does
Splits a single-stage Dockerfile that builds its app into a builder stage
(`AS build`) and a lean runtime stage that receives only what runs:

- **Go** (`go build -o PATH`, or without `-o` the name `go build` gives
  the binary: the module's or package's last path element, or the first
  file's name; `go install`, which has no `-o`, writes that name into
  `$GOBIN` or `$GOPATH/bin`, `/go/bin` in the official image, and for
  `./...` the one main package the context holds): the runtime is
  `gcr.io/distroless/static-debian12:nonroot` with only the binary (one
  started by name from `/go/bin` lands in `/usr/local/bin`, which is on
  distroless's PATH), built with `CGO_ENABLED=0`; a program that uses cgo
  runs on `gcr.io/distroless/base-debian12:nonroot` (glibc) instead.
- **Node.js** (`npm run build`, `yarn build`, `tsc`, and a `node FILE` start,
  directly or through a `start` script):
  the runtime is the slim variant of the image (from the base-image table),
  with `NODE_ENV=production`, production dependencies only (`npm ci
  --omit=dev` from the lockfile), the build output folder (tsconfig's
  `outDir`, which must hold the started file), the folders servers read at
  run time that the builder received (`public`, `views`, `static`,
  `templates`, `assets`, `locales`, `i18n`, `config`) and the image's `node` user as
  `USER 1000:1000` (numeric, so that `runAsNonRoot` can check it).
  For Node.js 18, 20 and 22 the runtime is
  `gcr.io/distroless/nodejs{18,20,22}-debian12:nonroot` instead when it
  needs no shell: an exec-form `CMD` that runs `node FILE` (or a start
  script that does), no `ENTRYPOINT`, no `HEALTHCHECK`, no user by name.
  The production dependencies are then installed in a `deps` stage of the
  builder's image (the runtime stage has no RUN), the CMD is rewritten for
  the image's ENTRYPOINT (`CMD ["dist/index.js"]`) and the user is
  `USER 65532:65532`. Otherwise the slim image, and the finding says why
  not distroless; `--profile prefer-slim` keeps slim.
- **Node.js without a build step** on the full `node` image, kept there
  because the dependency install may compile native addons (npm builds a
  package's `binding.gyp` even without an install script, and no lockfile
  records that; DS401 swaps the base only for an app without dependencies): the install stays in the full image,
  now the builder, which lists right after it the Debian packages that own
  the libraries the addons (`*.node`) link against; the runtime is the slim
  variant with those packages it lacks and the app folder (the final
  `WORKDIR`, with `node_modules`). Build-only packages (compilers, `make`,
  node-gyp's `python3`) stay behind; anything else a RUN does outside the
  app folder (a global install, a runtime package, a COPY elsewhere) is
  reported instead. When DS201 moves the install before the source copy,
  the split follows in the next round, so the listing comes after the moved
  install and a rebuild after a source change reuses it.
- **Static front ends** (a Node.js build whose output the container serves
  with `serve DIR`, `http-server DIR` or `vite preview`, directly, through
  `npx` or a package.json script, or with Debian's nginx installed by apt
  and its default site, `/var/www/html` on port 80): the runtime is the static server image
  of the base-image table (role `static-server`: `nginx:stable-alpine`)
  with the served folder as its document root and an `nginx.conf` written
  by a `RUN` in the runtime stage (a `RUN` rather than a new file in the
  repository: the whole change stays in the Dockerfile, and it builds with
  the classic builder too). It keeps the port (`-l`, `-p`, `--port`,
  `$PORT`, the server's default), serve's `-s` single-page fallback
  (`try_files $uri $uri/ /index.html`) and its `.html`-less URLs, and the
  document root's content (the image's own pages are removed); nginx runs
  as its `nginx` user (`USER 101:101`, pid and temporary files in `/tmp`)
  unless a port is below 1024. The global install of the server after the
  build goes away.
- **Python** (`pip install`): the builder installs into a virtualenv
  (`/opt/venv`); the runtime is the slim variant with the virtualenv, the app
  folder (the final `WORKDIR`) and the shared libraries of the `-dev`
  packages the builder installed (`transforms/runtime-packages.yaml`).
  When the builder's image is heavier than the runtime's (the full
  `python:3.11` has dozens of `-dev` libraries a source build may link
  against unnamed) or a `-dev` package is not in the table, the builder's
  last step lists the Debian packages that own the libraries the compiled
  modules link against (`ldd`, `dpkg-query -S`), and the runtime stage
  installs the ones it lacks.
  For Python 3.11 (Debian 12's) with no system package and no package
  built from source, the runtime is `gcr.io/distroless/python3-debian12:nonroot`:
  its interpreter is Debian's `/usr/bin/python3.11`, so the builder becomes
  `debian:12-slim` with Debian's `python3-venv` and makes the virtualenv
  with that interpreter (one made by the official image's
  `/usr/local/bin/python3` would not run there), and the runtime starts
  `ENTRYPOINT ["/opt/venv/bin/python3"]` with the script as `CMD`. A
  package without a wheel fails that build (no compiler). Otherwise slim,
  saying why; `--profile prefer-slim` keeps slim.
- **Rust** (`cargo build --release`, the binary named by `Cargo.toml`): the
  runtime is `gcr.io/distroless/cc-debian12:nonroot` (glibc, no shell), or
  `debian:bookworm-slim` when the container needs a shell, with the binary at
  the same path.
- **Two toolchains** (a front end built with Node.js, `npm run build`,
  beside a Go server's `go build`: the golang image with `nodejs`/`npm`
  from apt, or the node image with `golang-go`): a builder per toolchain,
  each from its official image (`node:18` for the Node.js Debian's apt
  gives in bookworm, `golang:1.19` for its Go), the front end's builder
  with its manifests first; the Go runtime above with the server and the
  build output at the path the build wrote it to. The output folder is
  read from the build script (`--outDir`/`-o`, vite's `dist`,
  react-scripts' `build`) or from the folder the server serves
  (`http.Dir`, `os.DirFS`, a router's `Static`) or embeds (`go:embed`: the
  output is then copied into the Go builder before `go build`, and not
  into the runtime). The front end's builder gets the front end's folder
  only (the whole context when the front end is at its top).
- **Java** (`mvn package`, `gradle build`, and a `java -jar FILE` start):
  the runtime is the JRE image from the base-image table
  (`eclipse-temurin:17-jre` for `maven:3.9-eclipse-temurin-17`) with only
  the jar, whose name is read from `pom.xml` (`finalName`, or
  `artifactId-version`) or the Gradle scripts (`rootProject.name`,
  `version`) and must be the file the container starts.
- **.NET** (`dotnet publish -o DIR`, a start command inside `DIR`): the
  runtime is `mcr.microsoft.com/dotnet/aspnet` of the SDK's version, or
  `dotnet/runtime` when every project file uses the plain or worker SDK,
  with the publish folder, as the images' `app` user (`USER 1654:1654`)
  from .NET 8 on.

The runtime stage repeats what the running container depends on from before
the build (`WORKDIR`, `ARG`, `ENV`, `SHELL`, `VOLUME`, `EXPOSE`, `LABEL`,
`STOPSIGNAL`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK`, and `USER` after its own
steps, which run as root), and
gets the instructions after the build (`CMD`, `ENTRYPOINT`, `HEALTHCHECK` …).
Paths under the working folder that `CMD`, `ENTRYPOINT` or `ENV` name are
copied too, and for Go, Rust and Node.js the top-level folders servers read
at run time (`templates`, `static`, `public`, `views`, `assets`, `locales`,
`i18n`, `config`, `migrations`) that the builder received.

## Why
Shipping the factory with the car: toolchains, dev dependencies, sources and
build caches make an image of a gigabyte or more around an app of a few
megabytes, and every tool in it is attack surface.

## Example
```dockerfile
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
```
becomes
```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=build /usr/local/bin/app /usr/local/bin/app
CMD ["app"]
```

## Fix safety
Unsafe: the runtime image lacks tools the original had, Go binaries become
static, and the container runs as a non-root user where the image has one.
A split is only reported, with the reason, when anything it would rely on is
inferred and uncertain: the build output path (a Go binary name that is
not what the container starts, `go build` of several packages, `go
install` of several main packages, of folders the context listing did not
read, or cross-compiled with `GOOS`/`GOARCH`, `[[bin]]`
targets, `CARGO_TARGET_DIR`, a start file outside tsconfig's `outDir`), cgo
with system packages the runtime would lack, a step
after the build that needs the builder (`RUN`, `COPY`), a step before it
that prepares the image in a way the runtime stage would not get (a system
package that is not build-only, `mkdir`, `chown`, a download, a `COPY`
outside the build folder; for Node.js also compilers, which mean native
dependencies), a shell the runtime
lacks (shell-form `CMD`, `ENTRYPOINT` or `HEALTHCHECK` on distroless), a
`VOLUME` or a port below 1024 with a non-root
user, for two toolchains a front-end output folder that neither the build
script nor the server's code names, a server that may run Node.js itself
(its code names `node`, `npm` or `npx`), a `go:embed` that takes more than
the output (the front end's folder and its node_modules), `go generate`,
a front-end build after the Go build, Node.js not from Debian's packages, a `-dev` package without a known runtime library on an image that is
not Debian-based, a `COPY` outside the
app folder, a `RUN` that may write outside it, a Maven or Gradle build with
modules or a jar name from a property, or an SDK tag that names an SDK
release rather than a .NET version. A static front end is only reported
when the folder served is not certain (no folder argument, a build script
that writes elsewhere, a vite configuration that may move it), the server
does more than serve files (`serve.json`, options nginx would not repeat,
a start command that is not a static server, such as `next start`, is left
to the Node.js split), or the image does more after the build.
"#,
    check,
};

/// A JS build step: `npm run build`, `yarn build`, `pnpm build`, `tsc`, `vite build`.
pub(crate) fn js_build(command: &SimpleCommand) -> bool {
    let literals: Vec<&str> = run::effective_words(command)
        .iter()
        .filter_map(|w| w.literal.as_deref())
        .collect();
    matches!(
        literals.as_slice(),
        ["npm" | "pnpm", "run", "build", ..]
            | ["yarn", "build", ..]
            | ["yarn", "run", "build", ..]
            | ["pnpm", "build", ..]
            | ["tsc", ..]
            | ["npx", "tsc", ..]
            | ["vite", "build", ..]
            | ["npx", "vite", "build", ..]
    )
}

/// The last top-level command of a shell-form RUN that `wanted` accepts,
/// with its RUN: the build step a split is built around.
fn last_command<'c>(
    checker: &'c Checker<'_>,
    wanted: impl Fn(&SimpleCommand) -> bool,
) -> Option<(&'c super::run::RunView<'c>, &'c SimpleCommand)> {
    checker.runs.iter().rev().find_map(|v| {
        let RunForm::Shell(script) = &v.form else {
            return None;
        };
        script
            .commands
            .iter()
            .filter(|c| !c.nested)
            .find(|c| wanted(c))
            .map(|c| (v, c))
    })
}

/// What the single stage looks like around its build step.
struct Shape<'a> {
    build: &'a Instruction,
    /// The working folder when the build runs (from the model).
    workdir: String,
    /// False when a WORKDIR uses a variable the model cannot resolve.
    workdir_known: bool,
    /// Instructions before the build the running container depends on.
    before: Vec<&'a Instruction>,
}

/// A path that a generated COPY line, nginx configuration or shell word
/// reads as written: letters, digits and `._-/@+` only. Paths that a split
/// takes from the build context (a build script's `--outDir`, a folder a
/// server's code names) and writes into the Dockerfile must be plain, so
/// that file content cannot add words, variables or instructions.
pub(super) fn plain_path(path: &str) -> Result<(), String> {
    let plain = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/@+".contains(c));
    if plain {
        Ok(())
    } else {
        Err(format!(
            "the folder `{path}` has characters a generated COPY line would not read as written"
        ))
    }
}

/// `dir/path`, the model's one meaning of a path in a folder.
fn join_path(dir: &str, path: &str) -> String {
    crate::semantic::join(dir, path)
}

fn shape<'a>(checker: &Checker<'_>, stage: &Stage<'a>, build: &'a Instruction) -> Shape<'a> {
    let mut before = Vec::new();
    for instruction in stage
        .instructions
        .iter()
        .take_while(|i| i.range.start < build.range.start)
    {
        if matches!(
            instruction.keyword(),
            Keyword::Workdir
                | Keyword::Arg
                | Keyword::Env
                | Keyword::Shell
                | Keyword::Volume
                | Keyword::Expose
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Healthcheck
                | Keyword::Label
                | Keyword::User
                | Keyword::Stopsignal
        ) {
            before.push(*instruction);
        }
    }
    let workdir = checker.model.workdir_before(build).map(str::to_owned);
    Shape {
        build,
        workdir_known: workdir.is_some(),
        workdir: workdir.unwrap_or_else(|| "/".to_owned()),
        before,
    }
}

/// Why the stage cannot be split exactly, if it cannot. `shell` says whether
/// the runtime image has a shell; `nonroot` whether it runs unprivileged.
fn obstacle(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    shape: &Shape<'_>,
    shell: bool,
    nonroot: bool,
) -> Option<String> {
    stage_obstacle(checker, stage, shape, shell, nonroot)
        .or_else(|| setup_obstacle(checker, shape.build))
}

/// `obstacle` without the look at the system packages the image installs
/// (the mixed-toolchain split removes some of them and judges the rest).
fn stage_obstacle(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    shape: &Shape<'_>,
    shell: bool,
    nonroot: bool,
) -> Option<String> {
    let build = shape.build;
    if !shape.workdir_known {
        return Some("a WORKDIR uses a variable that cannot be resolved".to_owned());
    }
    // The start closure, parsed once by the model.
    if !shell && let Some(why) = checker.model.stages[stage.index].start.needs_shell() {
        return Some(format!("{why} needs a shell"));
    }
    for instruction in &stage.instructions {
        let command = instruction.effective();
        let after = instruction.range.start > build.range.start;
        let workdir = checker
            .model
            .workdir_before(instruction)
            .unwrap_or("/")
            .to_owned();
        let why = match command.keyword {
            Keyword::Run | Keyword::Copy | Keyword::Add if after => Some(format!(
                "a {} after the build needs the build stage",
                command.keyword
            )),
            // A file put outside the build folder (a configuration under
            // /etc …) may be read at run time; the runtime stage would lack it.
            Keyword::Copy | Keyword::Add if instruction.flag("from").is_none() => instruction
                .words()
                .last()
                .map(|dest| join_path(&workdir, instruction.text(*dest)))
                .filter(|dest| {
                    let dest = dest.trim_end_matches('/');
                    let related = |a: &str, b: &str| {
                        a == b || a.starts_with(&format!("{}/", b.trim_end_matches('/')))
                    };
                    !related(dest, &shape.workdir) && !related(&shape.workdir, dest)
                })
                .map(|dest| {
                    format!(
                        "a {} writes `{dest}` outside the build folder, which the runtime stage would not get",
                        command.keyword
                    )
                }),
            // As root (the runtime image has no unprivileged user) the
            // program can write to its volume as before.
            Keyword::Volume if nonroot => Some(
                "a VOLUME means the program writes at run time, maybe where a non-root user cannot"
                    .to_owned(),
            ),
            Keyword::Expose if nonroot && crate::rules::shared::final_stage::exposes_low_port(instruction) => {
                Some("a port below 1024 cannot be bound by a non-root user".to_owned())
            }
            Keyword::Onbuild => Some("ONBUILD triggers belong to the base image".to_owned()),
            _ => None,
        };
        if why.is_some() {
            return why;
        }
    }
    None
}

/// Programs whose effects stay in the builder without harm: the build
/// itself, the ecosystem's tools, and commands that only look or clean up.
const BUILDER_ONLY: [&str; 25] = [
    "npm", "npx", "yarn", "pnpm", "corepack", "node", "tsc", "vite", "go", "cargo", "rustup",
    "rustc", "mvn", "mvnw", "gradle", "gradlew", "dotnet", "git", "rm", "echo", "set", "true",
    "cd", "ls", "pwd",
];

/// A step before the build (or beside it in the build RUN) that prepares
/// the image in a way the runtime stage would not get: a system package
/// that is not build-only, a file or user created, a download. The split
/// is then only reported.
fn setup_obstacle(checker: &Checker<'_>, build: &Instruction) -> Option<String> {
    let table = python::runtime_packages();
    match system_packages(checker, build) {
        Err(why) => Some(why),
        Ok(packages) => packages
            .iter()
            .find(|p| !table.build_only.iter().any(|b| b == *p))
            .map(|package| {
                format!(
                    "the image installs `{package}`, which the running program may need and the runtime image would lack"
                )
            }),
    }
}

/// The system packages the RUNs up to the build install, or why a step
/// there would be lost in a split (anything but the ecosystem's tools,
/// package installs and clean-ups).
fn system_packages(checker: &Checker<'_>, build: &Instruction) -> Result<Vec<String>, String> {
    use crate::semantic::{Action, Resource, commands::SYSTEM_MANAGERS};
    let mut packages = Vec::new();
    for (r, view) in checker
        .runs
        .iter()
        .enumerate()
        .filter(|(_, v)| v.instruction.range.start <= build.range.start)
    {
        let Some(script) = view.script() else {
            return Err("a RUN before the build cannot be read".to_owned());
        };
        for (k, command) in script
            .commands
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.nested)
        {
            let words = run::effective_words(command);
            let Some(program) = run::program(words) else {
                return Err("a RUN before the build runs a command that cannot be read".to_owned());
            };
            if BUILDER_ONLY.contains(&program) {
                continue;
            }
            // The model classified the command once.
            let facts = &checker.model.runs[r].commands[k];
            match &facts.action {
                Action::PackageInstall {
                    packages: names, ..
                } => {
                    if facts.provides.contains(&Resource::Package("$".to_owned())) {
                        return Err("a package name uses a variable".to_owned());
                    }
                    packages.extend(names.iter().cloned());
                }
                // update, clean: the builder's own business.
                Action::ListsUpdate { .. } | Action::Cleanup { .. } => {}
                // upgrade and the like, also the builder's.
                _ if checker.managers.managers.iter().any(|m| {
                    SYSTEM_MANAGERS.contains(&m.name.value.as_str())
                        && super::packages::matches(m, command).is_some()
                }) => {}
                _ => {
                    return Err(format!(
                        "a RUN of `{program}` before the build prepares the image in a way the runtime stage would not get"
                    ));
                }
            }
        }
    }
    Ok(packages)
}

/// The edits of a split: name the build stage, change the build command,
/// and add the runtime stage right after the build RUN, so the instructions
/// after it (CMD, ENTRYPOINT …) belong to the runtime stage.
fn split_edits(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    shape: &Shape<'_>,
    runtime: &str,
    body: &[String],
    extra: Vec<Edit>,
) -> (Vec<Edit>, String) {
    split_edits_with_stage(checker, stage, shape, &[], runtime, body, extra)
}

/// [`split_edits`] with one more stage between the builder and the
/// runtime: `middle` holds its lines, `FROM` first (a stage that installs
/// what a runtime without a shell cannot install itself).
fn split_edits_with_stage(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    shape: &Shape<'_>,
    middle: &[String],
    runtime: &str,
    body: &[String],
    mut extra: Vec<Edit>,
) -> (Vec<Edit>, String) {
    let document = checker.document;
    let source = document.source();
    let newline = document.newline();
    let mut edits = Vec::new();
    if stage.name().is_none()
        && let Some(image) = stage.image()
    {
        edits.push(Edit::insert(image.range.end, " AS build"));
    }
    edits.append(&mut extra);
    let alias = stage.name().unwrap_or("build").to_owned();
    let mut text = String::new();
    if !middle.is_empty() {
        text.push_str(newline);
        for line in middle {
            text.push_str(&line.replace("{alias}", &alias));
            text.push_str(newline);
        }
    }
    text.push_str(&format!("{newline}FROM {runtime}{newline}"));
    // A USER goes after the body: the runtime stage's own steps (an
    // install, copies) run as root as the builder's did, the container as
    // the user.
    let line = |i: &Instruction| {
        format!(
            "{}{newline}",
            i.range.slice(source).trim_end_matches(['\n', '\r'])
        )
    };
    for instruction in shape.before.iter().filter(|i| i.keyword() != Keyword::User) {
        text.push_str(&line(instruction));
    }
    for line in body {
        text.push_str(&line.replace("{alias}", &alias));
        text.push_str(newline);
    }
    for instruction in shape.before.iter().filter(|i| i.keyword() == Keyword::User) {
        text.push_str(&line(instruction));
    }
    let end = shape.build.range.end;
    let prefix = if source[..end].ends_with('\n') {
        ""
    } else {
        newline
    };
    edits.extend(run::close_continuation(document, shape.build));
    edits.push(Edit::insert(end, format!("{prefix}{text}")));
    (edits, alias)
}

fn check(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    let [stage] = checker.stages.as_slice() else {
        return;
    };
    let Some(image) = stage.image() else { return };
    // Two toolchains in one image (a front end built with Node.js beside a
    // Go server) are split here or reported, before either split alone.
    if mixed::check(checker, stage, out) {
        return;
    }
    match image.canonical_name().as_str() {
        "golang" => go::check(checker, stage, out),
        "node" => {
            node::check(checker, stage, out);
            node_install::check(checker, stage, out);
        }
        "python" => python::check_python(checker, stage, out),
        "rust" => rust::check_rust(checker, stage, out),
        "maven" | "gradle" | "eclipse-temurin" | "openjdk" | "amazoncorretto" => {
            java::check(checker, stage, out)
        }
        "mcr.microsoft.com/dotnet/sdk" => dotnet::check(checker, stage, out),
        _ => {}
    }
}

/// The runtime image the base-image table gives for a builder image: its
/// first entry that is not for builders only and needs no profile. Images
/// that start an interpreter themselves (distroless Node.js and Python) are
/// the splits' own choice (`interpreter_start::interpreter_image`).
fn runtime_image(checker: &Checker<'_>, image: &crate::syntax::ImageRef) -> Option<String> {
    checker
        .settings
        .images
        .candidates(image)
        .into_iter()
        .find(|(e, _)| {
            matches!(
                e.role,
                crate::images::Role::Runtime | crate::images::Role::Any
            ) && e.profile.is_none()
                && e.entrypoint.is_none()
        })
        .map(|(e, values)| e.replacement(image, &values))
}

/// The unprivileged user the runtime image of a split defines
/// (`transforms/runtime-users.yaml`).
fn runtime_user(runtime: &str) -> Option<&'static crate::rules::shared::final_stage::User> {
    let image =
        crate::syntax::ImageRef::parse(runtime, crate::syntax::TextRange::new(0, runtime.len()));
    crate::rules::shared::final_stage::known_user(&image)
}

/// What the container starts (ENTRYPOINT then CMD, exec form or a shell
/// form of plain words, which may hold a glob such as `target/*.jar`) and
/// the folder it starts in, from the model's start closure. Empty when the
/// start command uses other shell syntax.
fn start_command(checker: &Checker<'_>, stage: &Stage<'_>) -> (Vec<String>, String) {
    let start = &checker.model.stages[stage.index].start;
    (
        start.words(),
        start.workdir.clone().unwrap_or_else(|| "/".to_owned()),
    )
}

fn report(instruction: &Instruction, command: &SimpleCommand, what: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        instruction.source_range(command.range),
        format!(
            "{what}; a builder and a lean runtime stage would not (not split automatically: {why})"
        ),
    )
    .with_fix(Fix::display_only())
}

/// Top-level folders servers commonly read at run time (Go's and Rust's
/// templates and static files, Node.js's views, node-config's config/,
/// migration files).
const RUNTIME_FOLDERS: [&str; 9] = [
    "public",
    "views",
    "static",
    "templates",
    "assets",
    "locales",
    "i18n",
    "config",
    "migrations",
];

/// The runtime folders the context has and the builder received (a COPY of
/// the whole context, or of the folder by name, and no .dockerignore line
/// for it), other than the build output.
pub(super) fn runtime_folders(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    build_start: usize,
    out_dir: &str,
) -> Vec<String> {
    let context = checker.context;
    let ignored: Vec<&str> = context
        .text(".dockerignore")
        .map(|t| t.lines().map(|l| l.trim().trim_matches('/')).collect())
        .unwrap_or_default();
    let sources: Vec<String> = stage
        .instructions
        .iter()
        .filter(|i| i.range.start < build_start)
        .filter(|i| matches!(i.keyword(), Keyword::Copy | Keyword::Add) && i.flag("from").is_none())
        .flat_map(|i| {
            let words = i.words();
            words[..words.len().saturating_sub(1)]
                .iter()
                .map(|w| {
                    i.text(*w)
                        .trim_start_matches("./")
                        .trim_end_matches('/')
                        .to_owned()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    RUNTIME_FOLDERS
        .iter()
        .filter(|dir| **dir != out_dir)
        .filter(|dir| context.is_dir(dir) == Some(true))
        .filter(|dir| !ignored.contains(dir))
        .filter(|dir| {
            sources
                .iter()
                .any(|s| s.is_empty() || s == "." || s == *dir)
        })
        .map(|dir| dir.to_string())
        .collect()
}

/// Adds to a runtime stage's `body` a same-path copy of each file the
/// running program is pointed at (`runtime_paths`) and each runtime folder
/// the builder received, unless `skip` says it is build output or the body
/// has it already.
fn copy_runtime_files(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    shape: &Shape<'_>,
    skip: impl Fn(&str) -> bool,
    body: &mut Vec<String>,
) {
    let folders = runtime_folders(checker, stage, shape.build.range.start, "")
        .into_iter()
        .map(|dir| join_path(&shape.workdir, &dir));
    for path in runtime_paths(checker, stage, &shape.workdir)
        .into_iter()
        .chain(folders)
    {
        let line = format!("COPY --from={{alias}} {path} {path}");
        if !skip(&path)
            && !body
                .iter()
                .any(|l| l.split_whitespace().nth(2) == Some(path.as_str()))
        {
            body.push(line);
        }
    }
}

/// Paths under the working folder that CMD, ENTRYPOINT or ENV name and that
/// the build context has: the running program reads them.
fn runtime_paths(checker: &Checker<'_>, stage: &Stage<'_>, workdir: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for instruction in &stage.instructions {
        let command = instruction.effective();
        let values: Vec<String> = match (&command.body, command.keyword) {
            (Body::Exec(args), Keyword::Cmd | Keyword::Entrypoint) => {
                args.iter().map(|a| a.value.clone()).collect()
            }
            (_, Keyword::Env) => instruction
                .words()
                .iter()
                .filter_map(|w| {
                    instruction
                        .text(*w)
                        .split_once('=')
                        .map(|(_, v)| v.to_owned())
                })
                .collect(),
            _ => Vec::new(),
        };
        for value in values {
            let path = join_path(workdir, &value);
            let relative = path
                .strip_prefix(&format!("{workdir}/"))
                .unwrap_or_default();
            let first = relative.split('/').next().unwrap_or_default();
            if !first.is_empty()
                && checker.context.has(first) == Some(true)
                && !paths.contains(&path)
            {
                paths.push(path);
            }
        }
    }
    paths
}
