//! Turning results into text: findings, unified diffs and error messages
//! with a source snippet.

use std::fmt::Write as _;

use similar::TextDiff;

use crate::fix::Diagnostic;
use crate::syntax::LineIndex;

/// A git-style unified diff (`a/` and `b/` prefixes), accepted by
/// `git apply` and `patch -p1`. Empty when nothing changed.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let body = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    format!("diff --git a/{path} b/{path}\n{body}")
}

/// The diff of another file of the build context; a file that does not
/// exist yet diffs from `/dev/null`, as git shows a new file.
pub fn file_diff(path: &str, old: Option<&str>, new: &str) -> String {
    let Some(old) = old else {
        let body = TextDiff::from_lines("", new)
            .unified_diff()
            .context_radius(3)
            .header("/dev/null", &format!("b/{path}"))
            .to_string();
        return format!("diff --git a/{path} b/{path}\nnew file mode 100644\n{body}");
    };
    unified_diff(path, old, new)
}

/// `path:line:col CODE message`, with the fix applicability in brackets.
pub fn finding_line(path: &str, source: &str, index: &LineIndex, d: &Diagnostic) -> String {
    let at = index.line_col(source, d.range.start);
    let marker = match d.fix_applicability() {
        Some(crate::fix::Applicability::Safe) => " [fix]",
        Some(crate::fix::Applicability::Unsafe) => " [unsafe fix]",
        _ => "",
    };
    format!(
        "{path}:{}:{} {}{marker} {}",
        at.line, at.col, d.rule.code, d.message
    )
}

/// An error at an offset of a file, with the line and a caret:
///
/// ```text
/// error: Dockerfile:3:1: unknown instruction: FOO
///   |
/// 3 | FOO bar
///   | ^
/// ```
pub fn error_with_snippet(path: &str, source: &str, offset: usize, message: &str) -> String {
    let index = LineIndex::new(source);
    let at = index.line_col(source, offset);
    let line_range = index.line_range(source, at.line - 1);
    let line_text: String = line_range
        .slice(source)
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let gutter = at.line.to_string().len();
    let mut out = String::new();
    let _ = writeln!(out, "error: {path}:{}:{}: {message}", at.line, at.col);
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(
        out,
        "{} | {}",
        at.line,
        line_text.trim_end_matches('\u{feff}')
    );
    let _ = writeln!(out, "{:gutter$} | {:>col$}", "", "^", col = at.col);
    out
}
