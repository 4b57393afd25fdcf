//! Output formats for `dockslim fix`: text for people, JSON (schema
//! `dockslim/1`) for machines, SARIF 2.1.0 for code scanning, GitHub
//! workflow annotations, and a Markdown pull-request body.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::json;

use super::args::Mode;
use super::output;
use crate::apply::Outcome;
use crate::effects::{Effects, Estimate, Size};
use crate::fix::{Applicability, Diagnostic};
use crate::images::BaseImages;
use crate::rules;
use crate::syntax::{Keyword, LineIndex};

/// What happened to one Dockerfile, ready to print in any format.
pub struct FileRecord {
    pub label: String,
    pub source: String,
    pub fixed: String,
    pub diagnostics: Vec<Diagnostic>,
    pub remaining: Vec<Diagnostic>,
    /// Rule codes of the fixes applied, with counts.
    pub applied: BTreeMap<&'static str, usize>,
    /// The diff of the Dockerfile and of other context files.
    pub diff: String,
    pub changed: bool,
    pub threshold: Applicability,
    pub error: Option<FileError>,
    /// Every fix the rounds applied, located in `source`: what reports say changed.
    pub fixes: Vec<FixRecord>,
    /// Every finding left on the fixed file, and why it was not fixed.
    pub left: Vec<LeftRecord>,
    /// RUN steps a code change re-runs: (before, after), when there is a source copy.
    pub rebuild_steps: Option<(usize, usize)>,
    /// The fixes were worth less than `--min-saving`: nothing was changed.
    pub held_back: bool,
}

/// One applied fix, for every format.
#[derive(Clone, Debug)]
pub struct FixRecord {
    pub rule: &'static rules::Rule,
    pub message: String,
    pub applicability: Applicability,
    /// 1-based line and column in the original file.
    pub start: (usize, usize),
    pub end: (usize, usize),
    /// What its edits replaced in the original file (start, end), if it edits it.
    pub edited: Option<((usize, usize), (usize, usize))>,
    pub round: usize,
    /// Other files of the build context it writes.
    pub files: Vec<String>,
    pub estimate: Estimate,
}

/// One finding left on the fixed file.
#[derive(Clone, Debug)]
pub struct LeftRecord {
    pub diagnostic: Diagnostic,
    /// Where it is in the original file.
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub reason: String,
}

/// The one account of what a run did to a file: its applied fixes (each
/// located in the original through the rounds before it, with its estimate)
/// and the findings left with the reason. Every format renders this.
pub fn changes(
    outcome: &Outcome,
    threshold: Applicability,
    images: &BaseImages,
) -> (Vec<FixRecord>, Vec<LeftRecord>) {
    let index = LineIndex::new(&outcome.original);
    let at = |offset: usize| {
        let p = index.line_col(&outcome.original, offset);
        (p.line, p.col)
    };
    let effects = Effects::builtin();
    let fixes = outcome
        .fixes
        .iter()
        .map(|fix| FixRecord {
            rule: fix.diagnostic.rule,
            message: fix.diagnostic.message.clone(),
            applicability: fix
                .diagnostic
                .fix
                .as_ref()
                .map_or(Applicability::Safe, |f| f.applicability),
            start: at(fix.range.start),
            end: at(fix.range.end),
            edited: fix.edited.map(|r| (at(r.start), at(r.end))),
            round: fix.round,
            files: fix.files.clone(),
            estimate: effects.estimate(fix, &outcome.original, &outcome.fixed, images),
        })
        .collect();
    let left = outcome
        .remaining
        .iter()
        .map(|d| {
            let range = outcome.history.to_original(d.range);
            let reason = match d.fix_applicability() {
                None | Some(Applicability::DisplayOnly) => {
                    "report only: a change dockslim cannot decide for you".to_owned()
                }
                Some(a) if a < threshold => "unsafe: applied only with --unsafe-fixes".to_owned(),
                Some(_) if !outcome.internal_errors.is_empty() => {
                    "its fix broke the file and was reverted".to_owned()
                }
                Some(_) if !outcome.converged => {
                    "the fix loop stopped at its round cap first".to_owned()
                }
                Some(_) => "its fix overlapped another one and did not apply".to_owned(),
            };
            LeftRecord {
                diagnostic: d.clone(),
                start: at(range.start),
                end: at(range.end),
                reason,
            }
        })
        .collect();
    (fixes, left)
}

