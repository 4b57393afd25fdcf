//! The line-level parser. It mirrors BuildKit's `parser.Parse` step by step
//! (directives, comment and blank lines, continuation joining, flag
//! extraction, JSON detection, heredoc bodies) while recording where every
//! piece came from, so nothing of the source is lost.

use super::json::{self, JsonArray};
use super::text::{LineIndex, LogicalLine, TextRange};
use super::words::heredoc_markers;
use super::{
    Body, Command, Directive, Document, Flag, Heredoc, Instruction, Item, Keyword, ParseError,
    is_word_space,
};

const BOM: &str = "\u{feff}";

/// One physical line: `start..end` includes the line ending, `content_end`
/// excludes trailing `\r` and `\n` (BuildKit's `trimNewline`).
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

impl Line {
    fn content(self, src: &str) -> &str {
        &src[self.start..self.content_end]
    }
}

fn split_lines(src: &str, from: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = from;
    while start < src.len() {
        let rest = &src[start..];
        let end = rest.find('\n').map_or(src.len(), |i| start + i + 1);
        let content = src[start..end].trim_end_matches(['\r', '\n']);
        lines.push(Line {
            start,
            content_end: start + content.len(),
            end,
        });
        start = end;
    }
    lines
}

/// Parses a Dockerfile. Never panics; malformed input is a [`ParseError`].
pub fn parse(source: &str) -> Result<Document, ParseError> {
    let bom = source.starts_with(BOM);
    let lines = split_lines(source, if bom { BOM.len() } else { 0 });
    let mut parser = Parser {
        src: source,
        lines: &lines,
        escape: '\\',
        directives_done: false,
        seen_directives: Vec::new(),
        items: Vec::new(),
    };
    parser.run()?;
    let Parser { escape, items, .. } = parser;
    if !items.iter().any(|i| matches!(i, Item::Instruction(_))) {
        return Err(ParseError::new("file with no instructions", source.len()));
    }
    Ok(Document {
        source: source.to_owned(),
        bom,
        escape,
        items,
        lines: LineIndex::new(source),
        newline: if source.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        },
        continuation: std::sync::OnceLock::new(),
    })
}

struct Parser<'a> {
    src: &'a str,
    lines: &'a [Line],
    escape: char,
    directives_done: bool,
    seen_directives: Vec<String>,
    items: Vec<Item>,
}

