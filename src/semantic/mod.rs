//! The semantic model: what each stage and step of a Dockerfile *means*,
//! worked out once per round between [`crate::syntax`] and the rules, the
//! way ruff's semantic model sits between its parser and its rules.
//!
//! It knows the stages (base with ARGs resolved, role, whether their files
//! ship in the final image), the environment at each instruction (one
//! meaning of WORKDIR), each RUN command classified with what it needs and
//! provides, where each install's package lists come from, and each
//! stage's start closure. Rules ask it instead of working facts out by
//! hand; [`can_precede`] is the one dependency check for moves, merges,
//! deletions and splits. It is not a rule and emits nothing.

pub mod commands;
pub mod env;
pub mod start;

pub use commands::{Action, CommandFacts, Resource, can_precede};
pub use env::{Env, join};
pub use start::{Start, StartCommand};

use crate::rules::run::RunView;
use crate::syntax::{ImageRef, Instruction, Keyword, Stage};
use crate::transforms::PackageManagers;

/// What a stage is based on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// An image, with global ARGs resolved in its reference.
    Image(ImageRef),
    /// An earlier stage, by index.
    Stage(usize),
    /// A reference with a variable that could not be resolved.
    Unknown,
}

/// What a stage's files contribute to the final image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ships {
    /// The final stage, or a stage it is built on: everything ships.
    Whole,
    /// Only these absolute paths, copied (`COPY --from`) by a stage that ships.
    Paths(Vec<String>),
    Nothing,
}

/// The facts of one stage.
#[derive(Clone, Debug)]
pub struct StageFacts {
    pub index: usize,
    pub name: Option<String>,
    pub base: Base,
    pub is_final: bool,
    /// Stages built `FROM` this one.
    pub base_of: Vec<usize>,
    /// Stages that copy from (or mount) this one.
    pub copied_by: Vec<usize>,
    pub ships: Ships,
    pub start: Start,
}

impl StageFacts {
    /// Neither final, nor a base, nor copied from: its files go nowhere.
    pub fn is_unused(&self) -> bool {
        !self.is_final && self.base_of.is_empty() && self.copied_by.is_empty()
    }
}

/// Where an install's package lists come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListsFrom {
    /// An update earlier in the same RUN: the lists are in this layer.
    ThisRun,
    /// The update of an earlier RUN (index into the RUN views).
    Run(usize),
    /// Nothing in the Dockerfile refreshed them (the base image's, if any),
    /// or a cleanup removed them.
    Image,
}

/// A package install and where its lists come from.
#[derive(Clone, Debug)]
pub struct ListsUse {
    pub run: usize,
    /// Index into the RUN's `script.commands`.
    pub command: usize,
    pub manager: String,
    pub from: ListsFrom,
}

/// The facts of one RUN (same index as the checker's RUN views).
#[derive(Clone, Debug)]
pub struct RunFacts {
    pub stage: usize,
    /// One per command of the script (empty for exec form).
    pub commands: Vec<CommandFacts>,
}

pub struct Model {
    pub stages: Vec<StageFacts>,
    pub runs: Vec<RunFacts>,
    /// The environment before each instruction, by its start offset.
    env: Vec<(usize, Env)>,
    /// The environment at the end of each stage.
    stage_end: Vec<Env>,
    pub lists: Vec<ListsUse>,
    /// The start offset of each RUN, by RUN index.
    run_starts: Vec<usize>,
}

