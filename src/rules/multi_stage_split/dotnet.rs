//! DS301 for .NET: `dotnet publish -o DIR` in the SDK image becomes a
//! builder, and the publish folder runs on the ASP.NET Core runtime image
//! (or the plain .NET runtime for a console app whose project file says so),
//! as the images' `app` user (1654) from .NET 8 on.

use super::{
    RULE, join_path, last_command, obstacle, report, runtime_image, shape, split_edits,
    start_command,
};
use crate::fix::{Applicability, Diagnostic, Fix};
use crate::rules::Checker;
use crate::rules::run;
use crate::syntax::shell::SimpleCommand;
use crate::syntax::{Keyword, Stage};

/// The folder `dotnet publish` writes, `Some(None)` when it has no `-o`.
fn publish_output(command: &SimpleCommand) -> Option<Option<String>> {
    let words = run::effective_words(command);
    let literals: Vec<Option<&str>> = words.iter().map(|w| w.literal.as_deref()).collect();
    if run::program(words) != Some("dotnet") || literals.get(1) != Some(&Some("publish")) {
        return None;
    }
    let output = literals.iter().enumerate().find_map(|(i, w)| {
        let w = (*w)?;
        if w == "-o" || w == "--output" {
            return literals.get(i + 1).copied().flatten().map(str::to_owned);
        }
        ["-o=", "-o:", "--output=", "--output:"]
            .iter()
            .find_map(|p| w.strip_prefix(p))
            .map(str::to_owned)
    });
    Some(output)
}

/// Whether the app needs only the .NET runtime: every project file in the
/// context uses the plain or worker SDK and references no ASP.NET Core
/// framework. Unknown means ASP.NET Core, which holds both.
fn console_only(checker: &Checker<'_>) -> bool {
    let context = checker.context;
    let mut folders = vec![String::new()];
    if let Some(names) = context.names("") {
        folders.extend(names.filter(|n| n.ends_with('/')).map(str::to_owned));
    }
    let projects: Vec<&str> = folders
        .iter()
        .flat_map(|folder| {
            context
                .names(folder.trim_end_matches('/'))
                .into_iter()
                .flatten()
                .filter(|n| n.ends_with(".csproj") || n.ends_with(".fsproj"))
                .map(move |n| format!("{folder}{n}"))
        })
        .filter_map(|path| context.text(&path))
        .collect();
    !projects.is_empty()
        && projects.iter().all(|p| {
            (p.contains("Sdk=\"Microsoft.NET.Sdk\"")
                || p.contains("Sdk=\"Microsoft.NET.Sdk.Worker\""))
                && !p.contains("Microsoft.AspNetCore.App")
        })
}

/// A port below 1024 that `ASPNETCORE_URLS` or `ASPNETCORE_HTTP_PORTS` in an
/// ENV names: a non-root user cannot bind it.
fn low_port(stage: &Stage<'_>) -> Option<u32> {
    stage
        .instructions
        .iter()
        .filter(|i| i.keyword() == Keyword::Env && i.args_text().contains("ASPNETCORE_"))
        .flat_map(|i| {
            i.args_text()
                .split([':', '=', ';', ',', ' '])
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter_map(|part| part.trim_end_matches('/').parse::<u32>().ok())
        .find(|p| *p < 1024)
}

pub(super) fn check(checker: &Checker<'_>, stage: &Stage<'_>, out: &mut Vec<Diagnostic>) {
    let what = "the image ships the .NET SDK, sources and build output with the published app";
    let Some((view, command)) = last_command(checker, |c| publish_output(c).is_some()) else {
        return;
    };
    let build = view.instruction;
    let shape = shape(checker, stage, build);
    let Some(image) = stage.image() else { return };
    let Some(output) = publish_output(command).flatten() else {
        out.push(report(
            build,
            command,
            what,
            "`dotnet publish` has no `-o`, so the publish folder is not certain",
        ));
        return;
    };
    if output.contains('$') {
        out.push(report(
            build,
            command,
            what,
            "the publish folder uses a variable",
        ));
        return;
    }
    let output = join_path(&shape.workdir, output.trim_end_matches('/'));
    // The SDK tag must name a .NET version (8.0), not an SDK release
    // (8.0.100), for the runtime tag to exist.
    let tag = image.tag.clone().unwrap_or_default();
    let version = tag.split('-').next().unwrap_or_default();
    let parts: Vec<&str> = version.split('.').collect();
    if parts.len() != 2 || parts.iter().any(|p| p.parse::<u32>().is_err()) {
        out.push(report(
            build,
            command,
            what,
            &format!("the tag `{tag}` does not name a .NET version (like 8.0), so the runtime tag is not certain"),
        ));
        return;
    }
    let Some(mut runtime) = runtime_image(checker, &image) else {
        out.push(report(
            build,
            command,
            what,
            &format!(
                "the base-image table has no runtime image for `{}`",
                image.text
            ),
        ));
        return;
    };
    if console_only(checker) {
        runtime = runtime.replace("/dotnet/aspnet:", "/dotnet/runtime:");
    }
    // The images have an `app` user (uid 1654, `$APP_UID`) from .NET 8.
    let has_user = stage
        .instructions
        .iter()
        .any(|i| i.keyword() == Keyword::User);
    let user = if has_user {
        None
    } else {
        super::runtime_user(&runtime)
    };
    let nonroot = user.is_some();
    if let Some(why) = obstacle(checker, stage, &shape, true, nonroot) {
        out.push(report(build, command, what, &why));
        return;
    }
    if nonroot && let Some(port) = low_port(stage) {
        out.push(report(
            build,
            command,
            what,
            &format!("the app listens on port {port}, which the non-root `app` user cannot bind"),
        ));
        return;
    }
    // The container must start something in the publish folder.
    let (start, workdir) = start_command(checker, stage);
    let entry = match start.first().map(String::as_str) {
        Some("dotnet") => start.get(1),
        _ => start.first(),
    };
    let Some(entry) = entry else {
        out.push(report(
            build,
            command,
            what,
            "the container's start command is not plain words, so what it runs is not certain",
        ));
        return;
    };
    if !join_path(&workdir, entry).starts_with(&format!("{output}/")) {
        out.push(report(
            build,
            command,
            what,
            &format!("the container runs `{entry}`, which is not in the publish folder `{output}`"),
        ));
        return;
    }
    let mut body = vec![format!("COPY --from={{alias}} {output} {output}")];
    if let Some(user) = user {
        // By number (`$APP_UID` is 1654 in the images): Kubernetes can only
        // check `runAsNonRoot` for a numeric user, and hadolint asks for one.
        body.push(format!("USER {}", user.user));
    }
    let (edits, _) = split_edits(checker, stage, &shape, &runtime, &body, Vec::new());
    let user = if nonroot { " as the `app` user" } else { "" };
    out.push(
        Diagnostic::new(
            &RULE,
            build.source_range(command.range),
            format!("{what}: publish in a stage and run `{output}` on {runtime}{user}"),
        )
        .with_fix(Fix::new(edits, Applicability::Unsafe)),
    );
}
