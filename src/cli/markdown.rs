//! Markdown that text from a Dockerfile cannot break out of. Pull-request
//! bodies quote stage names, paths, commands and whole diffs from files the
//! bot does not control; every piece goes through one of these helpers, so
//! it renders as the text it is and never as markdown or HTML of its own.
//! This module only escapes; `report.rs` and `pull_request.rs` lay out the
//! body.

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        if ch == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// A fenced code block: the fence is longer than any backtick run inside,
/// so no line of the content (a heredoc line of three backticks, say) can
/// close it.
pub fn code_block(info: &str, content: &str) -> String {
    let fence = "`".repeat(longest_run(content, '`').max(2) + 1);
    let newline = if content.ends_with('\n') || content.is_empty() {
        ""
    } else {
        "\n"
    };
    format!("{fence}{info}\n{content}{newline}{fence}\n")
}

/// Where an inline piece goes: a table cell needs its pipes escaped (GFM
/// splits cells on `|` before it reads code spans, and honours `\|` in
/// them); elsewhere `\|` would show the backslash.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Table,
    Prose,
}

/// Inline code: delimited by more backticks than any run inside (and
/// padded with a space where the content starts or ends with a backtick or
/// a space, which CommonMark strips again), on one line.
pub fn code(content: &str, place: Place) -> String {
    let one_line: String = content
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    if one_line.is_empty() {
        return "(empty)".to_owned();
    }
    let ticks = "`".repeat(longest_run(&one_line, '`') + 1);
    let pad = if one_line.starts_with(['`', ' ']) || one_line.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    let body = match place {
        Place::Table => one_line.replace('|', "\\|"),
        Place::Prose => one_line,
    };
    format!("{ticks}{pad}{body}{pad}{ticks}")
}

/// Plain text: `<`, `>` and `&` as HTML entities, markdown punctuation
/// backslash-escaped (emphasis, links, images, code, tables, headings,
/// mentions and issue references), line breaks as spaces.
pub fn text(content: &str) -> String {
    let mut out = String::with_capacity(content.len() + 8);
    for c in content.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            // Text is always inline and on one line, so the block markers
            // (`-`, `+`, `=`, `>` at a line start) cannot start anything.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' | '#' | '@' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A rule's message, whose backtick spans are meant as code: each span
/// becomes a safe code span and the text between them safe text. A
/// backtick from the Dockerfile (in a stage name, say) can only move where
/// a span ends, never open raw markdown or HTML; an unpaired backtick is
/// shown as one.
pub fn message(content: &str, place: Place) -> String {
    let parts: Vec<&str> = content.split('`').collect();
    let paired = if parts.len() % 2 == 1 {
        parts.len()
    } else {
        parts.len() - 1
    };
    let mut out = String::with_capacity(content.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i >= paired {
            out.push_str("\\`");
            out.push_str(&text(part));
        } else if i % 2 == 1 {
            out.push_str(&code(part, place));
        } else {
            out.push_str(&text(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_outgrow_the_backticks_inside() {
        let block = code_block("diff", "+RUN <<EOF\n ```\n+````x\n");
        assert!(block.starts_with("`````diff\n"), "{block}");
        assert!(block.ends_with("\n`````\n"), "{block}");
        assert_eq!(code_block("", "x"), "```\nx\n```\n");
    }

    #[test]
    fn inline_code_cannot_be_closed_from_inside() {
        assert_eq!(code("a`b", Place::Prose), "``a`b``");
        assert_eq!(code("`x", Place::Prose), "`` `x ``");
        assert_eq!(code("a|b", Place::Table), "`a\\|b`");
        assert_eq!(code("a\nb", Place::Prose), "`a b`");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            text("<img src=x> & *b* @team #1\n# h"),
            "&lt;img src=x&gt; &amp; \\*b\\* \\@team \\#1 \\# h"
        );
    }

    #[test]
    fn messages_keep_their_code_spans_and_nothing_else() {
        assert_eq!(
            message("stage `a` has `RUN x`", Place::Prose),
            "stage `a` has `RUN x`"
        );
        // A stage named "a` <b>bold</b> `c".
        let m = message("stage `a` <b>bold</b> `c` is unused", Place::Prose);
        assert_eq!(m, "stage `a` &lt;b&gt;bold&lt;/b&gt; `c` is unused");
        assert_eq!(message("odd ` <x>", Place::Prose), "odd \\` &lt;x&gt;");
        // In a table, pipes in text and in code are escaped.
        assert_eq!(message("a|b `c|d`", Place::Table), "a\\|b `c\\|d`");
    }
}
