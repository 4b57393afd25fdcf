//! Finding Dockerfiles: explicit paths as given, directories walked with
//! `.gitignore` honoured (inside a git repository or not).
//!
//! The security model: a path given on the command line is the user's
//! choice and is followed wherever a link in it points. What a walk finds
//! belongs to the tree being walked, which may be an untrusted pull
//! request: a Dockerfile that is a symbolic link is taken only when its real
//! path stays inside the walked folder, and folders that are links are not
//! entered. One file reached by two names (`Dockerfile.dev -> Dockerfile`,
//! a hard link, `Dockerfile` and `./Dockerfile`) is fixed and written once.
//! A folder is searched only when the ignore files the walker would read in
//! it are regular files of a sane size that stay inside the tree.

use std::path::{Path, PathBuf};

/// True for the file names Docker and Podman use for build files.
/// `Dockerfile.dockerignore` style ignore files are not Dockerfiles.
pub fn is_dockerfile_name(name: &str) -> bool {
    if name.ends_with(".dockerignore") || name.ends_with(".containerignore") {
        return false;
    }
    name == "Dockerfile"
        || name == "dockerfile"
        || name == "Containerfile"
        || name.starts_with("Dockerfile.")
        || name.starts_with("Containerfile.")
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerfile")
}

/// One input: a path on disk, or standard input.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

#[derive(Debug)]
pub struct WalkError {
    pub path: PathBuf,
    pub message: String,
}

/// What the command-line paths expand to.
#[derive(Debug, Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    pub errors: Vec<WalkError>,
    /// Files left out, and why (a link out of the tree, a second name of a
    /// file already taken): reported, not errors.
    pub skipped: Vec<WalkError>,
}

/// Expands the command-line paths into inputs, in a stable order: explicit
/// files in the order given, each directory's Dockerfiles sorted by path.
pub fn collect(paths: &[PathBuf]) -> Collected {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let (mut found, errs, left_out) = walk_dir(path);
                found.sort();
                inputs.extend(found.into_iter().map(Input::File));
                errors.extend(errs);
                skipped.extend(left_out);
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
            Err(err) => errors.push(WalkError {
                path: path.clone(),
                message: err.to_string(),
            }),
        }
    }
    // The first name of a file wins; later names of the same file are
    // reported. Two names could carry different overrides, and writing both
    // would apply the fixes the second name's configuration allows to the
    // first's file.
    let mut seen: std::collections::HashMap<FileId, PathBuf> = std::collections::HashMap::new();
    let mut unique = Vec::new();
    for input in inputs {
        if let Input::File(path) = &input
            && let Some(id) = file_id(path)
        {
            match seen.get(&id) {
                Some(first) if first == path => continue,
                Some(first) => {
                    skipped.push(WalkError {
                        path: path.clone(),
                        message: format!(
                            "the same file as {}; fixed once, under that name and its configuration",
                            normalize(first).display()
                        ),
                    });
                    continue;
                }
                None => {
                    seen.insert(id, path.clone());
                }
            }
        } else if unique.contains(&input) {
            continue;
        }
        unique.push(input);
    }
    Collected {
        inputs: unique,
        errors,
        skipped,
    }
}

/// What makes two paths the same file: device and inode where there are
/// inodes, else the real path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Real(PathBuf),
}

fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileId::Inode(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileId::Real)
    }
}

fn walk_dir(dir: &Path) -> (Vec<PathBuf>, Vec<WalkError>, Vec<WalkError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    let real_root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    // The walker reads the ignore files of the folders above the root and
    // of the root itself before any filter runs.
    for ancestor in real_root.ancestors() {
        let inside = (ancestor == real_root).then_some(real_root.as_path());
        if let Err(message) = check_ignore_files(ancestor, inside) {
            errors.push(WalkError {
                path: dir.to_path_buf(),
                message: format!("not searched: {message}"),
            });
            return (found, errors, skipped);
        }
    }
    let refused = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let walker = {
        let refused = std::sync::Arc::clone(&refused);
        let real_root = real_root.clone();
        ignore::WalkBuilder::new(dir)
            // Dockerfiles often live in hidden folders (.devcontainer, .github).
            .hidden(false)
            // A folder is entered only when the ignore files the walker
            // would read in it are safe to read (see `check_ignore_files`).
            .filter_entry(move |entry| {
                if entry.file_name() == ".git" {
                    return false;
                }
                if !entry.file_type().is_some_and(|t| t.is_dir()) {
                    return true;
                }
                match check_ignore_files(entry.path(), Some(&real_root)) {
                    Ok(()) => true,
                    Err(message) => {
                        let mut refused = refused.lock().unwrap_or_else(|e| e.into_inner());
                        refused.push(WalkError {
                            path: normalize(entry.path()),
                            message: format!("folder not searched: {message}"),
                        });
                        false
                    }
                }
            })
            // .gitignore counts outside a git repository too.
            .require_git(false)
            // `.git/info/exclude` is found through a `.git` file's `gitdir:`
            // line, which may name any path: not read.
            .git_exclude(false)
            .build()
    };
    for entry in walker {
        match entry {
            Ok(entry) => {
                let named = entry.file_name().to_str().is_some_and(is_dockerfile_name);
                if !named {
                    continue;
                }
                // The walker does not follow links: `file_type` is the link's.
                match entry.file_type() {
                    Some(t) if t.is_file() => found.push(normalize(entry.path())),
                    Some(t) if t.is_symlink() => {
                        match std::fs::canonicalize(entry.path()) {
                            Ok(real) if real.starts_with(&real_root) && real.is_file() => {
                                found.push(normalize(entry.path()));
                            }
                            Ok(real) if !real.starts_with(&real_root) => {
                                skipped.push(WalkError {
                                    path: normalize(entry.path()),
                                    message: format!(
                                        "a symbolic link out of {}; not followed (give the path itself to fix its target)",
                                        dir.display()
                                    ),
                                });
                            }
                            // A dangling link, or a link to a folder.
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            Err(err) => errors.push(WalkError {
                path: dir.to_path_buf(),
                message: err.to_string(),
            }),
        }
    }
    errors.extend(refused.lock().unwrap_or_else(|e| e.into_inner()).drain(..));
    (found, errors, skipped)
}

/// The ignore files the walker reads in `dir` (`.gitignore`, `.ignore`)
/// must be regular files of at most 1 MiB: a FIFO would block the walk, a
/// link to `/dev/zero` fill memory. Inside the walked tree (`inside` is its
/// real root) a link must also stay inside it.
fn check_ignore_files(dir: &Path, inside: Option<&Path>) -> Result<(), String> {
    for name in [".gitignore", ".ignore"] {
        let path = dir.join(name);
        let Ok(link) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        // A dangling link: the walker cannot open it either.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if let Some(root) = inside
            && link.file_type().is_symlink()
            && !std::fs::canonicalize(&path).is_ok_and(|real| real.starts_with(root))
        {
            return Err(format!("its {name} is a symbolic link out of the tree"));
        }
        if !meta.is_file() {
            return Err(format!("its {name} is not a regular file"));
        }
        if meta.len() > super::read::MAX_TABLE {
            return Err(format!("its {name} is larger than 1 MiB"));
        }
    }
    Ok(())
}

/// Drops a leading `./` so paths print and diff the way git shows them.
pub fn normalize(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::is_dockerfile_name;

    #[test]
    fn names() {
        for yes in [
            "Dockerfile",
            "Dockerfile.prod",
            "api.Dockerfile",
            "x.dockerfile",
            "Containerfile",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "README.md",
            "Dockerfiles",
            "docker-compose.yml",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
