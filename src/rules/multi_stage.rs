//! DS301 `multi-stage-split`: a single-stage Dockerfile that builds a Go
//! binary becomes a builder stage plus a distroless runtime stage that
//! receives only the binary. Other ecosystems are not split yet: a split is
//! only proposed where the artifact and the runtime needs are known.

use super::run::{self, RunForm};
use super::{Checker, Rule};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::syntax::shell::SimpleCommand;
use crate::syntax::{Bias, Body, Keyword};

pub static RULE: Rule = Rule {
    code: "DS301",
    name: "multi-stage-split",
    summary: "a single-stage image that ships the Go toolchain and sources with its binary",
    fix_safety: "unsafe",
    doc: r#"## What it does
Splits a single-stage Dockerfile that builds a Go program (`go build -o
PATH`) into a builder stage (`AS build`) and a runtime stage on
`gcr.io/distroless/static-debian12:nonroot` that receives only the binary
(`COPY --from=build`), built with `CGO_ENABLED=0`. The runtime stage repeats
what the running container depends on from before the build (`WORKDIR`,
`ENV`, `EXPOSE`, `LABEL`, `USER`, `STOPSIGNAL`); the instructions after the
build (`CMD`, `ENTRYPOINT`, …) land in it. Paths under the working folder
that `CMD`, `ENTRYPOINT` or `ENV` name (templates, static files) are copied
too.

## Why
Shipping the factory with the car: the Go toolchain, module cache and
sources make an image of a gigabyte or more around a binary of a few
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
Unsafe: the binary is now static (no cgo), runs without a shell, and runs as
the distroless `nonroot` user (uid 65532). It is only reported, with the
reason, when the build output path is unknown, the program uses cgo, a step
after the build needs the toolchain (`RUN`, `COPY`), the container needs a
shell (shell-form `CMD`, `ENTRYPOINT` or `HEALTHCHECK`), it declares a
`VOLUME` (it writes at run time), or it exposes a port below 1024 (nonroot
cannot bind it).
"#,
    check,
};

const RUNTIME: &str = "gcr.io/distroless/static-debian12:nonroot";

/// The `go build` command and where its `-o` output lands.
fn go_build(command: &SimpleCommand) -> Option<Option<String>> {
    let words = run::effective_words(command);
    if run::program(words) != Some("go")
        || words.get(1).and_then(|w| w.literal.as_deref()) != Some("build")
    {
        return None;
    }
    let literals: Vec<Option<&str>> = words.iter().map(|w| w.literal.as_deref()).collect();
    let output = literals.iter().enumerate().find_map(|(i, w)| match w {
        Some("-o") => literals.get(i + 1).copied().flatten().map(str::to_owned),
        Some(w) => w.strip_prefix("-o=").map(str::to_owned),
        None => None,
    });
    Some(output)
}

