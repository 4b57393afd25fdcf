//! The build context: the directory a Dockerfile is built from. It is read
//! once, by the command line, so rules can ask "is there a
//! package-lock.json?" without touching the file system themselves.
//!
//! What is read: the names at the top of the context, the names in the
//! folders the Dockerfile's COPY/ADD sources point at (and a few tool
//! folders such as `.yarn`), and the text of small files rules look into
//! (manifests, requirements files, `.dockerignore`).
//!
//! The context may come from a repository dockslim does not control, so
//! nothing is read from outside it: a folder whose real path leaves the
//! context (a symbolic link to `/etc`, say) is not listed, and only regular
//! files are read, never through a link (`.dockerignore ->
//! /proc/self/environ` is seen as a link, see [`Context::is_link`]) and never
//! a FIFO or a device.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

use crate::syntax::{Document, Keyword};

/// Files up to this size are read when a rule may look into them.
const MAX_TEXT: u64 = 64 * 1024;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Folder (relative, `""` for the root) → its entries, `/`-suffixed for folders.
    dirs: Option<BTreeMap<String, BTreeSet<String>>>,
    texts: BTreeMap<String, String>,
    /// Entries that are symbolic links (`a/b`): listed, never read.
    links: BTreeSet<String>,
}

/// Names whose text rules read.
/// The size limit for a file whose text the rules read, or `None` for a
/// file they do not read. npm lockfiles of real apps run to megabytes; DS401
/// reads them for install scripts (native modules).
fn text_limit(name: &str) -> Option<u64> {
    if name == "package-lock.json" {
        return Some(MAX_LOCKFILE);
    }
    wanted_text(name).then_some(MAX_TEXT)
}

const MAX_LOCKFILE: u64 = 16 * 1024 * 1024;

