//! Writing a file in place without ever leaving a partial one: the new
//! content goes to a temporary file in the same directory, gets the
//! original's permission bits and owner, and is renamed over the target.
//! A Dockerfile given as a symlink is followed, so its target is rewritten
//! and the link stays; the other files of a build context (`.dockerignore`)
//! are never written through a link.
//!
//! Nothing is overwritten that changed since dockslim read it: the target is
//! compared with the text the fixes were made from just before the rename.
//! Temporary files are registered while they exist, so an interrupted run
//! (Ctrl-C, SIGTERM) removes them before it exits ([`remove_on_signal`]).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use tempfile::NamedTempFile;

use super::read::{self, Links};

/// The temporary files that exist now, for the signal handler.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file next to its target, known to the signal handler until
/// it is renamed or dropped.
struct Temp {
    path: PathBuf,
    file: Option<NamedTempFile>,
}

impl Temp {
    fn new_in(dir: &Path) -> Result<Temp> {
        // Created while holding the lock: a signal handler that runs now
        // waits, and then sees the file; none can exist unregistered.
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        let file = tempfile::Builder::new()
            .prefix(".dockslim-")
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        let path = file.path().to_path_buf();
        pending.push(path.clone());
        Ok(Temp {
            path,
            file: Some(file),
        })
    }

    fn file(&mut self) -> &mut NamedTempFile {
        self.file.as_mut().expect("not persisted yet")
    }

    /// Renames it over `target`; with `noclobber`, only if `target` does
    /// not exist (not even as a dangling link).
    fn persist(mut self, target: &Path, noclobber: bool) -> std::io::Result<()> {
        let file = self.file.take().expect("not persisted yet");
        let result = if noclobber {
            file.persist_noclobber(target).map(drop)
        } else {
            file.persist(target).map(drop)
        };
        result.map_err(|e| e.error)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|p| p != &self.path);
    }
}

/// Removes the temporary files of writes in progress and exits with 130
/// on Ctrl-C, SIGTERM or SIGHUP. Set once, by `fix --write`.
pub fn remove_on_signal() {
    // A handler may already be set (tests calling `run` twice); keep it.
    let _ = ctrlc::set_handler(|| {
        // Holding the lock until exit: no new temporary file is created
        // after this removal.
        let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        for path in pending.iter() {
            let _ = std::fs::remove_file(path);
        }
        std::process::exit(130);
    });
}

/// Rewrites the Dockerfile at `path` (through a symlink) with `content`,
/// when it still has the text `expected` that the fixes were made from.
pub fn write_atomically(path: &Path, expected: &str, content: &str) -> Result<()> {
    let target = std::fs::canonicalize(path)
        .with_context(|| format!("cannot resolve {}", path.display()))?;
    replace(path, &target, Links::Follow, expected, content)
}

fn replace(shown: &Path, target: &Path, links: Links, expected: &str, content: &str) -> Result<()> {
    let meta = std::fs::metadata(target)
        .with_context(|| format!("cannot read metadata of {}", target.display()))?;
    if meta.permissions().readonly() {
        bail!("{} is read-only; not rewritten", shown.display());
    }
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let mut temp = Temp::new_in(dir)?;
    temp.file()
        .write_all(content.as_bytes())
        .and_then(|()| temp.file().as_file().sync_all())
        .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    std::fs::set_permissions(&temp.path, meta.permissions())
        .with_context(|| format!("cannot set permissions on {}", temp.path.display()))?;
    keep_owner(&temp.path, &meta)?;
    // The last moment to notice an edit made since the file was read (an
    // editor saving, another tool, the same file reached twice). A change
    // after this check and before the rename is not caught; that window is
    // the rename itself.
    let now = read::text(target, read::MAX_DOCKERFILE, links)
        .map_err(|e| anyhow::anyhow!("cannot read {} again: {e}", shown.display()))?;
    if now != expected {
        bail!(
            "{} changed while dockslim ran; not rewritten",
            shown.display()
        );
    }
    temp.persist(target, false)
        .with_context(|| format!("cannot replace {}", target.display()))
}

/// Writes another file of the build context: creates it when `old` is
/// `None` (never over a file that appeared meanwhile), or replaces it when
/// it still has the text `old`. Never through a symbolic link, never over
/// anything but a regular file: the build context is the repository's, and
/// a link in it may point anywhere.
pub fn write_context_file(path: &Path, old: Option<&str>, new: &str) -> Result<()> {
    match (old, std::fs::symlink_metadata(path)) {
        (_, Ok(meta)) if meta.file_type().is_symlink() => {
            bail!("{} is a symbolic link; not written through", path.display())
        }
        (_, Ok(meta)) if !meta.is_file() => {
            bail!("{} is not a regular file; not written", path.display())
        }
        (None, Ok(_)) => bail!(
            "{} appeared while dockslim ran; not overwritten",
            path.display()
        ),
        (None, Err(_)) => {
            let dir = path.parent().unwrap_or_else(|| Path::new("."));
            let mut temp = Temp::new_in(dir)?;
            temp.file()
                .write_all(new.as_bytes())
                .and_then(|()| temp.file().as_file().sync_all())
                .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&temp.path, std::fs::Permissions::from_mode(0o644))?;
            }
            temp.persist(path, true)
                .with_context(|| format!("cannot create {}", path.display()))
        }
        (Some(old), Ok(_)) => replace(path, path, Links::Refuse, old, new),
        (Some(_), Err(e)) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

#[cfg(unix)]
fn keep_owner(temp: &Path, original: &std::fs::Metadata) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let current = std::fs::metadata(temp)?;
    if current.uid() == original.uid() && current.gid() == original.gid() {
        return Ok(());
    }
    std::os::unix::fs::chown(temp, Some(original.uid()), Some(original.gid()))
        .with_context(|| format!("cannot keep the owner of the file ({})", temp.display()))
}

#[cfg(not(unix))]
fn keep_owner(_temp: &Path, _original: &std::fs::Metadata) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".dockslim-"))
            .collect()
    }

    #[test]
    fn a_file_edited_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "FROM a\nRUN edited meanwhile\n").unwrap();
        let err = write_atomically(&path, "FROM a\n", "FROM a\nRUN fixed\n").unwrap_err();
        assert!(
            format!("{err:#}").contains("changed while dockslim ran"),
            "{err:#}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "FROM a\nRUN edited meanwhile\n"
        );
        assert!(leftovers(dir.path()).is_empty());
        write_atomically(&path, "FROM a\nRUN edited meanwhile\n", "FROM b\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "FROM b\n");
    }

    #[cfg(unix)]
    #[test]
    fn context_files_are_never_written_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "notes\n").unwrap();
        let ctx = dir.path().join("ctx");
        std::fs::create_dir(&ctx).unwrap();
        let link = ctx.join(".dockerignore");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        for old in [Some("notes\n"), None] {
            let err = write_context_file(&link, old, "notes\n.git\n").unwrap_err();
            assert!(format!("{err:#}").contains("symbolic link"), "{err:#}");
        }
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "notes\n");
        // A dangling link is not replaced either.
        std::fs::remove_file(&outside).unwrap();
        assert!(write_context_file(&link, None, ".git\n").is_err());
        assert!(!outside.exists());
        assert!(leftovers(&ctx).is_empty());
    }
}
