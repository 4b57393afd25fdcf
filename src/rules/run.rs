//! Shared helpers for rules that read and edit RUN instructions.

use crate::fix::Edit;
use crate::syntax::shell::{self, Connector, Script, SimpleCommand, Word};
use crate::syntax::{Bias, Document, Instruction, Keyword};

/// A RUN instruction with its shell view.
pub(crate) struct RunView<'d> {
    pub instruction: &'d Instruction,
    pub stage: usize,
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

    /// `--mount=type=cache` flags cover `dir` (or a directory above it).
    pub fn has_cache_mount(&self, dirs: &[&str]) -> bool {
        self.instruction
            .command
            .flags
            .iter()
            .filter(|f| f.name() == "mount")
            .filter_map(|f| f.value())
            .filter(|v| v.split(',').any(|kv| kv == "type=cache"))
            .any(|v| {
                v.split(',').any(|kv| {
                    let target = kv
                        .strip_prefix("target=")
                        .or_else(|| kv.strip_prefix("dst="))
                        .or_else(|| kv.strip_prefix("destination="));
                    target.is_some_and(|t| {
                        let t = t.trim_end_matches('/');
                        dirs.iter().any(|d| d.starts_with(t))
                    })
                })
            })
    }
}

/// Every RUN instruction of the document (ONBUILD triggers excluded: they run
/// in another build), with the index of its stage.
pub(crate) fn runs(document: &Document) -> Vec<RunView<'_>> {
    let mut views = Vec::new();
    for stage in document.stages() {
        for &instruction in &stage.instructions {
            if instruction.keyword() != Keyword::Run {
                continue;
            }
            let form = if instruction.command.is_exec_form() {
                RunForm::Exec
            } else if let Some(heredoc) = instruction.heredocs.first() {
                let body = heredoc.body;
                RunForm::Heredoc(shell::parse_script(document.source(), body))
            } else {
                RunForm::Shell(shell::parse_script(
                    instruction.logical.as_str(),
                    instruction.command.args,
                ))
            };
            views.push(RunView {
                instruction,
                stage: stage.index,
                form,
            });
        }
    }
    views
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

/// The subcommand of a command such as `apt-get [options] install`: the
/// first argument that is not an option. `value_options` take a value.
pub(crate) fn subcommand<'w>(
    words: &'w [Word],
    value_options: &[&str],
) -> Option<(usize, &'w str)> {
    let mut i = 1;
    while i < words.len() {
        let word = words[i].literal.as_deref()?;
        if value_options.contains(&word) {
            i += 2;
        } else if word.starts_with('-') {
            i += 1;
        } else {
            return Some((i, word));
        }
    }
    None
}

/// An edit that appends `addition` to a script that is a simple chain, after
/// its last statement, joined the way the chain already joins commands (`&&`,
/// or `;` under `set -e`) and in the continuation style the instruction
/// already uses: single line, `cmd && \` then an indented line, or lines
/// that start with the operator.
pub(crate) fn append_to_chain(
    document: &Document,
    instruction: &Instruction,
    script: &Script,
    addition: &str,
) -> Option<Edit> {
    if !script.is_simple_chain() {
        return None;
    }
    let first = script.commands.first()?;
    let last = script.commands.last()?;
    let source = document.source();
    let start = instruction
        .logical
        .to_source(first.range.start, Bias::Right);
    let at = instruction
        .logical
        .to_source(script.end_of_statements, Bias::Left);
    let op = if last.connector == Connector::Seq {
        ";"
    } else {
        "&&"
    };
    let last_start = instruction.logical.to_source(last.range.start, Bias::Right);
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