impl Parser<'_> {
    fn run(&mut self) -> Result<(), ParseError> {
        let mut idx = 0;
        while idx < self.lines.len() {
            let line = self.lines[idx];
            let whole = TextRange::new(line.start, line.end);
            let content = line.content(self.src);
            let trimmed = content.trim_start();
            if let Some(directive) = self.directive(trimmed, whole)? {
                self.items.push(Item::Directive(directive));
                idx += 1;
                continue;
            }
            if trimmed.starts_with('#') {
                self.items.push(Item::Comment(whole));
                idx += 1;
                continue;
            }
            if trimmed.is_empty() {
                self.items.push(Item::Blank(whole));
                idx += 1;
                continue;
            }
            let first = TextRange::new(line.content_end - trimmed.len(), line.content_end);
            idx = self.instruction(idx, first)?;
        }
        Ok(())
    }

    /// BuildKit's `DirectiveParser.ParseLine`: directives are recognised
    /// until the first line that is not one.
    fn directive(
        &mut self,
        trimmed: &str,
        whole: TextRange,
    ) -> Result<Option<Directive>, ParseError> {
        if self.directives_done {
            return Ok(None);
        }
        let Some((name, value)) = match_directive(trimmed) else {
            self.directives_done = true;
            return Ok(None);
        };
        let name = name.to_ascii_lowercase();
        if !super::DIRECTIVES.contains(&name.as_str()) {
            self.directives_done = true;
            return Ok(None);
        }
        if self.seen_directives.contains(&name) {
            return Err(ParseError::new(
                format!("only one {name} parser directive can be used"),
                whole.start,
            ));
        }
        if name == "escape" {
            self.escape = match value {
                "\\" => '\\',
                "`" => '`',
                _ => {
                    return Err(ParseError::new(
                        format!("invalid escape token '{value}' does not match ` or \\"),
                        whole.start,
                    ));
                }
            };
        }
        self.seen_directives.push(name.clone());
        Ok(Some(Directive {
            range: whole,
            name,
            value: value.to_owned(),
        }))
    }

    /// Parses the instruction that starts on line `idx`, whose first line's
    /// content (left-trimmed) is `first`. Returns the index of the next line.
    fn instruction(&mut self, start_idx: usize, first: TextRange) -> Result<usize, ParseError> {
        let src = self.src;
        let mut logical = LogicalLine::new(first.start);
        let (piece, mut end_of_line) = self.trim_continuation(first);
        logical.push(src, piece);
        let mut last = start_idx;
        while !end_of_line && last + 1 < self.lines.len() {
            last += 1;
            let line = self.lines[last];
            let content = line.content(src);
            // Comment lines and empty lines inside a continuation are skipped.
            if content.trim_start().starts_with('#') || content.trim_start().is_empty() {
                continue;
            }
            let (piece, eol) = self.trim_continuation(TextRange::new(line.start, line.content_end));
            logical.push(src, piece);
            end_of_line = eol;
        }

        let command = parse_command(&logical, TextRange::new(0, logical.as_str().len()))?;
        let mut heredocs = Vec::new();
        let effective = match &command.body {
            Body::Onbuild(inner) => inner.as_ref(),
            _ => &command,
        };
        if effective.keyword.takes_heredocs()
            && !effective.is_exec_form()
            && logical.as_str().contains("<<")
        {
            for marker in heredoc_markers(logical.as_str()) {
                let body_start = self.lines.get(last + 1).map_or(src.len(), |l| l.start);
                let mut terminator = None;
                while last + 1 < self.lines.len() {
                    last += 1;
                    let line = self.lines[last];
                    let mut candidate = line.content(src);
                    if marker.chomp {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == marker.name {
                        terminator = Some(line);
                        break;
                    }
                }
                let Some(terminator) = terminator else {
                    let at = logical.to_source_range(marker.range).start;
                    return Err(ParseError::new(
                        format!("unterminated heredoc (no line `{}` follows)", marker.name),
                        at,
                    ));
                };
                heredocs.push(Heredoc {
                    name: marker.name,
                    chomp: marker.chomp,
                    expand: marker.expand,
                    fd: marker.fd,
                    body: TextRange::new(body_start, terminator.start),
                    terminator: TextRange::new(terminator.start, terminator.end),
                    marker: marker.range,
                });
            }
        }

        let instruction = Instruction {
            range: TextRange::new(self.lines[start_idx].start, self.lines[last].end),
            logical,
            command,
            heredocs,
            // BuildKit numbers physical lines from 1.
            start_line: start_idx + 1,
            end_line: last + 1,
        };
        validate(&instruction, self.escape)?;
        self.items.push(Item::Instruction(instruction));
        Ok(last + 1)
    }

    /// BuildKit's `trimContinuationCharacter`: a line continues when it ends
    /// with the escape character and optional spaces or tabs, unless that
    /// escape character is itself escaped. Returns the kept part and whether
    /// the line ends the instruction.
    fn trim_continuation(&self, content: TextRange) -> (TextRange, bool) {
        let text = content.slice(self.src);
        let body = text.trim_end_matches([' ', '\t']);
        let Some(before) = body.strip_suffix(self.escape) else {
            return (content, true);
        };
        if before.ends_with(self.escape) {
            return (content, true);
        }
        (
            TextRange::new(content.start, content.start + before.len()),
            false,
        )
    }
}

/// Matches `#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`.
fn match_directive(line: &str) -> Option<(&str, &str)> {
    let is_re_space = |c: char| matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ');
    let rest = line.strip_prefix('#')?.trim_start_matches(is_re_space);
    let name_len = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
        .map_or(rest.len(), |(i, _)| i);
    if name_len == 0 {
        return None;
    }
    let (name, rest) = rest.split_at(name_len);
    let value = rest
        .trim_start_matches(is_re_space)
        .strip_prefix('=')?
        .trim_matches(is_re_space);
    if value.is_empty() {
        return None;
    }
    Some((name, value))
}

