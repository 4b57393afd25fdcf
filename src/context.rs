//! The build context: the directory a Dockerfile is built from. It is read
//! once, by the command line, so rules can ask "is there a
//! package-lock.json?" without touching the file system themselves.

use std::collections::BTreeSet;
use std::path::Path;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// File and directory names at the top of the context; `None` when the
    /// context is unknown (standard input, or an unreadable directory).
    entries: Option<BTreeSet<String>>,
}

impl Context {
    /// A context that is not known: rules that need one stay quiet.
    pub fn unknown() -> Self {
        Self::default()
    }

    pub fn from_names<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            entries: Some(names.into_iter().map(Into::into).collect()),
        }
    }

    /// Reads the names at the top of `dir`.
    pub fn from_dir(dir: &Path) -> std::io::Result<Self> {
        let mut entries = BTreeSet::new();
        for entry in std::fs::read_dir(dir)? {
            entries.insert(entry?.file_name().to_string_lossy().into_owned());
        }
        Ok(Self {
            entries: Some(entries),
        })
    }

    pub fn is_known(&self) -> bool {
        self.entries.is_some()
    }

    /// `Some(true)` when the context has `name` at its top, `None` when the
    /// context is unknown.
    pub fn has(&self, name: &str) -> Option<bool> {
        self.entries.as_ref().map(|e| e.contains(name))
    }
}
