//! Rules for the stage that ships: DS303 `copy-whole-stage` (a final stage
//! that copies another stage's entire file system) and DS304
//! `final-stage-root` (a final stage that runs as root although its image
//! has an unprivileged user).

use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::Checker;
use crate::rules::multi_stage_split::static_binary;
use crate::syntax::{ImageRef, Instruction, Keyword, Stage, TextRange};

/// A USER value that names root (`root`, `0`, with or without a group).
fn is_root(value: &str) -> bool {
    matches!(value.trim().split(':').next(), Some("root" | "0"))
}

/// An EXPOSE of a port below 1024, which a non-root user cannot bind.
pub(crate) fn exposes_low_port(expose: &Instruction) -> bool {
    expose.words().iter().any(|w| {
        expose
            .text(*w)
            .split('/')
            .next()
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|p| p < 1024)
    })
}

/// The stage a `--from` or `FROM` names: by alias or by index.
pub(crate) fn stage_named<'s, 'a>(
    stages: &'s [Stage<'a>],
    name: &str,
    before: usize,
) -> Option<&'s Stage<'a>> {
    stages[..before].iter().find(|s| s.is_named(name))
}

/// The stage's `COPY --from=X` instructions, with X and their words
/// (sources, then the destination).
pub(crate) fn copies_from<'s, 'a>(
    stage: &'s Stage<'a>,
) -> impl Iterator<Item = (&'a Instruction, &'a str, Vec<TextRange>)> + 's {
    stage.instructions.iter().filter_map(|i| {
        let from = i.flag("from").and_then(|f| f.value())?;
        (i.keyword() == Keyword::Copy).then(|| (*i, from, i.words()))
    })
}

pub(crate) fn check_copy_whole_stage(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    let Some(last) = checker.stages.last() else {
        return;
    };
    for (instruction, from, words) in copies_from(last) {
        let [sources @ .., dest] = words.as_slice() else {
            continue;
        };
        let whole = sources
            .iter()
            .any(|w| matches!(instruction.text(*w), "/" | "/." | "/*"));
        if !whole {
            continue;
        }
        // An export stage built from scratch holds only what was put there.
        let source = stage_named(&checker.stages, from, last.index);
        if source
            .and_then(|s| s.image())
            .is_some_and(|image| image.is_scratch())
        {
            continue;
        }
        let what = format!(
            "the final stage copies the whole file system of `{from}` (its toolchain, sources and caches)"
        );
        let artifact = source.and_then(|s| static_artifact(checker, s, last));
        let diagnostic = match artifact {
            Some(binary) => Diagnostic::new(
                &crate::rules::copy_whole_stage::RULE,
                instruction.range,
                format!("{what}: copy only the static binary `{binary}` the container starts"),
            )
            .with_fix(Fix::new(
                vec![Edit::replace(
                    instruction.source_range(TextRange::new(sources[0].start, dest.end)),
                    format!("{binary} {binary}"),
                )],
                Applicability::Unsafe,
            )),
            None => Diagnostic::new(
                &crate::rules::copy_whole_stage::RULE,
                instruction.range,
                format!("{what}: copy only the artifacts the program needs (not fixed automatically: which files it needs is not certain)"),
            )
            .with_fix(Fix::display_only()),
        };
        out.push(diagnostic);
    }
}

/// The one file the final stage needs from `source`: a static Go binary
/// that the container starts in exec form, when nothing else in the final
/// stage could use the rest of the copied file system (no RUN, no
/// shell-form start or health check, a single source word).
fn static_artifact(checker: &Checker<'_>, source: &Stage<'_>, last: &Stage<'_>) -> Option<String> {
    let binary = static_binary(checker, source)?;
    for instruction in &last.instructions {
        let command = instruction.effective();
        match command.keyword {
            Keyword::Run | Keyword::Add | Keyword::Onbuild => return None,
            Keyword::Copy if instruction.words().len() != 2 => return None,
            _ => {}
        }
    }
    // What the container starts, from the model's start closure: exec form
    // only, and no shell-form health check.
    let start = &checker.model.stages[last.index].start;
    if start.needs_shell().is_some() {
        return None;
    }
    let start = start
        .entrypoint
        .as_ref()
        .or(start.cmd.as_ref())
        .and_then(|c| c.first.clone())?;
    (start == binary).then_some(binary)
}

pub(crate) use crate::transforms::RuntimeUser as User;

fn users() -> &'static [User] {
    &crate::transforms::RuntimeUsers::builtin().users
}

/// The unprivileged user an image defines, from `transforms/runtime-users.yaml`.
pub(crate) fn known_user(image: &ImageRef) -> Option<&'static User> {
    let name = image.canonical_name();
    let major = image.tag_major();
    users().iter().find(|u| {
        let matches = match u.image.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == u.image,
        };
        matches
            && u.min_major
                .is_none_or(|min| major.is_some_and(|m| m >= min))
    })
}

