//! The start closure of a stage: what its container runs (ENTRYPOINT, CMD)
//! and checks (HEALTHCHECK), parsed once: the form, the program, the words.

use crate::syntax::{Body, Instruction, Keyword};

/// Characters that make a shell-form start command more than plain words:
/// with any of them the words are not known without a shell.
const SHELL_SYNTAX: [char; 10] = ['$', '\'', '"', '`', ';', '&', '|', '<', '>', '\\'];

/// One of CMD, ENTRYPOINT, HEALTHCHECK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartCommand {
    /// JSON (exec) form: no shell involved.
    pub exec: bool,
    /// The words: the exec arguments, or the shell text split on spaces
    /// when it is plain words. `None` for shell text with other syntax.
    pub words: Option<Vec<String>>,
    /// The first word, also for shell text with other syntax.
    pub first: Option<String>,
}

impl StartCommand {
    pub fn program(&self) -> Option<&str> {
        let first = self.first.as_ref()?;
        Some(first.rsplit('/').next().unwrap_or(first))
    }

    fn of(instruction: &Instruction, text: &str) -> StartCommand {
        match &instruction.effective().body {
            Body::Exec(args) => StartCommand {
                exec: true,
                words: Some(args.iter().map(|a| a.value.clone()).collect()),
                first: args.first().map(|a| a.value.clone()),
            },
            _ => shell_form(text),
        }
    }
}

/// The stage's start closure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Start {
    pub entrypoint: Option<StartCommand>,
    pub cmd: Option<StartCommand>,
    /// `None` also for `HEALTHCHECK NONE`.
    pub healthcheck: Option<StartCommand>,
    /// The working directory the container starts in (`None`: unknown).
    pub workdir: Option<String>,
}

impl Start {
    /// Adds one instruction of the stage, in order.
    pub(super) fn add(&mut self, instruction: &Instruction) {
        let command = instruction.effective();
        let text = instruction.text(command.args);
        match command.keyword {
            Keyword::Entrypoint => {
                self.entrypoint = Some(StartCommand::of(instruction, text));
                // An ENTRYPOINT resets the CMD inherited so far.
                self.cmd = None;
            }
            Keyword::Cmd => self.cmd = Some(StartCommand::of(instruction, text)),
            Keyword::Healthcheck => {
                self.healthcheck = parse_healthcheck(text);
            }
            _ => {}
        }
    }

    /// The words the container runs: ENTRYPOINT then CMD. Empty when they
    /// are not known (shell syntax).
    pub fn words(&self) -> Vec<String> {
        let words = |c: &Option<StartCommand>| c.as_ref().and_then(|c| c.words.clone());
        match (&self.entrypoint, words(&self.entrypoint), words(&self.cmd)) {
            (Some(_), Some(e), Some(c)) if !e.is_empty() => e.into_iter().chain(c).collect(),
            (Some(_), e, _) => e.unwrap_or_default(),
            (None, _, c) => c.unwrap_or_default(),
        }
    }

    /// The first words of ENTRYPOINT, CMD and HEALTHCHECK: the programs the
    /// container may run (a CMD after a wrapper ENTRYPOINT such as `tini`
    /// is one) and checks its health with.
    pub fn programs(&self) -> Vec<String> {
        [&self.entrypoint, &self.cmd, &self.healthcheck]
            .into_iter()
            .flatten()
            .filter_map(|c| c.program().map(str::to_owned))
            .collect()
    }

    /// Which start instruction needs a shell (shell form), if one does.
    pub fn needs_shell(&self) -> Option<&'static str> {
        let shell = |c: &Option<StartCommand>| c.as_ref().is_some_and(|c| !c.exec);
        if shell(&self.entrypoint) || shell(&self.cmd) {
            Some("a shell-form CMD or ENTRYPOINT")
        } else if shell(&self.healthcheck) {
            Some("a shell-form HEALTHCHECK")
        } else {
            None
        }
    }
}

/// `HEALTHCHECK [OPTIONS] CMD command` (shell or exec form) or `NONE`.
fn parse_healthcheck(text: &str) -> Option<StartCommand> {
    let mut rest = text.trim_start();
    if rest.eq_ignore_ascii_case("none") {
        return None;
    }
    while rest.starts_with("--") {
        rest = rest
            .split_once(char::is_whitespace)
            .map_or("", |(_, r)| r)
            .trim_start();
    }
    let rest = if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case("cmd") {
        rest[3..].trim_start()
    } else {
        rest
    };
    if rest.starts_with('[')
        && let Ok(args) = serde_json::from_str::<Vec<String>>(rest)
    {
        return Some(StartCommand {
            exec: true,
            first: args.first().cloned(),
            words: Some(args),
        });
    }
    Some(shell_form(rest))
}

fn shell_form(text: &str) -> StartCommand {
    StartCommand {
        exec: false,
        words: (!text.contains(SHELL_SYNTAX))
            .then(|| text.split_whitespace().map(str::to_owned).collect()),
        first: text.split_whitespace().next().map(str::to_owned),
    }
}
