//! The command line: reads files, runs the pure core on each (in parallel),
//! and prints or writes the results in a stable order. All I/O lives here.

pub mod args;
pub mod config;
pub mod markdown;
pub mod output;
pub mod pull_request;
pub mod read;
pub mod report;
pub mod verify;
pub mod walk;
pub mod write;

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::apply::{Outcome, fix_source};
use crate::context::Context;
use crate::fix::Applicability;
use crate::rules;
use crate::settings::{Settings, UnknownSelector};
use crate::syntax::ParseError;
use crate::transforms::TableError;
use args::{Cli, Command, FixArgs, Mode, RuleArgs};
use report::{FileError, FileRecord, Totals};
use walk::Input;

/// One line on standard error. Unlike `eprintln!`, it does not panic when
/// standard error is a closed pipe (`dockslim fix . 2>&1 | head -1`).
macro_rules! note {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), $($arg)*);
    }};
}

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
                note!("error: {err:#}");
                Ok(Status::Error)
            }
        },
        Command::Rules => list_rules(),
        Command::Config { path, rules } => show_config(&path, &rules),
        Command::Completions { shell } => completions(&shell),
        Command::Explain { rule } => explain(&rule),
    };
    match result {
        Ok(status) => status,
        // A closed pipe (`dockslim fix --diff | head`) is not an error.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Status::Clean,
        Err(err) => {
            note!("error: {err}");
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

/// The settings the rule flags ask for, with `--config FILE` if given (no
/// discovery: used where there is no Dockerfile path to start from).
pub fn settings_from_args(args: &RuleArgs) -> Result<Settings, SettingsError> {
    let config = args
        .config
        .as_deref()
        .map(|path| config::Config::load(path, read::Links::Follow))
        .transpose()?;
    let options = config
        .as_ref()
        .map(config::Config::top_options)
        .unwrap_or_default();
    config::build_settings(args, config.as_ref(), &options)
}

fn completions(shell: &str) -> io::Result<Status> {
    use clap::CommandFactory;
    use clap_complete::Shell;
    let shell: Shell = shell.parse().map_err(io::Error::other)?;
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "dockslim", &mut io::stdout());
    Ok(Status::Clean)
}

fn show_config(path: &Path, args: &RuleArgs) -> io::Result<Status> {
    let resolver = config::Resolver::new(args);
    let (file, options) = match resolver.options(Some(path)) {
        Ok(found) => found,
        Err(e) => {
            eprint!("{}", e.render());
            return Ok(Status::Error);
        }
    };
    let settings = match resolver.settings(Some(path)) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{}", e.render());
            return Ok(Status::Error);
        }
    };
    let enabled: Vec<&str> = rules::ALL
        .iter()
        .filter(|r| settings.rules.is_enabled(r))
        .map(|r| r.code)
        .collect();
    let value = serde_json::json!({
        "dockerfile": walk::normalize(path).display().to_string(),
        "config_file": file.as_ref().map(|c| walk::normalize(&c.path).display().to_string()),
        "from_config_file": options,
        "effective": {
            "rules": enabled,
            "unsafe_fixes": settings.unsafe_fixes,
            "profiles": settings.profiles,
            "base_image_entries": settings.images.entries.len(),
        },
    });
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&value).map_err(io::Error::other)?
    )?;
    Ok(Status::Clean)
}

/// One input and what it needs to be fixed.
struct Job {
    input: Input,
    /// The path shown and used to find configuration and context.
    path: Option<PathBuf>,
    label: String,
    settings: Arc<Settings>,
    /// `--min-saving` (or `min-saving:`), in compressed MB.
    min_saving: Option<f64>,
}

/// What happened to one input.
enum FileResult {
    Done {
        outcome: Outcome,
        /// The build context folder, for the other files a fix writes.
        context_dir: Option<PathBuf>,
    },
    Invalid {
        source: String,
        error: ParseError,
    },
    Unreadable {
        message: String,
    },
}

/// Standard input, read once (as bytes, bounded) when `-` is among the paths.
type Stdin = Option<Result<Vec<u8>, String>>;

