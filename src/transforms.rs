//! The rule data in `transforms/*.yaml`: loaded (built in with
//! `include_str!`), checked once, and handed to the rules. A table that does
//! not deserialize or does not make sense is an error that names the file,
//! line and column.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::rules;
use crate::syntax::LineCol;

const BUILTIN_PACKAGE_MANAGERS: &str = include_str!("../transforms/package-managers.yaml");
const BUILTIN_PACKAGE_MANAGERS_PATH: &str = "transforms/package-managers.yaml";

/// A problem in a table, at a place in it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{}:{}: {message}", at.line, at.col)]
pub struct TableError {
    pub path: String,
    pub at: LineCol,
    /// Byte offset of `at` in the table's text, for a snippet.
    pub offset: usize,
    pub message: String,
}

/// Errors at a place in a YAML table.
pub(crate) mod located {
    use super::TableError;
    use crate::syntax::LineIndex;

    /// An error at 1-based `line` and character `col`.
    pub fn at_line_col(path: &str, text: &str, line: u64, col: u64, message: String) -> TableError {
        let index = LineIndex::new(text);
        let line = (line.max(1) - 1) as usize;
        let start = index.line_range(text, line).start;
        let offset = text[start..]
            .char_indices()
            .nth(col.max(1) as usize - 1)
            .map_or(text.len(), |(i, _)| start + i);
        TableError {
            path: path.to_owned(),
            at: index.line_col(text, offset),
            offset,
            message,
        }
    }

    pub fn at(
        path: &str,
        text: &str,
        location: &serde_saphyr::Location,
        message: String,
    ) -> TableError {
        at_line_col(path, text, location.line(), location.column(), message)
    }

