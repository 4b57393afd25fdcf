//! The command line: reads files, runs the pure core on each (in parallel),
//! and prints or writes the results in a stable order. All I/O lives here.

pub mod args;
pub mod output;
pub mod verify;
pub mod walk;
pub mod write;

use std::io::{self, Read, Write};
use std::process::ExitCode;

use rayon::prelude::*;

use crate::apply::{Outcome, fix_source};
use crate::context::Context;
use crate::fix::Applicability;
use crate::images::BaseImages;
use crate::rules;
use crate::settings::{RuleSelection, Settings, UnknownSelector};
use crate::syntax::{LineIndex, ParseError};
use crate::transforms::TableError;
use args::{Cli, Command, FixArgs, Mode, RuleArgs};
use walk::Input;

/// Exit statuses: 0 nothing to do, 1 something found or changed, 2 error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Clean = 0,
    Found = 1,
    Error = 2,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        ExitCode::from(status as u8)
    }
}

pub fn run(cli: Cli) -> Status {
    let result = match cli.command {
        Command::Fix(args) => fix(&args),
        Command::Verify(args) => match verify::verify(&args) {
            Ok(status) => Ok(status),
            Err(err) => {
                eprintln!("error: {err:#}");
                Ok(Status::Error)
            }
        },
        Command::Rules => list_rules(),
        Command::Explain { rule } => explain(&rule),
    };
    match result {
        Ok(status) => status,
        // A closed pipe (`dockslim fix --diff | head`) is not an error.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Status::Clean,
        Err(err) => {
            eprintln!("error: {err}");
            Status::Error
        }
    }
}

fn list_rules() -> io::Result<Status> {
    let mut out = io::stdout().lock();
    for rule in rules::ALL {
        writeln!(
            out,
            "{}  {:<24} {}  [fix: {}]",
            rule.code, rule.name, rule.summary, rule.fix_safety
        )?;
    }
    Ok(Status::Clean)
}

fn explain(selector: &str) -> io::Result<Status> {
    let Some(rule) = rules::find(selector) else {
        eprintln!("error: unknown rule `{selector}`; `dockslim rules` lists them");
        return Ok(Status::Error);
    };
    let mut out = io::stdout().lock();
    writeln!(out, "# {} ({})\n", rule.code, rule.name)?;
    writeln!(out, "{}\n", rule.summary)?;
    write!(out, "{}", rule.doc)?;
    Ok(Status::Clean)
}

/// What happened to one input.
enum FileResult {
    Done {
        label: String,
        outcome: Outcome,
        /// The build context folder, for the other files a fix writes.
        context_dir: Option<std::path::PathBuf>,
    },
    Invalid {
        label: String,
        source: String,
        error: ParseError,
    },
    Unreadable {
        label: String,
        message: String,
    },
}

fn read_input(input: &Input, stdin: &Option<String>) -> Result<String, String> {
    match input {
        Input::Stdin => stdin
            .clone()
            .ok_or_else(|| "standard input was not read".to_owned()),
        Input::File(path) => {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            String::from_utf8(bytes)
                .map_err(|e| format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()))
        }
    }
}

fn label(input: &Input) -> String {
    match input {
        Input::Stdin => "-".to_owned(),
        Input::File(path) => walk::normalize(path).display().to_string(),
    }
}

fn process(
    input: &Input,
    stdin: &Option<String>,
    settings: &Settings,
    context_dir: Option<&std::path::Path>,
) -> FileResult {
    let label = label(input);
    let source = match read_input(input, stdin) {
        Ok(source) => source,
        Err(message) => return FileResult::Unreadable { label, message },
    };
    // The build context defaults to the Dockerfile's directory.
    let dir = match (context_dir, input) {
        (Some(dir), _) => Some(dir.to_path_buf()),
        (None, Input::Stdin) => None,
        (None, Input::File(path)) => Some(
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."))
                .to_path_buf(),
        ),
    };
    let context = match &dir {
        Some(dir) => {
            let document = crate::syntax::parse(&source).ok();
            Context::for_document(dir, document.as_ref()).unwrap_or_default()
        }
        None => Context::unknown(),
    };
    match fix_source(&source, &context, settings) {
        Ok(outcome) => FileResult::Done {
            label,
            outcome,
            context_dir: dir,
        },
        Err(error) => FileResult::Invalid {
            label,
            source,
            error,
        },
    }
}

