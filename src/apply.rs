//! Applying fixes: one pass over the text that copies untouched bytes
//! verbatim, and the pipeline that runs the rules, applies what the settings
//! allow, re-parses and repeats until nothing changes.

use crate::context::Context;
use crate::fix::{Applicability, Diagnostic, Fix};
use crate::history::EditHistory;
use crate::rules::{self, Checker, Rule};
use crate::settings::Settings;
use crate::syntax::{self, Document, ParseError, TextRange};
use crate::transforms::PackageManagers;

/// Applies non-overlapping fixes in one pass. A fix whose first edit starts
/// at or before the end of the previous applied edit (touching counts) is
/// left for the next round. Returns the new text and the indices of the
/// fixes that were applied.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, Vec<usize>) {
    let mut order: Vec<usize> = (0..fixes.len())
        .filter(|&i| !fixes[i].edits().is_empty())
        .collect();
    order.sort_by_key(|&i| fixes[i].span().map(|s| (s.start, s.end)));
    let mut out = String::with_capacity(text.len() + 64);
    let mut copied_to = 0;
    let mut last_end: Option<usize> = None;
    let mut applied = Vec::new();
    for i in order {
        let fix = fixes[i];
        let first = fix.edits()[0].range.start;
        if last_end.is_some_and(|end| first <= end) {
            continue;
        }
        for edit in fix.edits() {
            out.push_str(&text[copied_to..edit.range.start]);
            out.push_str(&edit.content);
            copied_to = edit.range.end;
        }
        last_end = Some(copied_to);
        applied.push(i);
    }
    out.push_str(&text[copied_to..]);
    (out, applied)
}

/// A fix the rounds applied, located in the file as the user wrote it.
#[derive(Clone, Debug)]
pub struct AppliedFix {
    /// The finding, as reported in the round that applied its fix (its
    /// range is into that round's text; see `range` for the original).
    pub diagnostic: Diagnostic,
    /// The finding's range in the original text.
    pub range: TextRange,
    /// What the fix's edits replaced, in the original text; `None` for a
    /// fix that only writes other files of the build context.
    pub edited: Option<TextRange>,
    /// Other files of the build context the fix writes.
    pub files: Vec<String>,
    /// The round that applied it, from 0.
    pub round: usize,
}

/// What fixing one file gave.
#[derive(Debug)]
pub struct Outcome {
    pub original: String,
    pub fixed: String,
    /// Findings on the original text.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings left on the fixed text (ranges into `fixed`).
    pub remaining: Vec<Diagnostic>,
    /// Fixes applied, by rule, in the order they were applied.
    pub applied: Vec<&'static Rule>,
    /// False when the round cap stopped the loop before a fixpoint.
    pub converged: bool,
    /// A fix that produced an unparsable file: it was reverted.
    pub internal_errors: Vec<String>,
    /// Other files of the build context to write (`.dockerignore`).
    pub files: Vec<crate::fix::FileEdit>,
    /// Every fix applied, in order, located in the original text: the one
    /// record reports render what changed from.
    pub fixes: Vec<AppliedFix>,
    /// Each round's edits, to locate ranges of `fixed` in `original`.
    pub history: EditHistory,
}

impl Outcome {
    /// The Dockerfile or another context file changes.
    pub fn changed(&self) -> bool {
        self.original != self.fixed || !self.files.is_empty()
    }
}

/// Runs every selected rule over a parsed document.
pub fn check(document: &Document, context: &Context, settings: &Settings) -> Vec<Diagnostic> {
    check_with(rules::ALL, document, context, settings)
}

fn check_with(
    rules: &[&'static Rule],
    document: &Document,
    context: &Context,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let checker = Checker::new(document, context, PackageManagers::builtin(), settings);
    let mut diagnostics = Vec::new();
    for rule in rules {
        if settings.rules.is_enabled(rule) {
            (rule.check)(&checker, &mut diagnostics);
        }
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.rule.code));
    rules::pragma::apply(document, settings, &mut diagnostics);
    diagnostics
}

/// Parses, checks and fixes `source` to a fixpoint. The only error is a
/// source that does not parse; a fix that breaks the file is reverted and
/// reported in [`Outcome::internal_errors`].
pub fn fix_source(
    source: &str,
    context: &Context,
    settings: &Settings,
) -> Result<Outcome, ParseError> {
    fix_with_rules(rules::ALL, source, context, settings)
}

