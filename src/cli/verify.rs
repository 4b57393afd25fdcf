//! `dockslim verify`: prove a rewrite. The fixes are applied to a copy of the
//! build context; the original and the rewritten Dockerfile are built with
//! the local Docker engine (through a `docker` CLI, with BuildKit when the
//! engine and a client offer it, the classic builder otherwise), and each
//! image is measured: build success, size, cold build time, rebuild time
//! after a one-line source change and after a dependency change (and which
//! steps the cache reused), and an optional smoke test. Images and copies
//! are removed afterwards, also on failure or Ctrl-C.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context as _, Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use super::Status;
use super::args::VerifyArgs;
use crate::apply::fix_source;
use crate::context::Context;

/// Measurements of one image. (`Deserialize` for `--from-report`; the
/// fields added after the first version default when a report lacks them.)
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ImageReport {
    pub built: bool,
    pub build_error: Option<String>,
    /// `docker image inspect` size.
    pub size_bytes: u64,
    /// `docker save | gzip` size: roughly what a registry stores (0 with
    /// `--skip-compressed-size`).
    pub compressed_bytes: u64,
    pub cold_build_seconds: f64,
    pub rebuild_seconds: f64,
    /// The file changed before the rebuild.
    pub changed_file: Option<String>,
    /// Each build step of the rebuild, and whether the cache reused it.
    pub rebuild_steps: Vec<Step>,
    pub smoke_passed: Option<bool>,
    pub smoke_output: Option<String>,
    /// The files `--deps-change` copied over the context (empty: no such
    /// scenario).
    #[serde(default)]
    pub deps_changed_files: Vec<String>,
    /// Whether the rebuild after the dependency change built.
    #[serde(default)]
    pub deps_rebuild_built: Option<bool>,
    #[serde(default)]
    pub deps_rebuild_seconds: Option<f64>,
    #[serde(default)]
    pub deps_rebuild_steps: Vec<Step>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Step {
    pub instruction: String,
    pub cached: bool,
    /// The targets of the step's `--mount=type=cache` flags.
    #[serde(default)]
    pub cache_mounts: Vec<String>,
    /// The last lines the step printed while it ran (none when cached).
    #[serde(default)]
    pub output: Vec<String>,
}

/// How many output lines a step keeps.
const STEP_OUTPUT_LINES: usize = 40;

impl Step {
    fn new(instruction: &str) -> Self {
        Step {
            instruction: instruction.to_owned(),
            cache_mounts: cache_mount_targets(instruction),
            ..Step::default()
        }
    }

    fn push_output(&mut self, line: &str) {
        if self.output.len() == STEP_OUTPUT_LINES {
            self.output.remove(0);
        }
        self.output.push(line.to_owned());
    }
}

/// The targets of `--mount=type=cache,…` flags at the start of an instruction.
fn cache_mount_targets(instruction: &str) -> Vec<String> {
    instruction
        .split_whitespace()
        .skip(1)
        .take_while(|w| w.starts_with("--"))
        .filter_map(|w| w.strip_prefix("--mount="))
        .filter(|v| v.split(',').any(|kv| kv == "type=cache"))
        .filter_map(|v| {
            v.split(',').find_map(|kv| {
                kv.strip_prefix("target=")
                    .or_else(|| kv.strip_prefix("dst="))
                    .or_else(|| kv.strip_prefix("destination="))
                    .map(str::to_owned)
            })
        })
        .collect()
}

/// The builder a run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Builder {
    Classic,
    Buildkit,
}

/// The docker client a run calls, and how it builds.
#[derive(Clone, Debug)]
pub struct Docker {
    pub client: PathBuf,
    pub client_version: String,
    pub builder: Builder,
}

impl Docker {
    fn command(&self) -> Command {
        Command::new(&self.client)
    }
}

/// What one docker client on this machine can do.
#[derive(Clone, Debug)]
struct Probe {
    client: PathBuf,
    client_version: String,
    buildkit: bool,
}

/// `20.10.24+dfsg1` → (20, 10).
fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split(|c: char| !c.is_ascii_digit());
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// Whether `DOCKER_BUILDKIT=1 CLIENT build` builds with BuildKit: the
/// engine must be a Linux engine of 18.09 or later, and the client either
/// has the buildx plugin (from Docker 23 on, `docker build` is buildx and
/// fails without it) or is older than 23 with BuildKit built in.
pub fn offers_buildkit(client: &str, server: &str, os: &str, buildx: bool) -> bool {
    let at_least_18_09 = |v: &str| major_minor(v).is_some_and(|mm| mm >= (18, 9));
    let built_in = major_minor(client).is_some_and(|(major, _)| major < 23);
    os == "linux" && at_least_18_09(server) && (buildx || (built_in && at_least_18_09(client)))
}