/// Why a Dockerfile's text could not be had.
enum ReadError {
    Unreadable(String),
    /// Not UTF-8: reported like a parse error, with line and column.
    Invalid {
        source: String,
        error: ParseError,
    },
}

fn read_input(input: &Input, stdin: &Stdin) -> Result<String, ReadError> {
    let bytes = match input {
        Input::Stdin => stdin
            .clone()
            .unwrap_or_else(|| Err("standard input was not read".to_owned())),
        // A path given or found: a regular file (a FIFO would block), at
        // most `read::MAX_DOCKERFILE` bytes. A link was already judged by
        // `walk` (followed when given, kept inside the tree when found).
        Input::File(path) => read::bytes(path, read::MAX_DOCKERFILE, read::Links::Follow),
    }
    .map_err(ReadError::Unreadable)?;
    crate::syntax::decode(bytes).map_err(|(source, error)| ReadError::Invalid { source, error })
}

fn process(job: &Job, stdin: &Stdin, context_override: Option<&Path>) -> FileResult {
    let source = match read_input(&job.input, stdin) {
        Ok(source) => source,
        Err(ReadError::Unreadable(message)) => return FileResult::Unreadable { message },
        Err(ReadError::Invalid { source, error }) => return FileResult::Invalid { source, error },
    };
    // The build context defaults to the Dockerfile's directory.
    let dir = match (context_override, &job.path) {
        (Some(dir), _) => Some(dir.to_path_buf()),
        (None, None) => None,
        (None, Some(path)) => Some(
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf(),
        ),
    };
    let context = match &dir {
        Some(dir) => Context::for_document(dir, crate::syntax::parse(&source).ok().as_ref())
            .unwrap_or_default(),
        None => Context::unknown(),
    };
    match fix_source(&source, &context, &job.settings) {
        Ok(outcome) => FileResult::Done {
            outcome,
            context_dir: dir,
        },
        Err(error) => FileResult::Invalid { source, error },
    }
}

/// Where a context file of a fix lives, when the context is a folder: only
/// a plain relative path inside it (a rule never names another, and a
/// write must never leave the context).
fn context_file(context_dir: Option<&Path>, path: &str) -> Option<PathBuf> {
    let relative = Path::new(path);
    let inside = !path.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    inside.then(|| context_dir.map(|dir| dir.join(relative)))?
}

/// A progress line on a terminal's standard error, for batches; nothing when
/// piped or in CI.
struct Progress {
    total: usize,
    done: AtomicUsize,
    enabled: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        let enabled = total > 1 && io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Self {
            total,
            done: AtomicUsize::new(0),
            enabled,
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.enabled && (done == self.total || done.is_multiple_of(16)) {
            let width = 30;
            let filled = done * width / self.total.max(1);
            eprint!(
                "\r[{}{}] {done}/{} Dockerfiles",
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.total
            );
        }
    }

    fn finish(&self) {
        if self.enabled {
            eprint!("\r{}\r", " ".repeat(60));
        }
    }
}

