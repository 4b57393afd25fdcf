//! Turning results into text: findings, unified diffs and error messages
//! with a source snippet.

use std::fmt::Write as _;

use similar::TextDiff;

use crate::fix::Diagnostic;
use crate::syntax::LineIndex;

/// A git-style unified diff (`a/` and `b/` prefixes), accepted by
/// `git apply` and `patch -p1`. Empty when nothing changed. Paths are
/// quoted as `git diff` quotes them (see [`diff_path`]).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let body = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .to_string();
    let a = diff_path("a/", path);
    let b = diff_path("b/", path);
    format!(
        "diff --git {a} {b}\n--- {a}{tab}\n+++ {b}{tab}\n{body}",
        tab = header_tab(path)
    )
}

/// The diff of another file of the build context; a file that does not
/// exist yet diffs from `/dev/null`, as git shows a new file.
pub fn file_diff(path: &str, old: Option<&str>, new: &str) -> String {
    let Some(old) = old else {
        let body = TextDiff::from_lines("", new)
            .unified_diff()
            .context_radius(3)
            .to_string();
        let a = diff_path("a/", path);
        let b = diff_path("b/", path);
        return format!(
            "diff --git {a} {b}\nnew file mode 100644\n--- /dev/null\n+++ {b}{tab}\n{body}",
            tab = header_tab(path)
        );
    };
    unified_diff(path, old, new)
}

/// `prefix` + `path` for a diff header, C-quoted the way `git diff` does
/// (with its default `core.quotePath`): a path with a control character, a
/// double quote, a backslash or a byte outside ASCII becomes `"a/…"` with
/// `\n`, `\t`, `\"`, `\\` and octal escapes, which `git apply` and GNU
/// `patch` both read back.
pub fn diff_path(prefix: &str, path: &str) -> String {
    let whole = format!("{prefix}{path}");
    if !whole.bytes().any(needs_git_quote) {
        return whole;
    }
    let mut out = String::with_capacity(whole.len() + 8);
    out.push('"');
    for byte in whole.bytes() {
        push_c_escaped(&mut out, byte, true);
    }
    out.push('"');
    out
}

/// git ends the `---`/`+++` name of an unquoted path with a space in a tab,
/// so that `patch` does not take the part after the space for a timestamp.
fn header_tab(path: &str) -> &'static str {
    if path.contains(' ') && !path.bytes().any(needs_git_quote) {
        "\t"
    } else {
        ""
    }
}

fn needs_git_quote(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\' || byte >= 0x7f
}

fn push_c_escaped(out: &mut String, byte: u8, escape_non_ascii: bool) {
    match byte {
        b'\x07' => out.push_str("\\a"),
        b'\x08' => out.push_str("\\b"),
        b'\t' => out.push_str("\\t"),
        b'\n' => out.push_str("\\n"),
        b'\x0b' => out.push_str("\\v"),
        b'\x0c' => out.push_str("\\f"),
        b'\r' => out.push_str("\\r"),
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b if b < 0x20 || b == 0x7f || (b >= 0x80 && escape_non_ascii) => {
            let _ = write!(out, "\\{b:03o}");
        }
        b => out.push(b as char),
    }
}

/// A file name as the text, `--check` and markdown outputs show it: as it
/// is, unless it holds a control character (a newline would start a line of
/// its own, which a CI log reads as a workflow command such as `::error`),
/// a double quote or a backslash; then C-quoted in double quotes, as git
/// shows such names. Characters outside ASCII stay readable.
pub fn shown_path(path: &str) -> std::borrow::Cow<'_, str> {
    let needs = |c: char| c.is_control() || c == '"' || c == '\\';
    if !path.chars().any(needs) {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    out.push('"');
    for c in path.chars() {
        if c.is_ascii() {
            push_c_escaped(&mut out, c as u8, false);
        } else if c.is_control() {
            // C1 controls (U+0080..U+009F) as their UTF-8 bytes in octal.
            let mut buf = [0; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                let _ = write!(out, "\\{b:03o}");
            }
        } else {
            out.push(c);
        }
    }
    out.push('"');
    std::borrow::Cow::Owned(out)
}

