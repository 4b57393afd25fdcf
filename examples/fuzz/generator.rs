//! A seeded generator of hostile-ish Dockerfiles for the fuzz driver
//! (`examples/fuzz/main.rs`) and its short run in `cargo test`
//! (`tests/hostile_inputs.rs`): random bytes, mutated seed files, deep
//! nesting, huge lines, odd escapes and heredocs. The same seed gives the
//! same input, so a failure is reproduced from its seed alone.
//!
//! It also holds the check each input must pass, so the driver and the test
//! agree on the invariants.

use std::panic::{AssertUnwindSafe, catch_unwind};

use dockslim::settings::Settings;
use dockslim::{Context, fix_source, syntax};

/// xorshift64*: small, fast and deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // Mixing the seed keeps small seeds from starting in a weak state.
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Pieces that exercise the parser and the rules: keywords, flags, shell
/// operators, quotes, escapes, heredoc markers, directives, pragmas.
const FRAGMENTS: &[&str] = &[
    "FROM ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ENV ",
    "ARG ",
    "LABEL ",
    "CMD ",
    "ENTRYPOINT ",
    "WORKDIR ",
    "USER ",
    "EXPOSE ",
    "VOLUME ",
    "SHELL ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "STOPSIGNAL ",
    "MAINTAINER ",
    "AS ",
    "debian:bookworm",
    "node:18",
    "python:3.11",
    "golang:1.22",
    "scratch",
    "apt-get update",
    "apt-get install -y ",
    "curl",
    " && ",
    " || ",
    "; ",
    " | ",
    "&",
    "\\\n",
    "`\n",
    "\\",
    "`",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "#",
    "# escape=`\n",
    "# syntax=docker/dockerfile:1\n",
    "# dockslim: ignore=DS101\n",
    "# dockslim: global ignore=DS401\n",
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    "\nEOF\n",
    "EOF",
    "\"",
    "'",
    "$",
    "${",
    "}",
    "$(",
    ")",
    "(",
    "[",
    "]",
    "[\"sh\", \"-c\"]",
    "{",
    "=",
    "--mount=type=cache,target=/root/.cache",
    "--from=0",
    "--chown=1:1",
    "--",
    "-",
    "pip install ",
    "npm install",
    "npm ci",
    "COPY . .",
    "rm -rf /var/lib/apt/lists/*",
    "sh -c '",
    "if true; then ",
    "; fi",
    "for x in a; do ",
    "; done",
    "\u{feff}",
    "\u{1b}[31m",
    "\u{202e}",
    "é",
    "日本",
    "\0",
    "\u{7f}",
];

/// One input for `seed`: the kind is chosen by the seed, the content by the
/// generator; `seeds` are well-formed files to mutate (the golden inputs).
pub fn generate(seed: u64, seeds: &[String]) -> String {
    let mut rng = Rng::new(seed);
    // Mostly small inputs, so that a million run in minutes; one in a
    // hundred is deep, one in a thousand huge.
    match rng.below(1000) {
        0..=99 => random_bytes(&mut rng),
        100..=299 => fragments(&mut rng),
        300..=699 if !seeds.is_empty() => {
            let seed = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, seed)
        }
        700..=708 => deep(&mut rng, 200),
        709 => deep(&mut rng, 20_000),
        710 => huge_line(&mut rng),
        _ => plausible(&mut rng),
    }
}

fn random_bytes(rng: &mut Rng) -> String {
    let len = rng.below(300);
    let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if rng.chance(50) {
        format!("FROM debian\n{text}")
    } else {
        text
    }
}

fn fragments(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.chance(70) {
        out.push_str("FROM debian\n");
    }
    for _ in 0..rng.below(60) {
        out.push_str(rng.pick(FRAGMENTS));
    }
    out
}

/// A seed file with a few pieces inserted, deleted, duplicated or swapped
/// (at character boundaries).
fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut text = seed.to_owned();
    for _ in 0..1 + rng.below(4) {
        let boundary = |rng: &mut Rng, text: &str| {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let a = boundary(rng, &text);
        let b = boundary(rng, &text);
        let (a, b) = (a.min(b), a.max(b));
        // `b`, or the last character boundary within `len` bytes of `a`.
        let upto = |len: usize| {
            let mut end = b.min(a + len);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            end
        };
        match rng.below(5) {
            0 => text.insert_str(a, rng.pick(FRAGMENTS)),
            1 => text.replace_range(a..upto(40), ""),
            2 => {
                let piece = text[a..upto(200)].to_owned();
                text.insert_str(b, &piece);
            }
            3 => {
                let piece = rng.pick(FRAGMENTS);
                let end = upto(3);
                text.replace_range(a..end, piece);
            }
            _ => {
                // Repeat a line many times: many instructions, merges, pragmas.
                let start = text[..a].rfind('\n').map_or(0, |i| i + 1);
                let end = text[a..].find('\n').map_or(text.len(), |i| a + i + 1);
                let line = text[start..end].to_owned();
                let times = 1 + rng.below(20);
                text.insert_str(end, &line.repeat(times));
            }
        }
    }
    text
}

