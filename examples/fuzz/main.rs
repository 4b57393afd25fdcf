//! Fuzz driver over the parser and the full fix pipeline (cargo-fuzz needs
//! a nightly compiler; this runs on stable): N seeded hostile-ish inputs
//! (`generator.rs`), each checked for no panic, a lossless round trip, a
//! fixed file that parses, and idempotence. Prints the count, the time and
//! the seeds of failures; exits 1 if any failed.
//!
//! `cargo run --release --example fuzz -- [INPUTS] [FIRST_SEED]`
//! (default 1,000,000 inputs from seed 0). A failure reproduces with
//! `-- 1 SEED`. `cargo test` runs a few thousand (tests/hostile_inputs.rs).

mod generator;

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let count: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let first: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let seeds = generator::golden_inputs(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    // `DOCKSLIM_FUZZ_DUMP=1`: print the inputs instead of checking them.
    if std::env::var_os("DOCKSLIM_FUZZ_DUMP").is_some() {
        for seed in first..first + count {
            print!("{}", generator::generate(seed, &seeds));
        }
        return;
    }
    let start = Instant::now();
    let mut failures = Vec::new();
    let mut bytes = 0usize;
    let mut slowest = (0, 0.0, 0);
    for seed in first..first + count {
        let text = generator::generate(seed, &seeds);
        bytes += text.len();
        let started = Instant::now();
        let result = generator::check(seed, &text);
        let took = started.elapsed().as_secs_f64();
        if took > slowest.1 {
            slowest = (seed, took, text.len());
        }
        if let Err(failure) = result {
            eprintln!("seed {}: {}", failure.seed, failure.what);
            failures.push(failure);
        }
        let done = seed - first + 1;
        if done.is_multiple_of(100_000) {
            eprintln!(
                "{done} inputs, {:.0} s, {} failures",
                start.elapsed().as_secs_f64(),
                failures.len()
            );
        }
    }
    println!(
        "{count} inputs ({:.1} MB) from seed {first} in {:.1} s: {} failures",
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64(),
        failures.len()
    );
    println!(
        "slowest: seed {} ({} bytes) in {:.2} s",
        slowest.0, slowest.2, slowest.1
    );
    if !failures.is_empty() {
        std::process::exit(1);
    }
}
