//! Command-line flags, defined once with their help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "dockslim",
    version,
    about = "Rewrites Dockerfiles so the images they build are smaller, rebuild faster and ship less attack surface.",
    after_help = "Exit codes: 0 nothing to do, 1 something found or changed, 2 error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find problems in Dockerfiles and fix them.
    ///
    /// Example: `dockslim fix --diff .` prints what would change in every
    /// Dockerfile below the current directory.
    Fix(FixArgs),
    /// List the rules.
    Rules,
    /// Build the original and the fixed Dockerfile with the local Docker
    /// engine and compare them: build, size, cold build and rebuild time after
    /// a one-line source change, and a smoke test.
    ///
    /// Example: `dockslim verify Dockerfile --network host --smoke 'docker run --rm {image} node -v'`.
    Verify(VerifyArgs),
    /// Print the configuration in effect for a Dockerfile (flags, the
    /// `.dockslim.yaml` found above it and its overrides).
    ///
    /// Example: `dockslim config services/api/Dockerfile`.
    Config {
        /// The Dockerfile (default: `Dockerfile`).
        #[arg(default_value = "Dockerfile")]
        path: PathBuf,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Print a shell completion script.
    ///
    /// Example: `dockslim completions bash > /etc/bash_completion.d/dockslim`.
    Completions {
        #[arg(value_parser = ["bash", "zsh", "fish", "powershell", "elvish"])]
        shell: String,
    },
    /// Explain a rule: what it does, why, an example, and its fix safety.
    ///
    /// Example: `dockslim explain DS101` or `dockslim explain apt-lists-cleanup`.
    Explain {
        /// A rule code or name.
        rule: String,
    },
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// Files or directories (directories are searched for Dockerfile,
    /// Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile), or `-` for
    /// standard input. Default: the current directory.
    pub paths: Vec<PathBuf>,

    /// Print a unified diff of the fixes instead of the findings
    /// (`dockslim fix --diff . | git apply` applies it).
    #[arg(long, conflicts_with_all = ["write", "check"])]
    pub diff: bool,

    /// Rewrite the files in place (atomically, only when the content changes).
    #[arg(long, conflicts_with = "check")]
    pub write: bool,

    /// Print only a summary; exit 1 when something would change.
    #[arg(long)]
    pub check: bool,

    /// How to print findings: `text` (colour on a terminal unless NO_COLOR
    /// is set), `json` (schema dockslim/1), `sarif` (2.1.0, for code
    /// scanning), `github` (workflow annotations) or `markdown` (a
    /// pull-request body).
    #[arg(long, default_value = "text", value_parser = ["text", "json", "sarif", "github", "markdown"])]
    pub format: String,

    /// The path to report, and to find the configuration and build context
    /// from, for a Dockerfile read from standard input (`-`).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Leave a Dockerfile as it is when its fixes are estimated to save less
    /// than SIZE of compressed image (`50MB`, `1GB`; a plain number is MB),
    /// so that a bot opens no pull request for them. Fixes of unknown size
    /// count as nothing. Also `min-saving:` in `.dockslim.yaml`.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub min_saving: Option<f64>,

    #[command(flatten)]
    pub rules: RuleArgs,
}

/// A size as `--min-saving` takes it, in MB: `50`, `50MB`, `1.5 GB`, `500kB`.
pub fn parse_size(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (such as 50MB or 1GB)"))?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "m" | "mb" => 1.0,
        "g" | "gb" => 1000.0,
        "k" | "kb" => 0.001,
        _ => return Err(format!("`{text}`: the unit must be kB, MB or GB")),
    };
    Ok(value * factor)
}