/// Why the settings a command line asks for cannot be made.
#[derive(Debug)]
pub enum SettingsError {
    Selector(UnknownSelector),
    Unreadable { path: String, message: String },
    Table { text: String, error: TableError },
}

impl SettingsError {
    /// The message for the terminal, with a snippet for table errors.
    pub fn render(&self) -> String {
        match self {
            SettingsError::Selector(e) => format!("error: {e}\n"),
            SettingsError::Unreadable { path, message } => format!("error: {path}: {message}\n"),
            SettingsError::Table { text, error } => {
                output::error_with_snippet(&error.path, text, error.offset, &error.message)
            }
        }
    }
}

/// The settings that `dockslim fix` flags ask for.
pub fn settings_from_args(args: &RuleArgs) -> Result<Settings, SettingsError> {
    let mut settings = Settings {
        rules: RuleSelection::from_selectors(&args.select, &args.ignore)
            .map_err(SettingsError::Selector)?,
        unsafe_fixes: args.unsafe_fixes,
        profiles: args.profile.clone(),
        ..Settings::default()
    };
    if let Some(path) = &args.mappings {
        let label = walk::normalize(path).display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| SettingsError::Unreadable {
            path: label.clone(),
            message: e.to_string(),
        })?;
        let user = BaseImages::load(&label, &text)
            .map_err(|error| SettingsError::Table { text, error })?;
        let builtin = BaseImages::builtin();
        let builtin = (!args.no_builtin).then_some(builtin.as_ref());
        settings.images = std::sync::Arc::new(BaseImages::overlaid(user, builtin));
    }
    Ok(settings)
}

