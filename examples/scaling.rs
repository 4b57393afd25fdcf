//! Scaling benchmark on hostile sizes: for each shape of input, the full fix
//! pipeline (every rule, unsafe fixes on) at a size and at twice that size,
//! so a linear pipeline shows a time ratio near 2 (a quadratic one, 4).
//!
//! `cargo run --release --example scaling -- [SCALE] [SHAPE]`
//!
//! At scale 1 (the default) the largest inputs are 10 MB and 100,000 lines:
//! a FROM tag, a RUN of `&&` commands, a RUN of one long word, ENV
//! instructions, adjacent install RUNs that merge, pragma lines, and a
//! `chown -R` after every copy (DS203). SHAPE runs only the shapes whose
//! name starts with it. Not a timed test: it prints what it measured.

use std::time::Instant;

use dockslim::settings::Settings;
use dockslim::{Context, fix_source};

/// Builds an input of about `n` units of one shape.
type Shape = (&'static str, &'static str, fn(usize) -> String);

const SHAPES: &[Shape] = &[
    ("FROM tag", "bytes", |n| {
        format!("FROM node:{}\nRUN echo\n", "1.".repeat(n / 2))
    }),
    ("RUN && chain", "bytes", |n| {
        let command = "apt-get install -y curl && ";
        format!(
            "FROM debian\nRUN {}true\n",
            command.repeat(n / command.len())
        )
    }),
    ("RUN long word", "bytes", |n| {
        format!("FROM debian\nRUN echo {}\n", "x".repeat(n))
    }),
    ("ENV lines", "lines", |n| {
        let mut out = "FROM debian\n".to_owned();
        for i in 0..n {
            out.push_str(&format!("ENV A{i}=1\n"));
        }
        out
    }),
    ("install RUNs", "lines", |n| {
        let mut out = "FROM debian\n".to_owned();
        for i in 0..n {
            out.push_str(&format!(
                "RUN apt-get install -y --no-install-recommends p{i}\n"
            ));
        }
        out
    }),
    ("adjacent RUNs", "lines", |n| {
        let mut out = "FROM debian\n".to_owned();
        for i in 0..n {
            out.push_str(&format!("RUN echo {i}\n"));
        }
        out
    }),
    ("chown after each copy", "lines", |n| {
        let mut out = "FROM node:18-slim\nWORKDIR /app\n".to_owned();
        for i in 0..n / 2 {
            out.push_str(&format!("COPY f{i} ./\nRUN chown -R node /app\n"));
        }
        out
    }),
    ("pragma lines", "lines", |n| {
        let mut out = "FROM debian\n".to_owned();
        for _ in 0..n {
            out.push_str("# dockslim: ignore=DS101\n");
        }
        out.push_str("RUN apt-get install -y curl\n");
        out
    }),
];

fn time(text: &str) -> f64 {
    let settings = Settings {
        unsafe_fixes: true,
        ..Settings::default()
    };
    let start = Instant::now();
    let outcome = fix_source(text, &Context::unknown(), &settings);
    let took = start.elapsed().as_secs_f64();
    std::hint::black_box(outcome.map(|o| o.fixed.len()).ok());
    took
}

fn main() {
    let scale: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1.0);
    let only = std::env::args().nth(2).unwrap_or_default();
    println!("| input | size | time | 2× size | time | ratio |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, unit, build) in SHAPES.iter().filter(|s| s.0.starts_with(only.as_str())) {
        let full = if *unit == "bytes" {
            10_000_000.0
        } else {
            100_000.0
        };
        let big = (full * scale) as usize;
        let small = big / 2;
        let (a, b) = (build(small), build(big));
        let (ta, tb) = (time(&a), time(&b));
        let shown = |n: usize, text: &str| {
            if *unit == "bytes" {
                format!("{:.1} MB", text.len() as f64 / 1e6)
            } else {
                format!("{n} {unit} ({:.1} MB)", text.len() as f64 / 1e6)
            }
        };
        println!(
            "| {name} | {} | {ta:.2} s | {} | {tb:.2} s | {:.2} |",
            shown(small, &a),
            shown(big, &b),
            tb / ta
        );
    }
}
