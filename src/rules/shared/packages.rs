//! Recognising package-manager commands in RUN shell text, from the table in
//! `transforms/package-managers.yaml`.

use super::run;
use crate::syntax::shell::{SimpleCommand, Word};
use crate::transforms::{CommandPattern, Manager};

/// A command of one manager: where its arguments start and its subcommand.
pub(crate) struct ManagerCommand<'a> {
    /// The command's words after wrappers (`sudo`, `env …`).
    pub words: &'a [Word],
    /// Index of the subcommand word, if there is one.
    pub subcommand: Option<usize>,
    /// Index of the word a flag goes after: the subcommand, or the program
    /// (or `python -m pip`) when there is no subcommand.
    pub verb: usize,
}

impl ManagerCommand<'_> {
    pub fn subcommand_name(&self) -> Option<&str> {
        self.words[self.subcommand?].literal.as_deref()
    }
}

/// Matches `command` against `manager`'s programs.
pub(crate) fn matches<'a>(
    manager: &Manager,
    command: &'a SimpleCommand,
) -> Option<ManagerCommand<'a>> {
    let words = run::effective_words(command);
    let program = run::program(words)?;
    let args_start = if manager.programs.iter().any(|p| p == program)
        || manager
            .program_prefixes
            .iter()
            .any(|p| program.starts_with(p.as_str()))
    {
        1
    } else if let Some(module) = &manager.python_module {
        let is_python = program.starts_with("python");
        let m = words.get(1).and_then(|w| w.literal.as_deref());
        let name = words.get(2).and_then(|w| w.literal.as_deref());
        if is_python && m == Some("-m") && name == Some(module.as_str()) {
            3
        } else {
            return None;
        }
    } else {
        return None;
    };
    let mut i = args_start;
    let mut subcommand = None;
    while i < words.len() {
        let Some(word) = words[i].literal.as_deref() else {
            break;
        };
        if manager.options_with_value.iter().any(|o| o == word) {
            i += 2;
        } else if word.starts_with('-') {
            i += 1;
        } else {
            subcommand = Some(i);
            break;
        }
    }
    Some(ManagerCommand {
        words,
        subcommand,
        verb: subcommand.unwrap_or(args_start - 1),
    })
}

/// The command installs packages with `manager`.
pub(crate) fn install<'a>(
    manager: &Manager,
    command: &'a SimpleCommand,
) -> Option<ManagerCommand<'a>> {
    let found = matches(manager, command)?;
    match found.subcommand_name() {
        Some(sub) if manager.install.iter().any(|i| i == sub) => Some(found),
        None if manager.bare_install && found.subcommand.is_none() => Some(found),
        _ => None,
    }
}

/// The command only refreshes package lists.
pub(crate) fn is_update(manager: &Manager, command: &SimpleCommand) -> bool {
    matches(manager, command)
        .and_then(|m| {
            m.subcommand_name()
                .map(|s| manager.update.iter().any(|u| u == s))
        })
        .unwrap_or(false)
}

pub(crate) fn pattern_matches(pattern: &CommandPattern, command: &SimpleCommand) -> bool {
    let words = run::effective_words(command);
    if run::program(words) != Some(pattern.program.as_str()) {
        return false;
    }
    let literals: Vec<&str> = words[1..]
        .iter()
        .filter_map(|w| w.literal.as_deref())
        .collect();
    if let Some(sub) = &pattern.subcommand {
        let Some(pos) = literals.iter().position(|w| !w.starts_with('-')) else {
            return false;
        };
        if literals[pos] != sub {
            return false;
        }
        let rest = &literals[pos + 1..];
        if !pattern.args.iter().all(|a| rest.contains(&a.as_str())) {
            return false;
        }
    }
    if let Some(path) = &pattern.path
        && !literals.iter().any(|w| w.starts_with(path.as_str()))
    {
        return false;
    }
    true
}

/// A command that belongs to `manager`'s install group: one of its own
/// commands, or one of the cleanups that go with it.
pub(crate) fn in_group(manager: &Manager, command: &SimpleCommand) -> bool {
    matches(manager, command).is_some()
        || manager
            .cleanup
            .iter()
            .flat_map(|c| &c.done_by)
            .any(|p| pattern_matches(p, command))
        || manager
            .redundant_with
            .iter()
            .any(|p| pattern_matches(p, command))
        || is_cache_removal(manager, command)
}

/// `rm -rf` of one of the manager's cache directories.
fn is_cache_removal(manager: &Manager, command: &SimpleCommand) -> bool {
    let words = run::effective_words(command);
    run::program(words) == Some("rm")
        && words[1..]
            .iter()
            .filter_map(|w| w.literal.as_deref())
            .any(|w| {
                !w.starts_with('-') && manager.cache_dirs.iter().any(|d| w.starts_with(d.as_str()))
            })
}
