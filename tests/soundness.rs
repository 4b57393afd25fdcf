//! Soundness: after fixing, every package install, dependency install and
//! build still comes after the steps it needs.
//!
//! The judge is deliberately independent of dockslim: it does not use the
//! crate's parser, shell view or semantic model, only a small reader of its
//! own over the generated files (which have no heredocs, quotes or escape
//! directives, so joining continuation lines and splitting on `&&` and `;`
//! reads them exactly). It replays each stage from the top and records, for
//! every dependency install or build, what had happened before it: the
//! system packages installed (and those the base image is known to have),
//! whether the package lists were present, the manifests copied, the
//! variables set, the working directory and the user. A rewrite may move an
//! install, merge it, or put it in another stage; it must not take away
//! anything the original gave it.

use std::collections::{BTreeMap, BTreeSet};

use dockslim::settings::Settings;
use dockslim::{Context, fix_source};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

/// What a dependency install or build had when it ran.
#[derive(Clone, Debug)]
struct Event {
    /// `npm`, `yarn`, `pip`, `bundle`, `go`: the ecosystem, so that an
    /// `npm install` rewritten to `npm ci` is the same step.
    ecosystem: &'static str,
    packages: BTreeSet<String>,
    /// Whether the manifest of the ecosystem was in the image.
    manifest: bool,
    vars: BTreeSet<String>,
    workdir: String,
    user: String,
    /// The base image of the stage (through stages built on stages).
    base: String,
    line: String,
}

/// What the reading found: the events, and the system-package installs
/// that ran without package lists.
#[derive(Debug, Default)]
struct Reading {
    events: Vec<Event>,
    installs_without_lists: Vec<String>,
}

#[derive(Clone, Default)]
struct State {
    packages: BTreeSet<String>,
    lists: bool,
    files: BTreeSet<String>,
    vars: BTreeSet<String>,
    workdir: String,
    user: String,
    base: String,
}

/// The system packages a base image already has that installs may need:
/// the full language images carry compilers, headers and git; slim and
/// distroless ones do not.
fn base_packages(image: &str) -> BTreeSet<String> {
    let full = ["node:18", "python:3.11", "ruby:3.2", "golang:1.22"];
    let mut packages = BTreeSet::new();
    if full.contains(&image) {
        for p in [
            "gcc",
            "g++",
            "make",
            "git",
            "libpq-dev",
            "build-essential",
            "python3",
        ] {
            packages.insert(p.to_owned());
        }
    }
    packages
}

/// Logical lines: continuations joined, comments and blank lines dropped.
fn logical_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for raw in text.lines() {
        let trimmed = raw.trim_start();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if !current.is_empty() && (trimmed.starts_with('#') || trimmed.is_empty()) {
            continue;
        }
        match raw.trim_end().strip_suffix('\\') {
            Some(part) => {
                current.push_str(part);
                current.push(' ');
            }
            None => {
                current.push_str(raw);
                lines.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.trim().is_empty() {
        lines.push(current);
    }
    lines
}

fn ecosystem(words: &[&str]) -> Option<&'static str> {
    match words {
        ["npm", "install" | "ci" | "i", ..] => Some("npm"),
        ["yarn"] | ["yarn", "install", ..] => Some("yarn"),
        ["pip" | "pip3", "install", ..] => Some("pip"),
        ["bundle", "install", ..] => Some("bundle"),
        ["go", "build" | "install", ..] => Some("go"),
        _ => None,
    }
}

fn manifest_of(ecosystem: &str) -> &'static str {
    match ecosystem {
        "npm" | "yarn" => "package.json",
        "pip" => "requirements.txt",
        "bundle" => "Gemfile",
        _ => "go.mod",
    }
}

