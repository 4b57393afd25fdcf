//! DS202 `dockerignore`: keep what the image never needs out of the build
//! context, by creating a `.dockerignore` (or extending one that misses
//! something large).

use super::{Checker, Rule, packages};
use crate::fix::{Applicability, Diagnostic, FileEdit, Fix};
use crate::syntax::{Instruction, Keyword};

pub static RULE: Rule = Rule {
    code: "DS202",
    name: "dockerignore",
    summary: "`COPY . .` without a .dockerignore sends .git, node_modules and build output to the builder",
    fix_safety: "safe; unsafe when it leaves out `.env` files",
    doc: r#"## What it does
When a Dockerfile copies a whole folder of the build context (`COPY . .`) and
the context has no `.dockerignore`, it creates one that lists what exists in
the context and should not be sent: `.git`, `node_modules` (when the image
installs its own), `target`, `dist` or `build` (when the image builds them),
`bin` and `obj` next to a .NET project file (when the image runs `dotnet`),
`__pycache__`, virtualenvs, test and editor caches, `*.log`, `.env` files.
It never lists what the Dockerfile copies by name, nor `.git` when a RUN uses
git. An existing `.dockerignore` is only extended, and only when it misses
`.git` or `node_modules`. With `--diff` the file shows as a new-file diff;
with `--write` it is created. A `.dockerignore` that is a symbolic link is
neither read nor extended (it may point outside the repository): it is
reported, for a human to check.

## Why
Everything in the context is sent to the builder on every build and, with
`COPY . .`, lands in the image: a host `node_modules` can even overwrite the
one the image installed, and `.git` or `.env` files leak history and secrets.

## Example
A context with `.git/`, `node_modules/` and `package.json`, and
```dockerfile
COPY . .
RUN npm ci
```
gets a `.dockerignore` with
```text
.git
node_modules
```

## Fix safety
Safe: only what the Dockerfile does not name or use is left out. Unsafe when
`.env` files are left out, since an application may read one at run time.
"#,
    check,
};

/// Names always worth leaving out when present (caches and editor folders).
const ALWAYS: [&str; 7] = [
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".tox",
    "coverage",
    ".idea",
    ".vscode",
];

fn copies_broadly(instruction: &Instruction) -> bool {
    matches!(instruction.keyword(), Keyword::Copy | Keyword::Add)
        && instruction.flag("from").is_none()
        && {
            let words = instruction.words();
            words.len() >= 2
                && words[..words.len() - 1].iter().any(|w| {
                    matches!(
                        instruction.text(*w).trim_start_matches("./"),
                        "" | "." | "*"
                    )
                })
        }
}