/// The estimated size saving of `fixes`: the fixes that buy size (a fix
/// bought for other reasons adds nothing, not "unknown").
pub fn size_of(fixes: &[FixRecord]) -> Size {
    Size::sum(
        fixes
            .iter()
            .filter(|f| f.estimate.buys == crate::effects::Buys::Size)
            .map(|f| f.estimate.size),
    )
}

/// RUN steps after the first copy of the whole build context (`COPY . .`),
/// summed over the stages: what a one-line code change makes Docker re-run.
pub fn rebuild_steps(text: &str) -> Option<usize> {
    let document = crate::syntax::parse(text).ok()?;
    let mut total = None;
    for stage in document.stages() {
        let copy = stage.instructions.iter().position(|i| {
            matches!(i.keyword(), Keyword::Copy | Keyword::Add) && i.flag("from").is_none() && {
                let words = i.words();
                words.len() >= 2
                    && words[..words.len() - 1]
                        .iter()
                        .any(|w| matches!(i.logical.as_str()[w.start..w.end].trim(), "." | "./"))
            }
        });
        if let Some(copy) = copy {
            let runs = stage.instructions[copy..]
                .iter()
                .filter(|i| i.keyword() == Keyword::Run)
                .count();
            *total.get_or_insert(0) += runs;
        }
    }
    total
}

#[derive(Clone, Debug, Serialize)]
pub struct FileError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl FileRecord {
    /// The record of a fixed file: the outcome, its account of fixes and
    /// findings left, and the diff to show.
    pub fn new(
        label: String,
        outcome: Outcome,
        threshold: Applicability,
        settings: &crate::settings::Settings,
        diff: String,
    ) -> FileRecord {
        let mut applied = BTreeMap::new();
        for rule in &outcome.applied {
            *applied.entry(rule.code).or_insert(0) += 1;
        }
        let (fixes, left) = changes(&outcome, threshold, &settings.images);
        let rebuild_steps = match (
            rebuild_steps(&outcome.original),
            rebuild_steps(&outcome.fixed),
        ) {
            (Some(before), Some(after)) => Some((before, after)),
            _ => None,
        };
        FileRecord {
            label,
            changed: outcome.changed(),
            source: outcome.original,
            fixed: outcome.fixed,
            diagnostics: outcome.diagnostics,
            remaining: outcome.remaining,
            applied,
            diff,
            threshold,
            error: None,
            fixes,
            left,
            rebuild_steps,
            held_back: false,
        }
    }

    /// The estimated size saving of the applied fixes.
    pub fn size(&self) -> Size {
        size_of(&self.fixes)
    }

    /// Whether a fix of `d`'s rule was applied where `d` is.
    fn applied_here(&self, d: &Diagnostic) -> bool {
        let ((sl, _), (el, _)) = self.position(d);
        self.fixes
            .iter()
            .any(|f| f.rule.code == d.rule.code && f.start.0 <= el && sl <= f.end.0)
    }

    fn position(&self, d: &Diagnostic) -> ((usize, usize), (usize, usize)) {
        let index = LineIndex::new(&self.source);
        let start = index.line_col(&self.source, d.range.start);
        let end = index.line_col(&self.source, d.range.end);
        ((start.line, start.col), (end.line, end.col))
    }
}

#[derive(Default)]
pub struct Totals {
    pub files: usize,
    pub changed: usize,
    pub findings: usize,
    pub fixable: usize,
    pub unsafe_only: usize,
    pub applied: BTreeMap<&'static str, usize>,
    pub saving_mb: u64,
    /// Dockerfiles whose rewrite failed (their records are errors), and
    /// other context files (`.dockerignore`) whose write failed: counted by
    /// the command line, never as rewritten.
    pub unwritten: usize,
    pub unwritten_context: usize,
    /// The estimated size saving of every applied fix.
    pub size: Option<Size>,
    /// RUN steps a code change re-runs, before and after, over the files
    /// where that changed.
    pub rebuild_steps: Option<(usize, usize)>,
    /// Files left as they were because of `--min-saving`.
    pub held_back: usize,
}

