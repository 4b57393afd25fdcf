//! What each top-level command of a RUN does, classified once with the
//! existing readers (the package-manager table, the manifest table, the
//! build recognisers), and what it needs and provides.
//!
//! The classification is deliberately conservative: a command the model
//! does not understand provides [`Resource::Anything`], so nothing that
//! needs anything may move before it.

use crate::manifests::Manifests;
use crate::rules::packages;
use crate::rules::run;
use crate::syntax::shell::SimpleCommand;
use crate::transforms::PackageManagers;

/// The system package managers: what they install lands in the image's
/// system folders and may be what a later build links against.
pub const SYSTEM_MANAGERS: [&str; 6] = ["apt", "apk", "yum", "dnf", "microdnf", "zypper"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `apt-get update`, `apk update`.
    ListsUpdate {
        manager: String,
    },
    /// `apt-get install -y curl`.
    PackageInstall {
        manager: String,
        packages: Vec<String>,
        /// The words that start with `-`.
        flags: Vec<String>,
    },
    /// A manager's cleanup (`rm -rf /var/lib/apt/lists/*`, `yum clean all`).
    Cleanup {
        manager: String,
    },
    /// A dependency install of an ecosystem from its manifests (`npm ci`,
    /// `pip install -r requirements.txt`, `bundle install`).
    DepsInstall {
        ecosystem: String,
    },
    /// A build: `go build`, `npm run build`, `cargo build`, `mvn package`.
    Build {
        ecosystem: String,
    },
    /// `curl`/`wget`/`git clone`: fetches files.
    Download,
    /// Tool setup that only makes a program available (`corepack enable`).
    ToolSetup,
    /// `cd DIR`: changes where the rest of the RUN works.
    ChangeDir,
    /// `mkdir`, `cp`, `mv`, `chmod`, `chown`, `ln`, `rm`, `touch`, `echo`.
    FileOp,
    Other,
}

/// A thing a command needs or provides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resource {
    /// A system package (by name).
    Package(String),
    /// Any system package: a dependency install or build may compile native
    /// code against whatever the image has (a toolchain, `-dev` headers).
    AnyPackage,
    /// A manager's package lists (`/var/lib/apt/lists`).
    Lists(String),
    /// Files of the build context (manifests, sources).
    ContextFiles,
    /// A path in the image.
    Path(String),
    /// Any file of the image: installs read configuration from many places
    /// (`~/.npmrc`, `/etc/pip.conf`, `~/.m2/settings.xml`).
    AnyPath,
    /// The working directory.
    Cwd,
    /// An environment variable (ENV, ARG, `export`).
    Var(String),
    /// Any environment variable: installs read their settings from many
    /// (`NODE_ENV`, `NPM_CONFIG_*`, `PIP_*`, `BUNDLE_*`).
    AnyVar,
    /// The user steps run as (`USER`).
    User,
    /// Some variable, set in the shell: affects every need of a variable.
    AnyVarSet,
    /// A program on the PATH (`yarn` after `corepack enable`).
    Tool(String),
    /// Unknown effects: conflicts with every need.
    Anything,
}

impl Resource {
    /// `self` (a need) is met or changed by `provided`.
    pub fn affected_by(&self, provided: &Resource) -> bool {
        match (self, provided) {
            (_, Resource::Anything) | (Resource::Anything, _) => true,
            (Resource::AnyPackage, Resource::Package(_)) => true,
            (Resource::Package(a), Resource::Package(b)) => a == b,
            (Resource::Lists(a), Resource::Lists(b)) => a == b,
            (Resource::ContextFiles, Resource::ContextFiles) => true,
            (Resource::Path(a), Resource::Path(b)) => {
                a == b || a.starts_with(&format!("{b}/")) || b.starts_with(&format!("{a}/"))
            }
            (Resource::Cwd, Resource::Cwd) | (Resource::User, Resource::User) => true,
            (Resource::AnyVar, Resource::Var(_) | Resource::AnyVarSet) => true,
            (Resource::AnyPath, Resource::Path(_)) => true,
            (Resource::Var(_), Resource::AnyVarSet) => true,
            (Resource::Var(a), Resource::Var(b)) | (Resource::Tool(a), Resource::Tool(b)) => a == b,
            _ => false,
        }
    }
}

/// What a dependency install or a build needs: the system packages it may
/// compile against, the context files, the image's files (configuration),
/// where it runs, its settings, its user.
pub const DEPENDENCY_NEEDS: [Resource; 6] = [
    Resource::AnyPackage,
    Resource::ContextFiles,
    Resource::AnyPath,
    Resource::Cwd,
    Resource::AnyVar,
    Resource::User,
];

/// A classified command of a RUN.
#[derive(Clone, Debug)]
pub struct CommandFacts {
    /// Index into the RUN's `script.commands`.
    pub index: usize,
    pub action: Action,
    pub needs: Vec<Resource>,
    pub provides: Vec<Resource>,
}