fn check(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    let [stage] = checker.stages.as_slice() else {
        return;
    };
    let document = checker.document;
    let source = document.source();
    let Some(image) = stage.image() else { return };
    if image.canonical_name() != "golang" {
        return;
    }
    // The build RUN: the last RUN with `go build`.
    let Some((view, command, output)) = checker.runs.iter().rev().find_map(|v| {
        let RunForm::Shell(script) = &v.form else {
            return None;
        };
        script
            .commands
            .iter()
            .filter(|c| !c.nested)
            .find_map(|c| go_build(c).map(|o| (v, c, o)))
    }) else {
        return;
    };
    let build = view.instruction;
    let report = |why: &str| {
        Diagnostic::new(
            &RULE,
            build.source_range(command.range),
            format!("the image ships the Go toolchain and sources with the binary; a builder and a distroless runtime stage would not (not split automatically: {why})"),
        )
        .with_fix(Fix::display_only())
    };
    // Where the binary lands, as an absolute path.
    let mut workdir = "/go".to_owned();
    let mut before = Vec::new();
    for instruction in stage
        .instructions
        .iter()
        .take_while(|i| i.range.start < build.range.start)
    {
        if instruction.keyword() == Keyword::Workdir {
            let dir = instruction.args_text();
            workdir = if dir.starts_with('/') {
                dir.trim_end_matches('/').to_owned()
            } else {
                format!("{workdir}/{dir}")
            };
        }
        if matches!(
            instruction.keyword(),
            Keyword::Workdir
                | Keyword::Env
                | Keyword::Expose
                | Keyword::Label
                | Keyword::User
                | Keyword::Stopsignal
        ) {
            before.push(*instruction);
        }
    }
    let Some(output) = output else {
        out.push(report(
            "`go build` has no `-o`, so the binary's path is not certain",
        ));
        return;
    };
    if output.contains('$') {
        out.push(report("the output path uses a variable"));
        return;
    }
    let binary = if output.starts_with('/') {
        output
    } else {
        format!("{workdir}/{}", output.trim_start_matches("./"))
    };
    // What comes after the build must not need the toolchain or a shell.
    let mut runtime_paths = Vec::new();
    for instruction in stage.instructions.iter() {
        let command = instruction.effective();
        let why = match command.keyword {
            Keyword::Run | Keyword::Copy | Keyword::Add
                if instruction.range.start > build.range.start =>
            {
                Some(format!(
                    "a {} after the build needs the build stage",
                    command.keyword
                ))
            }
            Keyword::Cmd | Keyword::Entrypoint if !command.is_exec_form() => {
                Some("a shell-form CMD or ENTRYPOINT needs a shell".to_owned())
            }
            Keyword::Healthcheck
                if !instruction.args_text().eq_ignore_ascii_case("none")
                    && !instruction.args_text().contains('[') =>
            {
                Some("a shell-form HEALTHCHECK needs a shell".to_owned())
            }
            Keyword::Volume => Some(
                "a VOLUME means the program writes at run time, maybe where nonroot cannot"
                    .to_owned(),
            ),
            Keyword::Expose
                if instruction.words().iter().any(|w| {
                    instruction
                        .text(*w)
                        .split('/')
                        .next()
                        .and_then(|p| p.parse::<u32>().ok())
                        .is_some_and(|p| p < 1024)
                }) =>
            {
                Some("a port below 1024 cannot be bound by the nonroot user".to_owned())
            }
            Keyword::Onbuild => Some("ONBUILD triggers belong to the base image".to_owned()),
            _ => None,
        };
        if let Some(why) = why {
            out.push(report(&why));
            return;
        }
        // Files under the working folder the running program is pointed at.
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
            let path = if value.starts_with('/') {
                value.clone()
            } else {
                format!("{workdir}/{}", value.trim_start_matches("./"))
            };
            let relative = path
                .strip_prefix(&format!("{workdir}/"))
                .unwrap_or_default();
            let first = relative.split('/').next().unwrap_or_default();
            if !first.is_empty()
                && path != binary
                && checker.context.has(first) == Some(true)
                && !runtime_paths.contains(&path)
            {
                runtime_paths.push(path);
            }
        }
    }
    let uses_cgo = checker
        .context
        .names("")
        .into_iter()
        .flatten()
        .filter(|n| n.ends_with(".go"))
        .any(|n| {
            checker
                .context
                .text(n)
                .is_some_and(|t| t.contains("import \"C\""))
        });
    let cgo_on = command
        .assignments
        .iter()
        .any(|a| build.text(*a).starts_with("CGO_ENABLED=1"));
    if uses_cgo || cgo_on {
        out.push(report(
            "the program uses cgo, so it needs a libc at run time",
        ));
        return;
    }
    // The edits: name the stage, build static, add the runtime stage.
    let mut edits = Vec::new();
    if stage.name().is_none() {
        edits.push(Edit::insert(image.range.end, " AS build"));
    }
    let alias = stage.name().unwrap_or("build").to_owned();
    if !command
        .assignments
        .iter()
        .any(|a| build.text(*a).starts_with("CGO_ENABLED="))
    {
        let at = build.logical.to_source(command.range.start, Bias::Right);
        edits.push(Edit::insert(at, "CGO_ENABLED=0 "));
    }
    let newline = document.newline();
    let mut stage_text = format!("{newline}FROM {RUNTIME}{newline}");
    for instruction in &before {
        let text = instruction.range.slice(source);
        stage_text.push_str(text.trim_end_matches(['\n', '\r']));
        stage_text.push_str(newline);
    }
    stage_text.push_str(&format!("COPY --from={alias} {binary} {binary}{newline}"));
    for path in &runtime_paths {
        stage_text.push_str(&format!("COPY --from={alias} {path} {path}{newline}"));
    }
    let end = build.range.end;
    let prefix = if source[..end].ends_with('\n') {
        ""
    } else {
        newline
    };
    edits.push(Edit::insert(end, format!("{prefix}{stage_text}")));
    out.push(
        Diagnostic::new(
            &RULE,
            build.source_range(command.range),
            format!("the image ships the Go toolchain and sources with `{binary}`: build in a stage and run on {RUNTIME}"),
        )
        .with_fix(Fix::new(edits, Applicability::Unsafe)),
    );
}
