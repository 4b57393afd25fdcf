//! Reading the files dockslim is given or finds, with limits: only regular
//! files (a FIFO would block, a device such as `/dev/zero` never ends), at
//! most a documented number of bytes, and, where the file comes from a
//! repository dockslim does not control, never through a symbolic link.
//! Every read of a Dockerfile, a configuration file or a base-image table
//! goes through here; the build context has its own, smaller limit
//! (`crate::context`).

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The largest Dockerfile (or standard input) read: 10 MiB. Real ones are a
/// few KiB; a bigger input is refused instead of filling memory.
pub const MAX_DOCKERFILE: u64 = 10 * 1024 * 1024;

/// The largest `.dockslim.yaml` or base-image table (`--mappings`,
/// `mappings:`) read: 1 MiB. The built-in base-image table is 13 KB.
pub const MAX_TABLE: u64 = 1024 * 1024;

/// Whether a symbolic link at the path itself is followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links {
    /// A path the user gave: a link is their choice.
    Follow,
    /// A path found in a repository: a link is refused, not read through.
    Refuse,
}

/// What kind of non-regular file this is, for a message.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// The text of the regular file at `path`, at most `max` bytes, as UTF-8.
/// The error is a message without the path (the caller names the file).
pub fn text(path: &Path, max: u64, links: Links) -> Result<String, String> {
    utf8(bytes(path, max, links)?)
}

/// The bytes of the regular file at `path`, at most `max` of them (a
/// Dockerfile's encoding is judged by the parser, which reports where it
/// goes wrong).
pub fn bytes(path: &Path, max: u64, links: Links) -> Result<Vec<u8>, String> {
    let meta = match links {
        Links::Follow => std::fs::metadata(path),
        Links::Refuse => std::fs::symlink_metadata(path),
    }
    .map_err(|e| e.to_string())?;
    if meta.file_type().is_symlink() {
        return Err("a symbolic link; not read through".to_owned());
    }
    // Checked before opening: opening a FIFO for reading blocks until a
    // writer comes.
    if !meta.is_file() {
        return Err(format!("{}, not a regular file; not read", kind(&meta)));
    }
    let file = File::open(path).map_err(|e| e.to_string())?;
    // The file may have been swapped between the check and the open.
    let opened = file.metadata().map_err(|e| e.to_string())?;
    if !opened.is_file() {
        return Err(format!("{}, not a regular file; not read", kind(&opened)));
    }
    bounded_bytes(file, max)
}

/// At most `max` bytes of `reader` as UTF-8 (files in /proc report size 0,
/// so the limit is enforced on the bytes read, not on the size reported).
pub fn bounded(reader: impl Read, max: u64) -> Result<String, String> {
    utf8(bounded_bytes(reader, max)?)
}

fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()))
}

/// At most `max` bytes of `reader`.
pub fn bounded_bytes(reader: impl Read, max: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "larger than {} MiB; not read (the limit for this kind of file)",
            max / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_links_when_asked_and_devices_always() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        std::fs::write(&file, "x").unwrap();
        let link = dir.path().join("b");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert_eq!(text(&link, 10, Links::Follow).unwrap(), "x");
        assert!(
            text(&link, 10, Links::Refuse)
                .unwrap_err()
                .contains("symbolic link")
        );
        let zero = Path::new("/dev/zero");
        if zero.exists() {
            assert!(
                text(zero, 10, Links::Follow)
                    .unwrap_err()
                    .contains("a device")
            );
        }
        assert!(
            text(dir.path(), 10, Links::Follow)
                .unwrap_err()
                .contains("a directory")
        );
    }

    #[test]
    fn enforces_the_limit_on_bytes_read() {
        assert_eq!(bounded(&b"abc"[..], 3).unwrap(), "abc");
        assert!(
            bounded(&b"abcd"[..], 3)
                .unwrap_err()
                .contains("larger than")
        );
        assert!(
            bounded(std::io::repeat(0), 1024).is_err(),
            "an endless reader ends"
        );
    }
}