impl Totals {
    pub fn add(&mut self, record: &FileRecord) {
        if record.error.is_some() {
            return;
        }
        self.files += 1;
        self.changed += usize::from(record.changed);
        for d in &record.diagnostics {
            self.findings += 1;
            match d.fix_applicability() {
                Some(a) if a >= record.threshold => self.fixable += 1,
                Some(Applicability::Unsafe) => self.unsafe_only += 1,
                _ => {}
            }
        }
        for (code, n) in &record.applied {
            *self.applied.entry(code).or_insert(0) += n;
        }
        self.held_back += usize::from(record.held_back);
        if record.held_back {
            return;
        }
        let size = record.size();
        if !record.fixes.is_empty() {
            self.size = Some(Size::sum(self.size.into_iter().chain([size])));
        }
        self.saving_mb = self.size.map_or(0, |s| s.low().round() as u64);
        if let Some((before, after)) = record.rebuild_steps {
            let (b, a) = self.rebuild_steps.unwrap_or_default();
            self.rebuild_steps = Some((b + before, a + after));
        }
    }

    /// The closing summary for a terminal (on standard error).
    pub fn summary(&self, mode: Mode, unsafe_fixes: bool) -> String {
        let files = plural(self.files, "file");
        let more = if !unsafe_fixes && self.unsafe_only > 0 {
            format!(" ({} more with --unsafe-fixes)", self.unsafe_only)
        } else {
            String::new()
        };
        let applied: usize = self.applied.values().sum();
        let by_rule = if self.applied.is_empty() {
            String::new()
        } else {
            let parts: Vec<String> = self
                .applied
                .iter()
                .map(|(c, n)| format!("{c} ×{n}"))
                .collect();
            format!(": {}", parts.join(", "))
        };
        let saving = match self.size {
            Some(size) if size.low() > 0.0 => {
                format!("; estimated saving {} (compressed)", size.describe())
            }
            _ => String::new(),
        };
        let more = if self.held_back > 0 {
            format!(
                "{more}; {} left as {} by --min-saving",
                plural(self.held_back, "file"),
                if self.held_back == 1 {
                    "it was"
                } else {
                    "they were"
                }
            )
        } else {
            more
        };
        match mode {
            Mode::Report if self.findings == 0 => format!("No findings in {files}.\n"),
            Mode::Report => format!(
                "Found {} in {files}: {} fixable with --write{more}{saving}.\n",
                plural(self.findings, "finding"),
                self.fixable
            ),
            Mode::Write if self.unwritten + self.unwritten_context > 0 => format!(
                "Rewrote {} of {} with {}{by_rule}; {} could not be written (see the errors above){more}{saving}.\n",
                self.changed,
                plural(self.files + self.unwritten, "file"),
                plural(applied, "fix"),
                plural(self.unwritten + self.unwritten_context, "file")
            ),
            Mode::Diff | Mode::Check | Mode::Write if self.changed == 0 => {
                format!("Nothing to rewrite in {files}{more}.\n")
            }
            Mode::Diff | Mode::Check => format!(
                "{} of {} would be rewritten with {}{by_rule}{more}{saving}.\n",
                self.changed,
                files,
                plural(applied, "fix")
            ),
            Mode::Write => format!(
                "Rewrote {} of {files} with {}{by_rule}{more}{saving}.\n",
                self.changed,
                plural(applied, "fix")
            ),
        }
    }
}

pub fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, w) if w.ends_with('x') => format!("{n} {word}es"),
        _ => format!("{n} {word}s"),
    }
}

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Text: findings, diffs, or "would fix" lines, depending on the mode.
pub fn text(records: &[FileRecord], mode: Mode, colour: bool) -> String {
    let style = Style { on: colour };
    let mut out = String::new();
    for r in records.iter().filter(|r| r.error.is_none()) {
        match mode {
            Mode::Report | Mode::Write => {
                let (source, list) = if mode == Mode::Write {
                    (&r.fixed, &r.remaining)
                } else {
                    (&r.source, &r.diagnostics)
                };
                let index = LineIndex::new(source);
                for d in list {
                    let line =
                        output::finding_line(&output::shown_path(&r.label), source, &index, d);
                    if colour {
                        let (place, rest) = line.split_once(' ').unwrap_or((&line, ""));
                        let (code, rest) = rest.split_once(' ').unwrap_or((rest, ""));
                        let _ = writeln!(
                            out,
                            "{} {} {}",
                            style.paint("1", place),
                            style.paint("31", code),
                            rest
                        );
                    } else {
                        let _ = writeln!(out, "{line}");
                    }
                }
            }
            Mode::Diff => out.push_str(&r.diff),
            Mode::Check => {
                if r.changed {
                    let fixes: Vec<String> = r
                        .fixes
                        .iter()
                        .map(|f| format!("{} line {}", f.rule.code, f.start.0))
                        .collect();
                    let _ = writeln!(
                        out,
                        "would fix {} ({}: {})",
                        output::shown_path(&r.label),
                        plural(r.fixes.len(), "fix"),
                        fixes.join(", ")
                    );
                }
            }
        }
    }
    out
}

