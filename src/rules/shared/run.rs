//! Shared helpers for rules that read and edit RUN instructions.

use crate::fix::Edit;
use crate::semantic::Model;
use crate::syntax::shell::{self, Connector, Script, SimpleCommand, Word};
use crate::syntax::{Bias, Document, Instruction, Item, Keyword, TextRange};

/// A RUN instruction with its shell view.
pub(crate) struct RunView<'d> {
    pub instruction: &'d Instruction,
    pub stage: usize,
    /// Index of the instruction in `Document::items`.
    pub item: usize,
    pub form: RunForm,
}

pub(crate) enum RunForm {
    /// Shell form without heredocs: the script can be edited in place.
    Shell(Script),
    /// The script is a heredoc body: read it, but do not edit it.
    Heredoc(Script),
    /// Exec form: no shell.
    Exec,
}

impl RunView<'_> {
    pub fn script(&self) -> Option<&Script> {
        match &self.form {
            RunForm::Shell(script) | RunForm::Heredoc(script) => Some(script),
            RunForm::Exec => None,
        }
    }

    pub fn editable(&self) -> Option<&Script> {
        match &self.form {
            RunForm::Shell(script) => Some(script),
            _ => None,
        }
    }

    /// The targets of the RUN's `--mount=type=cache` flags, without a
    /// trailing slash.
    pub fn cache_mount_targets(&self) -> Vec<String> {
        self.instruction
            .command
            .flags
            .iter()
            .filter(|f| f.name() == "mount")
            .filter_map(|f| f.value())
            .filter(|v| v.split(',').any(|kv| kv == "type=cache"))
            .filter_map(|v| {
                v.split(',').find_map(|kv| {
                    kv.strip_prefix("target=")
                        .or_else(|| kv.strip_prefix("dst="))
                        .or_else(|| kv.strip_prefix("destination="))
                        .map(|t| t.trim_end_matches('/').to_owned())
                })
            })
            .collect()
    }

    /// `--mount=type=cache` flags cover `dir` (or a directory above it).
    pub fn has_cache_mount<S: AsRef<str>>(&self, dirs: &[S]) -> bool {
        let targets = self.cache_mount_targets();
        dirs.iter().any(|d| {
            let d = d.as_ref();
            targets.iter().any(|t| {
                d == t
                    || d.strip_prefix(t.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
        })
    }
}

/// Every RUN instruction of the document (ONBUILD triggers excluded: they run
/// in another build), with the index of its stage.
pub(crate) fn runs(document: &Document) -> Vec<RunView<'_>> {
    let mut views = Vec::new();
    let mut stage_index: Option<usize> = None;
    let mut posix = true;
    for (item, entry) in document.items().iter().enumerate() {
        let Item::Instruction(instruction) = entry else {
            continue;
        };
        if instruction.keyword() == Keyword::From {
            stage_index = Some(stage_index.map_or(0, |s| s + 1));
            posix = !is_windows_image(instruction);
            continue;
        }
        if instruction.keyword() == Keyword::Shell {
            posix = is_posix_shell(instruction);
            continue;
        }
        let Some(stage) = stage_index else {
            continue;
        };
        // RUN text for cmd or PowerShell is not shell text these rules understand.
        if instruction.keyword() != Keyword::Run || !posix {
            continue;
        }
        let form = if instruction.command.is_exec_form() {
            RunForm::Exec
        } else if let Some(heredoc) = instruction.heredocs.first() {
            RunForm::Heredoc(shell::parse_script(document.source(), heredoc.body))
        } else {
            RunForm::Shell(shell::parse_script(
                instruction.logical.as_str(),
                instruction.command.args,
            ))
        };
        views.push(RunView {
            instruction,
            stage,
            item,
            form,
        });
    }
    views
}

/// Windows base images run RUN with `cmd /S /C`.
fn is_windows_image(from: &Instruction) -> bool {
    from.from_image().is_some_and(|image| {
        let path = image.path.to_ascii_lowercase();
        path.contains("windows") || path.contains("nanoserver") || path.contains("servercore")
    })
}

/// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` keeps POSIX shell text;
/// `SHELL ["powershell", …]` or `["cmd", …]` does not.
fn is_posix_shell(shell: &Instruction) -> bool {
    let crate::syntax::Body::Exec(args) = &shell.command.body else {
        return false;
    };
    args.first().is_some_and(|a| {
        let name = a.value.rsplit('/').next().unwrap_or(&a.value);
        matches!(name, "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh")
    })
}

/// The words of a command after wrappers that only run it: `sudo [-opts]`,
/// `env [NAME=value…]`, `command`, `exec`, `nice`.
pub(crate) fn effective_words(command: &SimpleCommand) -> &[Word] {
    let mut words = command.words.as_slice();
    loop {
        match words.first().and_then(|w| w.literal.as_deref()) {
            Some("sudo") => {
                words = &words[1..];
                while words
                    .first()
                    .and_then(|w| w.literal.as_deref())
                    .is_some_and(|w| w.starts_with('-'))
                {
                    words = &words[1..];
                }
            }
            Some("env") => {
                words = &words[1..];
                while words
                    .first()
                    .and_then(|w| w.literal.as_deref())
                    .is_some_and(|w| w.contains('=') || w.starts_with('-'))
                {
                    words = &words[1..];
                }
            }
            Some("command" | "exec" | "nice") => words = &words[1..],
            _ => return words,
        }
    }
}

/// The program name without a path: `/usr/bin/apt-get` → `apt-get`.
pub(crate) fn program(words: &[Word]) -> Option<&str> {
    let name = words.first()?.literal.as_deref()?;
    Some(name.rsplit('/').next().unwrap_or(name))
}

/// An edit that appends `addition` after the last top-level statement of a
/// script, joined the way the script already joins commands and in the
/// continuation style the instruction already uses (single line, `cmd && \`
/// then an indented line, or lines that start with the operator).
///
/// `X && addition` fails exactly when `X` fails, whatever list `X` is (`;`,
/// `||`, pipes and compound commands bind tighter, or are earlier
/// statements whose status never decided the RUN's), so for an addition that
/// succeeds (a cleanup) the RUN succeeds and fails as before. `;` is used
/// only where `set -e` already makes it mean the same. A script that does not
/// parse cleanly, or ends in a background `&`, gets no edit.
pub(crate) fn append_to_chain(
    document: &Document,
    instruction: &Instruction,
    script: &Script,
    addition: &str,
) -> Option<Edit> {
    if script.has_errors {
        return None;
    }
    let first = *script.statements.first()?;
    let last_statement = *script.statements.last()?;
    let logical = instruction.logical.as_str();
    let rest = logical[script.end_of_statements..script.range.end].trim_start();
    if rest.starts_with('&') && !rest.starts_with("&&") {
        return None;
    }
    let last = script
        .commands
        .iter()
        .rev()
        .find(|c| !c.nested && last_statement.contains_range(c.range));
    let op = if last.is_some_and(|c| c.connector == Connector::Seq) && script.is_simple_chain() {
        ";"
    } else {
        "&&"
    };
    let source = document.source();
    let start = instruction.logical.to_source(first.start, Bias::Right);
    let at = instruction
        .logical
        .to_source(script.end_of_statements, Bias::Left);
    let last_start = instruction
        .logical
        .to_source(last_statement.start, Bias::Right);
    let line_start = source[..last_start].rfind('\n').map_or(0, |i| i + 1);
    if !source[start..at].contains('\n') || line_start <= start {
        let space = if op == ";" { "" } else { " " };
        return Some(Edit::insert(at, format!("{space}{op} {addition}")));
    }
    let before = &source[line_start..last_start];
    let indent = &before[..before.len() - before.trim_start_matches([' ', '\t']).len()];
    let escape = document.escape();
    let newline = document.newline();
    let text = if before.trim_start().starts_with(op) {
        format!(" {escape}{newline}{indent}{op} {addition}")
    } else if op == ";" {
        format!("; {escape}{newline}{indent}{addition}")
    } else {
        format!(" && {escape}{newline}{indent}{addition}")
    };
    Some(Edit::insert(at, text))
}

/// True when RUN `b` directly follows RUN `a` in the same stage, with only
/// blank lines between them.
pub(crate) fn adjacent(document: &Document, a: &RunView<'_>, b: &RunView<'_>) -> bool {
    between(document, a, b).is_some_and(|comments| !comments)
}

/// When only blank lines and comments separate RUN `b` from RUN `a` in the
/// same stage: whether there are comments.
pub(crate) fn between(document: &Document, a: &RunView<'_>, b: &RunView<'_>) -> Option<bool> {
    if a.stage != b.stage || a.item >= b.item {
        return None;
    }
    let items = &document.items()[a.item + 1..b.item];
    if !items
        .iter()
        .all(|i| matches!(i, Item::Blank(_) | Item::Comment(_)))
    {
        return None;
    }
    Some(items.iter().any(|i| matches!(i, Item::Comment(_))))
}

fn same_flags(a: &RunView<'_>, b: &RunView<'_>) -> bool {
    let words = |v: &RunView<'_>| -> Vec<String> {
        v.instruction
            .command
            .flags
            .iter()
            .map(|f| f.word.clone())
            .collect()
    };
    words(a) == words(b)
}

