//! DS301's Rust split: the builder runs `cargo build --release`, the runtime
//! stage (distroless cc, or Debian slim when a shell is needed) gets the
//! binary `Cargo.toml` names.

use super::*;
/// The binary a crate builds: `[package] name`, when there is no `[[bin]]`
/// or custom target directory to make it uncertain.
fn crate_binary(manifest: &str) -> Result<String, &'static str> {
    if manifest.contains("[[bin]]") {
        return Err("Cargo.toml declares [[bin]] targets, so the binary's name is not certain");
    }
    if manifest.contains("[workspace]") {
        return Err("a Cargo workspace builds several binaries");
    }
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if in_package
            && let Some(value) = line
                .strip_prefix("name")
                .map(str::trim_start)
                .and_then(|l| l.strip_prefix('='))
        {
            return Ok(value.trim().trim_matches('"').trim_matches('\'').to_owned());
        }
    }
    Err("Cargo.toml has no package name")
}

pub(super) fn check_rust(checker: &Checker<'_>, stage: &Stage<'_>, out: &mut Vec<Diagnostic>) {
    let what = "the image ships the Rust toolchain, sources and build artifacts with the binary";
    let Some((view, command)) = last_command(checker, |c| {
        let literals: Vec<&str> = run::effective_words(c)
            .iter()
            .filter_map(|w| w.literal.as_deref())
            .collect();
        literals.first() == Some(&"cargo")
            && literals.get(1) == Some(&"build")
            && literals.contains(&"--release")
    }) else {
        return;
    };
    let build = view.instruction;
    let shape = shape(checker, stage, build);
    let literals: Vec<&str> = run::effective_words(command)
        .iter()
        .filter_map(|w| w.literal.as_deref())
        .collect();
    let uncertain = literals.iter().any(|w| {
        w.starts_with("--target")
            || w.starts_with("--bin")
            || w.starts_with("--example")
            || *w == "-p"
            || w.starts_with("--package")
    }) || stage
        .instructions
        .iter()
        .any(|i| i.keyword() == Keyword::Env && i.args_text().contains("CARGO_TARGET_DIR"));
    if uncertain {
        out.push(report(build, command, what, "the build names a target, package or target folder, so the binary's path is not certain"));
        return;
    }
    let Some(manifest) = checker.context.text("Cargo.toml") else {
        out.push(report(
            build,
            command,
            what,
            "Cargo.toml is not in the build context",
        ));
        return;
    };
    let name = match crate_binary(manifest) {
        Ok(name) => name,
        Err(why) => {
            out.push(report(build, command, what, why));
            return;
        }
    };
    if shape.workdir == "/" {
        out.push(report(
            build,
            command,
            what,
            "there is no WORKDIR, so the build folder is not certain",
        ));
        return;
    }
    let binary = join_path(&shape.workdir, &format!("target/release/{name}"));
    // Distroless cc (glibc, no shell, nonroot) when the container needs no
    // shell and binds no low port; otherwise Debian slim as root.
    let (runtime, body) = if obstacle(checker, stage, &shape, false, true).is_none() {
        (
            "gcr.io/distroless/cc-debian12:nonroot",
            vec![format!("COPY --from={{alias}} {binary} {binary}")],
        )
    } else if let Some(why) = obstacle(checker, stage, &shape, true, false) {
        out.push(report(build, command, what, &why));
        return;
    } else {
        (
            "debian:bookworm-slim",
            vec![format!("COPY --from={{alias}} {binary} {binary}")],
        )
    };
    let mut body = body;
    let target = join_path(&shape.workdir, "target");
    copy_runtime_files(
        checker,
        stage,
        &shape,
        |p| p.starts_with(&target),
        &mut body,
    );
    let (edits, _) = split_edits(checker, stage, &shape, runtime, &body, Vec::new());
    out.push(
        Diagnostic::new(
            &RULE,
            build.source_range(command.range),
            format!("{what}: build in a stage and run `{binary}` on {runtime}"),
        )
        .with_fix(Fix::new(edits, Applicability::Unsafe)),
    );
}