/// May a step that needs `needs` run before a step that provides `provides`?
/// Only when it needs nothing the other provides. This is the one
/// dependency check every rule that moves, merges, deletes or splits uses.
pub fn can_precede(needs: &[Resource], provides: &[Resource]) -> bool {
    !needs
        .iter()
        .any(|n| provides.iter().any(|p| n.affected_by(p)))
}

/// What a command leaves in the shell for the commands after it in the same
/// RUN, and only there: the working directory (`cd`), variables (`export`,
/// a bare assignment) and shell state the model does not follow (`set`,
/// `source`, `eval` …). Merging RUNs carries it into the next one.
pub fn shell_state(command: &SimpleCommand) -> Vec<Resource> {
    let Some(program) = command.words.first().and_then(|w| w.literal.as_deref()) else {
        return if command.words.is_empty() {
            // `FOO=bar` alone sets a shell variable.
            vec![Resource::AnyVarSet]
        } else {
            vec![Resource::Anything]
        };
    };
    match program {
        "cd" | "pushd" | "popd" => vec![Resource::Cwd],
        "export" | "declare" | "typeset" | "readonly" | "local" | "unset" => {
            vec![Resource::AnyVarSet]
        }
        "set" | "source" | "." | "eval" | "umask" | "shopt" | "alias" | "trap" | "ulimit"
        | "exec" => vec![Resource::Anything],
        _ => Vec::new(),
    }
}

/// [`shell_state`] of a whole script, also for what the shell view does not
/// list as simple commands: declarations (`export A=1`) and bare
/// assignments, found in the text of each statement.
pub fn script_shell_state(script: &crate::syntax::shell::Script, text: &str) -> Vec<Resource> {
    let mut state: Vec<Resource> = script.commands.iter().flat_map(shell_state).collect();
    for statement in &script.statements {
        let statement = statement.slice(text).trim_start();
        let first = statement.split_whitespace().next().unwrap_or_default();
        let assignment = first.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let declares =
            ["export", "declare", "typeset", "readonly", "local", "unset"].contains(&first);
        let contains_declaration = statement
            .split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | '{'))
            .any(|w| ["export", "declare", "typeset", "readonly", "local", "unset"].contains(&w));
        if declares || contains_declaration || (assignment && !statement.contains(' ')) {
            state.push(Resource::AnyVarSet);
        }
    }
    if script.has_errors {
        state.push(Resource::Anything);
    }
    state
}

/// A command that writes nothing by itself (`echo`, `printf`) writes a file
/// when its statement redirects its output (`echo "machine …" > ~/.netrc`):
/// the file is unknown, so it provides anything. `2>&1` and `/dev/null`
/// write no file.
pub fn redirected_output(
    facts: &mut CommandFacts,
    script: &crate::syntax::shell::Script,
    command: &SimpleCommand,
    text: &str,
) {
    if facts.action != Action::FileOp || !facts.provides.is_empty() {
        return;
    }
    let Some(statement) = script
        .statements
        .iter()
        .find(|s| s.contains_range(command.range))
    else {
        return;
    };
    // `get`: a heredoc's script may not index the instruction's text.
    let (Some(before), Some(after)) = (
        text.get(statement.start..command.range.start.max(statement.start)),
        text.get(command.range.end.min(statement.end)..statement.end),
    ) else {
        return;
    };
    // A statement may hold a whole chain: only the text up to the next (or
    // after the last) operator belongs to this command.
    // `>&2` duplicates a descriptor: marked first, so its `&` is no operator.
    let separators = ['&', '|', ';', '\n'];
    let (after, before) = (after.replace(">&", ">@"), before.replace(">&", ">@"));
    let after = after.split(separators).next().unwrap_or_default();
    let before = before.rsplit(separators).next().unwrap_or_default();
    let writes = [before, after].iter().any(|part| {
        part.match_indices('>').any(|(at, _)| {
            let target = part[at..].trim_start_matches('>').trim_start();
            !target.starts_with('@') && !target.starts_with("/dev/null")
        })
    });
    if writes {
        facts.provides.push(Resource::Anything);
    }
}