/// Why two RUNs that belong together cannot be merged exactly, if they cannot.
pub(crate) fn merge_obstacle(
    document: &Document,
    a: &RunView<'_>,
    b: &RunView<'_>,
) -> Option<&'static str> {
    if merge_runs(document, a, b).is_some() {
        return None;
    }
    Some(match (&a.form, &b.form) {
        _ if between(document, a, b) == Some(true) => "a comment sits between them",
        (RunForm::Shell(_), RunForm::Shell(_)) if !same_flags(a, b) => "their flags differ",
        (RunForm::Shell(_), RunForm::Shell(_)) => "the shell text is not a plain `&&` chain",
        _ => "one of them is a heredoc or exec form",
    })
}

/// `name` is set by an ENV (or an ARG, which RUN also sees) before
/// `instruction`, in its stage or a stage it is built on (the model's
/// environment).
pub(crate) fn env_defined(model: &Model, instruction: &Instruction, name: &str) -> bool {
    model
        .env_before(instruction)
        .is_some_and(|env| env.has_var(name))
}

/// Inserts `text` right after a word of a shell-form RUN, or `None` when the
/// word does not sit on one source line.
pub(crate) fn insert_after_word(
    instruction: &Instruction,
    word: &Word,
    text: &str,
) -> Option<Edit> {
    if !instruction.logical.is_contiguous(word.range) {
        return None;
    }
    let at = instruction.logical.to_source(word.range.end, Bias::Left);
    Some(Edit::insert(at, text))
}