fn finding_json(r: &FileRecord, d: &Diagnostic) -> serde_json::Value {
    let ((sl, sc), (el, ec)) = r.position(d);
    json!({
        "code": d.rule.code,
        "name": d.rule.name,
        "message": d.message,
        "start": {"line": sl, "column": sc},
        "end": {"line": el, "column": ec},
        "fix": d.fix_applicability().map(|a| json!({
            "applicability": a.as_str(),
            "applied": r.applied_here(d),
        })),
        "estimated_saving_mb": d.saving_mb,
    })
}

fn size_json(size: Size) -> serde_json::Value {
    json!({
        "low_mb": size.low(),
        "high_mb": size.high(),
        "text": size.describe(),
    })
}

fn fix_json(f: &FixRecord) -> serde_json::Value {
    json!({
        "code": f.rule.code,
        "name": f.rule.name,
        "message": f.message,
        "start": {"line": f.start.0, "column": f.start.1},
        "end": {"line": f.end.0, "column": f.end.1},
        "applicability": f.applicability.as_str(),
        "round": f.round,
        "edited": f.edited.map(|(start, end)| json!({
            "start": {"line": start.0, "column": start.1},
            "end": {"line": end.0, "column": end.1},
        })),
        "files": f.files,
        "buys": f.estimate.buys.as_str(),
        "effect": f.estimate.says,
        "estimated_saving": size_json(f.estimate.size),
        "basis": f.estimate.basis,
        "risk": (f.applicability == Applicability::Unsafe).then_some(f.estimate.risk.as_deref()).flatten(),
    })
}

fn left_json(l: &LeftRecord) -> serde_json::Value {
    json!({
        "code": l.diagnostic.rule.code,
        "name": l.diagnostic.rule.name,
        "message": l.diagnostic.message,
        "start": {"line": l.start.0, "column": l.start.1},
        "end": {"line": l.end.0, "column": l.end.1},
        "fix": l.diagnostic.fix_applicability().map(Applicability::as_str),
        "reason": l.reason,
    })
}

/// JSON, schema `dockslim/1` (tests/schemas/dockslim-report.schema.json).
pub fn json(records: &[FileRecord], mode: Mode, totals: &Totals) -> String {
    let files: Vec<serde_json::Value> = records
        .iter()
        .map(|r| {
            json!({
                "path": r.label,
                "error": r.error,
                "changed": r.changed,
                "findings": r.diagnostics.iter().map(|d| finding_json(r, d)).collect::<Vec<_>>(),
                "fixes_applied": r.applied,
                "fixes": r.fixes.iter().map(fix_json).collect::<Vec<_>>(),
                "left": r.left.iter().map(left_json).collect::<Vec<_>>(),
                "estimated_saving": (!r.fixes.is_empty()).then(|| size_json(r.size())),
                "rebuild_steps": r.rebuild_steps.map(|(before, after)| json!({"before": before, "after": after})),
                "held_back": r.held_back,
                "diff": if r.diff.is_empty() { None } else { Some(&r.diff) },
            })
        })
        .collect();
    let value = json!({
        "schema": "dockslim/1",
        "version": env!("CARGO_PKG_VERSION"),
        "mode": match mode { Mode::Report => "report", Mode::Diff => "diff", Mode::Write => "write", Mode::Check => "check" },
        "files": files,
        "summary": {
            "files": totals.files,
            "changed": totals.changed,
            "findings": totals.findings,
            "fixable": totals.fixable,
            "fixes_applied": totals.applied,
            "estimated_saving_mb": totals.saving_mb,
            "estimated_saving": totals.size.map(size_json),
            "rebuild_steps": totals.rebuild_steps.map(|(before, after)| json!({"before": before, "after": after})),
            "held_back": totals.held_back,
        },
    });
    serde_json::to_string_pretty(&value).expect("serializable") + "\n"
}

