//! `dockslim verify`: prove a rewrite. The fixes are applied to a copy of the
//! build context; the original and the rewritten Dockerfile are built with
//! the local Docker engine (through the `docker` CLI, classic builder), and
//! each image is measured: build success, size, cold build time, rebuild
//! time after a one-line source change (and which steps the cache reused),
//! and an optional smoke test. Images and copies are removed afterwards,
//! also on failure or Ctrl-C.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context as _, Result, anyhow, bail};
use serde::Serialize;

use super::Status;
use super::args::VerifyArgs;
use crate::apply::fix_source;
use crate::context::Context;

/// Measurements of one image.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImageReport {
    pub built: bool,
    pub build_error: Option<String>,
    /// `docker image inspect` size.
    pub size_bytes: u64,
    /// `docker save | gzip` size: roughly what a registry stores.
    pub compressed_bytes: u64,
    pub cold_build_seconds: f64,
    pub rebuild_seconds: f64,
    /// The file changed before the rebuild.
    pub changed_file: Option<String>,
    /// Each build step of the rebuild, and whether the cache reused it.
    pub rebuild_steps: Vec<Step>,
    pub smoke_passed: Option<bool>,
    pub smoke_output: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Step {
    pub instruction: String,
    pub cached: bool,
}

#[derive(Debug, Serialize)]
pub struct VerifyReport {
    pub schema: &'static str,
    pub dockerfile: String,
    pub changed: bool,
    pub fixes: Vec<String>,
    pub original: ImageReport,
    pub rewritten: ImageReport,
    pub passed: bool,
}

/// Images created by this run, removed when it ends however it ends.
#[derive(Default)]
struct Cleanup {
    images: Vec<String>,
    dirs: Vec<tempfile::TempDir>,
}

impl Cleanup {
    fn run(&mut self) {
        if !self.images.is_empty() {
            let _ = Command::new("docker")
                .args(["image", "rm", "-f"])
                .args(&self.images)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            self.images.clear();
        }
        self.dirs.clear();
    }
}

pub fn verify(args: &VerifyArgs) -> Result<Status> {
    if let Some(touch) = &args.touch {
        check_touch(touch)?;
    }
    let engine = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .stdin(Stdio::null())
        .output();
    match engine {
        Ok(out) if out.status.success() => {}
        Ok(out) => bail!(
            "no Docker engine is reachable: `dockslim verify` builds images with the local Docker engine; start one (`dockerd`) or point DOCKER_HOST at one\n  docker said: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => bail!(
            "the `docker` command is not available ({e}): `dockslim verify` needs the Docker CLI and a running engine"
        ),
    }
    let dockerfile = args.path.clone();
    let source = super::read::text(
        &dockerfile,
        super::read::MAX_DOCKERFILE,
        super::read::Links::Follow,
    )
    .map_err(|e| anyhow!("cannot read {}: {e}", dockerfile.display()))?;
    let context_dir = args.fix.context.clone().unwrap_or_else(|| {
        dockerfile
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    });
    let document = crate::syntax::parse(&source).ok();
    let context = Context::for_document(&context_dir, document.as_ref())
        .with_context(|| format!("cannot read the build context {}", context_dir.display()))?;
    let settings = super::config::Resolver::new(&args.fix)
        .settings(Some(&dockerfile))
        .map_err(|e| anyhow!(e.render().trim().to_owned()))?;
    let outcome = fix_source(&source, &context, &settings).map_err(|e| {
        anyhow!(
            super::output::error_with_snippet(
                &dockerfile.display().to_string(),
                &source,
                e.offset,
                &e.message
            )
            .trim_end()
            .to_owned()
        )
    })?;

    let cleanup = Arc::new(Mutex::new(Cleanup::default()));
    {
        let cleanup = Arc::clone(&cleanup);
        // A second Ctrl-C handler cannot be set in one process; ignore that.
        let _ = ctrlc::set_handler(move || {
            if let Ok(mut c) = cleanup.lock() {
                c.run();
            }
            std::process::exit(130);
        });
    }
    let result = run_both(args, &dockerfile, &context_dir, &source, &outcome, &cleanup);
    if let Ok(mut c) = cleanup.lock() {
        c.run();
    }
    let report = result?;
    if args.format == "markdown" {
        let body = super::pull_request::verified(&dockerfile, outcome, &settings, &report);
        std::io::stdout().lock().write_all(body.as_bytes())?;
    } else {
        print_report(args, &report)?;
    }
    Ok(if report.passed {
        Status::Clean
    } else {
        Status::Found
    })
}