fn fix(args: &FixArgs) -> io::Result<Status> {
    let settings = match settings_from_args(&args.rules) {
        Ok(settings) => settings,
        Err(err) => {
            eprint!("{}", err.render());
            return Ok(Status::Error);
        }
    };
    let mode = args.mode();
    if let Some(dir) = &args.rules.context
        && !dir.is_dir()
    {
        eprintln!(
            "error: {}: the build context is not a readable directory",
            dir.display()
        );
        return Ok(Status::Error);
    }
    let (inputs, walk_errors) = walk::collect(&args.paths);
    let mut status = Status::Clean;
    for err in &walk_errors {
        eprintln!("error: {}: {}", err.path.display(), err.message);
        status = Status::Error;
    }
    let stdin = if inputs.contains(&Input::Stdin) {
        let mut text = String::new();
        match io::stdin().read_to_string(&mut text) {
            Ok(_) => Some(text),
            Err(err) => {
                eprintln!("error: cannot read standard input: {err}");
                None
            }
        }
    } else {
        None
    };
    let results: Vec<FileResult> = inputs
        .par_iter()
        .map(|input| process(input, &stdin, &settings, args.rules.context.as_deref()))
        .collect();

    let threshold = if args.rules.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mut out = io::stdout().lock();
    let mut totals = Totals::default();
    // A context shared by several Dockerfiles gets its files written once.
    let mut written_files = std::collections::BTreeSet::new();
    for (input, result) in inputs.iter().zip(&results) {
        let (label, outcome, context_dir) = match result {
            FileResult::Done {
                label,
                outcome,
                context_dir,
            } => (label, outcome, context_dir),
            FileResult::Invalid {
                label,
                source,
                error,
            } => {
                eprint!(
                    "{}",
                    output::error_with_snippet(label, source, error.offset, &error.message)
                );
                status = Status::Error;
                continue;
            }
            FileResult::Unreadable { label, message } => {
                eprintln!("error: {label}: {message}");
                status = Status::Error;
                continue;
            }
        };
        totals.files += 1;
        for message in &outcome.internal_errors {
            eprintln!("error: {label}: internal error: {message}");
            status = Status::Error;
        }
        for d in &outcome.diagnostics {
            totals.findings += 1;
            match d.fix_applicability() {
                Some(a) if a >= threshold => totals.fixable += 1,
                Some(Applicability::Unsafe) => totals.unsafe_only += 1,
                _ => {}
            }
        }
        if outcome.changed() {
            totals.changed_files += 1;
            totals.applied += outcome.applied.len();
        }
        let found = match mode {
            Mode::Report => {
                let index = LineIndex::new(&outcome.original);
                for d in &outcome.diagnostics {
                    writeln!(
                        out,
                        "{}",
                        output::finding_line(label, &outcome.original, &index, d)
                    )?;
                }
                !outcome.diagnostics.is_empty()
            }
            Mode::Diff => {
                write!(
                    out,
                    "{}",
                    output::unified_diff(label, &outcome.original, &outcome.fixed)
                )?;
                for file in &outcome.files {
                    let Some(path) = context_file(context_dir.as_deref(), &file.path) else {
                        continue;
                    };
                    if written_files.insert(path.clone()) {
                        let shown = walk::normalize(&path).display().to_string();
                        write!(
                            out,
                            "{}",
                            output::file_diff(&shown, file.old.as_deref(), &file.new)
                        )?;
                    }
                }
                outcome.changed()
            }
            Mode::Check => {
                if outcome.changed() {
                    writeln!(
                        out,
                        "would fix {label} ({})",
                        plural(outcome.applied.len(), "fix")
                    )?;
                }
                outcome.changed()
            }
            Mode::Write => {
                if outcome.changed() {
                    let written = match input {
                        Input::Stdin => {
                            write!(out, "{}", outcome.fixed).map_err(anyhow::Error::from)
                        }
                        Input::File(path) => write::write_atomically(path, &outcome.fixed),
                    };
                    if let Err(err) = written {
                        if let Some(io) = err.downcast_ref::<io::Error>()
                            && io.kind() == io::ErrorKind::BrokenPipe
                        {
                            return Err(io::ErrorKind::BrokenPipe.into());
                        }
                        eprintln!("error: {label}: {err:#}");
                        status = Status::Error;
                        continue;
                    }
                    for file in &outcome.files {
                        let Some(path) = context_file(context_dir.as_deref(), &file.path) else {
                            continue;
                        };
                        if !written_files.insert(path.clone()) {
                            continue;
                        }
                        if let Err(err) =
                            write::write_context_file(&path, file.old.as_deref(), &file.new)
                        {
                            eprintln!("error: {}: {err:#}", walk::normalize(&path).display());
                            status = Status::Error;
                        }
                    }
                } else if *input == Input::Stdin {
                    write!(out, "{}", outcome.fixed)?;
                }
                let index = LineIndex::new(&outcome.fixed);
                for d in &outcome.remaining {
                    let line = output::finding_line(label, &outcome.fixed, &index, d);
                    if *input == Input::Stdin {
                        eprintln!("{line}");
                    } else {
                        writeln!(out, "{line}")?;
                    }
                }
                outcome.changed() || !outcome.remaining.is_empty()
            }
        };
        if found {
            status = status.max(Status::Found);
        }
    }
    out.flush()?;
    eprint!("{}", totals.summary(mode, args.rules.unsafe_fixes));
    Ok(status)
}

/// Where a context file of a fix lives, when the context is a folder.
fn context_file(context_dir: Option<&std::path::Path>, path: &str) -> Option<std::path::PathBuf> {
    Some(context_dir?.join(path))
}

#[derive(Default)]
struct Totals {
    files: usize,
    findings: usize,
    fixable: usize,
    unsafe_only: usize,
    changed_files: usize,
    applied: usize,
}

impl Totals {
    fn summary(&self, mode: Mode, unsafe_fixes: bool) -> String {
        let files = plural(self.files, "file");
        let more = if !unsafe_fixes && self.unsafe_only > 0 {
            format!(" ({} more with --unsafe-fixes)", self.unsafe_only)
        } else {
            String::new()
        };
        match mode {
            Mode::Report if self.findings == 0 => format!("No findings in {files}.\n"),
            Mode::Report => format!(
                "Found {} in {files}: {} fixable with --write{more}.\n",
                plural(self.findings, "finding"),
                self.fixable
            ),
            Mode::Diff | Mode::Check => format!(
                "{} of {} would be rewritten with {}{more}.\n",
                self.changed_files,
                files,
                plural(self.applied, "fix")
            ),
            Mode::Write => format!(
                "Rewrote {} with {}{more}.\n",
                plural(self.changed_files, "file"),
                plural(self.applied, "fix")
            ),
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, w) if w.ends_with('x') => format!("{n} {word}es"),
        _ => format!("{n} {word}s"),
    }
}
