//! Fixes as data: an [`Edit`] is a byte range plus replacement text, a
//! [`Fix`] is a set of edits with an [`Applicability`], and a [`Diagnostic`]
//! is a finding of one rule that may carry a fix.

use crate::rules::Rule;
use crate::syntax::TextRange;

/// How safe a fix is to apply. Ordered, so "may I apply this" is one
/// comparison against the threshold the user chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// A suggestion that needs information the tool lacks: shown, never applied.
    DisplayOnly,
    /// Could change behaviour: applied only with `--unsafe-fixes`.
    Unsafe,
    /// Keeps behaviour: applied by default.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// Replace `range` with `content`; an empty range inserts, empty content deletes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Self {
            range: TextRange::empty(at),
            content: content.into(),
        }
    }

    pub fn replace(range: TextRange, content: impl Into<String>) -> Self {
        Self {
            range,
            content: content.into(),
        }
    }

    pub fn delete(range: TextRange) -> Self {
        Self {
            range,
            content: String::new(),
        }
    }
}

/// A change to a file of the build context other than the Dockerfile
/// (`.dockerignore`), by path relative to the context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEdit {
    pub path: String,
    /// The file's text now, `None` when the edit creates it.
    pub old: Option<String>,
    pub new: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Sorted, non-overlapping edits.
    edits: Vec<Edit>,
    /// Other files of the build context this fix writes.
    pub files: Vec<FileEdit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn new(mut edits: Vec<Edit>, applicability: Applicability) -> Self {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        // Deletions that overlap delete their union: removing two adjacent
        // instructions may each take the newline between them (the last
        // line of a file without a final newline takes the one before it).
        let mut merged: Vec<Edit> = Vec::with_capacity(edits.len());
        for edit in edits {
            if let Some(last) = merged.last_mut()
                && last.content.is_empty()
                && edit.content.is_empty()
                && edit.range.start < edit.range.end
                && edit.range.start < last.range.end
            {
                last.range = TextRange::new(last.range.start, last.range.end.max(edit.range.end));
                continue;
            }
            merged.push(edit);
        }
        let edits = merged;
        debug_assert!(
            edits.windows(2).all(|w| w[0].range.end <= w[1].range.start),
            "a fix's own edits must not overlap: {edits:?}"
        );
        Self {
            edits,
            files: Vec::new(),
            applicability,
        }
    }

    /// A fix that writes other files of the build context.
    pub fn files(files: Vec<FileEdit>, applicability: Applicability) -> Self {
        Self {
            edits: Vec::new(),
            files,
            applicability,
        }
    }

    /// True when applying it changes something.
    pub fn changes_something(&self) -> bool {
        !self.edits.is_empty() || !self.files.is_empty()
    }

    pub fn safe(edits: Vec<Edit>) -> Self {
        Self::new(edits, Applicability::Safe)
    }

    pub fn unsafe_(edits: Vec<Edit>) -> Self {
        Self::new(edits, Applicability::Unsafe)
    }

    /// A fix that changes nothing and only explains.
    pub fn display_only() -> Self {
        Self::new(Vec::new(), Applicability::DisplayOnly)
    }

    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    /// The span the fix touches, from its first edit to its last.
    pub fn span(&self) -> Option<TextRange> {
        Some(TextRange::new(
            self.edits.first()?.range.start,
            self.edits.last()?.range.end,
        ))
    }
}

/// One finding of one rule.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub message: String,
    pub range: TextRange,
    pub fix: Option<Fix>,
    /// Estimated size saving of the fix, in MB (compressed), where known.
    pub saving_mb: Option<u32>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, range: TextRange, message: impl Into<String>) -> Self {
        Self {
            rule,
            message: message.into(),
            range,
            fix: None,
            saving_mb: None,
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// The applicability of the fix, if the finding has one that edits.
    pub fn fix_applicability(&self) -> Option<Applicability> {
        self.fix
            .as_ref()
            .filter(|f| f.changes_something())
            .map(|f| f.applicability)
    }
}
