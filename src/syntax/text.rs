//! Byte ranges, line/column lookup and the mapping between an instruction's
//! *logical* line (what BuildKit sees after joining continuation lines) and
//! the bytes of the source file.

use std::fmt;

/// A half-open byte range `start..end` into a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Self { start: at, end: at }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn slice(self, text: &str) -> &str {
        &text[self.start..self.end]
    }

    /// The range moved `by` bytes to the right.
    pub fn shifted(self, by: usize) -> Self {
        Self::new(self.start + by, self.end + by)
    }

    /// The text of this range in `text`, which starts at offset `origin`.
    pub fn slice_shifted(self, text: &str, origin: usize) -> &str {
        &text[self.start - origin..self.end - origin]
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl fmt::Display for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Start offsets of every line, for offset → line/column lookups.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// The 0-based line that holds `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = text[start..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            col,
        }
    }

    /// The byte range of 0-based `line`, without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> TextRange {
        let start = self.starts[line.min(self.starts.len() - 1)];
        let rest = &text[start..];
        let end = start + rest.find('\n').unwrap_or(rest.len());
        let end = if end > start && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        TextRange::new(start, end)
    }
}

/// Which source offset an offset on a seam between two pieces maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bias {
    /// The end of the piece before the seam (for the end of a range).
    Left,
    /// The start of the piece after the seam (for the start of a range).
    Right,
}

/// One contiguous run of source bytes that is part of a logical line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    logical: usize,
    source: usize,
    len: usize,
}

/// An instruction's logical line: the text BuildKit builds by joining
/// continuation lines (escape character and line break removed, comment and
/// empty lines inside the continuation skipped), with a map back to the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogicalLine {
    text: String,
    pieces: Vec<Piece>,
    /// Where the instruction starts in the source; used when there are no pieces.
    origin: usize,
}

impl LogicalLine {
    pub(crate) fn new(origin: usize) -> Self {
        Self {
            text: String::new(),
            pieces: Vec::new(),
            origin,
        }
    }

    pub(crate) fn push(&mut self, src: &str, range: TextRange) {
        if range.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            logical: self.text.len(),
            source: range.start,
            len: range.len(),
        });
        self.text.push_str(range.slice(src));
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The source offset of logical offset `offset`.
    pub fn to_source(&self, offset: usize, bias: Bias) -> usize {
        let Some(last) = self.pieces.last() else {
            return self.origin;
        };
        let idx = self.pieces.partition_point(|p| p.logical <= offset);
        if idx == 0 {
            return self.pieces[0].source;
        }
        let piece = self.pieces[idx - 1];
        let inner = offset - piece.logical;
        if inner >= piece.len {
            // Past the end of the text: stay at the end of the last piece.
            return last.source + last.len;
        }
        if inner == 0 && bias == Bias::Left && idx >= 2 {
            let prev = self.pieces[idx - 2];
            return prev.source + prev.len;
        }
        piece.source + inner
    }

    /// Maps a logical range to the source range that covers it.
    pub fn to_source_range(&self, range: TextRange) -> TextRange {
        if range.is_empty() {
            let at = self.to_source(range.start, Bias::Left);
            return TextRange::empty(at);
        }
        TextRange::new(
            self.to_source(range.start, Bias::Right),
            self.to_source(range.end, Bias::Left),
        )
    }

    /// True when the logical range is one contiguous run of source bytes.
    pub fn is_contiguous(&self, range: TextRange) -> bool {
        self.to_source_range(range).len() == range.len()
    }
}