/// SARIF 2.1.0.
pub fn sarif(records: &[FileRecord]) -> String {
    let rule_list: Vec<serde_json::Value> = rules::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.summary},
                "help": {"text": rule.doc, "markdown": rule.doc},
                "defaultConfiguration": {"level": "warning"},
                "properties": {"fixSafety": rule.fix_safety},
            })
        })
        .collect();
    let index_of = |code: &str| rules::ALL.iter().position(|x| x.code == code).unwrap_or(0);
    let location = |r: &FileRecord, start: (usize, usize), end: (usize, usize)| {
        json!([{
            "physicalLocation": {
                "artifactLocation": {"uri": uri_reference(&r.label)},
                "region": {"startLine": start.0, "startColumn": start.1, "endLine": end.0, "endColumn": end.1.max(1)},
            }
        }])
    };
    // The run's account: each applied fix, then each finding left with why;
    // all located in the file as it is in the repository.
    let mut results = Vec::new();
    for r in records.iter().filter(|r| r.error.is_none()) {
        for f in &r.fixes {
            results.push(json!({
                "ruleId": f.rule.code,
                "ruleIndex": index_of(f.rule.code),
                "level": "warning",
                "message": {"text": f.message},
                "locations": location(r, f.start, f.end),
                "properties": {
                    "fixed": true,
                    "fixApplicability": f.applicability.as_str(),
                    "buys": f.estimate.buys.as_str(),
                    "estimatedSaving": f.estimate.size.describe(),
                    "estimatedSavingMb": f.estimate.size.low(),
                },
            }));
        }
        for l in &r.left {
            let d = &l.diagnostic;
            results.push(json!({
                "ruleId": d.rule.code,
                "ruleIndex": index_of(d.rule.code),
                "level": "warning",
                "message": {"text": d.message},
                "locations": location(r, l.start, l.end),
                "properties": {
                    "fixed": false,
                    "fixApplicability": d.fix_applicability().map(Applicability::as_str),
                    "notFixedBecause": l.reason,
                },
            }));
        }
    }
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dockslim",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rule_list,
            }},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&value).expect("serializable") + "\n"
}

/// A path as a SARIF `uri` (a URI reference, RFC 3986): every byte but the
/// unreserved characters and `/` percent-encoded, so `#`, `?`, `%`, a space
/// or a newline in a file name stay part of the path, and a `:` in the first
/// segment is not read as a scheme.
pub fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands: one annotation per finding.
pub fn github(records: &[FileRecord]) -> String {
    let mut out = String::new();
    for r in records {
        if let Some(error) = &r.error {
            let _ = writeln!(
                out,
                "::error file={},line={},col={},title=dockslim::{}",
                escape_property(&r.label),
                error.line,
                error.column,
                escape_data(&error.message)
            );
            continue;
        }
        for f in &r.fixes {
            let title = format!("{} {}", f.rule.code, f.rule.name);
            let _ = writeln!(
                out,
                "::warning file={},line={},col={},endLine={},endColumn={},title={}::{} ({} fix; estimated saving: {})",
                escape_property(&r.label),
                f.start.0,
                f.start.1,
                f.end.0,
                f.end.1,
                escape_property(&title),
                escape_data(&f.message),
                f.applicability.as_str(),
                escape_data(&f.estimate.size.describe())
            );
        }
        for l in &r.left {
            let d = &l.diagnostic;
            let title = format!("{} {}", d.rule.code, d.rule.name);
            let _ = writeln!(
                out,
                "::warning file={},line={},col={},endLine={},endColumn={},title={}::{} (not fixed: {})",
                escape_property(&r.label),
                l.start.0,
                l.start.1,
                l.end.0,
                l.end.1,
                escape_property(&title),
                escape_data(&d.message),
                escape_data(&l.reason)
            );
        }
    }
    out
}

/// A pull-request body (see `pull_request.rs`).
pub fn markdown(records: &[FileRecord], totals: &Totals) -> String {
    super::pull_request::body(records, totals, None)
}