impl Model {
    pub(crate) fn new(
        stages: &[Stage<'_>],
        runs: &[RunView<'_>],
        managers: &PackageManagers,
        document: &crate::syntax::Document,
    ) -> Model {
        let global = global_args(document, stages);
        let mut facts: Vec<StageFacts> = Vec::new();
        let mut env = Vec::new();
        let mut stage_end: Vec<Env> = Vec::new();
        for stage in stages {
            let base = match stage.image() {
                Some(image)
                    if let Some(earlier) = stages[..stage.index]
                        .iter()
                        .find(|s| s.is_named(&image.text)) =>
                {
                    Base::Stage(earlier.index)
                }
                Some(image) => match global.expand(&image.text) {
                    Some(text) if text != image.text => {
                        Base::Image(ImageRef::parse(&text, image.range))
                    }
                    Some(_) => Base::Image(image),
                    None => Base::Unknown,
                },
                None => Base::Unknown,
            };
            let (mut current, mut start) = match &base {
                Base::Stage(i) => (stage_end[*i].clone(), facts[*i].start.clone()),
                Base::Image(image) => (
                    Env::start(env::image_workdir(&image.canonical_name())),
                    Start::default(),
                ),
                Base::Unknown => (
                    Env {
                        workdir: None,
                        ..Env::start("/")
                    },
                    Start::default(),
                ),
            };
            for instruction in &stage.instructions {
                env.push((instruction.range.start, current.clone()));
                apply(&mut current, &global, instruction);
                start.add(instruction);
            }
            start.workdir = current.workdir.clone();
            stage_end.push(current);
            facts.push(StageFacts {
                index: stage.index,
                name: stage.name().map(str::to_owned),
                base,
                is_final: stage.index + 1 == stages.len(),
                base_of: Vec::new(),
                copied_by: Vec::new(),
                ships: Ships::Nothing,
                start,
            });
        }
        // Roles: who builds on and copies from whom.
        let mut copies: Vec<(usize, usize, Vec<String>)> = Vec::new();
        for stage in stages {
            if let Base::Stage(i) = facts[stage.index].base {
                facts[i].base_of.push(stage.index);
            }
            for instruction in &stage.instructions {
                for (from, paths) in stage_references(instruction) {
                    if let Some(source) = stages[..stage.index].iter().find(|s| s.is_named(&from)) {
                        if !facts[source.index].copied_by.contains(&stage.index) {
                            facts[source.index].copied_by.push(stage.index);
                        }
                        copies.push((stage.index, source.index, paths));
                    }
                }
            }
        }
        // What ships: the final stage and its bases wholly; from there,
        // backwards, the paths that shipping stages copy.
        if let Some(last) = facts.last().map(|f| f.index) {
            let mut at = Some(last);
            while let Some(i) = at {
                facts[i].ships = Ships::Whole;
                at = match facts[i].base {
                    Base::Stage(b) => Some(b),
                    _ => None,
                };
            }
        }
        for index in (0..facts.len()).rev() {
            if facts[index].ships == Ships::Nothing {
                continue;
            }
            for (_, source, paths) in copies.iter().filter(|(to, _, _)| *to == index) {
                let mut paths = paths.clone();
                let entry = &mut facts[*source].ships;
                match entry {
                    Ships::Whole => {}
                    Ships::Paths(existing) => existing.append(&mut paths),
                    Ships::Nothing => *entry = Ships::Paths(paths),
                }
                // A stage's base ships what the stage ships of it.
                let shipped = facts[*source].ships.clone();
                let mut at = facts[*source].base.clone();
                while let Base::Stage(b) = at {
                    if facts[b].ships == Ships::Nothing {
                        facts[b].ships = shipped.clone();
                    }
                    at = facts[b].base.clone();
                }
            }
        }
        let run_facts: Vec<RunFacts> = runs
            .iter()
            .map(|view| RunFacts {
                stage: view.stage,
                commands: view
                    .script()
                    .map(|s| {
                        s.commands
                            .iter()
                            .enumerate()
                            .map(|(i, c)| {
                                let mut facts = commands::classify(managers, c, i);
                                // A heredoc's script indexes its own body, not
                                // the instruction's text.
                                if view.editable().is_some() {
                                    commands::redirected_output(
                                        &mut facts,
                                        s,
                                        c,
                                        view.instruction.logical.as_str(),
                                    );
                                }
                                facts
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        let lists = lists_uses(&facts, &run_facts);
        Model {
            stages: facts,
            runs: run_facts,
            env,
            stage_end,
            lists,
            run_starts: runs.iter().map(|v| v.instruction.range.start).collect(),
        }
    }

    /// The environment `instruction` runs in.
    pub fn env_before(&self, instruction: &Instruction) -> Option<&Env> {
        let at = self
            .env
            .binary_search_by_key(&instruction.range.start, |(start, _)| *start)
            .ok()?;
        Some(&self.env[at].1)
    }

    /// The working directory of `instruction` (`None`: unknown).
    pub fn workdir_before(&self, instruction: &Instruction) -> Option<&str> {
        self.env_before(instruction)?.workdir.as_deref()
    }

    /// What an instruction provides to the steps after it: for a RUN what
    /// its commands provide, for ENV and ARG their variables, for WORKDIR
    /// and USER where and as whom later steps run, for COPY and ADD the
    /// files they write. Metadata (EXPOSE, LABEL, CMD …) provides nothing;
    /// what the model does not know (SHELL, VOLUME) provides anything.
    pub fn provides(&self, instruction: &Instruction) -> Vec<Resource> {
        match instruction.keyword() {
            Keyword::Run => match self.run_starts.binary_search(&instruction.range.start) {
                Ok(r) if !self.runs[r].commands.is_empty() => self.runs[r]
                    .commands
                    .iter()
                    .flat_map(|c| c.provides.iter().cloned())
                    .collect(),
                _ => vec![Resource::Anything],
            },
            Keyword::Env | Keyword::Arg => {
                let words: Vec<&str> = instruction
                    .words()
                    .iter()
                    .map(|w| instruction.text(*w))
                    .collect();
                env::assignments(instruction.keyword() == Keyword::Env, &words)
                    .into_iter()
                    .map(|(name, _)| Resource::Var(name))
                    .collect()
            }
            Keyword::Workdir => vec![Resource::Cwd],
            Keyword::User => vec![Resource::User],
            Keyword::Copy | Keyword::Add => {
                let mut provided = Vec::new();
                if instruction.flag("from").is_none() {
                    provided.push(Resource::ContextFiles);
                }
                let dest = instruction.words().last().map(|w| instruction.text(*w));
                match (dest, self.workdir_before(instruction)) {
                    (Some(dest), Some(dir)) if !dest.contains('$') => {
                        provided.push(Resource::Path(join(dir, dest)))
                    }
                    _ => provided.push(Resource::Anything),
                }
                provided
            }
            Keyword::Expose
            | Keyword::Label
            | Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Healthcheck
            | Keyword::Stopsignal
            | Keyword::Maintainer
            | Keyword::Onbuild => Vec::new(),
            _ => vec![Resource::Anything],
        }
    }

    /// The environment at the end of a stage.
    pub fn env_at_end(&self, stage: usize) -> &Env {
        &self.stage_end[stage]
    }

    /// Whether a file the stage writes at `path` reaches the final image.
    pub fn ships_path(&self, stage: usize, path: &str) -> bool {
        match &self.stages[stage].ships {
            Ships::Whole => true,
            Ships::Paths(paths) => paths.iter().any(|p| {
                let p = p.trim_end_matches('/');
                p.is_empty()
                    || path == p
                    || path.starts_with(&format!("{p}/"))
                    || p.starts_with(&format!("{}/", path.trim_end_matches('/')))
            }),
            Ships::Nothing => false,
        }
    }

    /// The stage ships any of `paths`.
    pub fn ships_any(&self, stage: usize, paths: &[&str]) -> bool {
        paths.iter().any(|p| self.ships_path(stage, p))
    }

    /// The installs whose lists were refreshed by RUN `run`, in later RUNs.
    pub fn lists_consumers(&self, run: usize, manager: &str) -> Vec<&ListsUse> {
        self.lists
            .iter()
            .filter(|u| u.manager == manager && u.from == ListsFrom::Run(run))
            .collect()
    }

    /// Where the lists of the install at `command` of RUN `run` come from.
    pub fn lists_from(&self, run: usize, command: usize) -> Option<ListsFrom> {
        self.lists
            .iter()
            .find(|u| u.run == run && u.command == command)
            .map(|u| u.from)
    }
}

/// Global ARGs (before the first FROM), for resolving FROM references.
fn global_args(document: &crate::syntax::Document, stages: &[Stage<'_>]) -> Env {
    let mut env = Env::start("/");
    let first = stages.first().map_or(usize::MAX, |s| s.from.range.start);
    for instruction in document
        .instructions()
        .take_while(|i| i.range.start < first)
        .filter(|i| i.keyword() == Keyword::Arg)
    {
        let words: Vec<&str> = instruction
            .words()
            .iter()
            .map(|w| instruction.text(*w))
            .collect();
        for (name, value) in env::assignments(false, &words) {
            env.set(&name, value);
        }
    }
    env
}

/// Applies one instruction to the environment.
fn apply(current: &mut Env, global: &Env, instruction: &Instruction) {
    match instruction.keyword() {
        Keyword::Workdir => current.change_dir(instruction.args_text()),
        Keyword::Env | Keyword::Arg => {
            let is_env = instruction.keyword() == Keyword::Env;
            let words: Vec<&str> = instruction
                .words()
                .iter()
                .map(|w| instruction.text(*w))
                .collect();
            for (name, value) in env::assignments(is_env, &words) {
                // `ARG NAME` in a stage takes the global default.
                let value = match value {
                    Some(v) => current.expand(&v),
                    None if !is_env => global.var(&name).cloned().flatten(),
                    None => None,
                };
                current.set(&name, value);
            }
        }
        Keyword::User => current.user = Some(instruction.args_text().trim().to_owned()),
        Keyword::Shell => {
            if let crate::syntax::Body::Exec(args) = &instruction.command.body {
                current.shell = Some(args.iter().map(|a| a.value.clone()).collect());
            }
        }
        _ => {}
    }
}

/// The stages an instruction reads from (`COPY --from=X`, `RUN
/// --mount=from=X`), with the source paths (absolute; `/` for a mount,
/// which can read anything).
fn stage_references(instruction: &Instruction) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    let command = &instruction.command;
    if matches!(command.keyword, Keyword::Copy | Keyword::Add)
        && let Some(from) = instruction.flag("from").and_then(|f| f.value())
    {
        let words = instruction.words();
        let paths = words[..words.len().saturating_sub(1)]
            .iter()
            .map(|w| join("/", instruction.text(*w)))
            .collect();
        found.push((from.to_owned(), paths));
    }
    for flag in command.flags.iter().filter(|f| f.name() == "mount") {
        if let Some(from) = flag
            .value()
            .and_then(|v| v.split(',').find_map(|kv| kv.strip_prefix("from=")))
        {
            found.push((from.to_owned(), vec!["/".to_owned()]));
        }
    }
    found
}

/// Follows each manager's lists through the RUNs of every stage (a stage
/// built on another starts with that stage's lists).
fn lists_uses(stages: &[StageFacts], runs: &[RunFacts]) -> Vec<ListsUse> {
    use std::collections::BTreeMap;
    let mut uses = Vec::new();
    let mut at_end: Vec<BTreeMap<String, Option<usize>>> = Vec::new();
    for stage in stages {
        let mut state: BTreeMap<String, Option<usize>> = match stage.base {
            Base::Stage(b) => at_end[b].clone(),
            _ => BTreeMap::new(),
        };
        for (r, run) in runs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.stage == stage.index)
        {
            for command in &run.commands {
                match &command.action {
                    Action::ListsUpdate { manager } => {
                        state.insert(manager.clone(), Some(r));
                    }
                    Action::Cleanup { manager } => {
                        state.insert(manager.clone(), None);
                    }
                    Action::PackageInstall { manager, .. }
                        if command.needs.contains(&Resource::Lists(manager.clone())) =>
                    {
                        let from = match state.get(manager).copied().flatten() {
                            Some(s) if s == r => ListsFrom::ThisRun,
                            Some(s) => ListsFrom::Run(s),
                            None => ListsFrom::Image,
                        };
                        uses.push(ListsUse {
                            run: r,
                            command: command.index,
                            manager: manager.clone(),
                            from,
                        });
                    }
                    _ => {}
                }
            }
        }
        at_end.push(state);
    }
    uses
}

#[cfg(test)]
mod tests;