static RUN_ID: AtomicU32 = AtomicU32::new(0);

fn run_both(
    args: &VerifyArgs,
    dockerfile: &Path,
    context_dir: &Path,
    source: &str,
    outcome: &crate::apply::Outcome,
    cleanup: &Arc<Mutex<Cleanup>>,
) -> Result<VerifyReport> {
    let id = format!(
        "{}-{}",
        std::process::id(),
        RUN_ID.fetch_add(1, Ordering::Relaxed)
    );
    let mut reports = Vec::new();
    for (role, text) in [("original", source), ("rewritten", outcome.fixed.as_str())] {
        let copy = tempfile::Builder::new()
            .prefix("dockslim-verify-")
            .tempdir()?;
        copy_tree(context_dir, copy.path())
            .with_context(|| format!("cannot copy the build context {}", context_dir.display()))?;
        if role == "rewritten" {
            for file in &outcome.files {
                write_in_copy(&copy.path().join(&file.path), &file.new)?;
            }
        }
        let file = copy.path().join(".dockslim-verify.Dockerfile");
        write_in_copy(&file, text)?;
        let tag = format!("dockslim-verify:{id}-{role}");
        cleanup
            .lock()
            .map_err(|_| anyhow!("lock"))?
            .images
            .push(tag.clone());
        let report = measure(args, copy.path(), &file, &tag)?;
        cleanup.lock().map_err(|_| anyhow!("lock"))?.dirs.push(copy);
        reports.push(report);
    }
    let rewritten = reports.pop().expect("two reports");
    let original = reports.pop().expect("two reports");
    if !original.built {
        bail!(
            "the original {} does not build, so there is nothing to compare:\n{}",
            dockerfile.display(),
            original.build_error.clone().unwrap_or_default()
        );
    }
    let passed = rewritten.built && rewritten.smoke_passed != Some(false);
    let mut fixes: Vec<String> = outcome.applied.iter().map(|r| r.code.to_owned()).collect();
    fixes.dedup();
    Ok(VerifyReport {
        schema: "dockslim-verify/1",
        dockerfile: super::walk::normalize(dockerfile).display().to_string(),
        changed: outcome.changed(),
        fixes,
        original,
        rewritten,
        passed,
    })
}

fn docker_build(
    args: &VerifyArgs,
    context: &Path,
    file: &Path,
    tag: &str,
    no_cache: bool,
) -> Result<(bool, String, f64)> {
    let mut command = Command::new("docker");
    command
        .env("DOCKER_BUILDKIT", "0")
        .arg("build")
        .arg("-f")
        .arg(file)
        .arg("-t")
        .arg(tag);
    if no_cache {
        command.arg("--no-cache");
    }
    if let Some(network) = &args.network {
        command.args(["--network", network]);
    }
    for build_arg in &args.build_arg {
        command.args(["--build-arg", build_arg]);
    }
    if let Some(target) = &args.target {
        command.args(["--target", target]);
    }
    if let Some(platform) = &args.platform {
        command.args(["--platform", platform]);
    }
    command.arg(context).stdin(Stdio::null());
    let start = Instant::now();
    let output = command.output().context("cannot run `docker build`")?;
    let seconds = start.elapsed().as_secs_f64();
    let mut log = String::from_utf8_lossy(&output.stdout).into_owned();
    log.push_str(&String::from_utf8_lossy(&output.stderr));
    Ok((output.status.success(), log, seconds))
}

/// The steps of a classic-builder log, and whether the cache reused each.
pub fn parse_steps(log: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for line in log.lines() {
        if let Some(rest) = line.strip_prefix("Step ") {
            let instruction = rest.split_once(" : ").map_or(rest, |(_, i)| i).to_owned();
            steps.push(Step {
                instruction,
                cached: false,
            });
        } else if line.trim() == "---> Using cache"
            && let Some(last) = steps.last_mut()
        {
            last.cached = true;
        }
    }
    steps
}