/// `path:line:col CODE message`, with the fix applicability in brackets.
/// Dockerfile text in the message is shown with control characters escaped.
pub fn finding_line(path: &str, source: &str, index: &LineIndex, d: &Diagnostic) -> String {
    let at = index.line_col(source, d.range.start);
    let marker = match d.fix_applicability() {
        Some(crate::fix::Applicability::Safe) => " [fix]",
        Some(crate::fix::Applicability::Unsafe) => " [unsafe fix]",
        _ => "",
    };
    format!(
        "{path}:{}:{} {}{marker} {}",
        at.line,
        at.col,
        d.rule.code,
        visible(&d.message)
    )
}

/// Characters of a hostile Dockerfile that would act on a terminal instead
/// of showing: C0 and C1 controls (ESC starts colour, cursor and title
/// sequences), DEL, and the bidirectional overrides that reorder what is
/// shown. They are printed as `\u{1b}` escapes.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_visible(out: &mut String, c: char) {
    if needs_escape(c) {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// `text` with control characters escaped (see [`needs_escape`]).
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    text.chars().for_each(|c| push_visible(&mut out, c));
    out.into()
}

/// Characters of the offending line shown on each side of the caret: a
/// minified or generated file can have one line of megabytes.
const SNIPPET_CONTEXT: usize = 60;

/// The part of `line` to show around 1-based character column `col`, with
/// tabs as spaces and control characters escaped, and where the caret goes
/// in it (1-based).
fn snippet(line: &str, col: usize) -> (String, usize) {
    let first = col.saturating_sub(1 + SNIPPET_CONTEXT);
    let mut shown = String::new();
    if first > 0 {
        shown.push('…');
    }
    let mut caret = None;
    let mut chars = line.chars().enumerate().skip(first).peekable();
    while let Some(&(i, c)) = chars.peek() {
        if i >= col + SNIPPET_CONTEXT {
            shown.push('…');
            break;
        }
        if i + 1 == col {
            caret = Some(shown.chars().count() + 1);
        }
        match c {
            '\t' => shown.push(' '),
            // A byte-order mark at the start of the file takes no room.
            '\u{feff}' if i == 0 => {}
            c => push_visible(&mut shown, c),
        }
        chars.next();
    }
    let caret = caret.unwrap_or_else(|| shown.chars().count() + 1);
    (shown, caret)
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
    let (line_text, caret) = snippet(line_range.slice(source), at.col);
    let gutter = at.line.to_string().len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "error: {path}:{}:{}: {}",
        at.line,
        at.col,
        visible(message)
    );
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{} | {line_text}", at.line);
    // Padding by hand: a format width over 65,535 panics.
    let _ = writeln!(out, "{:gutter$} | {}^", "", " ".repeat(caret - 1));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_past_column_65535_is_shown_around_the_caret() {
        let source = format!("FROM debian\nRUN {} bad\n", "x".repeat(70_000));
        let offset = source.find(" bad").unwrap() + 1;
        let shown = error_with_snippet("Dockerfile", &source, offset, "here");
        assert!(
            shown.starts_with("error: Dockerfile:2:70006: here\n"),
            "{shown}"
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[2].starts_with("2 | …xxx"), "{shown}");
        assert!(lines[2].ends_with("x bad"), "{shown}");
        let caret = lines[3].find('^').unwrap();
        assert_eq!(lines[2].chars().nth(caret), Some('b'), "{shown}");
        assert!(shown.len() < 400, "{}", shown.len());
    }

    #[test]
    fn the_caret_stays_under_its_character_after_escapes() {
        let source = "FROM a\x1b[2J\tb\n";
        let offset = source.find('b').unwrap();
        let shown = error_with_snippet("Dockerfile", source, offset, "bad \x1b]0;title\x07");
        assert!(
            !shown.contains('\x1b') && !shown.contains('\x07'),
            "{shown:?}"
        );
        assert!(shown.contains("bad \\u{1b}]0;title\\u{7}"), "{shown}");
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[2], "1 | FROM a\\u{1b}[2J b");
        let caret = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][caret..], "b");
    }

    #[test]
    fn visible_escapes_controls_and_bidi_overrides_only() {
        assert_eq!(visible("plain ü 日本"), "plain ü 日本");
        assert_eq!(visible("a\u{202e}b\u{9b}c\r"), "a\\u{202e}b\\u{9b}c\\u{d}");
    }
}
