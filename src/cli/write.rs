//! Writing a file in place without ever leaving a partial one: the new
//! content goes to a temporary file in the same directory, gets the
//! original's permission bits and owner, and is renamed over the target.
//! A symlink is followed, so its target is rewritten and the link stays.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

pub fn write_atomically(path: &Path, content: &str) -> Result<()> {
    let target = std::fs::canonicalize(path)
        .with_context(|| format!("cannot resolve {}", path.display()))?;
    let meta = std::fs::metadata(&target)
        .with_context(|| format!("cannot read metadata of {}", target.display()))?;
    if meta.permissions().readonly() {
        bail!("{} is read-only; not rewritten", path.display());
    }
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".dockslim-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    temp.write_all(content.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    std::fs::set_permissions(temp.path(), meta.permissions())
        .with_context(|| format!("cannot set permissions on {}", temp.path().display()))?;
    keep_owner(temp.path(), &meta)?;
    temp.persist(&target)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", target.display()))?;
    Ok(())
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

/// Writes another file of the build context: creates it when `old` is
/// `None` (never over a file that appeared meanwhile), or replaces it when
/// it still has the text `old`. Atomic, like [`write_atomically`].
pub fn write_context_file(path: &Path, old: Option<&str>, new: &str) -> Result<()> {
    match old {
        None => {
            let dir = path.parent().unwrap_or_else(|| Path::new("."));
            let mut temp = tempfile::Builder::new()
                .prefix(".dockslim-")
                .tempfile_in(dir)
                .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
            temp.write_all(new.as_bytes())?;
            temp.as_file().sync_all()?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o644))?;
            }
            temp.persist_noclobber(path)
                .map_err(|e| e.error)
                .with_context(|| format!("cannot create {}", path.display()))?;
            Ok(())
        }
        Some(old) => {
            let now = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if now != old {
                bail!(
                    "{} changed while dockslim ran; not rewritten",
                    path.display()
                );
            }
            write_atomically(path, new)
        }
    }
}