fn measure(args: &VerifyArgs, context: &Path, file: &Path, tag: &str) -> Result<ImageReport> {
    let mut report = ImageReport::default();
    let (ok, log, seconds) = docker_build(args, context, file, tag, true)?;
    report.cold_build_seconds = seconds;
    if !ok {
        let tail: Vec<&str> = log.lines().rev().take(25).collect();
        report.build_error = Some(tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
        return Ok(report);
    }
    report.built = true;
    let size = Command::new("docker")
        .args(["image", "inspect", "--format", "{{.Size}}", tag])
        .output()?;
    report.size_bytes = String::from_utf8_lossy(&size.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    let saved = Command::new("sh")
        .arg("-c")
        .arg(format!("docker save '{tag}' | gzip -1 | wc -c"))
        .output()?;
    report.compressed_bytes = String::from_utf8_lossy(&saved.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    // A one-line source change, then a rebuild with the cache.
    if let Some(changed) = pick_source_file(context, args.touch.as_deref()) {
        let path = inside_copy(context, &changed)?;
        let mut f = std::fs::OpenOptions::new().append(true).open(&path)?;
        f.write_all(b"\n")?;
        report.changed_file = Some(changed);
    }
    let (ok, log, seconds) = docker_build(args, context, file, tag, false)?;
    report.rebuild_seconds = seconds;
    report.rebuild_steps = parse_steps(&log);
    if !ok {
        report.build_error = Some("the rebuild after a source change failed".to_owned());
    }
    if let Some(smoke) = &args.smoke {
        let output = Command::new("sh")
            .arg("-c")
            .arg(smoke.replace("{image}", tag))
            .env("DOCKSLIM_IMAGE", tag)
            .stdin(Stdio::null())
            .output()
            .context("cannot run the smoke test")?;
        report.smoke_passed = Some(output.status.success());
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        report.smoke_output = Some(text.chars().take(2000).collect());
    }
    Ok(report)
}

/// Writes a file of the copied context as a new file: the copy keeps the
/// context's symbolic links, and writing through one would leave the copy.
fn write_in_copy(path: &Path, text: &str) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        std::fs::remove_file(path)
            .with_context(|| format!("cannot replace {} in the copy", path.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

/// `--touch FILE` names a file of the build context: a relative path
/// without `..`. Checked before anything runs.
fn check_touch(touch: &str) -> Result<()> {
    let inside = !touch.is_empty()
        && Path::new(touch).components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
    if !inside {
        bail!(
            "--touch {touch}: must be a path relative to the build context, inside it (no `..`, not absolute)"
        );
    }
    Ok(())
}

/// The file to append to in the copied context: a regular file whose real
/// path is inside the copy. The copy keeps the context's symbolic links,
/// and one of them may point anywhere.
fn inside_copy(copy: &Path, relative: &str) -> Result<PathBuf> {
    check_touch(relative)?;
    let path = copy.join(relative);
    let meta = std::fs::symlink_metadata(&path)
        .with_context(|| format!("--touch {relative}: not in the build context"))?;
    let real = std::fs::canonicalize(&path)?;
    let real_copy = std::fs::canonicalize(copy)?;
    if meta.file_type().is_symlink() || !real.starts_with(&real_copy) || !meta.is_file() {
        bail!(
            "--touch {relative}: not a regular file of the build context (a link or a special file); not changed"
        );
    }
    Ok(path)
}

/// The file a one-line change goes into: `--touch FILE`, or the first source
/// file of the context (not a manifest, lockfile, Dockerfile or hidden file).
fn pick_source_file(context: &Path, touch: Option<&str>) -> Option<String> {
    if let Some(touch) = touch {
        return Some(touch.to_owned());
    }
    const SOURCE: [&str; 12] = [
        "js", "ts", "py", "go", "rs", "c", "java", "rb", "php", "cs", "html", "sh",
    ];
    let mut candidates = Vec::new();
    let walker = ignore::WalkBuilder::new(context)
        .hidden(true)
        .git_ignore(false)
        .build();
    for entry in walker.flatten() {
        let path = entry.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if entry.file_type().is_some_and(|t| t.is_file())
            && SOURCE.contains(&ext)
            && !path.components().any(|c| c.as_os_str() == "node_modules")
            && let Ok(rel) = path.strip_prefix(context)
        {
            candidates.push(rel.to_string_lossy().into_owned());
        }
    }
    candidates.sort();
    candidates.into_iter().next()
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target: PathBuf = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(entry.path())?, &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
        // Anything else (a FIFO, a socket, a device) is left out: copying
        // a FIFO would block until something writes to it.
    }
    Ok(())
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn print_report(args: &VerifyArgs, report: &VerifyReport) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if args.format == "json" {
        writeln!(out, "{}", serde_json::to_string_pretty(report)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: fixes {}",
        report.dockerfile,
        if report.fixes.is_empty() {
            "none".to_owned()
        } else {
            report.fixes.join(", ")
        }
    )?;
    writeln!(
        out,
        "{:<10} {:>6} {:>11} {:>11} {:>9} {:>9} {:>13} {:>6}",
        "image", "built", "size", "compressed", "cold", "rebuild", "steps cached", "smoke"
    )?;
    for (name, r) in [
        ("original", &report.original),
        ("rewritten", &report.rewritten),
    ] {
        let cached = r.rebuild_steps.iter().filter(|s| s.cached).count();
        let smoke = match r.smoke_passed {
            Some(true) => "pass",
            Some(false) => "FAIL",
            None => "-",
        };
        writeln!(
            out,
            "{:<10} {:>6} {:>11} {:>11} {:>8.1}s {:>8.1}s {:>13} {:>6}",
            name,
            if r.built { "yes" } else { "NO" },
            mb(r.size_bytes),
            mb(r.compressed_bytes),
            r.cold_build_seconds,
            r.rebuild_seconds,
            format!("{cached}/{}", r.rebuild_steps.len()),
            smoke
        )?;
    }
    if let Some(error) = &report.rewritten.build_error {
        writeln!(out, "\nthe rewritten Dockerfile failed:\n{error}")?;
    }
    if report.rewritten.smoke_passed == Some(false) {
        writeln!(
            out,
            "\nthe smoke test failed on the rewritten image:\n{}",
            report.rewritten.smoke_output.clone().unwrap_or_default()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON report's shape is a documented interface (schema
    /// `dockslim-verify/1`): these keys are what scripts read.
    #[test]
    fn json_report_shape() {
        let report = VerifyReport {
            schema: "dockslim-verify/1",
            dockerfile: "Dockerfile".into(),
            changed: true,
            fixes: vec!["DS101".into()],
            original: ImageReport::default(),
            rewritten: ImageReport::default(),
            passed: true,
        };
        let value = serde_json::to_value(&report).unwrap();
        let keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "changed",
                "dockerfile",
                "fixes",
                "original",
                "passed",
                "rewritten",
                "schema"
            ]
        );
        let image: Vec<&str> = value["original"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            image,
            [
                "build_error",
                "built",
                "changed_file",
                "cold_build_seconds",
                "compressed_bytes",
                "rebuild_seconds",
                "rebuild_steps",
                "size_bytes",
                "smoke_output",
                "smoke_passed"
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn nothing_in_the_copy_is_written_through_a_link() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "keep\n").unwrap();
        let copy = dir.path().join("copy");
        std::fs::create_dir(&copy).unwrap();
        std::fs::write(copy.join("app.py"), "print(1)\n").unwrap();
        symlink(&outside, copy.join(".dockslim-verify.Dockerfile")).unwrap();
        symlink(&outside, copy.join("main.py")).unwrap();
        write_in_copy(&copy.join(".dockslim-verify.Dockerfile"), "FROM a\n").unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep\n");
        assert_eq!(
            std::fs::read_to_string(copy.join(".dockslim-verify.Dockerfile")).unwrap(),
            "FROM a\n"
        );
        assert!(
            inside_copy(&copy, "main.py").is_err(),
            "a link is not touched"
        );
        assert!(inside_copy(&copy, "../outside.txt").is_err());
        assert!(inside_copy(&copy, "missing.py").is_err());
        assert_eq!(inside_copy(&copy, "app.py").unwrap(), copy.join("app.py"));
    }

    #[test]
    fn steps_and_cache_hits_from_a_classic_log() {
        let log = "Step 1/3 : FROM node:18\n ---> 1a2b\nStep 2/3 : RUN npm ci\n ---> Using cache\n ---> 3c4d\nStep 3/3 : COPY . .\n ---> 5e6f\n";
        assert_eq!(
            parse_steps(log),
            vec![
                Step {
                    instruction: "FROM node:18".into(),
                    cached: false
                },
                Step {
                    instruction: "RUN npm ci".into(),
                    cached: true
                },
                Step {
                    instruction: "COPY . .".into(),
                    cached: false
                },
            ]
        );
    }
}