/// Names the Dockerfile copies from the context by name (first path part).
fn named_sources(checker: &Checker<'_>) -> Vec<String> {
    checker
        .document
        .instructions()
        .filter(|i| matches!(i.keyword(), Keyword::Copy | Keyword::Add) && i.flag("from").is_none())
        .flat_map(|i| {
            let words = i.words();
            let sources = words.len().saturating_sub(1);
            words[..sources]
                .iter()
                .map(|w| {
                    i.text(*w)
                        .trim_start_matches("./")
                        .split('/')
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn program_runs(checker: &Checker<'_>, names: &[&str]) -> bool {
    checker.any_command(|c| {
        super::run::program(super::run::effective_words(c)).is_some_and(|p| names.contains(&p))
    })
}

fn runs_build(checker: &Checker<'_>) -> bool {
    checker.any_command(crate::rules::multi_stage_split::js_build)
}

fn installs_js(checker: &Checker<'_>) -> bool {
    checker.any_command(|c| {
        checker
            .managers
            .managers
            .iter()
            .filter(|m| matches!(m.name.value.as_str(), "npm" | "yarn" | "pnpm"))
            .any(|m| packages::install(m, c).is_some())
    })
}

/// What the context has that the image should not get, and whether a `.env`
/// file is among it.
fn unwanted(checker: &Checker<'_>) -> (Vec<String>, bool) {
    let context = checker.context;
    let named = named_sources(checker);
    let mut out: Vec<String> = Vec::new();
    let exists = |name: &str| context.has(name) == Some(true) && !named.iter().any(|n| n == name);
    if exists(".git") && !program_runs(checker, &["git"]) {
        out.push(".git".into());
    }
    if exists("node_modules") && installs_js(checker) {
        out.push("node_modules".into());
    }
    let builds = runs_build(checker)
        || program_runs(
            checker,
            &["cargo", "mvn", "mvnw", "gradle", "gradlew", "go"],
        );
    for dir in ["target", "dist", "build"] {
        if exists(dir) && context.is_dir(dir) == Some(true) && builds {
            out.push(dir.into());
        }
    }
    // .NET's bin/ and obj/ are build output only next to a project file
    // (elsewhere bin/ often holds scripts); a host's obj/ can even break the
    // restore in the image.
    let dotnet_project = context
        .names("")
        .into_iter()
        .flatten()
        .any(|n| n.ends_with(".csproj") || n.ends_with(".fsproj") || n.ends_with(".sln"));
    if dotnet_project && program_runs(checker, &["dotnet"]) {
        for dir in ["bin", "obj"] {
            if exists(dir) && context.is_dir(dir) == Some(true) {
                out.push(dir.into());
            }
        }
    }
    let pycache = context
        .names("")
        .into_iter()
        .flatten()
        .any(|n| n == "__pycache__/")
        || context
            .names("")
            .into_iter()
            .flatten()
            .filter(|n| n.ends_with('/'))
            .any(|dir| context.has(&format!("{}__pycache__", dir)) == Some(true));
    if pycache && !named.iter().any(|n| n == "__pycache__") {
        out.push("**/__pycache__".into());
        out.push("*.pyc".into());
    }
    for venv in [".venv", "venv"] {
        if exists(venv)
            && context.is_dir(venv) == Some(true)
            && context.has(&format!("{venv}/pyvenv.cfg")) != Some(false)
        {
            out.push(venv.into());
        }
    }
    for name in ALWAYS {
        if exists(name) {
            out.push(name.into());
        }
    }
    if context
        .names("")
        .into_iter()
        .flatten()
        .any(|n| n.ends_with(".log"))
    {
        out.push("*.log".into());
    }
    let mut env = false;
    let env_files: Vec<String> = context
        .names("")
        .into_iter()
        .flatten()
        .filter(|n| {
            (*n == ".env" || n.starts_with(".env.")) && !n.ends_with('/') && *n != ".env.example"
        })
        .filter(|n| !named.iter().any(|m| m == n))
        .map(str::to_owned)
        .collect();
    if !env_files.is_empty() {
        env = true;
        out.push(".env".into());
        out.push(".env.*".into());
        out.push("!.env.example".into());
    }
    (out, env)
}

/// The pattern is already covered by a line of an existing `.dockerignore`.
fn covered(existing: &str, name: &str) -> bool {
    existing.lines().map(str::trim).any(|line| {
        let line = line
            .trim_start_matches("**/")
            .trim_start_matches('/')
            .trim_end_matches('/');
        line == name || line == "*" || line == format!("{name}/**")
    })
}

fn check(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    if !checker.context.is_known() {
        return;
    }
    let Some(copy) = checker.document.instructions().find(|i| copies_broadly(i)) else {
        return;
    };
    let (names, env) = unwanted(checker);
    let range = copy.source_range(copy.command.keyword_range);
    let newline = "\n";
    match checker.context.has(".dockerignore") {
        Some(false) => {
            if names.is_empty() {
                return;
            }
            let mut text = String::from(
                "# Written by dockslim: what the image never needs stays out of the build context.\n",
            );
            for name in &names {
                text.push_str(name);
                text.push_str(newline);
            }
            let shown: Vec<&str> = names
                .iter()
                .map(String::as_str)
                .filter(|n| !n.starts_with('!'))
                .collect();
            let applicability = if env {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    range,
                    format!(
                        "no .dockerignore: {} would be sent to the builder and copied into the image",
                        shown.join(", ")
                    ),
                )
                .with_fix(Fix::files(
                    vec![FileEdit { path: ".dockerignore".into(), old: None, new: text }],
                    applicability,
                )),
            );
        }
        Some(true) if checker.context.is_link(".dockerignore") => {
            out.push(Diagnostic::new(
                &RULE,
                range,
                "`.dockerignore` is a symbolic link: dockslim neither reads nor extends it; check by hand that it leaves out .git and node_modules".to_owned(),
            ));
        }
        Some(true) => {
            let Some(existing) = checker.context.text(".dockerignore") else {
                return;
            };
            let missing: Vec<&String> = names
                .iter()
                .filter(|n| matches!(n.as_str(), ".git" | "node_modules"))
                .filter(|n| {
                    !covered(existing, n)
                        && !existing
                            .lines()
                            .any(|l| l.trim().starts_with('!') && l.contains(n.as_str()))
                })
                .collect();
            if missing.is_empty() {
                return;
            }
            let mut new = existing.to_owned();
            if !new.is_empty() && !new.ends_with('\n') {
                new.push('\n');
            }
            for name in &missing {
                new.push_str(name);
                new.push('\n');
            }
            let shown: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
            out.push(
                Diagnostic::new(
                    &RULE,
                    range,
                    format!(".dockerignore misses {}: it is sent to the builder and copied into the image", shown.join(" and ")),
                )
                .with_fix(Fix::files(
                    vec![FileEdit { path: ".dockerignore".into(), old: Some(existing.to_owned()), new }],
                    Applicability::Safe,
                )),
            );
        }
        None => {}
    }
}