fn wanted_text(name: &str) -> bool {
    // JavaScript sources: DS302 looks for the packages they load.
    ["js", "mjs", "cjs", "ts"].iter().any(|ext| {
        name.strip_suffix(ext)
            .is_some_and(|stem| stem.ends_with('.'))
    }) || name.ends_with(".txt")
        || name.ends_with(".in")
        || name.ends_with(".go")
        // Python servers: the folders they serve (DS301, two toolchains).
        || name.ends_with(".py")
        || name.ends_with(".csproj")
        || name.ends_with(".fsproj")
        || matches!(
            name,
            "package.json"
                | "tsconfig.json"
                | "Cargo.toml"
                | "pom.xml"
                | ".dockerignore"
                | "pyproject.toml"
                | "go.mod"
                | "build.gradle"
                | "build.gradle.kts"
                | "settings.gradle"
                | "settings.gradle.kts"
        )
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// A relative path inside the context, without `..`, as `a/b`.
fn clean_relative(path: &str) -> Option<String> {
    let path = Path::new(path);
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?.to_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// The text of a small regular file; the limit holds on the bytes read, in
/// case the file grew after its size was looked at.
fn read_small(path: &Path, limit: u64) -> Option<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > limit {
        return None;
    }
    String::from_utf8(bytes).ok()
}

impl Context {
    /// A context that is not known: rules that need one stay quiet.
    pub fn unknown() -> Self {
        Self::default()
    }

    pub fn is_known(&self) -> bool {
        self.dirs.is_some()
    }

    /// Reads the context at `root` for `document`: the top, the folders its
    /// COPY/ADD sources name, tool folders, and the small files rules read.
    pub fn for_document(root: &Path, document: Option<&Document>) -> std::io::Result<Self> {
        let mut wanted: BTreeSet<String> =
            ["".to_owned(), ".yarn".to_owned(), ".mvn".to_owned()].into();
        if let Some(document) = document {
            for instruction in document.instructions() {
                if !matches!(instruction.keyword(), Keyword::Copy | Keyword::Add)
                    || instruction.flag("from").is_some()
                {
                    continue;
                }
                let words = instruction.words();
                for word in words.iter().take(words.len().saturating_sub(1)) {
                    let text = instruction.text(*word);
                    if text.contains(['*', '?', '[', '$']) || text.contains("://") {
                        continue;
                    }
                    if let Some(path) = clean_relative(text) {
                        wanted.insert(path);
                    }
                }
            }
        }
        // Top-level folders too, one level down (requirements/, config/ …),
        // but not the big ones nothing reads.
        if let Ok(entries) = std::fs::read_dir(root) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let skip = matches!(
                    name.as_str(),
                    ".git"
                        | "node_modules"
                        | "target"
                        | "vendor"
                        | ".venv"
                        | "venv"
                        | "__pycache__"
                        | "dist"
                        | "build"
                );
                if !skip && entry.file_type().is_ok_and(|t| t.is_dir()) {
                    wanted.insert(name);
                }
            }
        }
        let mut context = Context {
            dirs: Some(BTreeMap::new()),
            ..Context::default()
        };
        let real_root = std::fs::canonicalize(root)?;
        for dir in wanted {
            let full = root.join(&dir);
            // `dir` has no `..`, but one of its parts may be a link.
            if !dir.is_empty()
                && !std::fs::canonicalize(&full).is_ok_and(|real| real.starts_with(&real_root))
            {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&full) else {
                if dir.is_empty() {
                    // The root itself must be readable.
                    std::fs::read_dir(&full)?;
                }
                continue;
            };
            let mut names = BTreeSet::new();
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                // `DirEntry::metadata` does not follow links.
                let meta = entry.metadata();
                let is_dir = meta.as_ref().is_ok_and(|m| m.is_dir());
                if meta.as_ref().is_ok_and(|m| m.file_type().is_symlink()) {
                    context.links.insert(join(&dir, &name));
                } else if let Some(limit) = text_limit(&name)
                    && meta.as_ref().is_ok_and(|m| m.is_file() && m.len() <= limit)
                    && let Some(text) = read_small(&entry.path(), limit)
                {
                    context.texts.insert(join(&dir, &name), text);
                }
                names.insert(if is_dir { format!("{name}/") } else { name });
            }
            context.dirs.as_mut().expect("set above").insert(dir, names);
        }
        Ok(context)
    }

    /// True when the entry at `path` is a symbolic link: its name is known,
    /// its text is not read, and no fix writes through it.
    pub fn is_link(&self, path: &str) -> bool {
        self.links.contains(path.trim_end_matches('/'))
    }

    /// A context made of these entries (`a/b`, folders as `a/`), for tests.
    pub fn from_names<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut context = Context {
            dirs: Some(BTreeMap::new()),
            ..Context::default()
        };
        for name in names {
            context.add(&name.into(), None);
        }
        context
    }

    /// Adds a file (with its text) as if it were in the context.
    pub fn add(&mut self, path: &str, text: Option<&str>) {
        let dirs = self.dirs.get_or_insert_with(BTreeMap::new);
        let (dir, name) = match path.trim_end_matches('/').rsplit_once('/') {
            Some((dir, name)) => (dir.to_owned(), name.to_owned()),
            None => (String::new(), path.trim_end_matches('/').to_owned()),
        };
        let entry = if path.ends_with('/') {
            format!("{name}/")
        } else {
            name
        };
        dirs.entry(dir).or_default().insert(entry);
        if let Some(text) = text {
            self.texts.insert(path.to_owned(), text.to_owned());
        }
    }

    fn lookup(&self, path: &str) -> Option<(&BTreeSet<String>, String)> {
        let dirs = self.dirs.as_ref()?;
        let path = path.trim_end_matches('/');
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        Some((dirs.get(dir)?, name.to_owned()))
    }

    /// `Some(true)` when the context has a file or folder at `path`; `None`
    /// when that part of the context was not read.
    pub fn has(&self, path: &str) -> Option<bool> {
        let (entries, name) = self.lookup(path)?;
        Some(entries.contains(&name) || entries.contains(&format!("{name}/")))
    }

    pub fn is_dir(&self, path: &str) -> Option<bool> {
        let path = path.trim_end_matches('/');
        if self.dirs.as_ref()?.contains_key(path) {
            return Some(true);
        }
        let (entries, name) = self.lookup(path)?;
        Some(entries.contains(&format!("{name}/")))
    }

    /// The names in folder `dir` (`""` for the root), folders `/`-suffixed.
    pub fn names(&self, dir: &str) -> Option<impl Iterator<Item = &str>> {
        Some(
            self.dirs
                .as_ref()?
                .get(dir.trim_end_matches('/'))?
                .iter()
                .map(String::as_str),
        )
    }

    /// The text of a small file rules read, if it was read.
    /// Every file whose text was read, by path relative to the context.
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts.iter().map(|(p, t)| (p.as_str(), t.as_str()))
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_folders() {
        let c = Context::from_names(["package.json", "src/", "services/api/go.mod"]);
        assert_eq!(c.has("package.json"), Some(true));
        assert_eq!(c.has("yarn.lock"), Some(false));
        assert_eq!(c.is_dir("src"), Some(true));
        assert_eq!(c.has("services/api/go.mod"), Some(true));
        assert_eq!(c.has("other/x"), None, "an unread folder is unknown");
        assert_eq!(Context::unknown().has("x"), None);
    }

    #[test]
    fn only_relative_paths_inside_the_context() {
        assert_eq!(
            clean_relative("./services/api/").as_deref(),
            Some("services/api")
        );
        assert_eq!(clean_relative("../x"), None);
        assert_eq!(clean_relative("/etc"), None);
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_read_through_links_or_from_outside() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("notes.txt"), "secret").unwrap();
        std::fs::write(outside.join("package.json"), "{}").unwrap();
        let root = dir.path().join("ctx");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("requirements.txt"), "flask\n").unwrap();
        symlink(outside.join("notes.txt"), root.join(".dockerignore")).unwrap();
        symlink(&outside, root.join("linked")).unwrap();
        let document = crate::syntax::parse("FROM a\nCOPY linked/ /x/\n").unwrap();
        let c = Context::for_document(&root, Some(&document)).unwrap();
        assert_eq!(c.text("requirements.txt"), Some("flask\n"));
        assert_eq!(c.has(".dockerignore"), Some(true));
        assert!(c.is_link(".dockerignore"));
        assert_eq!(c.text(".dockerignore"), None, "not read through the link");
        assert_eq!(
            c.names("linked").map(|n| n.count()),
            None,
            "outside the context"
        );
        assert_eq!(c.text("linked/package.json"), None);
    }
}