/// Classifies one top-level command.
pub fn classify(managers: &PackageManagers, command: &SimpleCommand, index: usize) -> CommandFacts {
    let words = run::effective_words(command);
    let program = run::program(words).unwrap_or_default();
    let literals: Vec<&str> = words.iter().filter_map(|w| w.literal.as_deref()).collect();
    let facts = |action, needs, provides| CommandFacts {
        index,
        action,
        needs,
        provides,
    };
    // Nested commands (in `sh -c '…'`, a subshell, an `if`) are classified
    // too: they still update lists and install packages. Whether they may
    // be moved is the caller's business (`SimpleCommand::nested`).
    for manager in &managers.managers {
        let name = manager.name.value.clone();
        let system = SYSTEM_MANAGERS.contains(&name.as_str());
        if packages::is_update(manager, command) {
            return facts(
                Action::ListsUpdate {
                    manager: name.clone(),
                },
                vec![],
                vec![Resource::Lists(name)],
            );
        }
        if system && let Some(found) = packages::install(manager, command) {
            let sub = found.subcommand.unwrap_or(found.verb);
            let mut names = Vec::new();
            let mut flags = Vec::new();
            let mut provides = Vec::new();
            for word in &found.words[sub + 1..] {
                match word.literal.as_deref() {
                    Some(w) if w.starts_with('-') => flags.push(w.to_owned()),
                    Some(w) => {
                        let package = w.split('=').next().unwrap_or(w).to_owned();
                        provides.push(Resource::Package(package.clone()));
                        names.push(package);
                    }
                    // A package named by a variable: some package.
                    None => provides.push(Resource::Package("$".to_owned())),
                }
            }
            // `apk add --no-cache` (or `--update`) fetches its own index.
            let fetches_own = name == "apk"
                && flags
                    .iter()
                    .any(|f| matches!(f.as_str(), "--no-cache" | "--update" | "-U"));
            let needs = if fetches_own {
                Vec::new()
            } else {
                vec![Resource::Lists(name.clone())]
            };
            return facts(
                Action::PackageInstall {
                    manager: name,
                    packages: names,
                    flags,
                },
                needs,
                provides,
            );
        }
        let cleans = manager
            .cleanup
            .iter()
            .flat_map(|c| &c.done_by)
            .any(|p| packages::pattern_matches(p, command));
        if system && cleans {
            return facts(
                Action::Cleanup {
                    manager: name.clone(),
                },
                vec![],
                vec![Resource::Lists(name)],
            );
        }
    }
    let table = Manifests::builtin();
    // A dependency install or a build also needs its program.
    let with_tool = || {
        let mut needs = DEPENDENCY_NEEDS.to_vec();
        needs.push(Resource::Tool(program.to_owned()));
        needs
    };
    if let Some(eco) = table
        .ecosystems
        .iter()
        .find(|eco| crate::rules::manifest_first_copy::installs(eco, command))
    {
        return facts(
            Action::DepsInstall {
                ecosystem: eco.name.clone(),
            },
            with_tool(),
            // Where it installs depends on the ecosystem and its settings.
            vec![Resource::Anything],
        );
    }
    if let Some(ecosystem) = build_ecosystem(command) {
        return facts(
            Action::Build {
                ecosystem: ecosystem.to_owned(),
            },
            with_tool(),
            vec![Resource::Anything],
        );
    }
    match program {
        "corepack" if matches!(literals.get(1), Some(&"enable" | &"prepare")) => facts(
            Action::ToolSetup,
            vec![],
            // The package managers' shims.
            ["yarn", "pnpm", "npm", "npx", "pnpx", "yarnpkg"]
                .into_iter()
                .map(|t| Resource::Tool(t.to_owned()))
                .collect(),
        ),
        "curl" | "wget" => facts(
            Action::Download,
            vec![Resource::Cwd],
            vec![Resource::Anything],
        ),
        "git" if literals.get(1) == Some(&"clone") => facts(
            Action::Download,
            vec![Resource::Cwd],
            vec![Resource::Anything],
        ),
        "cd" => facts(Action::ChangeDir, vec![], vec![Resource::Cwd]),
        "export" => facts(
            Action::Other,
            vec![],
            literals[1..]
                .iter()
                .map(|w| Resource::Var(w.split('=').next().unwrap_or(w).to_owned()))
                .collect(),
        ),
        "mkdir" | "cp" | "mv" | "chmod" | "chown" | "ln" | "rm" | "touch" => facts(
            Action::FileOp,
            vec![Resource::Cwd],
            // Relative paths depend on the working directory: unknown.
            vec![Resource::Anything],
        ),
        "echo" | "true" | "set" | "printf" if command.words.len() == literals.len() => {
            facts(Action::FileOp, vec![], vec![])
        }
        _ => facts(
            Action::Other,
            vec![Resource::Anything],
            vec![Resource::Anything],
        ),
    }
}

/// The ecosystem a build command belongs to.
fn build_ecosystem(command: &SimpleCommand) -> Option<&'static str> {
    let words = run::effective_words(command);
    let literals: Vec<&str> = words.iter().filter_map(|w| w.literal.as_deref()).collect();
    if crate::rules::multi_stage_split::js_build(command) {
        return Some("node");
    }
    match literals.as_slice() {
        ["go", "build" | "install", ..] => Some("go"),
        ["cargo", "build" | "install", ..] => Some("cargo"),
        ["mvn" | "./mvnw", ..] => Some("maven"),
        ["gradle" | "./gradlew", ..] => Some("gradle"),
        ["dotnet", "publish" | "build", ..] => Some("dotnet"),
        ["make" | "cmake" | "gcc" | "g++" | "cc", ..] => Some("c"),
        _ => None,
    }
}