/// [`fix_source`] with a given rule set (tests use it to inject rules).
pub fn fix_with_rules(
    rules: &[&'static Rule],
    source: &str,
    context: &Context,
    settings: &Settings,
) -> Result<Outcome, ParseError> {
    let threshold = if settings.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    // The parsed scripts are reused across this file's rounds only.
    syntax::shell::clear_script_cache();
    let mut document = syntax::parse(source)?;
    let diagnostics = check_with(rules, &document, context, settings);
    let mut outcome = Outcome {
        original: source.to_owned(),
        fixed: source.to_owned(),
        diagnostics: Vec::new(),
        remaining: Vec::new(),
        applied: Vec::new(),
        converged: false,
        internal_errors: Vec::new(),
        files: Vec::new(),
        fixes: Vec::new(),
        history: EditHistory::default(),
    };
    let mut current = diagnostics.clone();
    outcome.diagnostics = diagnostics;
    for _round in 0..settings.max_rounds {
        let fixes: Vec<(&Fix, &'static Rule, &Diagnostic)> = current
            .iter()
            .filter_map(|d| Some((d.fix.as_ref()?, d.rule, d)))
            .filter(|(f, _, _)| f.applicability >= threshold && !f.edits().is_empty())
            .collect();
        if fixes.is_empty() {
            outcome.converged = true;
            break;
        }
        let only_fixes: Vec<&Fix> = fixes.iter().map(|(f, _, _)| *f).collect();
        let (text, applied) = apply_fixes(&outcome.fixed, &only_fixes);
        if text == outcome.fixed {
            outcome.converged = true;
            break;
        }
        match syntax::parse(&text) {
            Ok(next) => {
                outcome.applied.extend(applied.iter().map(|&i| fixes[i].1));
                record_round(&mut outcome, &applied, &fixes);
                outcome.fixed = text;
                document = next;
                current = check_with(rules, &document, context, settings);
            }
            Err(error) => {
                let codes: Vec<&str> = applied.iter().map(|&i| fixes[i].1.code).collect();
                outcome.internal_errors.push(format!(
                    "fixes for {} produced a Dockerfile that does not parse ({error}); they were not applied",
                    codes.join(", ")
                ));
                outcome.converged = true;
                break;
            }
        }
    }
    // File edits do not change the Dockerfile, so they take no part in the
    // rounds: those the fixed file still calls for are written once.
    let (written, remaining): (Vec<Diagnostic>, Vec<Diagnostic>) =
        current.into_iter().partition(|d| {
            d.fix.as_ref().is_some_and(|f| {
                !f.files.is_empty() && f.edits().is_empty() && f.applicability >= threshold
            })
        });
    for diagnostic in &written {
        outcome.applied.push(diagnostic.rule);
        outcome.fixes.push(AppliedFix {
            range: outcome.history.to_original(diagnostic.range),
            edited: None,
            files: diagnostic
                .fix
                .as_ref()
                .map(|f| f.files.iter().map(|file| file.path.clone()).collect())
                .unwrap_or_default(),
            round: outcome.history.rounds(),
            diagnostic: diagnostic.clone(),
        });
        for file in &diagnostic.fix.as_ref().expect("filtered above").files {
            if !outcome.files.iter().any(|f| f.path == file.path) {
                outcome.files.push(file.clone());
            }
        }
    }
    outcome.remaining = remaining;
    Ok(outcome)
}

/// Locates a round's applied fixes in the original text (through the
/// earlier rounds), then records the round's edits for the next.
fn record_round(
    outcome: &mut Outcome,
    applied: &[usize],
    fixes: &[(&Fix, &'static Rule, &Diagnostic)],
) {
    let round = outcome.history.rounds();
    let mut edits = Vec::new();
    for &i in applied {
        let (fix, _, diagnostic) = fixes[i];
        outcome.fixes.push(AppliedFix {
            diagnostic: diagnostic.clone(),
            range: outcome.history.to_original(diagnostic.range),
            edited: fix.span().map(|span| outcome.history.to_original(span)),
            files: Vec::new(),
            round,
        });
        edits.extend(fix.edits().iter().cloned());
    }
    outcome.history.push_round(edits);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Edit;
    use crate::syntax::TextRange;

    #[test]
    fn applies_in_one_pass_and_keeps_other_bytes() {
        let text = "abcdef";
        let a = Fix::safe(vec![Edit::insert(1, "X")]);
        let b = Fix::safe(vec![
            Edit::replace(TextRange::new(3, 4), "Y"),
            Edit::delete(TextRange::new(5, 6)),
        ]);
        let (out, applied) = apply_fixes(text, &[&b, &a]);
        assert_eq!(out, "aXbcYe");
        assert_eq!(applied, [1, 0]);
    }

    static BREAKS_THE_FILE: Rule = Rule {
        code: "DS999",
        name: "breaks-the-file",
        summary: "test rule whose fix produces an invalid Dockerfile",
        fix_safety: "safe",
        doc: "",
        check: |checker, out| {
            let at = checker.document.source().len();
            out.push(
                Diagnostic::new(&BREAKS_THE_FILE, TextRange::empty(at), "x")
                    .with_fix(Fix::safe(vec![Edit::insert(at, "NOT_AN_INSTRUCTION x\n")])),
            );
        },
    };

    #[test]
    fn a_fix_that_breaks_the_file_is_reverted_and_reported() {
        let source = "FROM alpine\n";
        let mut settings = Settings::default();
        settings.rules = crate::settings::RuleSelection::all_of(&[&BREAKS_THE_FILE]);
        let outcome =
            fix_with_rules(&[&BREAKS_THE_FILE], source, &Context::unknown(), &settings).unwrap();
        assert_eq!(outcome.fixed, source);
        assert!(!outcome.changed());
        assert_eq!(outcome.internal_errors.len(), 1);
        assert!(
            outcome.internal_errors[0].contains("DS999"),
            "{:?}",
            outcome.internal_errors
        );
    }

    #[test]
    fn overlapping_and_touching_fixes_wait() {
        let text = "abcdef";
        let a = Fix::safe(vec![Edit::replace(TextRange::new(1, 3), "X")]);
        let b = Fix::safe(vec![Edit::replace(TextRange::new(2, 4), "Y")]);
        let c = Fix::safe(vec![Edit::insert(3, "Z")]);
        let (out, applied) = apply_fixes(text, &[&a, &b, &c]);
        assert_eq!(out, "aXdef");
        assert_eq!(applied, [0]);
    }
}