/// Nesting as deep as the generator dares: subshells, substitutions,
/// `&&` chains, continuation lines, quotes inside quotes.
fn deep(rng: &mut Rng, max: usize) -> String {
    let n = 1 + rng.below(max);
    let body = match rng.below(6) {
        0 => format!("{}echo{}", "(".repeat(n), ")".repeat(n)),
        1 => format!("echo {}x{}", "$(echo ".repeat(n), ")".repeat(n)),
        2 => vec!["apt-get install -y x"; n].join(" && "),
        3 => vec!["true"; n].join(" | "),
        4 => format!("{}true{}", "if true; then ".repeat(n), "; fi".repeat(n)),
        _ => vec!["echo \\"; n].join("\n"),
    };
    format!("FROM debian\nRUN {body}\n")
}

fn huge_line(rng: &mut Rng) -> String {
    let n = 1_000 + rng.below(50_000);
    match rng.below(5) {
        0 => format!("FROM node:{}\nRUN echo\n", "1.".repeat(n / 2)),
        1 => format!("FROM debian\nRUN echo {}\n", "x".repeat(n)),
        2 => format!("FROM debian\nENV {}\n", "A=1 ".repeat(n / 4)),
        3 => format!("FROM debian\nLABEL a=\"{}\n", "\\\"".repeat(n / 2)),
        _ => format!(
            "FROM debian\nRUN {}\n",
            "apt-get install -y a; ".repeat(n / 20)
        ),
    }
}

fn plausible(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.chance(20) {
        out.push_str(rng.pick(&["# escape=`\n", "# syntax=docker/dockerfile:1\n", "\u{feff}"]));
    }
    for stage in 0..1 + rng.below(3) {
        out.push_str(&format!(
            "FROM {} AS s{stage}\n",
            rng.pick(&[
                "node:18",
                "python:3.11",
                "golang:1.22",
                "debian:bookworm",
                "rust:1.77"
            ])
        ));
        for _ in 0..rng.below(8) {
            out.push_str(rng.pick(&[
                "RUN apt-get update\n",
                "RUN apt-get install -y curl git\n",
                "RUN apt-get update && apt-get install -y \\\n    curl \\\n    git\n",
                "RUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
                "COPY <<EOF /etc/x\nhello\nEOF\n",
                "RUN pip install -r requirements.txt\n",
                "COPY . .\n",
                "RUN npm install\n",
                "RUN go build -o /app .\n",
                "WORKDIR /app\n",
                "ENV A=1 B=\"2 3\"\n",
                "# dockslim: ignore=DS101\n",
                "RUN [\"sh\", \"-c\", \"echo hi\"]\n",
                "ONBUILD RUN apt-get install -y x\n",
                "RUN apk add curl && rm -rf /var/cache/apk/*\n",
                "\n",
            ]));
        }
    }
    out.push_str(rng.pick(&["CMD [\"node\", \"server.js\"]\n", "CMD python app.py\n", ""]));
    out
}

/// What went wrong with one input.
#[derive(Debug)]
pub struct Failure {
    pub seed: u64,
    pub what: String,
}

/// Parses and fixes `text` (safe and unsafe fixes) and checks: no panic; a
/// parsed file prints back byte for byte; the fixed file parses; fixing it
/// again changes nothing.
pub fn check(seed: u64, text: &str) -> Result<(), Failure> {
    let fail = |what: String| Failure { seed, what };
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
        let parsed = syntax::parse(text);
        if let Ok(document) = &parsed
            && document.render() != text
        {
            return Err("render(parse(x)) != x".to_owned());
        }
        for unsafe_fixes in [false, true] {
            let settings = Settings {
                unsafe_fixes,
                ..Settings::default()
            };
            let Ok(first) = fix_source(text, &Context::unknown(), &settings) else {
                if parsed.is_ok() {
                    return Err("parses, but fix_source says it does not".to_owned());
                }
                continue;
            };
            if !first.internal_errors.is_empty() {
                return Err(format!("internal errors: {:?}", first.internal_errors));
            }
            let second = fix_source(&first.fixed, &Context::unknown(), &settings)
                .map_err(|e| format!("the fixed file does not parse: {e}"))?;
            if first.converged && second.fixed != first.fixed {
                return Err(format!("not idempotent (unsafe fixes: {unsafe_fixes})"));
            }
        }
        Ok(())
    }));
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(what)) => Err(fail(what)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(fail(format!("panic: {message}")))
        }
    }
}

/// The golden inputs, the seeds that mutations start from.
pub fn golden_inputs(root: &std::path::Path) -> Vec<String> {
    let mut seeds = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root.join("golden")) {
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if let Ok(text) = std::fs::read_to_string(path.join("input.Dockerfile")) {
                seeds.push(text);
            }
        }
    }
    seeds
}
