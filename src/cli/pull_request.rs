//! The pull-request body (`--format markdown`, and `dockslim verify
//! --format markdown`): a title with what the whole change is worth, the
//! fixes grouped by what they buy, the risks of the unsafe ones in plain
//! words, what is left to check by hand, and the diff. It renders the run's
//! one account ([`FileRecord::fixes`] and [`FileRecord::left`]); measured
//! figures from `verify` replace the estimates when there are some. Every
//! piece of Dockerfile text goes through [`super::markdown`].

use std::fmt::Write as _;

use super::markdown::{self, Place};
use super::output;
use super::report::{FileRecord, Totals, plural};
use crate::effects::{Buys, mb};
use crate::fix::Applicability;

/// What `dockslim verify` measured, for the title.
#[derive(Clone, Debug)]
pub struct Measured {
    pub size_before: u64,
    pub size_after: u64,
    pub compressed_before: u64,
    pub compressed_after: u64,
    /// Steps a rebuild after a one-line change ran (not from the cache), of all.
    pub rebuild_before: (usize, usize),
    pub rebuild_after: (usize, usize),
    pub rebuild_seconds: (f64, f64),
    /// The rebuild after `--deps-change`: the files changed, and the
    /// seconds before and after (none: no such scenario, or a failed build).
    pub deps_change: Option<(Vec<String>, f64, f64)>,
    pub smoke_passed: Option<bool>,
}

fn megabytes(bytes: u64) -> String {
    mb(bytes as f64 / 1_000_000.0)
}

/// The title line: the whole change's worth, measured or estimated.
pub fn title(totals: &Totals, measured: Option<&Measured>) -> String {
    let mut parts = Vec::new();
    if let Some(m) = measured {
        // `--skip-compressed-size` measures no compressed size (0): say
        // nothing rather than "0 MB → 0 MB".
        if m.compressed_before > 0 && m.compressed_after > 0 {
            parts.push(format!(
                "image {} → {} ({} → {} compressed, measured)",
                megabytes(m.size_before),
                megabytes(m.size_after),
                megabytes(m.compressed_before),
                megabytes(m.compressed_after)
            ));
        } else {
            parts.push(format!(
                "image {} → {} (measured)",
                megabytes(m.size_before),
                megabytes(m.size_after)
            ));
        }
        parts.push(format!(
            "a rebuild after a code change re-ran {} of {} RUN steps instead of {} of {}",
            m.rebuild_after.0, m.rebuild_after.1, m.rebuild_before.0, m.rebuild_before.1
        ));
    } else {
        match totals.size {
            Some(size) if size.low() > 0.0 => parts.push(format!(
                "image {} smaller (compressed, estimated)",
                size.describe()
            )),
            Some(_) if totals.changed > 0 => parts.push("size effect unknown".to_owned()),
            _ => {}
        }
        if let Some((before, after)) = totals.rebuild_steps
            && before != after
        {
            parts.push(format!(
                "a code change re-runs {} instead of {}",
                plural(after, "RUN step"),
                before
            ));
        }
    }
    if parts.is_empty() {
        if totals.changed == 0 {
            return "## dockslim: nothing to change".to_owned();
        }
        parts.push(format!("{} changed", plural(totals.changed, "Dockerfile")));
    }
    format!("## dockslim: {}", parts.join("; "))
}

/// The size cell: the estimate, or for a fix bought for something else
/// whose size effect is unknown, that none is expected.
fn saving_cell(estimate: &crate::effects::Estimate) -> String {
    match (estimate.buys, estimate.size) {
        (Buys::Rebuild | Buys::Reliability | Buys::Tidiness, crate::effects::Size::Unknown) => {
            "none expected".to_owned()
        }
        (_, size) => size.describe(),
    }
}

