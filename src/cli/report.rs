//! Output formats for `dockslim fix`: text for people, JSON (schema
//! `dockslim/1`) for machines, SARIF 2.1.0 for code scanning, GitHub
//! workflow annotations, and a Markdown pull-request body.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::json;

use super::args::Mode;
use super::markdown::{self, Place};
use super::output;
use crate::fix::{Applicability, Diagnostic};
use crate::rules;
use crate::syntax::LineIndex;

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
}

#[derive(Clone, Debug, Serialize)]
pub struct FileError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl FileRecord {
    fn fixable(&self, d: &Diagnostic) -> bool {
        d.fix_applicability().is_some_and(|a| a >= self.threshold)
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
        self.saving_mb += record
            .diagnostics
            .iter()
            .filter(|d| record.fixable(d))
            .filter_map(|d| d.saving_mb)
            .map(u64::from)
            .sum::<u64>();
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
        let saving = if self.saving_mb > 0 {
            format!("; estimated saving about {} MB", self.saving_mb)
        } else {
            String::new()
        };
        match mode {
            Mode::Report if self.findings == 0 => format!("No findings in {files}.\n"),
            Mode::Report => format!(
                "Found {} in {files}: {} fixable with --write{more}{saving}.\n",
                plural(self.findings, "finding"),
                self.fixable
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
                    let n: usize = r.applied.values().sum();
                    let _ = writeln!(
                        out,
                        "would fix {} ({})",
                        output::shown_path(&r.label),
                        plural(n, "fix")
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
            "applied": a >= r.threshold,
        })),
        "estimated_saving_mb": d.saving_mb,
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
    let mut results = Vec::new();
    for r in records.iter().filter(|r| r.error.is_none()) {
        for d in &r.diagnostics {
            let ((sl, sc), (el, ec)) = r.position(d);
            let index = rules::ALL
                .iter()
                .position(|x| x.code == d.rule.code)
                .unwrap_or(0);
            results.push(json!({
                "ruleId": d.rule.code,
                "ruleIndex": index,
                "level": "warning",
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_reference(&r.label)},
                        "region": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec.max(1)},
                    }
                }],
                "properties": {
                    "fixApplicability": d.fix_applicability().map(Applicability::as_str),
                    "estimatedSavingMb": d.saving_mb,
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
        for d in &r.diagnostics {
            let ((sl, sc), (el, ec)) = r.position(d);
            let title = format!("{} {}", d.rule.code, d.rule.name);
            let _ = writeln!(
                out,
                "::warning file={},line={sl},col={sc},endLine={el},endColumn={ec},title={}::{}",
                escape_property(&r.label),
                escape_property(&title),
                escape_data(&d.message)
            );
        }
    }
    out
}

/// A pull-request body: a summary, a table per file, the diff in a
/// collapsible block, and the fixes left for a human.
pub fn markdown(records: &[FileRecord], totals: &Totals) -> String {
    let mut out = String::from("## dockslim\n\n");
    let applied: usize = totals.applied.values().sum();
    let saving = if totals.saving_mb > 0 {
        format!(
            ", estimated saving about {} MB (compressed)",
            totals.saving_mb
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "dockslim checked {} and changed {} with {}{saving}.\n",
        plural(totals.files, "Dockerfile"),
        totals.changed,
        plural(applied, "fix")
    );
    for r in records
        .iter()
        .filter(|r| r.error.is_none() && !r.diagnostics.is_empty())
    {
        let _ = writeln!(
            out,
            "### {}\n",
            markdown::code(&output::shown_path(&r.label), Place::Prose)
        );
        let (done, left): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
            r.diagnostics.iter().partition(|d| r.fixable(d));
        if !done.is_empty() {
            out.push_str("| rule | what changed | why | fix safety | estimated saving |\n| --- | --- | --- | --- | --- |\n");
            for d in &done {
                let saving = d.saving_mb.map_or("–".to_owned(), |mb| format!("~{mb} MB"));
                let _ = writeln!(
                    out,
                    "| {} `{}` | {} | {} | {} | {saving} |",
                    d.rule.code,
                    d.rule.name,
                    markdown::message(&d.message, Place::Table),
                    markdown::message(d.rule.summary, Place::Table),
                    d.fix_applicability().map_or("–", Applicability::as_str)
                );
            }
            out.push('\n');
        }
        if !r.diff.is_empty() {
            let _ = writeln!(
                out,
                "<details><summary>Diff</summary>\n\n{}\n</details>\n",
                markdown::code_block("diff", &r.diff)
            );
        }
        if !left.is_empty() {
            out.push_str("Not applied, for a human to decide:\n\n");
            for d in left {
                let safety = d
                    .fix_applicability()
                    .map_or("report only", Applicability::as_str);
                let _ = writeln!(
                    out,
                    "- {} `{}` ({safety}): {}",
                    d.rule.code,
                    d.rule.name,
                    markdown::message(&d.message, Place::Prose)
                );
            }
            out.push('\n');
        }
    }
    out
}