/// What runs and with which data: shared by `fix`, `verify` and `config`.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The configuration file. Default: the nearest `.dockslim.yaml` above
    /// each Dockerfile.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Also apply fixes that could change behaviour.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Rules to run: codes (DS101), prefixes (DS1), names, or ALL.
    /// Comma-separated or repeated. Default: all rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Rules not to run, as for --select.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// The build context the Dockerfiles are built from, for rules that
    /// look at it (manifests, .dockerignore). Default: each Dockerfile's directory.
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,

    /// A base-image table of your own (same format as
    /// transforms/base-images.yaml); its entries go before the built-in ones.
    #[arg(long, value_name = "FILE")]
    pub mappings: Option<PathBuf>,

    /// Use only the table given with --mappings, not the built-in one.
    #[arg(long, requires = "mappings")]
    pub no_builtin: bool,

    /// Enable a profile: `alpine` allows alpine base-image targets (musl);
    /// `cache-mounts` keeps package caches in BuildKit cache mounts (DS114)
    /// instead of deleting them; `prefer-slim` keeps Node.js and Python
    /// runtimes on the slim images (with a shell) instead of distroless.
    #[arg(long, value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(crate::settings::PROFILES))]
    pub profile: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Findings, one per line, and a summary.
    Report,
    Diff,
    Write,
    Check,
}

impl FixArgs {
    pub fn mode(&self) -> Mode {
        if self.diff {
            Mode::Diff
        } else if self.write {
            Mode::Write
        } else if self.check {
            Mode::Check
        } else {
            Mode::Report
        }
    }
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The Dockerfile.
    pub path: PathBuf,

    /// A command that must pass against each image; `{image}` and the
    /// variable DOCKSLIM_IMAGE name the image.
    #[arg(long, value_name = "CMD")]
    pub smoke: Option<String>,

    /// `table` (default), `json` (schema dockslim-verify/1) or `markdown`
    /// (the pull-request body of `fix --format markdown`, with the measured
    /// sizes and rebuild steps in place of the estimates).
    #[arg(long, default_value = "table", value_parser = ["table", "json", "markdown"])]
    pub format: String,

    /// Passed to `docker build --build-arg`.
    #[arg(long, value_name = "NAME=VALUE")]
    pub build_arg: Vec<String>,

    /// Passed to `docker build --target`.
    #[arg(long)]
    pub target: Option<String>,

    /// Passed to `docker build --platform`.
    #[arg(long)]
    pub platform: Option<String>,

    /// The build network (`host` where the default bridge is not available).
    #[arg(long)]
    pub network: Option<String>,

    /// The file (relative to the context, inside it) that gets a one-line
    /// change before the rebuild; default: the first source file.
    #[arg(long, value_name = "FILE")]
    pub touch: Option<String>,

    /// The builder: `buildkit`, `classic`, or `auto` (default: BuildKit when
    /// the engine and a docker client on the PATH offer it, else classic).
    #[arg(long, default_value = "auto", value_parser = ["auto", "buildkit", "classic"])]
    pub builder: String,

    /// A folder of changed dependency manifests (`requirements.txt`, or
    /// `package.json` with its lockfile): copied over the context after the
    /// source-change rebuild, for a timed rebuild after a dependency change.
    #[arg(long, value_name = "DIR")]
    pub deps_change: Option<PathBuf>,

    /// Skip `docker save | gzip` (the compressed size is then reported as
    /// 0): for a large image it takes longer than the builds.
    #[arg(long)]
    pub skip_compressed_size: bool,

    /// Compare the original with this Dockerfile (a rewrite made by hand)
    /// instead of dockslim's fix output, in the same copy of the context:
    /// how far dockslim is from a reference. Not with `--format markdown`.
    #[arg(long, value_name = "FILE")]
    pub against: Option<PathBuf>,

    /// Build nothing: render the report a `verify --format json` run saved
    /// in FILE (for example as the markdown body, without building every
    /// image again). The fixes are applied again and must give exactly the
    /// Dockerfile that run built, or the report is refused as stale.
    #[arg(long, value_name = "FILE", conflicts_with = "against")]
    pub from_report: Option<PathBuf>,

    #[command(flatten)]
    pub fix: RuleArgs,
}
