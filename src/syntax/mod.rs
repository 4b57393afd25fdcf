//! A lossless Dockerfile parser that follows BuildKit's own parser.
//!
//! Every byte of the input belongs to exactly one [`Item`] (parser directive,
//! comment, blank line or instruction), so printing the items back gives the
//! input byte for byte. Instructions keep BuildKit's *logical* view of their
//! text (continuations joined) together with a map back to source offsets, so
//! rules read meaning from the logical line and edit exact source bytes.
//!
//! This module does not interpret shell text; see [`shell`] for that.

mod image;
mod json;
mod parse;
pub mod shell;
mod text;
mod words;

pub use image::ImageRef;
pub use parse::parse;
pub use text::{Bias, LineCol, LineIndex, LogicalLine, TextRange};

use std::fmt;

/// The parser directive names BuildKit recognises.
pub const DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

/// A parsed Dockerfile. `source()` is the whole file; the items tile it
/// exactly, after the UTF-8 byte-order mark when there is one.
#[derive(Clone, Debug)]
pub struct Document {
    source: String,
    bom: bool,
    escape: char,
    items: Vec<Item>,
    lines: LineIndex,
    /// `\r\n` when the file uses it, else `\n` (found once: rules ask per edit).
    newline: &'static str,
    /// [`Document::continuation_style`], worked out on first use.
    continuation: std::sync::OnceLock<(String, bool)>,
}

impl Document {
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// The escape character: `\` by default, or `` ` `` from `# escape=`.
    pub fn escape(&self) -> char {
        self.escape
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.items.iter().filter_map(|item| match item {
            Item::Instruction(instruction) => Some(instruction),
            _ => None,
        })
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.lines
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.source, offset)
    }

    /// The file printed back from its items (equal to the input, by construction).
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.source.len());
        if self.bom {
            out.push('\u{feff}');
        }
        for item in &self.items {
            out.push_str(item.range().slice(&self.source));
        }
        out
    }

    /// The build stages, in order: each `FROM` and the instructions after it.
    pub fn stages(&self) -> Vec<Stage<'_>> {
        let mut stages: Vec<Stage<'_>> = Vec::new();
        for instruction in self.instructions() {
            if instruction.keyword() == Keyword::From {
                stages.push(Stage {
                    index: stages.len(),
                    from: instruction,
                    instructions: Vec::new(),
                    definitions: std::cell::OnceCell::new(),
                });
            } else if let Some(stage) = stages.last_mut() {
                stage.instructions.push(instruction);
            }
        }
        stages
    }

    /// The line ending this file mostly uses, for text that rules insert.
    pub fn newline(&self) -> &'static str {
        self.newline
    }

    /// How this file continues instruction lines: the indentation of the
    /// first continuation line (four spaces if it has none) and whether it
    /// starts with `&&`. Computed once per document: merge rules ask for
    /// every pair of RUNs, and a scan each time made many RUNs quadratic.
    pub fn continuation_style(&self) -> (&str, bool) {
        let (indent, leading) = self.continuation.get_or_init(|| {
            let source = self.source();
            for instruction in self.instructions() {
                let text = instruction.range.slice(source);
                let mut lines = text.split_inclusive('\n');
                let Some(first) = lines.next() else { continue };
                if !first.trim_end().ends_with(self.escape) {
                    continue;
                }
                if let Some(second) = lines.next() {
                    let trimmed = second.trim_start_matches([' ', '\t']);
                    if trimmed.trim().is_empty() || trimmed.starts_with('#') {
                        continue;
                    }
                    let indent = &second[..second.len() - trimmed.len()];
                    return (indent.to_owned(), trimmed.starts_with("&&"));
                }
            }
            ("    ".to_owned(), false)
        });
        (indent, *leading)
    }
}

/// One build stage.
#[derive(Clone, Debug)]
pub struct Stage<'a> {
    pub index: usize,
    pub from: &'a Instruction,
    /// The instructions after `FROM`, up to the next `FROM`.
    pub instructions: Vec<&'a Instruction>,
    /// [`Stage::defined_at`]'s table, built on first use.
    definitions: std::cell::OnceCell<std::collections::HashMap<String, usize>>,
}