    /// A deserialization error, with serde-saphyr's own snippet left out
    /// (the command line prints one with the table's path).
    pub fn from_yaml(path: &str, text: &str, error: &serde_saphyr::Error) -> TableError {
        let (line, col) = error.location().map_or((1, 1), |l| (l.line(), l.column()));
        let rendered = error.to_string();
        let first = rendered.lines().next().unwrap_or_default();
        // "error: line 3 column 5: unknown field …" → "unknown field …"
        let message = first
            .split_once(": ")
            .and_then(|(_, rest)| rest.split_once(": ").map(|(_, m)| m))
            .unwrap_or(first);
        at_line_col(path, text, line, col, message.to_owned())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageManagers {
    pub managers: Vec<Manager>,
    /// BuildKit cache mounts for the `cache-mounts` profile (DS114).
    #[serde(default)]
    pub cache_mounts: Vec<CacheMount>,
}

/// A tool whose cache a `--mount=type=cache` can keep between builds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheMount {
    pub name: Spanned<String>,
    /// A manager of the table: its install and update commands use the cache.
    #[serde(default)]
    pub manager: Option<Spanned<String>>,
    /// Or these programs, with one of `subcommands` (any when empty).
    #[serde(default)]
    pub programs: Vec<String>,
    #[serde(default)]
    pub subcommands: Vec<String>,
    pub targets: Vec<MountTarget>,
    #[serde(default)]
    pub disabled_by_env: Option<String>,
    /// Prepended to the RUN, once per stage, for the cache to fill.
    #[serde(default)]
    pub setup: Option<Spanned<String>>,
    #[serde(default)]
    pub drop_flags: Vec<DropFlag>,
    #[serde(default)]
    pub drop_commands: Vec<CommandPattern>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MountTarget {
    /// `~` is the HOME of the user the RUN runs as.
    pub path: Spanned<String>,
    /// The path for root, when it is not under root's HOME.
    #[serde(default)]
    pub root: Option<String>,
    /// Variables that move the directory (`VAR` or `VAR/sub`), first set wins.
    #[serde(default)]
    pub env: Vec<String>,
    #[serde(default)]
    pub sharing: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropFlag {
    pub flag: String,
    /// The flag that replaces it; removed when absent.
    #[serde(default)]
    pub with: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manager {
    pub name: Spanned<String>,
    pub programs: Vec<String>,
    #[serde(default)]
    pub program_prefixes: Vec<String>,
    #[serde(default)]
    pub python_module: Option<String>,
    #[serde(default)]
    pub options_with_value: Vec<String>,
    pub install: Vec<String>,
    #[serde(default)]
    pub bare_install: bool,
    #[serde(default)]
    pub update: Vec<String>,
    #[serde(default)]
    pub cache_dirs: Vec<String>,
    #[serde(default)]
    pub flags: Vec<FlagSpec>,
    #[serde(default)]
    pub cleanup: Option<Cleanup>,
    #[serde(default)]
    pub redundant_with: Vec<CommandPattern>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagSpec {
    pub rule: Spanned<String>,
    pub insert: Spanned<String>,
    pub present: Present,
    /// Options before the subcommand that count as the flag (`zypper -n install`).
    #[serde(default)]
    pub global: Vec<String>,
    #[serde(default)]
    pub unless_env: Option<String>,
    #[serde(default)]
    pub final_stage_only: bool,
    /// The flag keeps a cache out of the layer, so a cache mount over the
    /// manager's cache directories makes it unneeded.
    #[serde(default)]
    pub avoids_cache: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Present {
    /// A short option letter that may be clustered (`-qy`).
    #[serde(default)]
    pub short: Option<char>,
    #[serde(default)]
    pub long: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cleanup {
    pub rule: Spanned<String>,
    pub command: Spanned<String>,
    pub done_by: Vec<CommandPattern>,
    #[serde(default)]
    pub final_stage_only: bool,
    /// Later installs rely on what the cleanup removes (apt's lists): one
    /// that does not refresh them first would fail.
    #[serde(default)]
    pub breaks_later_installs: bool,
}

/// Matches a simple command: its program, and a subcommand (with arguments)
/// or a path among its arguments.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandPattern {
    pub program: String,
    #[serde(default)]
    pub subcommand: Option<String>,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub path: Option<String>,
}

impl PackageManagers {
    /// Parses and checks a table. `path` is only used in messages.
    pub fn load(path: &str, text: &str) -> Result<Self, TableError> {
        let table: PackageManagers =
            serde_saphyr::from_str(text).map_err(|e| located::from_yaml(path, text, &e))?;
        let spanned_error =
            |s: &Spanned<String>, message: String| located::at(path, text, &s.referenced, message);
        let mut names = Vec::new();
        for manager in &table.managers {
            if names.contains(&manager.name.value) {
                return Err(spanned_error(
                    &manager.name,
                    format!("manager `{}` is defined twice", manager.name.value),
                ));
            }
            names.push(manager.name.value.clone());
            if manager.programs.is_empty() || manager.install.is_empty() {
                return Err(spanned_error(
                    &manager.name,
                    format!(
                        "manager `{}` needs programs and install subcommands",
                        manager.name.value
                    ),
                ));
            }
            let rule_codes = manager
                .flags
                .iter()
                .map(|f| &f.rule)
                .chain(manager.cleanup.iter().map(|c| &c.rule));
            for code in rule_codes {
                if rules::find(&code.value).is_none() {
                    return Err(spanned_error(
                        code,
                        format!("unknown rule `{}`", code.value),
                    ));
                }
            }
            for flag in &manager.flags {
                if !flag.insert.value.starts_with('-')
                    || flag.insert.value.contains(char::is_whitespace)
                {
                    return Err(spanned_error(
                        &flag.insert,
                        format!("`{}` is not a single flag", flag.insert.value),
                    ));
                }
            }
            if let Some(cleanup) = &manager.cleanup {
                let script = crate::syntax::shell::parse_script(
                    &cleanup.command.value,
                    crate::syntax::TextRange::new(0, cleanup.command.value.len()),
                );
                if !script.is_simple_chain() {
                    return Err(spanned_error(
                        &cleanup.command,
                        "a cleanup command must be a plain `&&` chain".to_owned(),
                    ));
                }
            }
        }
        for mount in &table.cache_mounts {
            table.check_cache_mount(mount, &spanned_error)?;
        }
        Ok(table)
    }

    fn check_cache_mount(
        &self,
        mount: &CacheMount,
        spanned_error: &impl Fn(&Spanned<String>, String) -> TableError,
    ) -> Result<(), TableError> {
        let name = &mount.name.value;
        match &mount.manager {
            Some(manager) if !self.managers.iter().any(|m| m.name.value == manager.value) => {
                return Err(spanned_error(
                    manager,
                    format!("unknown manager `{}`", manager.value),
                ));
            }
            Some(_) if !mount.programs.is_empty() => {
                return Err(spanned_error(
                    &mount.name,
                    format!("cache mount `{name}` names a manager and programs: one of them"),
                ));
            }
            None if mount.programs.is_empty() => {
                return Err(spanned_error(
                    &mount.name,
                    format!("cache mount `{name}` needs a manager or programs"),
                ));
            }
            _ => {}
        }
        if mount.targets.is_empty() {
            return Err(spanned_error(
                &mount.name,
                format!("cache mount `{name}` has no targets"),
            ));
        }
        for target in &mount.targets {
            let path = &target.path.value;
            let ok = (path.starts_with('/') || path.starts_with("~/"))
                && !path.contains([',', ' ', '$'])
                && !path.ends_with('/');
            if !ok {
                return Err(spanned_error(
                    &target.path,
                    format!(
                        "`{path}` is not an absolute path or `~/…` without `,`, spaces, `$` or a trailing `/`"
                    ),
                ));
            }
            if let Some(sharing) = &target.sharing
                && !matches!(sharing.value.as_str(), "shared" | "private" | "locked")
            {
                return Err(spanned_error(
                    sharing,
                    format!(
                        "sharing `{}` is not shared, private or locked",
                        sharing.value
                    ),
                ));
            }
        }
        if let Some(setup) = &mount.setup {
            let script = crate::syntax::shell::parse_script(
                &setup.value,
                crate::syntax::TextRange::new(0, setup.value.len()),
            );
            if !script.is_simple_chain() {
                return Err(spanned_error(
                    setup,
                    "a setup command must be a plain `&&` chain".to_owned(),
                ));
            }
        }
        Ok(())
    }

    /// The built-in table, loaded once. It is checked by a test, so a
    /// failure here is a bug in this build.
    pub fn builtin() -> &'static PackageManagers {
        static TABLE: OnceLock<PackageManagers> = OnceLock::new();
        TABLE.get_or_init(|| {
            PackageManagers::load(BUILTIN_PACKAGE_MANAGERS_PATH, BUILTIN_PACKAGE_MANAGERS)
                .unwrap_or_else(|e| panic!("the built-in table is invalid: {e}"))
        })
    }
}

/// `transforms/runtime-packages.yaml`: Debian packages by role, for DS301's
/// Python split.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimePackages {
    /// Packages only a build needs (compilers, headers, tools).
    pub build_only: Vec<String>,
    /// A `-dev` package and the library package it builds against.
    pub runtime_of: std::collections::BTreeMap<String, String>,
}

const BUILTIN_RUNTIME_PACKAGES: &str = include_str!("../transforms/runtime-packages.yaml");
const BUILTIN_RUNTIME_PACKAGES_PATH: &str = "transforms/runtime-packages.yaml";

impl RuntimePackages {
    /// Parses and checks a table. `path` is only used in messages.
    pub fn load(path: &str, text: &str) -> Result<Self, TableError> {
        let table: RuntimePackages =
            serde_saphyr::from_str(text).map_err(|e| located::from_yaml(path, text, &e))?;
        for (dev, library) in &table.runtime_of {
            if !dev.ends_with("-dev") || library.ends_with("-dev") || library.is_empty() {
                let at = text.find(&format!("{dev}:")).unwrap_or(0);
                let index = crate::syntax::LineIndex::new(text);
                return Err(TableError {
                    path: path.to_owned(),
                    at: index.line_col(text, at),
                    offset: at,
                    message: format!(
                        "`{dev}: {library}` must map a -dev package to a library package"
                    ),
                });
            }
        }
        Ok(table)
    }

    /// The built-in table, loaded once (a test checks it loads).
    pub fn builtin() -> &'static RuntimePackages {
        static TABLE: OnceLock<RuntimePackages> = OnceLock::new();
        TABLE.get_or_init(|| {
            RuntimePackages::load(BUILTIN_RUNTIME_PACKAGES_PATH, BUILTIN_RUNTIME_PACKAGES)
                .unwrap_or_else(|e| panic!("the built-in table is invalid: {e}"))
        })
    }
}

/// `transforms/runtime-users.yaml`: the unprivileged users runtime images
/// define.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeUsers {
    pub users: Vec<RuntimeUser>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeUser {
    /// A canonical image name, or a prefix ending in `*`.
    pub image: String,
    /// The first major version (tag) that has the user.
    #[serde(default)]
    pub min_major: Option<u32>,
    /// `uid:gid`, numeric.
    pub user: String,
    pub name: String,
}

const BUILTIN_RUNTIME_USERS: &str = include_str!("../transforms/runtime-users.yaml");
const BUILTIN_RUNTIME_USERS_PATH: &str = "transforms/runtime-users.yaml";

impl RuntimeUsers {
    /// Parses and checks a table. `path` is only used in messages.
    pub fn load(path: &str, text: &str) -> Result<Self, TableError> {
        let table: RuntimeUsers =
            serde_saphyr::from_str(text).map_err(|e| located::from_yaml(path, text, &e))?;
        for user in &table.users {
            let numeric = user.user.split_once(':').is_some_and(|(u, g)| {
                [u, g]
                    .iter()
                    .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            });
            if !numeric {
                let needle = format!("user: {}", user.user);
                let at = text.find(&needle).map_or(0, |i| i + "user: ".len());
                let index = crate::syntax::LineIndex::new(text);
                return Err(TableError {
                    path: path.to_owned(),
                    at: index.line_col(text, at),
                    offset: at,
                    message: format!(
                        "user `{}` of `{}` must be numeric `uid:gid`",
                        user.user, user.image
                    ),
                });
            }
        }
        Ok(table)
    }

    /// The built-in table, loaded once (a test checks it loads).
    pub fn builtin() -> &'static RuntimeUsers {
        static TABLE: OnceLock<RuntimeUsers> = OnceLock::new();
        TABLE.get_or_init(|| {
            RuntimeUsers::load(BUILTIN_RUNTIME_USERS_PATH, BUILTIN_RUNTIME_USERS)
                .unwrap_or_else(|e| panic!("the built-in table is invalid: {e}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_tables_load_and_bad_ones_are_located() {
        RuntimePackages::load(BUILTIN_RUNTIME_PACKAGES_PATH, BUILTIN_RUNTIME_PACKAGES).unwrap();
        RuntimeUsers::load(BUILTIN_RUNTIME_USERS_PATH, BUILTIN_RUNTIME_USERS).unwrap();
        let e = RuntimePackages::load("t.yaml", "build_only: []\nruntime_of:\n  libpq: libpq5\n")
            .unwrap_err();
        assert_eq!((e.at.line, e.at.col), (3, 3), "{e}");
        let e = RuntimeUsers::load(
            "t.yaml",
            "users:\n  - image: node\n    user: node\n    name: node\n",
        )
        .unwrap_err();
        assert_eq!(e.at.line, 3, "{e}");
        let e = RuntimeUsers::load("t.yaml", "users:\n  - image: node\n    uid: 1\n").unwrap_err();
        assert_eq!(e.at.line, 3, "{e}");
    }

    #[test]
    fn builtin_table_loads() {
        let table =
            PackageManagers::load(BUILTIN_PACKAGE_MANAGERS_PATH, BUILTIN_PACKAGE_MANAGERS).unwrap();
        let names: Vec<_> = table
            .managers
            .iter()
            .map(|m| m.name.value.as_str())
            .collect();
        for expected in [
            "apt", "apk", "yum", "dnf", "microdnf", "zypper", "pip", "npm", "yarn", "pnpm", "gem",
            "composer",
        ] {
            assert!(names.contains(&expected), "{expected} missing");
        }
    }

    #[test]
    fn cache_mounts_are_checked() {
        let base = "managers:\n  - name: a\n    programs: [a]\n    install: [i]\ncache_mounts:\n";
        let e = error(&format!(
            "{base}  - name: x\n    manager: b\n    targets: [{{path: /c}}]\n"
        ));
        assert_eq!((e.at.line, e.message.as_str()), (7, "unknown manager `b`"));
        let e = error(&format!(
            "{base}  - name: x\n    manager: a\n    targets: [{{path: c/d}}]\n"
        ));
        assert_eq!(e.at.line, 8);
        assert!(e.message.contains("not an absolute path"), "{e}");
        let e = error(&format!(
            "{base}  - name: x\n    programs: [x]\n    targets: [{{path: /c, sharing: all}}]\n"
        ));
        assert!(e.message.contains("sharing `all`"), "{e}");
        let e = error(&format!("{base}  - name: x\n    targets: [{{path: /c}}]\n"));
        assert!(e.message.contains("needs a manager or programs"), "{e}");
        let table = PackageManagers::builtin();
        for tool in [
            "apt", "apk", "dnf", "yum", "pip", "npm", "yarn", "pnpm", "go", "cargo", "maven",
            "gradle", "composer", "bundler",
        ] {
            assert!(
                table.cache_mounts.iter().any(|m| m.name.value == tool),
                "{tool} missing"
            );
        }
    }

    fn error(text: &str) -> TableError {
        PackageManagers::load("t.yaml", text).expect_err(text)
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_located() {
        let e = error("managers:\n  - name: a\n    programz: [x]\n");
        assert_eq!((e.at.line, e.at.col), (3, 5));
        assert!(e.message.contains("unknown field `programz`"), "{e}");
        assert!(e.to_string().starts_with("t.yaml:3:5: "), "{e}");
        let e = error("managers: 3\n");
        assert_eq!(e.at.line, 1);
    }

    #[test]
    fn semantic_errors_are_located() {
        let e = error(
            "managers:\n  - name: a\n    programs: [a]\n    install: [i]\n    flags:\n      - rule: DS999\n        insert: -y\n        present: {long: [-y]}\n",
        );
        assert_eq!((e.at.line, e.message.as_str()), (6, "unknown rule `DS999`"));
        let e = error(
            "managers:\n  - name: a\n    programs: [a]\n    install: [i]\n  - name: a\n    programs: [a]\n    install: [i]\n",
        );
        assert_eq!(e.at.line, 5);
        assert!(e.message.contains("defined twice"));
        let e = error(
            "managers:\n  - name: a\n    programs: [a]\n    install: [i]\n    cleanup:\n      rule: DS101\n      command: a || b\n      done_by: []\n",
        );
        assert_eq!(e.at.line, 7);
    }
}