fn read(text: &str) -> Reading {
    let mut reading = Reading::default();
    let mut stages: BTreeMap<String, State> = BTreeMap::new();
    let mut state = State::default();
    let mut name = String::new();
    for line in logical_lines(text) {
        let (keyword, rest) = line.trim().split_once(' ').unwrap_or((line.trim(), ""));
        let rest = rest.trim();
        match keyword.to_ascii_uppercase().as_str() {
            "FROM" => {
                if !name.is_empty() {
                    stages.insert(name.clone(), state.clone());
                }
                let words: Vec<&str> = rest.split_whitespace().collect();
                let image = words.first().copied().unwrap_or_default();
                name = match words.as_slice() {
                    [_, as_, alias] if as_.eq_ignore_ascii_case("as") => alias.to_string(),
                    _ => format!("#{}", stages.len()),
                };
                state = stages.get(image).cloned().unwrap_or_else(|| State {
                    packages: base_packages(image),
                    workdir: "/".to_owned(),
                    user: "root".to_owned(),
                    base: image.to_owned(),
                    ..State::default()
                });
            }
            "WORKDIR" => state.workdir = rest.to_owned(),
            "USER" => state.user = rest.to_owned(),
            "ENV" | "ARG" => {
                for pair in rest.split_whitespace() {
                    state
                        .vars
                        .insert(pair.split('=').next().unwrap_or(pair).to_owned());
                }
            }
            "COPY" | "ADD" => {
                let words: Vec<&str> = rest
                    .split_whitespace()
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                if rest.contains("--from=") {
                    // Files of another stage: what that stage had copied.
                    let from = rest
                        .split_whitespace()
                        .find_map(|w| w.strip_prefix("--from="))
                        .unwrap_or_default();
                    if let Some(other) = stages.get(from) {
                        state.files.extend(other.files.iter().cloned());
                    }
                    continue;
                }
                for source in &words[..words.len().saturating_sub(1)] {
                    let source = source.trim_start_matches("./");
                    if source == "." || source.is_empty() {
                        state.files.insert("*".to_owned());
                    } else {
                        state.files.insert(source.to_owned());
                    }
                }
            }
            "RUN" => {
                let script = rest.replace(';', "&&").replace("||", "&&");
                for command in script.split("&&") {
                    let mut words: Vec<&str> = command.split_whitespace().collect();
                    // `if …; then apt-get update && …`: the command after a keyword.
                    while words
                        .first()
                        .is_some_and(|w| ["then", "else", "do", "{", "("].contains(w))
                    {
                        words.remove(0);
                    }
                    match words.as_slice() {
                        ["apt-get", "update", ..] => state.lists = true,
                        ["apt-get", .., "install"] => {}
                        ["apt-get", rest @ ..] if rest.contains(&"install") => {
                            if !state.lists {
                                reading.installs_without_lists.push(line.clone());
                            }
                            for package in rest
                                .iter()
                                .skip_while(|w| **w != "install")
                                .skip(1)
                                .filter(|w| !w.starts_with('-'))
                            {
                                state.packages.insert(package.to_string());
                            }
                        }
                        ["rm", "-rf", "/var/lib/apt/lists/*"] => state.lists = false,
                        words => {
                            if let Some(ecosystem) = ecosystem(words) {
                                let manifest = manifest_of(ecosystem);
                                reading.events.push(Event {
                                    ecosystem,
                                    packages: state.packages.clone(),
                                    manifest: state.files.contains("*")
                                        || state.files.iter().any(|f| f.starts_with(manifest)),
                                    vars: state.vars.clone(),
                                    workdir: state.workdir.clone(),
                                    user: state.user.clone(),
                                    base: state.base.clone(),
                                    line: line.clone(),
                                });
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    reading
}

/// A step of the image's own ecosystem (`npm install` in a Node.js image):
/// the generator also writes steps that could not run in their image, and
/// what those need says nothing.
fn native(event: &Event) -> bool {
    let family = event.base.split([':', '/']).next().unwrap_or_default();
    matches!(
        (event.ecosystem, family),
        ("npm" | "yarn", "node") | ("pip", "python") | ("bundle", "ruby") | ("go", "golang")
    )
}

/// The ways `after` takes away from the steps what `before` gave them.
fn losses(before: &Reading, after: &Reading) -> Vec<String> {
    let mut problems = Vec::new();
    if before.installs_without_lists.is_empty() {
        for line in &after.installs_without_lists {
            problems.push(format!("installs without package lists: {line}"));
        }
    }
    for event in after.events.iter().filter(|e| native(e)) {
        let originals: Vec<&Event> = before
            .events
            .iter()
            .filter(|e| e.ecosystem == event.ecosystem)
            .collect();
        if originals.is_empty() {
            continue;
        }
        // What every original step of the ecosystem had is what the step
        // may need. A runtime stage's own production install is held to the
        // same standard: a native module compiles there too.
        let mut needed = originals[0].packages.clone();
        let mut vars = originals[0].vars.clone();
        for e in &originals[1..] {
            needed = needed.intersection(&e.packages).cloned().collect();
            vars = vars.intersection(&e.vars).cloned().collect();
        }
        let missing: Vec<&String> = needed.difference(&event.packages).collect();
        if !missing.is_empty() {
            problems.push(format!(
                "`{}` runs without {missing:?}, which the original installed before it",
                event.line.trim()
            ));
        }
        let lost_vars: Vec<&String> = vars.difference(&event.vars).collect();
        if !lost_vars.is_empty() {
            problems.push(format!(
                "`{}` runs without the variables {lost_vars:?}",
                event.line.trim()
            ));
        }
        if originals.iter().all(|e| e.manifest) && !event.manifest {
            problems.push(format!(
                "`{}` runs before its manifest is copied",
                event.line.trim()
            ));
        }
        if originals.iter().all(|e| e.workdir == originals[0].workdir)
            && event.workdir != originals[0].workdir
            && event.ecosystem != "go"
        {
            problems.push(format!(
                "`{}` runs in {} instead of {}",
                event.line.trim(),
                event.workdir,
                originals[0].workdir
            ));
        }
        if originals.iter().all(|e| e.user != "root") && event.user == "root" {
            // Running as root where the original ran as a user is allowed
            // (a split's runtime stage installs as root, then switches).
        }
    }
    problems
}

fn line() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        3 => Just("WORKDIR /app"),
        1 => Just("ENV NPM_CONFIG_LOGLEVEL=warn"),
        1 => Just("ENV PIP_INDEX_URL=https://pypi.example/simple"),
        3 => Just("RUN apt-get update && apt-get install -y python3 make g++"),
        2 => Just("RUN apt-get update && apt-get install -y gcc libpq-dev"),
        2 => Just("RUN apt-get update && apt-get install -y curl"),
        2 => Just("RUN apt-get install -y jq"),
        1 => Just("RUN apt-get update"),
        1 => Just("RUN apt-get install -y git"),
        2 => Just("RUN apt-get update && apt-get install -y git && yarn install"),
        3 => Just("RUN apt-get update && apt-get install -y python3 make g++ && npm install"),
        3 => Just("RUN apt-get update && apt-get install -y gcc libpq-dev && pip install -r requirements.txt"),
        2 => Just("RUN apt-get update && apt-get install -y build-essential && bundle install"),
        2 => Just("RUN apt-get update \\\n    && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*"),
        5 => Just("COPY . ."),
        1 => Just("COPY package.json ./"),
        3 => Just("RUN npm install"),
        1 => Just("RUN npm ci"),
        1 => Just("RUN yarn install"),
        3 => Just("RUN pip install -r requirements.txt"),
        1 => Just("RUN bundle install"),
        1 => Just("RUN go build -o /app/server ."),
        2 => Just("RUN npm run build"),
        1 => Just("USER node"),
        1 => Just("RUN echo hi"),
        1 => Just("RUN npm install && npm run build"),
        1 => Just("EXPOSE 8080"),
        2 => Just("CMD [\"node\", \"server.js\"]"),
        2 => Just("CMD [\"python\", \"app.py\"]"),
        1 => Just("CMD [\"/app/server\"]"),
    ]
}

fn dockerfile() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just("node:18"),
            Just("node:18-slim"),
            Just("node:20-slim"),
            Just("python:3.11"),
            Just("python:3.12-slim"),
            Just("ruby:3.2"),
            Just("golang:1.22"),
            Just("debian:bookworm"),
        ],
        proptest::collection::vec(line(), 1..9),
        any::<bool>(),
    )
        .prop_map(|(base, lines, trailing)| {
            let mut text = format!("FROM {base}\n{}", lines.join("\n"));
            if trailing {
                text.push('\n');
            }
            text
        })
}

/// The manifests the generated installs read, with lockfiles, so that the
/// context-reading rules (DS109, DS201, DS301, DS302) act.
fn context() -> Context {
    let mut context = Context::from_names(["server.js", "app.py", "main.go", "src/"]);
    context.add(
        "package.json",
        Some(r#"{"name": "a", "scripts": {"build": "tsc", "start": "node server.js"}, "dependencies": {"bcrypt": "5.1.1"}, "devDependencies": {"typescript": "5.4.5"}}"#),
    );
    context.add("package-lock.json", Some("{}"));
    context.add("yarn.lock", Some(""));
    context.add("requirements.txt", Some("psycopg2==2.9.9\n"));
    context.add("Gemfile", Some("source 'https://rubygems.org'\ngem 'pg'\n"));
    context.add("Gemfile.lock", Some(""));
    context.add("go.mod", Some("module example.com/server\n\ngo 1.22\n"));
    context
}

fn check(text: &str, unsafe_fixes: bool) -> Result<(), TestCaseError> {
    let settings = Settings {
        unsafe_fixes,
        ..Settings::default()
    };
    let Ok(outcome) = fix_source(text, &context(), &settings) else {
        return Ok(());
    };
    let problems = losses(&read(text), &read(&outcome.fixed));
    prop_assert!(
        problems.is_empty(),
        "{}\n--- input ---\n{text}\n--- output ---\n{}",
        problems.join("\n"),
        outcome.fixed
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn fixes_keep_every_step_after_what_it_needs(text in dockerfile(), unsafe_fixes in any::<bool>()) {
        check(&text, unsafe_fixes)?;
    }
}

/// The shapes the issue names, each as a fixed case, so a regression shows
/// by name.
#[test]
fn named_shapes_keep_their_needs() {
    let shapes = [
        "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y python3 make g++ && npm install\nCMD [\"node\", \"server.js\"]\n",
        "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y git && yarn install\nCMD [\"node\", \"server.js\"]\n",
        "FROM ruby:3.2\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y build-essential && bundle install\n",
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y gcc libpq-dev && pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y jq\n",
    ];
    let mut problems = Vec::new();
    for text in shapes {
        for unsafe_fixes in [false, true] {
            if let Err(e) = check(text, unsafe_fixes) {
                problems.push(format!("unsafe={unsafe_fixes}: {e}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The judge itself: it must see the losses it is there to catch.
#[test]
fn the_reader_sees_a_lost_toolchain_and_lost_lists() {
    let before = read(
        "FROM node:20-slim\nCOPY . .\nRUN apt-get update && apt-get install -y g++ && npm install\n",
    );
    let after = read(
        "FROM node:20-slim\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nRUN apt-get update && apt-get install -y g++\n",
    );
    let problems = losses(&before, &after);
    assert!(problems.iter().any(|p| p.contains("g++")), "{problems:?}");

    let before = read(
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y jq\n",
    );
    let after = read(
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y jq\n",
    );
    let problems = losses(&before, &after);
    assert!(
        problems.iter().any(|p| p.contains("without package lists")),
        "{problems:?}"
    );

    let before = read(
        "FROM python:3.11\nWORKDIR /app\nENV PIP_INDEX_URL=x\nCOPY . .\nRUN pip install -r requirements.txt\n",
    );
    let after = read(
        "FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nENV PIP_INDEX_URL=x\nCOPY . .\n",
    );
    let problems = losses(&before, &after);
    assert!(
        problems.iter().any(|p| p.contains("PIP_INDEX_URL")),
        "{problems:?}"
    );
}

/// The property only means something if the generated files have steps the
/// judge looks at and that the rules move, merge or split.
#[test]
fn generator_exercises_the_judge() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let settings = Settings {
        unsafe_fixes: true,
        ..Settings::default()
    };
    let (mut judged, mut rewritten) = (0, 0);
    for _ in 0..2000 {
        let text = dockerfile().new_tree(&mut runner).unwrap().current();
        let Ok(outcome) = fix_source(&text, &context(), &settings) else {
            continue;
        };
        let reading = read(&outcome.fixed);
        if reading.events.iter().any(native) {
            judged += 1;
            rewritten += usize::from(outcome.changed());
        }
    }
    eprintln!(
        "{judged}/2000 generated files have steps the judge checks, {rewritten} of them rewritten"
    );
    assert!(
        judged >= 400,
        "only {judged} of 2000 files have judged steps"
    );
    assert!(
        rewritten >= 300,
        "only {rewritten} judged files were rewritten"
    );
}