/// BuildKit's `splitCommand` plus the dispatch on the keyword, over the
/// logical range `within`.
fn parse_command(logical: &LogicalLine, within: TextRange) -> Result<Command, ParseError> {
    let text = logical.as_str();
    let error_at = |range: TextRange| logical.to_source_range(range).start;
    let trimmed = trim_range(text, within);
    let slice = trimmed.slice(text);
    let keyword_len = slice.find(is_word_space).unwrap_or(slice.len());
    let keyword_range = TextRange::new(trimmed.start, trimmed.start + keyword_len);
    let keyword_text = keyword_range.slice(text);
    let Some(keyword) = Keyword::from_name(keyword_text) else {
        let shown: String = keyword_text.chars().take(40).collect();
        return Err(ParseError::new(
            format!("unknown instruction: {shown}"),
            error_at(keyword_range),
        ));
    };
    let after_keyword = &text[keyword_range.end..trimmed.end];
    let rest_start = keyword_range.end
        + (after_keyword.len() - after_keyword.trim_start_matches(is_word_space).len());
    let (args_start, flags) = extract_flags(text, TextRange::new(rest_start, trimmed.end));
    let args = trim_range(text, TextRange::new(args_start, trimmed.end));

    let body = if keyword == Keyword::Onbuild {
        if args.is_empty() {
            Body::Plain
        } else {
            let inner = parse_command(logical, args)?;
            if matches!(
                inner.keyword,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            ) {
                return Err(ParseError::new(
                    format!("{} isn't allowed as an ONBUILD trigger", inner.keyword),
                    error_at(inner.keyword_range),
                ));
            }
            Body::Onbuild(Box::new(inner))
        }
    } else if keyword.takes_json() {
        match json::string_array(text, args) {
            JsonArray::Strings(elements) => Body::Exec(elements),
            JsonArray::NotStrings => {
                return Err(ParseError::new(
                    "when using JSON array syntax, arrays must be comprised of strings only",
                    error_at(args),
                ));
            }
            JsonArray::NotJson => Body::Plain,
        }
    } else {
        Body::Plain
    };
    Ok(Command {
        keyword,
        keyword_range,
        flags,
        args,
        body,
    })
}

fn trim_range(text: &str, range: TextRange) -> TextRange {
    let slice = range.slice(text);
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    TextRange::new(start, end.max(start))
}

/// BuildKit's `extractBuilderFlags`: leading words that start with `--`
/// (quotes and backslashes honoured; a bare `--` ends the flags). Returns
/// where the arguments start and the flags with their logical ranges.
fn extract_flags(text: &str, within: TextRange) -> (usize, Vec<Flag>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let line = within.slice(text);
    let base = within.start;
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut blank_ok = false;
    let mut i = 0;
    loop {
        let at_end = i == chars.len();
        let (pos, ch) = if at_end { (line.len(), '\0') } else { chars[i] };
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if ch.is_whitespace() {
                i += 1;
                continue;
            }
            let next_is_dash = chars.get(i + 1).is_some_and(|&(_, c)| c == '-');
            if ch != '-' || !next_is_dash {
                return (base + pos, flags);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(Flag {
                    word,
                    range: TextRange::new(base + word_start, base + pos),
                });
            }
            break;
        }
        match phase {
            Phase::Word => {
                if ch.is_whitespace() {
                    phase = Phase::Spaces;
                    if word == "--" {
                        return (base + pos, flags);
                    }
                    if blank_ok || !word.is_empty() {
                        flags.push(Flag {
                            word: std::mem::take(&mut word),
                            range: TextRange::new(base + word_start, base + pos),
                        });
                    }
                    word.clear();
                    blank_ok = false;
                    i += 1;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                    i += 1;
                    continue;
                }
                i = push_escaped(&chars, i, &mut word);
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                    i += 1;
                    continue;
                }
                if ch == '\\' && i + 1 == chars.len() {
                    phase = Phase::Word;
                }
                i = push_escaped(&chars, i, &mut word);
            }
            Phase::Spaces => unreachable!("handled above"),
        }
    }
    (within.end, flags)
}

/// Adds the character at `i` to `word`; a backslash adds the character after
/// it instead (and a trailing backslash nothing). Returns the next index.
fn push_escaped(chars: &[(usize, char)], i: usize, word: &mut String) -> usize {
    if chars[i].1 != '\\' {
        word.push(chars[i].1);
        return i + 1;
    }
    if let Some(&(_, next)) = chars.get(i + 1) {
        word.push(next);
    }
    // A backslash at the very end has no character after it to skip.
    (i + 2).min(chars.len())
}