/// Removes statement `k` of a simple chain together with the operator that
/// joins it, or `None` when that would remove a comment or empty the script.
pub(crate) fn remove_statement(
    document: &Document,
    instruction: &Instruction,
    script: &Script,
    k: usize,
) -> Option<Edit> {
    if !script.is_simple_chain() || script.statements.len() < 2 {
        return None;
    }
    let logical = &instruction.logical;
    let statements = &script.statements;
    let range = if k + 1 < statements.len() {
        TextRange::new(
            logical.to_source(statements[k].start, Bias::Right),
            logical.to_source(statements[k + 1].start, Bias::Right),
        )
    } else {
        TextRange::new(
            logical.to_source(statements[k - 1].end, Bias::Left),
            logical.to_source(statements[k].end, Bias::Left),
        )
    };
    if range.slice(document.source()).contains('#') {
        return None;
    }
    Some(Edit::delete(range))
}

/// Merges RUN `b` into RUN `a` (adjacent, both shell-form simple chains with
/// the same flags): the text from the end of `a`'s last statement to the
/// start of `b`'s first becomes a `&&` continuation in the file's style.
pub(crate) fn merge_runs(document: &Document, a: &RunView<'_>, b: &RunView<'_>) -> Option<Edit> {
    let (RunForm::Shell(sa), RunForm::Shell(sb)) = (&a.form, &b.form) else {
        return None;
    };
    if !sa.is_simple_chain() || !sb.is_simple_chain() || !adjacent(document, a, b) {
        return None;
    }
    if !same_flags(a, b) {
        return None;
    }
    let start = a
        .instruction
        .logical
        .to_source(sa.end_of_statements, Bias::Left);
    let end = b
        .instruction
        .logical
        .to_source(sb.statements.first()?.start, Bias::Right);
    let span = TextRange::new(start, end);
    if span.slice(document.source()).contains('#') {
        return None;
    }
    let (indent, leading) = document.continuation_style();
    let escape = document.escape();
    let newline = document.newline();
    let joiner = if leading {
        format!(" {escape}{newline}{indent}&& ")
    } else {
        format!(" && {escape}{newline}{indent}")
    };
    Some(Edit::replace(span, joiner))
}

/// The edit that removes a line continuation into nothing at the end of
/// `instruction` (`RUN npm install \` as the last line of the file, which
/// BuildKit accepts), or `None` when it has none. Text inserted after such
/// an instruction would otherwise become part of it, so every rule that
/// inserts after an instruction adds this edit to its fix.
pub(crate) fn close_continuation(document: &Document, instruction: &Instruction) -> Option<Edit> {
    let source = document.source();
    let text = instruction.range.slice(source);
    let trimmed = text.trim_end_matches(['\n', '\r', ' ', '\t']);
    let escape = document.escape();
    let body = trimmed.strip_suffix(escape)?;
    let start = instruction.range.start + body.trim_end_matches([' ', '\t']).len();
    let end = instruction.range.start + trimmed.len();
    Some(Edit::delete(TextRange::new(start, end)))
}

/// `close_continuation` for the last instruction of the document, for
/// rules that append at the end of the file.
pub(crate) fn close_last_continuation(document: &Document) -> Option<Edit> {
    let last = document.instructions().last()?;
    close_continuation(document, last)
}
