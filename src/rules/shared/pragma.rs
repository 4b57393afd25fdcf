//! Suppression pragmas, and DS001 `unused-pragma`.
//!
//! Docker only treats `#` at the start of a line as a comment, so pragmas are
//! comment lines: `# dockslim: ignore=DS101,apt-no-install-recommends` applies
//! to the next instruction, `# dockslim: global ignore=DS401` to the file.

use std::collections::HashSet;

use crate::fix::{Diagnostic, Edit, Fix};
use crate::rules::Rule;
use crate::settings::Settings;
use crate::syntax::{Document, Item, TextRange};

struct Pragma {
    line: TextRange,
    global: bool,
    /// The names as written, with the rule each resolves to.
    names: Vec<(String, Option<&'static Rule>)>,
    /// The instruction a next-instruction pragma applies to.
    target: Option<TextRange>,
    used: Vec<bool>,
}

fn parse(document: &Document) -> Vec<Pragma> {
    let source = document.source();
    let items = document.items();
    // The instruction after each item, found in one backward pass: looking
    // ahead from every pragma was quadratic in a run of pragma lines.
    let mut next_instruction = vec![None; items.len() + 1];
    for (i, item) in items.iter().enumerate().rev() {
        next_instruction[i] = match item {
            Item::Instruction(instruction) => Some(instruction.range),
            _ => next_instruction[i + 1],
        };
    }
    let mut pragmas = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Item::Comment(range) = item else { continue };
        let text = range.slice(source).trim().trim_start_matches('#').trim();
        let Some(rest) = text.strip_prefix("dockslim:") else {
            continue;
        };
        let rest = rest.trim();
        let (global, rest) = match rest.strip_prefix("global") {
            Some(after) => (true, after.trim_start()),
            None => (false, rest),
        };
        let Some(list) = rest.strip_prefix("ignore=") else {
            continue;
        };
        let names: Vec<(String, Option<&'static Rule>)> = list
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| (n.to_owned(), crate::rules::find(n)))
            .collect();
        let target = next_instruction[i + 1];
        let used = vec![false; names.len()];
        pragmas.push(Pragma {
            line: *range,
            global,
            names,
            target,
            used,
        });
    }
    pragmas
}

/// True when a pragma applies to the instruction at `item`: rules that
/// merge or move instructions leave it alone, so the pragma keeps its scope.
pub(crate) fn marks(document: &Document, item: usize) -> bool {
    let source = document.source();
    document.items()[..item]
        .iter()
        .rev()
        .take_while(|i| !matches!(i, Item::Instruction(_)))
        .any(|i| matches!(i, Item::Comment(r) if r.slice(source).trim().trim_start_matches('#').trim().starts_with("dockslim:")))
}

/// Drops the diagnostics the pragmas suppress and adds DS001 findings for
/// pragmas that suppress nothing.
pub(crate) fn apply(document: &Document, settings: &Settings, diagnostics: &mut Vec<Diagnostic>) {
    let mut pragmas = parse(document);
    if pragmas.is_empty() {
        return;
    }
    // Which (target, rule) pairs the pragmas suppress, and which of them hit
    // a finding: lookups by key, so many pragmas and many findings stay
    // linear (a target is the start of an instruction; `None` is global).
    let mut suppressed: HashSet<(Option<usize>, &str)> = HashSet::new();
    let mut targets: Vec<TextRange> = Vec::new();
    for pragma in &pragmas {
        let key = if pragma.global {
            None
        } else if let Some(target) = pragma.target {
            targets.push(target);
            Some(target.start)
        } else {
            continue;
        };
        for (_, rule) in &pragma.names {
            if let Some(rule) = rule {
                suppressed.insert((key, rule.code));
            }
        }
    }
    targets.sort_by_key(|t| t.start);
    targets.dedup();
    let mut hits: HashSet<(Option<usize>, &str)> = HashSet::new();
    diagnostics.retain(|d| {
        let mut keep = true;
        if suppressed.contains(&(None, d.rule.code)) {
            hits.insert((None, d.rule.code));
            keep = false;
        }
        // Instruction ranges do not overlap: the last target starting at or
        // before the finding is the only one that can hold it.
        let at = targets.partition_point(|t| t.start <= d.range.start);
        if let Some(target) = at.checked_sub(1).map(|k| targets[k])
            && d.range.start < target.end
            && suppressed.contains(&(Some(target.start), d.rule.code))
        {
            hits.insert((Some(target.start), d.rule.code));
            keep = false;
        }
        keep
    });
    for pragma in &mut pragmas {
        let key = if pragma.global {
            None
        } else {
            pragma.target.map(|t| t.start)
        };
        for (k, (_, rule)) in pragma.names.iter().enumerate() {
            if rule.is_some_and(|r| hits.contains(&(key, r.code)))
                && (pragma.global || pragma.target.is_some())
            {
                pragma.used[k] = true;
            }
        }
    }
    if !settings
        .rules
        .is_enabled(&crate::rules::unused_pragma::RULE)
    {
        return;
    }
    for pragma in pragmas {
        let unused: Vec<&str> = pragma
            .names
            .iter()
            .zip(&pragma.used)
            .filter(|((_, rule), used)| {
                !**used && rule.is_none_or(|r| settings.rules.is_enabled(r))
            })
            .map(|((name, _), _)| name.as_str())
            .collect();
        if unused.is_empty() {
            continue;
        }
        let unknown: Vec<&str> = pragma
            .names
            .iter()
            .filter(|(_, r)| r.is_none())
            .map(|(n, _)| n.as_str())
            .collect();
        let mut message = format!(
            "unused pragma: {} found nothing to ignore",
            unused.join(", ")
        );
        if !unknown.is_empty() {
            message.push_str(&format!(" ({} is not a rule)", unknown.join(", ")));
        }
        let all_unused = unused.len() == pragma.names.len();
        let fix = if all_unused {
            Fix::safe(vec![Edit::delete(pragma.line)])
        } else {
            Fix::display_only()
        };
        let comment_end = pragma.line.start + pragma.line.slice(document.source()).trim_end().len();
        diagnostics.push(
            Diagnostic::new(
                &crate::rules::unused_pragma::RULE,
                TextRange::new(pragma.line.start, comment_end),
                message,
            )
            .with_fix(fix),
        );
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.rule.code));
}
