//! Throughput benchmark on a generated corpus of realistic Dockerfiles.
//!
//! `cargo run --release --example bench -- [FILES] [ROUNDS]`
//!
//! Reports files/s and MB/s on one core for parse-only and for the full fix
//! pipeline with every rule, and the peak resident memory of the process.
//! The corpus is deterministic (a fixed-seed generator), so runs compare.

use std::time::Instant;

use dockslim::settings::Settings;
use dockslim::{fix_source, syntax};

/// A small deterministic generator (xorshift), so the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const BASES: &[&str] = &[
    "node:18",
    "node:20-bookworm",
    "python:3.11",
    "python:3.12-slim",
    "golang:1.22",
    "debian:bookworm",
    "ubuntu:22.04",
    "eclipse-temurin:17-jdk",
    "ruby:3.3",
    "php:8.2-apache",
    "registry.example.com:5000/team/base:1.4",
    "alpine:3.19",
];
const PACKAGES: &[&str] = &[
    "curl",
    "git",
    "ca-certificates",
    "build-essential",
    "libpq-dev",
    "gnupg",
    "unzip",
    "jq",
    "python3-dev",
    "make",
    "gcc",
    "tzdata",
    "locales",
    "openssh-client",
];

fn generate(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.chance(30) {
        out.push_str("# syntax=docker/dockerfile:1\n");
    }
    out.push_str("# Generated benchmark Dockerfile\n");
    let stages = 1 + (rng.next() % 3) as usize;
    for stage in 0..stages {
        let base = rng.pick(BASES);
        if stage + 1 < stages {
            out.push_str(&format!("FROM {base} AS stage{stage}\n"));
        } else {
            out.push_str(&format!("FROM {base}\n"));
        }
        out.push_str("WORKDIR /app\n");
        if rng.chance(40) {
            out.push_str("ENV LANG=C.UTF-8 \\\n    PYTHONDONTWRITEBYTECODE=1\n");
        }
        let n = 2 + (rng.next() % 5) as usize;
        let packages: Vec<&str> = (0..n).map(|_| rng.pick(PACKAGES)).collect();
        match rng.next() % 4 {
            0 => out.push_str(&format!(
                "RUN apt-get update && apt-get install -y {}\n",
                packages.join(" ")
            )),
            1 => {
                out.push_str("RUN apt-get update && \\\n    apt-get install -y --no-install-recommends \\\n");
                for p in &packages {
                    out.push_str(&format!("        {p} \\\n"));
                }
                out.push_str("    && rm -rf /var/lib/apt/lists/*\n");
            }
            2 => out.push_str(&format!(
                "RUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y {}; \\\n    # clean up\n    rm -rf /var/lib/apt/lists/*\n",
                packages.join(" ")
            )),
            _ => out.push_str(&format!("RUN <<EOF\nset -e\napt-get update\napt-get install -y {}\nEOF\n", packages.join(" "))),
        }
        out.push_str("COPY package*.json requirements.txt ./\n");
        out.push_str(rng.pick(&[
            "RUN npm ci --omit=dev\n",
            "RUN pip install --no-cache-dir -r requirements.txt\n",
            "RUN go mod download\n",
            "RUN ./gradlew build -x test || true\n",
        ]));
        out.push_str("COPY . .\n");
        if stage > 0 && rng.chance(70) {
            out.push_str(&format!(
                "COPY --from=stage{} /app/dist ./dist\n",
                stage - 1
            ));
        }
        if rng.chance(50) {
            out.push_str(
                "HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/ || exit 1\n",
            );
        }
    }
    out.push_str("EXPOSE 8080\nUSER 1000\n");
    out.push_str(rng.pick(&[
        "CMD [\"node\", \"server.js\"]\n",
        "CMD python app.py\n",
        "ENTRYPOINT [\"/app/server\"]\n",
    ]));
    out
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let files: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let mut rng = Rng(0x5eed_d0c5_1113);
    let corpus: Vec<String> = (0..files).map(|_| generate(&mut rng)).collect();
    let bytes: usize = corpus.iter().map(String::len).sum();
    println!(
        "corpus: {files} files, {:.2} MB, {:.0} bytes/file on average",
        bytes as f64 / 1e6,
        bytes as f64 / files as f64
    );

    let report = |name: &str, best: f64| {
        println!(
            "{name:<10} {:>10.0} files/s {:>8.2} MB/s  (best of {rounds}, one core)",
            files as f64 / best,
            bytes as f64 / 1e6 / best
        );
    };

    let mut best = f64::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        let mut instructions = 0;
        for text in &corpus {
            instructions += syntax::parse(text)
                .expect("generated files parse")
                .instructions()
                .count();
        }
        best = best.min(start.elapsed().as_secs_f64());
        std::hint::black_box(instructions);
    }
    report("parse", best);

    let settings = Settings::default();
    let mut best = f64::MAX;
    let mut changed = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        changed = 0;
        for text in &corpus {
            let outcome = fix_source(text, &dockslim::Context::unknown(), &settings)
                .expect("generated files parse");
            changed += usize::from(outcome.changed());
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    report("full fix", best);
    println!("files changed by the fix: {changed} of {files}");
    if let Some(kib) = peak_rss_kib() {
        println!("peak memory: {:.1} MiB", kib as f64 / 1024.0);
    }
}