/// The `docker` programs to try: `$DOCKSLIM_DOCKER`, then every `docker` on
/// the PATH, in order (a newer client first on the PATH may lack buildx
/// while an older one behind it has BuildKit built in).
fn clients() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut seen = Vec::new();
    let from_env = std::env::var_os("DOCKSLIM_DOCKER").map(PathBuf::from);
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|dir| dir.join("docker"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    for candidate in from_env.into_iter().chain(on_path) {
        if !candidate.is_file() {
            continue;
        }
        let canonical = std::fs::canonicalize(&candidate).unwrap_or(candidate.clone());
        if !seen.contains(&canonical) {
            seen.push(canonical);
            found.push(candidate);
        }
    }
    found
}

fn probe(client: &Path) -> std::result::Result<Probe, String> {
    let out = Command::new(client)
        .args([
            "version",
            "--format",
            "{{.Client.Version}}|{{.Server.Version}}|{{.Server.Os}}",
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut fields = text.trim().split('|');
    let (client_version, server, os) = (
        fields.next().unwrap_or_default().to_owned(),
        fields.next().unwrap_or_default(),
        fields.next().unwrap_or_default(),
    );
    let buildx = Command::new(client)
        .args(["buildx", "version"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    Ok(Probe {
        client: client.to_owned(),
        buildkit: offers_buildkit(&client_version, server, os, buildx),
        client_version,
    })
}

/// Picks the client and builder for `requested` (`auto`, `buildkit`, `classic`).
pub fn choose_docker(requested: &str) -> Result<Docker> {
    let candidates = clients();
    if candidates.is_empty() {
        bail!(
            "the `docker` command is not available (none on the PATH): `dockslim verify` needs the Docker CLI and a running engine"
        );
    }
    let mut reachable = Vec::new();
    let mut first_error = None;
    for client in &candidates {
        match probe(client) {
            Ok(p) => reachable.push(p),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if reachable.is_empty() {
        bail!(
            "no Docker engine is reachable: `dockslim verify` builds images with the local Docker engine; start one (`dockerd`) or point DOCKER_HOST at one\n  docker said: {}",
            first_error.unwrap_or_default()
        );
    }
    let with_buildkit = reachable.iter().find(|p| p.buildkit);
    let (probe, builder) = match (requested, with_buildkit) {
        ("classic", _) => (&reachable[0], Builder::Classic),
        ("buildkit" | "auto", Some(p)) => (p, Builder::Buildkit),
        ("buildkit", None) => bail!(
            "--builder buildkit: no docker client here builds with BuildKit ({}); install the buildx plugin, or use --builder classic",
            reachable
                .iter()
                .map(|p| format!("{} {}", p.client.display(), p.client_version))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => (&reachable[0], Builder::Classic),
    };
    Ok(Docker {
        client: probe.client.clone(),
        client_version: probe.client_version.clone(),
        builder,
    })
}

#[derive(Debug, Serialize, Deserialize)]
pub struct VerifyReport {
    pub schema: String,
    pub dockerfile: String,
    /// `buildkit` or `classic`.
    pub builder: Builder,
    /// The docker client that built, and its version.
    pub docker: String,
    pub changed: bool,
    pub fixes: Vec<String>,
    /// The rewritten Dockerfile this run built: what the figures are of.
    /// `--from-report` renders a report only for the rewrite it measured.
    #[serde(default)]
    pub rewritten_dockerfile: String,
    pub original: ImageReport,
    pub rewritten: ImageReport,
    pub passed: bool,
}

/// Images created by this run, removed when it ends however it ends.
struct Cleanup {
    client: PathBuf,
    images: Vec<String>,
    dirs: Vec<tempfile::TempDir>,
}

impl Cleanup {
    fn run(&mut self) {
        if !self.images.is_empty() {
            let _ = Command::new(&self.client)
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
    // A saved report needs no engine.
    let docker = match args.from_report {
        Some(_) => None,
        None => Some(choose_docker(&args.builder)?),
    };
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
    let mut outcome = fix_source(&source, &context, &settings).map_err(|e| {
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
    if let Some(against) = &args.against {
        if args.format == "markdown" {
            bail!(
                "--against compares with a hand-written file; the markdown body describes dockslim's rewrite"
            );
        }
        // The reference replaces the rewrite: nothing of dockslim's is applied.
        outcome.fixed = super::read::text(
            against,
            super::read::MAX_DOCKERFILE,
            super::read::Links::Follow,
        )
        .map_err(|e| anyhow!("cannot read {}: {e}", against.display()))?;
        outcome.files.clear();
        outcome.applied.clear();
        outcome.fixes.clear();
    }

    let report = match (&docker, &args.from_report) {
        (Some(docker), _) => {
            build_and_measure(args, docker, &dockerfile, &context_dir, &source, &outcome)?
        }
        (None, Some(saved)) => load_report(saved, &outcome)?,
        (None, None) => unreachable!("an engine is chosen unless a report is given"),
    };
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

/// Builds and measures both images, and removes what it created however
/// it ends.
fn build_and_measure(
    args: &VerifyArgs,
    docker: &Docker,
    dockerfile: &Path,
    context_dir: &Path,
    source: &str,
    outcome: &crate::apply::Outcome,
) -> Result<VerifyReport> {
    let cleanup = Arc::new(Mutex::new(Cleanup {
        client: docker.client.clone(),
        images: Vec::new(),
        dirs: Vec::new(),
    }));
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
    let result = run_both(
        args,
        docker,
        dockerfile,
        context_dir,
        source,
        outcome,
        &cleanup,
    );
    if let Ok(mut c) = cleanup.lock() {
        c.run();
    }
    result
}

/// The rule codes a run applied, in order, each once in a row.
fn applied_codes(outcome: &crate::apply::Outcome) -> Vec<String> {
    let mut fixes: Vec<String> = outcome.applied.iter().map(|r| r.code.to_owned()).collect();
    fixes.dedup();
    fixes
}

/// A report that `verify --format json` saved, for the rewrite this run
/// makes. The measured figures are of the Dockerfile that run built, so a
/// report of another rewrite (other flags, another dockslim, an edited
/// Dockerfile) is refused rather than shown beside this run's diff.
fn load_report(path: &Path, outcome: &crate::apply::Outcome) -> Result<VerifyReport> {
    // A report holds the rewritten Dockerfile (at most MAX_DOCKERFILE) and
    // bounded logs: 64 MiB is far more than one needs.
    let text = super::read::text(path, 64 * 1024 * 1024, super::read::Links::Follow)
        .map_err(|e| anyhow!("--from-report {}: cannot read it: {e}", path.display()))?;
    let report: VerifyReport = serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "--from-report {}: not a `dockslim verify --format json` report: {e}",
            path.display()
        )
    })?;
    if report.schema != "dockslim-verify/1" {
        bail!(
            "--from-report {}: schema `{}`, expected `dockslim-verify/1`",
            path.display(),
            report.schema
        );
    }
    if report.rewritten_dockerfile.is_empty() {
        bail!(
            "--from-report {}: the report does not say which Dockerfile it built (an older dockslim wrote it): run `dockslim verify` again",
            path.display()
        );
    }
    let fixes = applied_codes(outcome);
    if report.rewritten_dockerfile != outcome.fixed || report.fixes != fixes {
        bail!(
            "--from-report {}: the report measured another rewrite (its fixes: {}; this run's: {}{}): run `dockslim verify` again with the same flags",
            path.display(),
            list_or_none(&report.fixes),
            list_or_none(&fixes),
            if report.fixes == fixes {
                ", with another result"
            } else {
                ""
            }
        );
    }
    Ok(report)
}

fn list_or_none(codes: &[String]) -> String {
    if codes.is_empty() {
        "none".to_owned()
    } else {
        codes.join(", ")
    }
}

static RUN_ID: AtomicU32 = AtomicU32::new(0);

fn run_both(
    args: &VerifyArgs,
    docker: &Docker,
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
        let report = measure(args, docker, copy.path(), &file, &tag)?;
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
    let passed = rewritten.built
        && rewritten.smoke_passed != Some(false)
        && rewritten.deps_rebuild_built != Some(false);
    Ok(VerifyReport {
        schema: "dockslim-verify/1".to_owned(),
        dockerfile: super::walk::normalize(dockerfile).display().to_string(),
        builder: docker.builder,
        docker: format!("{} {}", docker.client.display(), docker.client_version),
        changed: outcome.changed(),
        fixes: applied_codes(outcome),
        rewritten_dockerfile: outcome.fixed.clone(),
        original,
        rewritten,
        passed,
    })
}

fn docker_build(
    args: &VerifyArgs,
    docker: &Docker,
    context: &Path,
    file: &Path,
    tag: &str,
    no_cache: bool,
) -> Result<(bool, String, f64)> {
    let mut command = docker.command();
    match docker.builder {
        Builder::Classic => command.env("DOCKER_BUILDKIT", "0").arg("build"),
        // Plain progress: one line per event, with `#N CACHED` for reused steps.
        Builder::Buildkit => command
            .env("DOCKER_BUILDKIT", "1")
            .args(["build", "--progress=plain"]),
    };
    command.arg("-f").arg(file).arg("-t").arg(tag);
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

/// The steps of a build log, and whether the cache reused each.
pub fn parse_steps(builder: Builder, log: &str) -> Vec<Step> {
    match builder {
        Builder::Classic => parse_classic_steps(log),
        Builder::Buildkit => parse_buildkit_steps(log),
    }
}

/// A classic-builder log: `Step 2/3 : RUN …`, ` ---> Using cache`.
pub fn parse_classic_steps(log: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for line in log.lines() {
        if let Some(rest) = line.strip_prefix("Step ") {
            let instruction = rest.split_once(" : ").map_or(rest, |(_, i)| i);
            steps.push(Step::new(instruction));
        } else if let Some(last) = steps.last_mut() {
            let trimmed = line.trim();
            if trimmed == "---> Using cache" {
                last.cached = true;
            } else if !trimmed.starts_with("--->")
                && !trimmed.starts_with("Removing intermediate container")
                && !trimmed.is_empty()
            {
                last.push_output(line);
            }
        }
    }
    steps
}

/// BuildKit's `--progress=plain` log: `#7 [build 3/5] RUN …` opens a step
/// (again when the progress interleaves), `#7 CACHED` marks it reused,
/// `#7 1.234 text` is its output. `[internal]` vertices, exporting and the
/// like are not steps of the Dockerfile.
pub fn parse_buildkit_steps(log: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut by_vertex: Vec<(u32, usize)> = Vec::new();
    for line in log.lines() {
        let Some((vertex, text)) = line
            .strip_prefix('#')
            .and_then(|rest| rest.split_once(' '))
            .and_then(|(n, text)| Some((n.parse::<u32>().ok()?, text)))
        else {
            continue;
        };
        let known = by_vertex
            .iter()
            .find(|(v, _)| *v == vertex)
            .map(|(_, i)| *i);
        if let Some(header) = text.strip_prefix('[') {
            let Some((position, instruction)) = header.split_once("] ") else {
                continue;
            };
            // `1/4`, `stage-0 2/4`, `build 3/5`: a Dockerfile step.
            let is_step = position
                .rsplit(' ')
                .next()
                .and_then(|p| p.split_once('/'))
                .is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok());
            if is_step && known.is_none() {
                by_vertex.push((vertex, steps.len()));
                steps.push(Step::new(instruction));
            }
            continue;
        }
        let Some(index) = known else { continue };
        if text == "CACHED" {
            steps[index].cached = true;
        } else if let Some((time, output)) = text.split_once(' ')
            && time.parse::<f64>().is_ok()
        {
            steps[index].push_output(output);
        }
    }
    steps
}

fn measure(
    args: &VerifyArgs,
    docker: &Docker,
    context: &Path,
    file: &Path,
    tag: &str,
) -> Result<ImageReport> {
    let mut report = ImageReport::default();
    let (ok, log, seconds) = docker_build(args, docker, context, file, tag, true)?;
    report.cold_build_seconds = seconds;
    if !ok {
        let tail: Vec<&str> = log.lines().rev().take(25).collect();
        report.build_error = Some(tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
        return Ok(report);
    }
    report.built = true;
    let size = docker
        .command()
        .args(["image", "inspect", "--format", "{{.Size}}", tag])
        .output()?;
    report.size_bytes = String::from_utf8_lossy(&size.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    if !args.skip_compressed_size {
        let saved = Command::new("sh")
            .arg("-c")
            .arg("\"$DOCKSLIM_DOCKER_CLIENT\" save \"$DOCKSLIM_TAG\" | gzip -1 | wc -c")
            .env("DOCKSLIM_DOCKER_CLIENT", &docker.client)
            .env("DOCKSLIM_TAG", tag)
            .output()?;
        report.compressed_bytes = String::from_utf8_lossy(&saved.stdout)
            .trim()
            .parse()
            .unwrap_or(0);
    }
    // A one-line source change, then a rebuild with the cache.
    if let Some(changed) = pick_source_file(context, args.touch.as_deref()) {
        let path = inside_copy(context, &changed)?;
        append_blank_line(&path)?;
        report.changed_file = Some(changed);
    }
    let (ok, log, seconds) = docker_build(args, docker, context, file, tag, false)?;
    report.rebuild_seconds = seconds;
    report.rebuild_steps = parse_steps(docker.builder, &log);
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
    // A dependency change, then a rebuild with the cache (and the cache
    // mounts the earlier builds filled).
    if let Some(changes) = &args.deps_change {
        report.deps_changed_files = copy_changes(changes, context, Path::new(""))
            .with_context(|| format!("cannot apply --deps-change {}", changes.display()))?;
        report.deps_changed_files.sort();
        for changed in &report.deps_changed_files {
            append_blank_line(&context.join(changed))?;
        }
        let (ok, log, seconds) = docker_build(args, docker, context, file, tag, false)?;
        report.deps_rebuild_built = Some(ok);
        report.deps_rebuild_seconds = Some(seconds);
        report.deps_rebuild_steps = parse_steps(docker.builder, &log);
        if !ok && report.build_error.is_none() {
            let tail: Vec<&str> = log.lines().rev().take(25).collect();
            report.build_error = Some(format!(
                "the rebuild after the dependency change failed:\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            ));
        }
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

/// Appends a line of blanks to `path`. The blanks (spaces and tabs) spell
/// a number unique to this run: the builders' caches are content-addressed,
/// so a change that an earlier run also made would find that run's layers
/// and the rebuild would measure nothing. Blank lines mean nothing to the
/// languages and manifests a change goes into.
fn append_blank_line(path: &Path) -> std::io::Result<()> {
    static SEQUENCE: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let unique = nanos
        ^ std::process::id().wrapping_mul(2_654_435_761)
        ^ SEQUENCE
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(40_503);
    let blanks: String = (0..32)
        .map(|bit| if unique >> bit & 1 == 1 { '\t' } else { ' ' })
        .collect();
    let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
    file.write_all(format!("\n{blanks}\n").as_bytes())
}

/// Copies the files under `from` over `to`, and returns their paths
/// relative to `to`.
fn copy_changes(from: &Path, to: &Path, rel: &Path) -> std::io::Result<Vec<String>> {
    let mut copied = Vec::new();
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = rel.join(entry.file_name());
        let target = to.join(&name);
        // The copy keeps the context's symbolic links: never write through
        // one (it may point anywhere), and never into a folder outside it.
        if let Ok(meta) = std::fs::symlink_metadata(&target)
            && (meta.file_type().is_symlink() || !entry.file_type()?.is_dir())
        {
            if meta.is_dir() && !meta.file_type().is_symlink() {
                return Err(std::io::Error::other(format!(
                    "{}: a folder in the context, a file in the change",
                    name.display()
                )));
            }
            std::fs::remove_file(&target)?;
        }
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copied.extend(copy_changes(&entry.path(), to, &name)?);
        } else if entry.file_type()?.is_file() {
            let mut out = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)?;
            std::io::copy(&mut std::fs::File::open(entry.path())?, &mut out)?;
            copied.push(name.to_string_lossy().into_owned());
        }
    }
    Ok(copied)
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
        "{}: fixes {} (builder: {}, {})",
        report.dockerfile,
        list_or_none(&report.fixes),
        match report.builder {
            Builder::Buildkit => "BuildKit",
            Builder::Classic => "classic",
        },
        report.docker
    )?;
    writeln!(
        out,
        "{:<10} {:>6} {:>11} {:>11} {:>9} {:>9} {:>13} {:>12} {:>6}",
        "image",
        "built",
        "size",
        "compressed",
        "cold",
        "rebuild",
        "steps cached",
        "deps rebuild",
        "smoke"
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
        let deps = match (r.deps_rebuild_built, r.deps_rebuild_seconds) {
            (Some(true), Some(s)) => format!("{s:.1}s"),
            (Some(false), _) => "FAIL".to_owned(),
            _ => "-".to_owned(),
        };
        writeln!(
            out,
            "{:<10} {:>6} {:>11} {:>11} {:>8.1}s {:>8.1}s {:>13} {:>12} {:>6}",
            name,
            if r.built { "yes" } else { "NO" },
            mb(r.size_bytes),
            mb(r.compressed_bytes),
            r.cold_build_seconds,
            r.rebuild_seconds,
            format!("{cached}/{}", r.rebuild_steps.len()),
            deps,
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
            schema: "dockslim-verify/1".into(),
            dockerfile: "Dockerfile".into(),
            builder: Builder::Buildkit,
            docker: "/usr/bin/docker 20.10.24".into(),
            changed: true,
            fixes: vec!["DS101".into()],
            rewritten_dockerfile: "FROM a\n".into(),
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
                "builder",
                "changed",
                "docker",
                "dockerfile",
                "fixes",
                "original",
                "passed",
                "rewritten",
                "rewritten_dockerfile",
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
                "deps_changed_files",
                "deps_rebuild_built",
                "deps_rebuild_seconds",
                "deps_rebuild_steps",
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
        let steps = parse_steps(Builder::Classic, log);
        let summary: Vec<(&str, bool)> = steps
            .iter()
            .map(|s| (s.instruction.as_str(), s.cached))
            .collect();
        assert_eq!(
            summary,
            [
                ("FROM node:18", false),
                ("RUN npm ci", true),
                ("COPY . .", false)
            ]
        );
        assert_eq!(value_of(&serde_json::to_value(&steps[1]).unwrap()), 4);
    }

    fn value_of(step: &serde_json::Value) -> usize {
        step.as_object().unwrap().len()
    }

    /// What `DOCKER_BUILDKIT=1 docker build --progress=plain` (20.10)
    /// printed here, shortened: a cached step, a step that ran with a cache
    /// mount and printed, a repeated header, internal vertices.
    #[test]
    fn steps_cache_hits_mounts_and_output_from_a_buildkit_log() {
        let log = "#1 [internal] load build definition from Dockerfile\n#1 sha256:aa\n#1 DONE 0.0s\n\n#4 [build 1/4] FROM docker.io/library/python:3.11\n#4 DONE 0.1s\n\n#5 [build 2/4] WORKDIR /app\n#5 CACHED\n\n#6 [internal] load build context\n#6 transferring context: 34B done\n\n#7 [build 3/4] COPY requirements.txt ./\n#7 DONE 0.0s\n\n#8 [build 4/4] RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked pip install -r requirements.txt\n#8 0.912 Collecting flask\n#8 1.020 Using cached flask-3.0.0-py3-none-any.whl (99 kB)\n#8 [build 4/4] RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked pip install -r requirements.txt\n#8 2.100 Successfully installed flask-3.0.0\n#8 DONE 2.2s\n\n#9 [stage-1 1/2] COPY --from=build /app /app\n#9 CACHED\n\n#10 exporting to image\n#10 naming to docker.io/library/x done\n";
        let steps = parse_buildkit_steps(log);
        let summary: Vec<(&str, bool)> = steps
            .iter()
            .map(|s| (s.instruction.as_str(), s.cached))
            .collect();
        assert_eq!(
            summary,
            [
                ("FROM docker.io/library/python:3.11", false),
                ("WORKDIR /app", true),
                ("COPY requirements.txt ./", false),
                (
                    "RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked pip install -r requirements.txt",
                    false
                ),
                ("COPY --from=build /app /app", true),
            ]
        );
        assert_eq!(steps[3].cache_mounts, ["/root/.cache/pip"]);
        assert_eq!(
            steps[3].output,
            [
                "Collecting flask",
                "Using cached flask-3.0.0-py3-none-any.whl (99 kB)",
                "Successfully installed flask-3.0.0"
            ]
        );
        assert!(steps[1].cache_mounts.is_empty() && steps[1].output.is_empty());
    }

    #[test]
    fn which_clients_offer_buildkit() {
        // Debian's docker.io 20.10: built in.
        assert!(offers_buildkit(
            "20.10.24+dfsg1",
            "20.10.24+dfsg1",
            "linux",
            false
        ));
        // Docker 23 and later need buildx for BuildKit.
        assert!(!offers_buildkit("28.2.2", "20.10.24+dfsg1", "linux", false));
        assert!(offers_buildkit("28.2.2", "20.10.24+dfsg1", "linux", true));
        // Too old, or a Windows engine.
        assert!(!offers_buildkit("18.06.1", "18.06.1", "linux", false));
        assert!(!offers_buildkit("20.10.24", "20.10.24", "windows", true));
        assert_eq!(major_minor("20.10.24+dfsg1"), Some((20, 10)));
    }
}
