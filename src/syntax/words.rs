//! Heredoc detection the way BuildKit does it: the logical line is split into
//! shell-like words (quotes, escapes and `$` expansions kept raw), and each
//! word is matched against `^(\d*)<<(-?)([^<]*)$`. A lexing error (an
//! unbalanced quote anywhere on the line) means BuildKit finds no heredoc at
//! all, and so do we.

use super::text::TextRange;

pub(crate) struct Marker {
    pub name: String,
    pub chomp: bool,
    pub expand: bool,
    pub fd: u32,
    pub range: TextRange,
}

pub(crate) fn heredoc_markers(line: &str) -> Vec<Marker> {
    let Some(words) = raw_words(line) else {
        return Vec::new();
    };
    words
        .into_iter()
        .filter_map(|range| marker(range.slice(line), range))
        .collect()
}

fn marker(word: &str, range: TextRange) -> Option<Marker> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = word[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let (name, quotes_removed) = unquote_single_word(rest)?;
    Some(Marker {
        name,
        chomp,
        expand: !quotes_removed,
        // BuildKit ignores a descriptor it cannot parse.
        fd: word[..digits].parse().unwrap_or(0),
        range,
    })
}

/// Splits `line` into raw words; `None` when the line does not lex.
fn raw_words(line: &str) -> Option<Vec<TextRange>> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        let (pos, ch) = chars[i];
        if ch.is_whitespace() {
            if let Some(s) = start.take() {
                words.push(TextRange::new(s, pos));
            }
            i += 1;
            continue;
        }
        start.get_or_insert(pos);
        i = match ch {
            '\'' => 1 + i + chars[i + 1..].iter().position(|&(_, c)| c == '\'')? + 1,
            '"' => skip_double_quoted(&chars, i + 1)?,
            '$' => skip_dollar(&chars, i + 1)?,
            '\\' => i + 2,
            _ => i + 1,
        };
    }
    if let Some(s) = start {
        words.push(TextRange::new(s, line.len()));
    }
    Some(words)
}

/// Returns the index after the closing quote.
fn skip_double_quoted(chars: &[(usize, char)], mut i: usize) -> Option<usize> {
    while i < chars.len() {
        match chars[i].1 {
            '"' => return Some(i + 1),
            '\\' => i += 2,
            '$' => i = skip_dollar(chars, i + 1)?,
            _ => i += 1,
        }
    }
    None
}

/// `$name` or `${...}`; an unclosed `${` is a lexing error.
fn skip_dollar(chars: &[(usize, char)], i: usize) -> Option<usize> {
    match chars.get(i) {
        Some((_, '{')) => {
            let close = chars[i..].iter().position(|&(_, c)| c == '}')?;
            Some(i + close + 1)
        }
        _ => Some(i),
    }
}

/// BuildKit's second lexing pass over a heredoc delimiter: quotes and escapes
/// removed. The delimiter must be a single word. Returns the name and whether
/// any quote was removed (a quoted delimiter disables expansion).
fn unquote_single_word(rest: &str) -> Option<(String, bool)> {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '"' => {
                quoted = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '$' | '\\')) => {
                            out.push(chars.next()?);
                        }
                        _ => out.push(c),
                    }
                }
            }
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            c if c.is_whitespace() => return None,
            c => out.push(c),
        }
    }
    Some((out, quoted))
}
