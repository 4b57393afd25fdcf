//! Finding Dockerfiles: explicit paths as given, directories walked with
//! `.gitignore` honoured (inside a git repository or not).

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

/// Expands the command-line paths into inputs, in a stable order: explicit
/// files in the order given, each directory's Dockerfiles sorted by path.
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<WalkError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
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
                let (mut found, errs) = walk_dir(path);
                found.sort();
                inputs.extend(found.into_iter().map(Input::File));
                errors.extend(errs);
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
            Err(err) => errors.push(WalkError {
                path: path.clone(),
                message: err.to_string(),
            }),
        }
    }
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|input| seen.insert(input.clone()));
    (inputs, errors)
}

fn walk_dir(dir: &Path) -> (Vec<PathBuf>, Vec<WalkError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        // Dockerfiles often live in hidden folders (.devcontainer, .github).
        .hidden(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        // .gitignore counts outside a git repository too.
        .require_git(false)
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry
                    .file_type()
                    .is_some_and(|t| t.is_file() || t.is_symlink());
                let named = entry.file_name().to_str().is_some_and(is_dockerfile_name);
                if is_file && named && entry.path().is_file() {
                    found.push(normalize(entry.path()));
                }
            }
            Err(err) => errors.push(WalkError {
                path: dir.to_path_buf(),
                message: err.to_string(),
            }),
        }
    }
    (found, errors)
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