fn fix(args: &FixArgs) -> io::Result<Status> {
    let mode = args.mode();
    let rules_args = &args.rules;
    if let Some(dir) = &rules_args.context
        && !dir.is_dir()
    {
        note!(
            "error: {}: the build context is not a readable directory",
            dir.display()
        );
        return Ok(Status::Error);
    }
    let collected = walk::collect(&args.paths);
    let inputs = collected.inputs;
    let mut status = Status::Clean;
    for err in &collected.errors {
        note!(
            "error: {}: {}",
            output::shown_path(&err.path.display().to_string()),
            err.message
        );
        status = Status::Error;
    }
    for skipped in &collected.skipped {
        note!(
            "warning: {}: {}",
            output::shown_path(&skipped.path.display().to_string()),
            skipped.message
        );
    }
    // Bounded like a file (`cat /dev/zero | dockslim fix -`); a failure is
    // reported once, as the error of the `-` input.
    let stdin: Stdin = inputs
        .contains(&Input::Stdin)
        .then(|| read::bounded_bytes(io::stdin().lock(), read::MAX_DOCKERFILE));
    if mode == Mode::Write {
        // An interrupted rewrite leaves no temporary file behind.
        write::remove_on_signal();
    }
    // Settings per file: flags over the nearest `.dockslim.yaml`.
    let resolver = config::Resolver::new(rules_args);
    let mut jobs = Vec::new();
    for input in inputs {
        let path = match &input {
            Input::Stdin => args.stdin_filename.clone(),
            Input::File(path) => Some(path.clone()),
        };
        let label = path.as_deref().map_or_else(
            || "-".to_owned(),
            |p| walk::normalize(p).display().to_string(),
        );
        let min_saving = match args.min_saving {
            Some(flag) => Ok(Some(flag)),
            None => resolver
                .options(path.as_deref())
                .and_then(|(config, options)| {
                    options
                        .min_saving
                        .as_deref()
                        .map(|text| {
                            args::parse_size(text).map_err(|message| SettingsError::Unreadable {
                                path: config.as_ref().map_or_else(
                                    || "configuration".to_owned(),
                                    |c| walk::normalize(&c.path).display().to_string(),
                                ),
                                message: format!("min-saving: {message}"),
                            })
                        })
                        .transpose()
                }),
        };
        let min_saving = match min_saving {
            Ok(min) => min,
            Err(e) => {
                eprint!("{}", e.render());
                return Ok(Status::Error);
            }
        };
        match resolver.settings(path.as_deref()) {
            Ok(settings) => jobs.push(Job {
                input,
                path,
                label,
                settings,
                min_saving,
            }),
            Err(e) => {
                let _ = write!(io::stderr(), "{}", e.render());
                return Ok(Status::Error);
            }
        }
    }
    let progress = Progress::new(jobs.len());
    let results: Vec<FileResult> = jobs
        .par_iter()
        .map(|job| {
            let result = process(job, &stdin, rules_args.context.as_deref());
            progress.tick();
            result
        })
        .collect();
    progress.finish();

    let mut out = io::stdout().lock();
    // Standard output closed by its reader (`| head -1`): nothing more is
    // printed there, but the batch goes on and the exit status still says
    // what it found.
    let mut pipe_closed = false;
    let mut written_files = BTreeSet::new();
    let mut records = Vec::new();
    let mut totals = Totals::default();
    for (job, result) in jobs.iter().zip(results) {
        let threshold = if job.settings.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        let (outcome, context_dir) = match result {
            FileResult::Done {
                outcome,
                context_dir,
            } => (outcome, context_dir),
            FileResult::Invalid { source, error } => {
                let _ = write!(
                    io::stderr(),
                    "{}",
                    output::error_with_snippet(
                        &output::shown_path(&job.label),
                        &source,
                        error.offset,
                        &error.message
                    )
                );
                let at = crate::syntax::LineIndex::new(&source).line_col(&source, error.offset);
                status = Status::Error;
                records.push(error_record(job, threshold, error.message, at.line, at.col));
                continue;
            }
            FileResult::Unreadable { message } => {
                note!("error: {}: {message}", output::shown_path(&job.label));
                status = Status::Error;
                records.push(error_record(job, threshold, message, 1, 1));
                continue;
            }
        };
        for message in &outcome.internal_errors {
            note!(
                "error: {}: internal error: {message}",
                output::shown_path(&job.label)
            );
            status = Status::Error;
        }
        let mut diff = output::unified_diff(&job.label, &outcome.original, &outcome.fixed);
        let mut files_to_write = Vec::new();
        for file in &outcome.files {
            let Some(path) = context_file(context_dir.as_deref(), &file.path) else {
                continue;
            };
            // One context shared by several Dockerfiles is written once,
            // however its folder was named.
            let key = path
                .parent()
                .and_then(|dir| std::fs::canonicalize(dir).ok())
                .map_or_else(|| path.clone(), |dir| dir.join(&file.path));
            if written_files.insert(key) {
                let shown = walk::normalize(&path).display().to_string();
                diff.push_str(&output::file_diff(&shown, file.old.as_deref(), &file.new));
                files_to_write.push((path, file));
            }
        }
        // A bot sets --min-saving so that it opens no pull request for
        // changes worth less: such a file is left as it is.
        let held_back = job.min_saving.is_some_and(|min| {
            outcome.changed() && {
                let (fixes, _) = report::changes(&outcome, threshold, &job.settings.images);
                report::size_of(&fixes).low() < min
            }
        });
        if held_back {
            files_to_write.clear();
        }
        let mut write_error = None;
        match &job.input {
            // Standard input mode promises standard output only: the other
            // files a fix would write are shown in the diff, not written.
            Input::Stdin if mode == Mode::Write => {
                let text = if held_back {
                    &outcome.original
                } else {
                    &outcome.fixed
                };
                to_stdout(&mut out, text, &mut pipe_closed)?;
                for (path, _) in &files_to_write {
                    note!(
                        "note: {}: not written from standard input; run dockslim on the file to create or change it",
                        output::shown_path(&walk::normalize(path).display().to_string())
                    );
                }
            }
            Input::File(path) if mode == Mode::Write && outcome.changed() && !held_back => {
                let written = if outcome.original == outcome.fixed {
                    Ok(())
                } else {
                    write::write_atomically(path, &outcome.original, &outcome.fixed)
                };
                if let Err(err) = written {
                    note!("error: {}: {err:#}", output::shown_path(&job.label));
                    status = Status::Error;
                    write_error = Some(format!("{err:#}"));
                } else {
                    for (path, file) in &files_to_write {
                        if let Err(err) =
                            write::write_context_file(path, file.old.as_deref(), &file.new)
                        {
                            note!(
                                "error: {}: {err:#}",
                                output::shown_path(&walk::normalize(path).display().to_string())
                            );
                            status = Status::Error;
                            totals.unwritten_context += 1;
                        }
                    }
                }
            }
            _ => {}
        }
        if let Some(message) = write_error {
            // Not rewritten: reported as this file's error, and counted as
            // not written in the summary, never as rewritten.
            records.push(error_record(job, threshold, message, 1, 1));
            totals.unwritten += 1;
            continue;
        }
        let mut record =
            FileRecord::new(job.label.clone(), outcome, threshold, &job.settings, diff);
        record.held_back = held_back;
        if held_back {
            record.changed = false;
            record.diff.clear();
        }
        let found = match mode {
            Mode::Report => !record.diagnostics.is_empty(),
            Mode::Diff | Mode::Check => record.changed,
            Mode::Write => record.changed || !record.remaining.is_empty(),
        };
        if found {
            status = status.max(Status::Found);
        }
        totals.add(&record);
        records.push(record);
    }
    let stdin_written = mode == Mode::Write && jobs.iter().any(|j| j.input == Input::Stdin);
    let rendered = match args.format.as_str() {
        "json" => report::json(&records, mode, &totals),
        "sarif" => report::sarif(&records),
        "github" => report::github(&records),
        "markdown" => report::markdown(&records, &totals),
        _ => {
            let colour = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let text = report::text(&records, mode, colour);
            if stdin_written {
                // Standard output carries the fixed file: findings go to stderr.
                let _ = write!(io::stderr(), "{text}");
                String::new()
            } else {
                text
            }
        }
    };
    to_stdout(&mut out, &rendered, &mut pipe_closed)?;
    if args.format == "text" {
        let _ = write!(
            io::stderr(),
            "{}",
            totals.summary(mode, rules_args.unsafe_fixes)
        );
    }
    Ok(status)
}

/// Writes to standard output unless its reader has gone; a closed pipe is
/// remembered, not an error.
fn to_stdout(out: &mut impl Write, text: &str, pipe_closed: &mut bool) -> io::Result<()> {
    if *pipe_closed {
        return Ok(());
    }
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {
            *pipe_closed = true;
            Ok(())
        }
        other => other,
    }
}

fn error_record(
    job: &Job,
    threshold: Applicability,
    message: String,
    line: usize,
    column: usize,
) -> FileRecord {
    FileRecord {
        label: job.label.clone(),
        source: String::new(),
        fixed: String::new(),
        diagnostics: Vec::new(),
        remaining: Vec::new(),
        applied: Default::default(),
        diff: String::new(),
        changed: false,
        threshold,
        error: Some(FileError {
            message,
            line,
            column,
        }),
        fixes: Vec::new(),
        left: Vec::new(),
        rebuild_steps: None,
        held_back: false,
    }
}