impl Stage<'_> {
    /// Where the first ENV or ARG of the stage that sets variable `name`
    /// starts (source offset). One table per stage, so asking for every RUN
    /// stays linear in the stage's size.
    pub fn defined_at(&self, name: &str) -> Option<usize> {
        self.definitions
            .get_or_init(|| {
                let mut table = std::collections::HashMap::new();
                for i in &self.instructions {
                    if !matches!(i.keyword(), Keyword::Env | Keyword::Arg) {
                        continue;
                    }
                    let words = i.words();
                    // `ENV NAME value` (the legacy form) sets only its first word.
                    let legacy_env = i.keyword() == Keyword::Env
                        && words.first().is_some_and(|w| !i.text(*w).contains('='));
                    let names: Vec<&str> = if legacy_env {
                        vec![i.text(words[0])]
                    } else {
                        words
                            .iter()
                            .filter_map(|w| i.text(*w).split('=').next())
                            .collect()
                    };
                    for name in names {
                        table.entry(name.to_owned()).or_insert(i.range.start);
                    }
                }
                table
            })
            .get(name)
            .copied()
    }

    pub fn image(&self) -> Option<ImageRef> {
        self.from.from_image()
    }

    pub fn name(&self) -> Option<&str> {
        self.from.from_alias().map(|(name, _)| name)
    }

    /// `text` refers to this stage, as `FROM text` or `--from=text` do: by
    /// its alias (case-insensitively) or its index.
    pub fn is_named(&self, text: &str) -> bool {
        self.name().is_some_and(|n| n.eq_ignore_ascii_case(text)) || self.index.to_string() == text
    }
}

/// A top-level piece of a Dockerfile. Each covers whole lines, line ending included.
#[derive(Clone, Debug)]
pub enum Item {
    Directive(Directive),
    Comment(TextRange),
    Blank(TextRange),
    Instruction(Instruction),
}

impl Item {
    pub fn range(&self) -> TextRange {
        match self {
            Item::Directive(directive) => directive.range,
            Item::Comment(range) | Item::Blank(range) => *range,
            Item::Instruction(instruction) => instruction.range,
        }
    }
}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Clone, Debug)]
pub struct Directive {
    pub range: TextRange,
    /// Lower-case name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
}

/// Dockerfile instruction keywords (matched case-insensitively).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
        }
    }

    pub fn from_name(name: &str) -> Option<Keyword> {
        Keyword::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(name))
    }

    /// Instructions whose arguments BuildKit tries as a JSON array first.
    fn takes_json(self) -> bool {
        matches!(
            self,
            Keyword::Add
                | Keyword::Copy
                | Keyword::Volume
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Run
                | Keyword::Shell
        )
    }

    /// Instructions that may carry heredocs (in shell form).
    fn takes_heredocs(self) -> bool {
        matches!(self, Keyword::Add | Keyword::Copy | Keyword::Run)
    }
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `--name[=value]` flag before an instruction's arguments. Ranges are logical.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The flag as BuildKit reads it (quotes and escapes removed), e.g. `--from=build`.
    pub word: String,
    pub range: TextRange,
}

impl Flag {
    /// The name without dashes: `from` for `--from=build`.
    pub fn name(&self) -> &str {
        let body = self.word.trim_start_matches('-');
        body.split_once('=').map_or(body, |(name, _)| name)
    }

    pub fn value(&self) -> Option<&str> {
        self.word.split_once('=').map(|(_, value)| value)
    }
}

/// One element of an exec-form (JSON) array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecArg {
    /// The decoded string.
    pub value: String,
    /// The JSON string token, quotes included (logical range).
    pub range: TextRange,
}

/// A heredoc attached to a RUN, COPY or ADD instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The terminator word, quotes removed.
    pub name: String,
    /// `<<-`: leading tabs are stripped.
    pub chomp: bool,
    /// False when the delimiter was quoted (no variable expansion).
    pub expand: bool,
    /// File descriptor prefix, as in `3<<EOF` (0 when absent).
    pub fd: u32,
    /// The body, from the line after the instruction to the terminator (source range).
    pub body: TextRange,
    /// The terminator line, line ending included (source range).
    pub terminator: TextRange,
    /// The `<<EOF` word on the instruction line (logical range).
    pub marker: TextRange,
}

/// What follows the keyword and flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// Exec form: a JSON array of strings.
    Exec(Vec<ExecArg>),
    /// Anything else: shell text or plain arguments (see [`Command::args`]).
    Plain,
    /// ONBUILD's trigger instruction.
    Onbuild(Box<Command>),
}

/// The keyword, flags and arguments of an instruction, in logical coordinates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub keyword: Keyword,
    pub keyword_range: TextRange,
    pub flags: Vec<Flag>,
    /// The arguments after the flags, trimmed (logical range).
    pub args: TextRange,
    pub body: Body,
}

impl Command {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    pub fn is_exec_form(&self) -> bool {
        matches!(self.body, Body::Exec(_))
    }
}