pub(crate) fn check_final_stage_root(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    // DS301 decides the stage layout first (pipeline order): when it offers
    // a split, the runtime stage it writes gets its user. Its fix is unsafe
    // like this one, so whenever this fix could apply the split does too.
    if crate::rules::offered_fix(out, &crate::rules::multi_stage_split::RULE).is_some() {
        return;
    }
    let Some(last) = checker.stages.last() else {
        return;
    };
    let Some(image) = last.image() else { return };
    if image.has_variables() || stage_named(&checker.stages, &image.text, last.index).is_some() {
        return;
    }
    // Distroless `:nonroot` tags already run as nonroot.
    if image.tag.as_deref().is_some_and(|t| t.contains("nonroot")) {
        return;
    }
    let Some(user) = known_user(&image) else {
        return;
    };
    // A stage that sets a user keeps it, unless the last one is root (what
    // hadolint's DL3002 reports).
    let last_user = last
        .instructions
        .iter()
        .rev()
        .find(|i| i.keyword() == Keyword::User)
        .copied();
    if last_user.is_some_and(|u| !is_root(u.args_text())) {
        return;
    }
    let what = format!(
        "the final stage runs as root although `{}` has the unprivileged user `{}` ({})",
        image.text, user.name, user.user
    );
    let why = last.instructions.iter().find_map(|i| match i.keyword() {
        Keyword::Volume => Some(
            "a VOLUME means the program writes at run time, maybe where the user cannot".to_owned(),
        ),
        Keyword::Expose if exposes_low_port(i) => {
            Some("a port below 1024 cannot be bound by a non-root user".to_owned())
        }
        Keyword::Onbuild => Some("ONBUILD triggers run later, as the user".to_owned()),
        _ => None,
    });
    if let Some(why) = why {
        out.push(
            Diagnostic::new(
                &crate::rules::final_stage_root::RULE,
                last.from.range,
                format!("{what} (not fixed automatically: {why})"),
            )
            .with_fix(Fix::display_only()),
        );
        return;
    }
    // After the last instruction that builds the image; a trailing
    // `USER root` after it is replaced instead.
    let anchor = last
        .instructions
        .iter()
        .rev()
        .find(|i| {
            matches!(
                i.keyword(),
                Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Workdir
            )
        })
        .copied()
        .unwrap_or(last.from);
    if let Some(root) = last_user.filter(|u| u.range.start > anchor.range.start) {
        let words = root.words();
        if let (Some(first), Some(final_word)) = (words.first(), words.last()) {
            out.push(
                Diagnostic::new(
                    &crate::rules::final_stage_root::RULE,
                    root.range,
                    format!(
                        "{what}: `USER {}` runs the container unprivileged",
                        user.user
                    ),
                )
                .with_fix(Fix::new(
                    vec![Edit::replace(
                        root.source_range(TextRange::new(first.start, final_word.end)),
                        user.user.clone(),
                    )],
                    Applicability::Unsafe,
                )),
            );
        }
        return;
    }
    let source = checker.document.source();
    let newline = checker.document.newline();
    let end = anchor.range.end;
    let lead = if source[..end].ends_with('\n') {
        ""
    } else {
        newline
    };
    out.push(
        Diagnostic::new(
            &crate::rules::final_stage_root::RULE,
            last.from.range,
            format!(
                "{what}: `USER {}` runs the container unprivileged",
                user.user
            ),
        )
        .with_fix(Fix::new(
            super::run::close_continuation(checker.document, anchor)
                .into_iter()
                .chain([Edit::insert(
                    end,
                    format!("{lead}USER {}{newline}", user.user),
                )])
                .collect(),
            Applicability::Unsafe,
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::TextRange;

    fn user_of(text: &str) -> Option<&'static str> {
        known_user(&ImageRef::parse(text, TextRange::new(0, text.len()))).map(|u| u.user.as_str())
    }

    #[test]
    fn runtime_users_table() {
        assert_eq!(user_of("node:20-slim"), Some("1000:1000"));
        assert_eq!(user_of("docker.io/library/node:18"), Some("1000:1000"));
        assert_eq!(
            user_of("gcr.io/distroless/base-debian12"),
            Some("65532:65532")
        );
        assert_eq!(
            user_of("mcr.microsoft.com/dotnet/aspnet:8.0"),
            Some("1654:1654")
        );
        assert_eq!(
            user_of("mcr.microsoft.com/dotnet/runtime:9.0-noble"),
            Some("1654:1654")
        );
        assert_eq!(user_of("mcr.microsoft.com/dotnet/aspnet:6.0"), None);
        assert_eq!(user_of("mcr.microsoft.com/dotnet/aspnet"), None);
        assert_eq!(user_of("python:3.12-slim"), None);
        assert_eq!(user_of("nodejs/node:20"), None);
    }
}