/// The body for `records`.
pub fn body(records: &[FileRecord], totals: &Totals, measured: Option<&Measured>) -> String {
    let mut out = title(totals, measured);
    out.push_str("\n\n");
    let applied: usize = records
        .iter()
        .filter(|r| !r.held_back)
        .map(|r| r.fixes.len())
        .sum();
    let _ = writeln!(
        out,
        "dockslim checked {} and changed {} with {}.",
        plural(totals.files, "Dockerfile"),
        totals.changed,
        plural(applied, "fix")
    );
    if measured.is_none() && applied > 0 {
        out.push_str(
            "Sizes are estimates of the compressed image from dockslim's data (transforms/effects.yaml); `dockslim verify` builds both images and measures them.\n",
        );
    }
    if let Some(m) = measured {
        let smoke = match m.smoke_passed {
            Some(true) => "; the smoke test passed on both images",
            Some(false) => "; **the smoke test failed**",
            None => "",
        };
        let deps = match &m.deps_change {
            Some((files, before, after)) => format!(
                ", after a dependency change ({}) {before:.1} s → {after:.1} s",
                files
                    .iter()
                    .map(|f| markdown::code(f, Place::Prose))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "`dockslim verify` built the original and the rewritten image: rebuild after a code change {:.1} s → {:.1} s{deps}{smoke}.",
            m.rebuild_seconds.0, m.rebuild_seconds.1
        );
    }
    out.push('\n');

    let shown = |r: &FileRecord| markdown::code(&output::shown_path(&r.label), Place::Table);
    for buys in [
        Buys::Size,
        Buys::Rebuild,
        Buys::Security,
        Buys::Reliability,
        Buys::Tidiness,
    ] {
        let rows: Vec<(&FileRecord, &super::report::FixRecord)> = records
            .iter()
            .filter(|r| !r.held_back)
            .flat_map(|r| r.fixes.iter().map(move |f| (r, f)))
            .filter(|(_, f)| f.estimate.buys == buys)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {}\n", buys.heading());
        out.push_str("| where | fix | what it fixes | what you get | estimated saving | safety |\n| --- | --- | --- | --- | --- | --- |\n");
        for (r, f) in rows {
            let _ = writeln!(
                out,
                "| {} line {} | {} `{}` | {} | {} | {} | {} |",
                shown(r),
                f.start.0,
                f.rule.code,
                f.rule.name,
                markdown::message(&f.message, Place::Table),
                markdown::message(&f.estimate.says, Place::Table),
                markdown::text(&saving_cell(&f.estimate)),
                f.applicability.as_str()
            );
        }
        out.push('\n');
    }

    let risks: Vec<String> = records
        .iter()
        .filter(|r| !r.held_back)
        .flat_map(|r| r.fixes.iter().map(move |f| (r, f)))
        .filter(|(_, f)| f.applicability == Applicability::Unsafe)
        .filter_map(|(r, f)| {
            Some(format!(
                "- {} line {}, {} `{}`: {}",
                markdown::code(&output::shown_path(&r.label), Place::Prose),
                f.start.0,
                f.rule.code,
                f.rule.name,
                markdown::message(f.estimate.risk.as_deref()?, Place::Prose)
            ))
        })
        .collect();
    if !risks.is_empty() {
        out.push_str("### Risks of the unsafe fixes\n\n");
        for risk in &risks {
            let _ = writeln!(out, "{risk}");
        }
        out.push('\n');
    }

    let mut checks: Vec<String> = Vec::new();
    if !risks.is_empty() && measured.is_none() {
        checks.push(
            "- [ ] Build the image and run it (or `dockslim verify --format markdown`): the unsafe fixes above can change behaviour".to_owned(),
        );
    }
    for r in records {
        if r.held_back {
            checks.push(format!(
                "- {} was left as it was: its fixes are estimated to save {}, less than `--min-saving`",
                markdown::code(&output::shown_path(&r.label), Place::Prose),
                markdown::text(&r.size().describe())
            ));
        }
        for l in &r.left {
            checks.push(format!(
                "- [ ] {} line {}, {} `{}` ({}): {}",
                markdown::code(&output::shown_path(&r.label), Place::Prose),
                l.start.0,
                l.diagnostic.rule.code,
                l.diagnostic.rule.name,
                markdown::text(&l.reason),
                markdown::message(&l.diagnostic.message, Place::Prose)
            ));
        }
    }
    if !checks.is_empty() {
        out.push_str("### What to check by hand\n\n");
        for check in &checks {
            let _ = writeln!(out, "{check}");
        }
        out.push('\n');
    }

    for r in records.iter().filter(|r| !r.diff.is_empty()) {
        let _ = writeln!(
            out,
            "<details><summary>Diff of {}</summary>\n\n{}\n</details>\n",
            markdown::code(&output::shown_path(&r.label), Place::Prose),
            markdown::code_block("diff", &r.diff)
        );
    }
    out
}

/// RUN steps a classic-builder rebuild ran (not from the cache), and all
/// RUN steps: the slow ones (after a cache miss the builder also "runs"
/// every USER, CMD and ENV, which costs nothing).
fn ran(steps: &[super::verify::Step]) -> (usize, usize) {
    let steps: Vec<&super::verify::Step> = steps
        .iter()
        .filter(|s| s.instruction.to_ascii_uppercase().starts_with("RUN "))
        .collect();
    (steps.iter().filter(|s| !s.cached).count(), steps.len())
}

/// The body for `dockslim verify --format markdown`: the fix's account, as
/// `fix --format markdown` gives it, with the measured figures.
pub fn verified(
    dockerfile: &std::path::Path,
    outcome: crate::apply::Outcome,
    settings: &crate::settings::Settings,
    report: &super::verify::VerifyReport,
) -> String {
    let label = super::walk::normalize(dockerfile).display().to_string();
    let threshold = if settings.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mut diff = output::unified_diff(&label, &outcome.original, &outcome.fixed);
    let dir = dockerfile.parent().unwrap_or(std::path::Path::new(""));
    for file in &outcome.files {
        let shown = super::walk::normalize(&dir.join(&file.path))
            .display()
            .to_string();
        diff.push_str(&output::file_diff(&shown, file.old.as_deref(), &file.new));
    }
    let record = FileRecord::new(label, outcome, threshold, settings, diff);
    let mut totals = Totals::default();
    totals.add(&record);
    let measured = Measured {
        size_before: report.original.size_bytes,
        size_after: report.rewritten.size_bytes,
        compressed_before: report.original.compressed_bytes,
        compressed_after: report.rewritten.compressed_bytes,
        rebuild_before: ran(&report.original.rebuild_steps),
        rebuild_after: ran(&report.rewritten.rebuild_steps),
        rebuild_seconds: (
            report.original.rebuild_seconds,
            report.rewritten.rebuild_seconds,
        ),
        deps_change: match (
            report.original.deps_rebuild_built,
            report.original.deps_rebuild_seconds,
            report.rewritten.deps_rebuild_built,
            report.rewritten.deps_rebuild_seconds,
        ) {
            (Some(true), Some(before), Some(true), Some(after)) => {
                Some((report.rewritten.deps_changed_files.clone(), before, after))
            }
            _ => None,
        },
        smoke_passed: match (report.original.smoke_passed, report.rewritten.smoke_passed) {
            (Some(a), Some(b)) => Some(a && b),
            _ => None,
        },
    };
    let mut body = body(std::slice::from_ref(&record), &totals, Some(&measured));
    let failed = if !report.rewritten.built {
        Some("**The rewritten Dockerfile did not build**: do not merge.\n\n")
    } else if report.rewritten.deps_rebuild_built == Some(false) {
        Some(
            "**The rewritten Dockerfile did not build after the dependency change**: do not merge.\n\n",
        )
    } else {
        None
    };
    if let Some(failed) = failed {
        body.push_str(failed);
        if let Some(error) = &report.rewritten.build_error {
            body.push_str(&markdown::code_block("", error));
        }
    }
    body
}