/// Checks that `docker build` would accept what BuildKit's parser accepted:
/// the argument checks of BuildKit's line parsers (`parseNameVal` for ENV
/// and LABEL) and of its `instructions.Parse`. A file that `docker build`
/// rejects is reported as malformed, never rewritten.
fn validate(instruction: &Instruction, escape: char) -> Result<(), ParseError> {
    let command = instruction.effective();
    let at = instruction.source_range(command.keyword_range).start;
    if command.args.is_empty() && instruction.heredocs.is_empty() {
        return Err(ParseError::new(
            format!("{} requires at least one argument", command.keyword),
            at,
        ));
    }
    // An ONBUILD trigger goes through BuildKit's line parser now but through
    // `instructions.Parse` only in the build that triggers it.
    let triggered_later = instruction.keyword() == Keyword::Onbuild;
    match command.keyword {
        Keyword::Env | Keyword::Label => {
            validate_name_values(instruction, command, escape, !triggered_later)?;
        }
        _ if triggered_later => {}
        Keyword::From => {
            let words = instruction.words();
            let ok = match words.as_slice() {
                [_] => true,
                [_, as_kw, _] => instruction.text(*as_kw).eq_ignore_ascii_case("as"),
                _ => false,
            };
            if !ok {
                return Err(ParseError::new(
                    "FROM requires either one argument, or three: FROM <source> [AS <name>]",
                    at,
                ));
            }
        }
        Keyword::Copy | Keyword::Add => {
            // `split_words` splits at every space, quoted or not, so it never
            // counts fewer arguments than BuildKit does.
            let count = match &command.body {
                Body::Exec(args) => args.len(),
                _ => instruction.words().len(),
            };
            if count < 2 {
                return Err(ParseError::new(
                    format!(
                        "{} requires at least two arguments, but only one was provided. Destination could not be determined",
                        command.keyword
                    ),
                    at,
                ));
            }
        }
        Keyword::Arg => {
            let text = instruction.logical.as_str();
            for word in name_value_words(text, command.args, escape) {
                if word.slice(text).starts_with('=') {
                    return Err(ParseError::new(
                        "ARG names can not be blank",
                        instruction.source_range(word).start,
                    ));
                }
            }
        }
        Keyword::Shell if !command.is_exec_form() => {
            return Err(ParseError::new(
                "SHELL requires the arguments to be in JSON form",
                at,
            ));
        }
        Keyword::Healthcheck => {
            let args = instruction.text(command.args);
            let kind_len = args.find(char::is_whitespace).unwrap_or(args.len());
            let kind = &args[..kind_len];
            let rest = args[kind_len..].trim();
            let problem = if kind.eq_ignore_ascii_case("none") {
                (!rest.is_empty()).then(|| "HEALTHCHECK NONE takes no arguments".to_owned())
            } else if !kind.eq_ignore_ascii_case("cmd") {
                Some(format!(
                    "Unknown type \"{}\" in HEALTHCHECK (try CMD)",
                    kind.to_uppercase()
                ))
            } else if rest.is_empty() || rest == "[]" {
                Some("Missing command after HEALTHCHECK CMD".to_owned())
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(ParseError::new(problem, at));
            }
        }
        _ => {}
    }
    Ok(())
}

/// BuildKit's `parseNameVal` and `parseKvps`: `KEY name value` (the legacy
/// form: a name and the rest of the line) or `KEY name=value ...`, where every
/// word has an `=` and a name before it.
fn validate_name_values(
    instruction: &Instruction,
    command: &Command,
    escape: char,
    blank_names: bool,
) -> Result<(), ParseError> {
    let keyword = command.keyword;
    let at = |range: TextRange| instruction.source_range(range).start;
    let words = name_value_words(instruction.logical.as_str(), command.args, escape);
    let Some(first) = words.first() else {
        return Ok(());
    };
    if !instruction.text(*first).contains('=') {
        if !instruction.text(command.args).contains(is_word_space) {
            return Err(ParseError::new(
                format!("{keyword} must have two arguments"),
                at(command.keyword_range),
            ));
        }
        return Ok(());
    }
    for word in &words {
        let text = instruction.text(*word);
        match text.split_once('=') {
            None => {
                return Err(ParseError::new(
                    format!(
                        "Syntax error - can't find = in \"{text}\". Must be of the form: name=value"
                    ),
                    at(*word),
                ));
            }
            Some(("", _)) if blank_names => {
                return Err(ParseError::new(
                    format!("{keyword} names can not be blank"),
                    at(*word),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// BuildKit's `parseWords`: words split at spaces outside quotes, quotes and
/// escapes kept (logical ranges). Only the ranges matter here.
fn name_value_words(text: &str, within: TextRange, escape: char) -> Vec<TextRange> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut blank_ok = false;
    let slice = within.slice(text);
    let mut chars = slice.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = within.start + i;
        match quote {
            None if c.is_whitespace() => {
                if let Some(s) = start.take()
                    && (blank_ok || at > s)
                {
                    words.push(TextRange::new(s, at));
                }
                blank_ok = false;
            }
            None => {
                start.get_or_insert(at);
                if c == '\'' || c == '"' {
                    quote = Some(c);
                    blank_ok = true;
                } else if c == escape {
                    chars.next();
                }
            }
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == escape && q != '\'' {
                    if chars.peek().is_none() {
                        quote = None;
                    }
                    chars.next();
                }
            }
        }
    }
    if let Some(s) = start {
        words.push(TextRange::new(s, within.end));
    }
    words
}