/// One instruction, from the start of its first line through its last line
/// (continuation lines, comments inside them and heredoc bodies included).
#[derive(Clone, Debug)]
pub struct Instruction {
    pub range: TextRange,
    pub logical: LogicalLine,
    pub command: Command,
    pub heredocs: Vec<Heredoc>,
    /// 1-based lines, as BuildKit numbers them.
    pub start_line: usize,
    pub end_line: usize,
}

impl Instruction {
    pub fn keyword(&self) -> Keyword {
        self.command.keyword
    }

    /// The command that runs: ONBUILD's trigger, or the instruction itself.
    pub fn effective(&self) -> &Command {
        match &self.command.body {
            Body::Onbuild(inner) => inner,
            _ => &self.command,
        }
    }

    /// The logical text of a logical range.
    pub fn text(&self, range: TextRange) -> &str {
        range.slice(self.logical.as_str())
    }

    pub fn args_text(&self) -> &str {
        self.text(self.command.args)
    }

    /// Maps a logical range to the source.
    pub fn source_range(&self, range: TextRange) -> TextRange {
        self.logical.to_source_range(range)
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.command.flag(name)
    }

    /// Whitespace-separated words of the arguments (as BuildKit splits FROM,
    /// EXPOSE, ARG and the shell form of COPY/ADD/VOLUME), in logical ranges.
    /// For ONBUILD, the trigger's arguments.
    pub fn words(&self) -> Vec<TextRange> {
        split_words(self.logical.as_str(), self.effective().args)
    }

    /// The image reference of a FROM instruction.
    pub fn from_image(&self) -> Option<ImageRef> {
        if self.keyword() != Keyword::From {
            return None;
        }
        let first = *self.words().first()?;
        Some(ImageRef::parse(self.text(first), self.source_range(first)))
    }

    /// The stage name of `FROM image AS name`, with its logical range.
    pub fn from_alias(&self) -> Option<(&str, TextRange)> {
        if self.keyword() != Keyword::From {
            return None;
        }
        let words = self.words();
        match words.as_slice() {
            [_, as_kw, name] if self.text(*as_kw).eq_ignore_ascii_case("as") => {
                Some((self.text(*name), *name))
            }
            _ => None,
        }
    }

    /// The shell text of a shell-form RUN/CMD/ENTRYPOINT (logical range), if any.
    pub fn shell_text(&self) -> Option<TextRange> {
        let command = self.effective();
        match command.body {
            Body::Plain
                if matches!(
                    command.keyword,
                    Keyword::Run | Keyword::Cmd | Keyword::Entrypoint
                ) && !command.args.is_empty() =>
            {
                Some(command.args)
            }
            _ => None,
        }
    }

    /// The first line's indentation, for instructions that rules insert next to it.
    pub fn indent<'s>(&self, source: &'s str) -> &'s str {
        let line_start = source[..self.range.start].rfind('\n').map_or(0, |i| i + 1);
        let line = &source[line_start..self.range.end];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }
}

/// BuildKit's `reWhitespace`: the separators between words.
pub(crate) fn is_word_space(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

pub(crate) fn split_words(text: &str, within: TextRange) -> Vec<TextRange> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in within.slice(text).char_indices() {
        let at = within.start + i;
        match (is_word_space(c), start) {
            (true, Some(s)) => {
                words.push(TextRange::new(s, at));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(TextRange::new(s, within.end));
    }
    words
}

/// A file's bytes as text. BuildKit accepts any bytes in comments (a
/// Latin-1 `# Maintainer: José`), but dockslim edits text and promises to
/// keep every byte it does not touch, so it rejects a file that is not UTF-8
/// rather than guessing an encoding: the error has the offset of the first
/// bad byte, and the file as shown with replacement characters, for the
/// snippet.
pub fn decode(bytes: Vec<u8>) -> Result<String, (String, ParseError)> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let byte = e.as_bytes()[at];
        let message = format!(
            "not valid UTF-8 (byte 0x{byte:02X}; Latin-1 or another legacy encoding?): \
             dockslim rewrites UTF-8 files only; re-encode it, e.g. `iconv -f latin1 -t utf-8`"
        );
        let shown = String::from_utf8_lossy(e.as_bytes()).into_owned();
        (shown, ParseError::new(message, at))
    })
}

/// A Dockerfile that cannot be parsed, with the offset where the problem is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub message: String,
    /// Byte offset in the source.
    pub offset: usize,
}

impl ParseError {
    pub(crate) fn new(message: impl Into<String>, offset: usize) -> Self {
        Self {
            message: message.into(),
            offset,
        }
    }
}
