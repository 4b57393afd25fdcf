//! `.dockslim.yaml`: the configuration a repository keeps next to its
//! Dockerfiles. It is found by walking up from each Dockerfile (or given
//! with `--config FILE`); command-line flags win over it, and `overrides`
//! adjust it for paths that match globs.
//!
//! ```yaml
//! select: [DS1, DS2]
//! ignore: [DS104]
//! unsafe-fixes: false
//! mappings: docker/base-images.yaml   # relative to this file
//! no-builtin: false
//! profiles: [alpine, cache-mounts]
//! overrides:
//!   - paths: ["legacy/**"]
//!     ignore: [DS401]
//! ```

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::SettingsError;
use super::args::RuleArgs;
use super::read::{self, Links};
use crate::images::BaseImages;
use crate::settings::{PROFILES, RuleSelection, Settings};
use crate::transforms::located;

pub const FILE_NAME: &str = ".dockslim.yaml";

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsafe_fixes: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mappings: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_builtin: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiles: Option<Vec<String>>,
    /// `fix --min-saving` (a size such as `50MB`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_saving: Option<String>,
}

/// Rule selectors, profiles or globs, each with its place in the file.
type Names = Vec<Spanned<String>>;

/// The file: the options at the top, and overrides.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    #[serde(default)]
    select: Option<Names>,
    #[serde(default)]
    ignore: Names,
    #[serde(default)]
    unsafe_fixes: Option<bool>,
    #[serde(default)]
    mappings: Option<Spanned<String>>,
    #[serde(default)]
    no_builtin: Option<bool>,
    #[serde(default)]
    profiles: Option<Names>,
    #[serde(default)]
    min_saving: Option<String>,
    #[serde(default)]
    overrides: Vec<Override>,
}

/// Options for the Dockerfiles whose path matches one of `paths`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Override {
    paths: Names,
    #[serde(default)]
    select: Option<Names>,
    #[serde(default)]
    ignore: Names,
    #[serde(default)]
    unsafe_fixes: Option<bool>,
    #[serde(default)]
    mappings: Option<Spanned<String>>,
    #[serde(default)]
    no_builtin: Option<bool>,
    #[serde(default)]
    profiles: Option<Names>,
    #[serde(default)]
    min_saving: Option<String>,
}

/// The options of the top of the file or of one override, by reference.
struct Layer<'a> {
    select: &'a Option<Names>,
    ignore: &'a Names,
    unsafe_fixes: Option<bool>,
    mappings: &'a Option<Spanned<String>>,
    no_builtin: Option<bool>,
    profiles: &'a Option<Names>,
    min_saving: &'a Option<String>,
}

fn values(names: &[Spanned<String>]) -> Vec<String> {
    names.iter().map(|n| n.value.clone()).collect()
}

impl Layer<'_> {
    fn options(&self) -> Options {
        Options {
            select: self.select.as_deref().map(values),
            ignore: values(self.ignore),
            unsafe_fixes: self.unsafe_fixes,
            mappings: self.mappings.as_ref().map(|m| m.value.clone()),
            no_builtin: self.no_builtin,
            profiles: self.profiles.as_deref().map(values),
            min_saving: self.min_saving.clone(),
        }
    }
}

impl File {
    fn layer(&self) -> Layer<'_> {
        Layer {
            select: &self.select,
            ignore: &self.ignore,
            unsafe_fixes: self.unsafe_fixes,
            mappings: &self.mappings,
            no_builtin: self.no_builtin,
            profiles: &self.profiles,
            min_saving: &self.min_saving,
        }
    }

    fn options(&self) -> Options {
        self.layer().options()
    }

    /// The top of the file, then every override, matching or not.
    fn layers(&self) -> impl Iterator<Item = Layer<'_>> {
        std::iter::once(self.layer()).chain(self.overrides.iter().map(Override::layer))
    }
}

impl Override {
    fn layer(&self) -> Layer<'_> {
        Layer {
            select: &self.select,
            ignore: &self.ignore,
            unsafe_fixes: self.unsafe_fixes,
            mappings: &self.mappings,
            no_builtin: self.no_builtin,
            profiles: &self.profiles,
            min_saving: &self.min_saving,
        }
    }

    fn options(&self) -> Options {
        self.layer().options()
    }
}

/// A loaded configuration file.
#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    /// The path as shown, and the text, for errors found after loading.
    label: String,
    text: String,
    file: File,
    globs: Vec<globset::GlobSet>,
}

impl Config {
    /// Loads and checks a configuration file: every rule name, profile and
    /// `mappings:` path in it, in overrides that match no Dockerfile too.
    /// A discovered file is the repository's (`Links::Refuse`); one given
    /// with `--config` is the user's (`Links::Follow`).
    pub fn load(path: &Path, links: Links) -> Result<Config, SettingsError> {
        let label = super::walk::normalize(path).display().to_string();
        let text = read::text(path, read::MAX_TABLE, links).map_err(|mut message| {
            if links == Links::Refuse {
                message.push_str(" (a repository's configuration must be a regular file; give another with --config)");
            }
            SettingsError::Unreadable {
                path: label.clone(),
                message,
            }
        })?;
        // Only `true` and `false` are booleans: `unsafe-fixes: "yes"` (or
        // YAML 1.1's `yes`, `on`) is an error, not a silent opt-in.
        let options = serde_saphyr::options! { strict_booleans: true };
        let file: File = serde_saphyr::from_str_with_options(&text, options).map_err(|e| {
            SettingsError::Table {
                error: located::from_yaml(&label, &text, &e),
                text: text.clone(),
            }
        })?;
        let at = |place: &Spanned<String>, message: String| SettingsError::Table {
            error: located::at(&label, &text, &place.referenced, message),
            text: text.clone(),
        };
        let mut globs = Vec::new();
        for o in &file.overrides {
            let mut set = globset::GlobSetBuilder::new();
            for pattern in &o.paths {
                let glob = globset::Glob::new(&pattern.value)
                    .map_err(|e| at(pattern, format!("bad glob `{}`: {e}", pattern.value)))?;
                set.add(glob);
            }
            globs.push(set.build().map_err(|e| SettingsError::Unreadable {
                path: label.clone(),
                message: e.to_string(),
            })?);
        }
        let dir = config_dir(path);
        for layer in file.layers() {
            let selectors = layer.select.iter().flatten().chain(layer.ignore);
            for selector in selectors {
                RuleSelection::check(&selector.value).map_err(|e| at(selector, e.to_string()))?;
            }
            for profile in layer.profiles.iter().flatten() {
                if !PROFILES.contains(&profile.value.as_str()) {
                    return Err(at(
                        profile,
                        format!(
                            "unknown profile `{}` (known: {})",
                            profile.value,
                            PROFILES.join(", ")
                        ),
                    ));
                }
            }
            if let Some(mappings) = layer.mappings {
                mappings_in_tree(dir, &mappings.value).map_err(|m| at(mappings, m))?;
            }
        }
        Ok(Config {
            path: path.to_path_buf(),
            label,
            text,
            file,
            globs,
        })
    }

    /// The base-image table `value` of this file's `mappings:` names,
    /// checked to be inside the file's folder (see [`mappings_in_tree`]).
    fn mappings_path(&self, value: &str) -> Result<PathBuf, SettingsError> {
        mappings_in_tree(config_dir(&self.path), value).map_err(|message| {
            let place = self
                .file
                .layers()
                .find_map(|l| l.mappings.as_ref().filter(|m| m.value == value).cloned());
            match place {
                Some(place) => SettingsError::Table {
                    error: located::at(&self.label, &self.text, &place.referenced, message),
                    text: self.text.clone(),
                },
                None => SettingsError::Unreadable {
                    path: self.label.clone(),
                    message,
                },
            }
        })
    }

    /// The options at the top of the file, without overrides.
    pub fn top_options(&self) -> Options {
        self.file.options()
    }

    /// The options for a Dockerfile: the file's, then every matching override.
    pub fn options_for(&self, dockerfile: &Path) -> Options {
        let base = config_dir(&self.path);
        let absolute = std::path::absolute(dockerfile).unwrap_or_else(|_| dockerfile.to_path_buf());
        let base = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
        let relative = absolute.strip_prefix(&base).unwrap_or(&absolute);
        let mut options = self.file.options();
        for (o, globs) in self.file.overrides.iter().zip(&self.globs) {
            if globs.is_match(relative) {
                merge(&mut options, &o.options());
            }
        }
        options
    }
}

/// The folder of a configuration file, which its relative paths start from.
fn config_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The path of a repository's `mappings:` table: relative, without `..`,
/// inside the configuration's folder once links are resolved, and a
/// regular file. A repository's configuration is as untrusted as the
/// repository; the error names the value only, so nothing of a file it
/// must not read is shown. `--mappings FILE` is the user's and may be
/// anywhere.
fn mappings_in_tree(dir: &Path, value: &str) -> Result<PathBuf, String> {
    let relative = Path::new(value);
    let inside = !value.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside {
        return Err(format!(
            "mappings `{value}` must be a relative path inside this file's folder (no `..`, not absolute); give other tables with --mappings"
        ));
    }
    let path = dir.join(relative);
    let real =
        std::fs::canonicalize(&path).map_err(|e| format!("cannot read mappings `{value}`: {e}"))?;
    let real_dir =
        std::fs::canonicalize(dir).map_err(|e| format!("cannot read mappings `{value}`: {e}"))?;
    if !real.starts_with(&real_dir) {
        return Err(format!(
            "mappings `{value}` is a symbolic link out of this file's folder; not read"
        ));
    }
    if !std::fs::metadata(&real).is_ok_and(|m| m.is_file()) {
        return Err(format!(
            "mappings `{value}` is not a regular file; not read"
        ));
    }
    Ok(path)
}

fn merge(into: &mut Options, from: &Options) {
    if from.select.is_some() {
        into.select.clone_from(&from.select);
    }
    into.ignore.extend(from.ignore.iter().cloned());
    if from.unsafe_fixes.is_some() {
        into.unsafe_fixes = from.unsafe_fixes;
    }
    if from.mappings.is_some() {
        into.mappings.clone_from(&from.mappings);
    }
    if from.no_builtin.is_some() {
        into.no_builtin = from.no_builtin;
    }
    if from.profiles.is_some() {
        into.profiles.clone_from(&from.profiles);
    }
    if from.min_saving.is_some() {
        into.min_saving.clone_from(&from.min_saving);
    }
}

/// The `.dockslim.yaml` that applies to a Dockerfile: the nearest one above it.
pub fn discover(dockerfile: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(dockerfile).ok()?;
    let mut dir = absolute.parent();
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        // Not `is_file`: a link or a FIFO by that name is found, and then
        // refused with a message, instead of silently passed over.
        if std::fs::symlink_metadata(&candidate).is_ok_and(|m| !m.is_dir()) {
            // Shown relative to the working directory, like other paths.
            let cwd = std::env::current_dir().ok();
            let relative =
                cwd.and_then(|cwd| candidate.strip_prefix(cwd).ok().map(Path::to_path_buf));
            return Some(relative.unwrap_or(candidate));
        }
        dir = d.parent();
    }
    None
}

/// Settings per Dockerfile, loading each configuration file once.
pub struct Resolver<'a> {
    args: &'a RuleArgs,
    configs: Mutex<HashMap<PathBuf, Arc<Config>>>,
    settings: Mutex<HashMap<String, Arc<Settings>>>,
}

impl<'a> Resolver<'a> {
    pub fn new(args: &'a RuleArgs) -> Self {
        Self {
            args,
            configs: Mutex::new(HashMap::new()),
            settings: Mutex::new(HashMap::new()),
        }
    }

    fn config(&self, path: &Path) -> Result<Arc<Config>, SettingsError> {
        if let Some(config) = self.configs.lock().expect("not poisoned").get(path) {
            return Ok(Arc::clone(config));
        }
        let links = if self.args.config.is_some() {
            Links::Follow
        } else {
            Links::Refuse
        };
        let config = Arc::new(Config::load(path, links)?);
        self.configs
            .lock()
            .expect("not poisoned")
            .insert(path.to_path_buf(), Arc::clone(&config));
        Ok(config)
    }

    /// The configuration file and merged options for a Dockerfile (`None`
    /// for standard input without `--stdin-filename`).
    pub fn options(
        &self,
        dockerfile: Option<&Path>,
    ) -> Result<(Option<Arc<Config>>, Options), SettingsError> {
        let path = match (&self.args.config, dockerfile) {
            (Some(explicit), _) => Some(explicit.clone()),
            (None, Some(file)) => discover(file),
            (None, None) => discover(Path::new("./-")),
        };
        let Some(path) = path else {
            return Ok((None, Options::default()));
        };
        let config = self.config(&path)?;
        let options = match dockerfile {
            Some(file) => config.options_for(file),
            None => config.file.options(),
        };
        Ok((Some(config), options))
    }

    /// The settings for a Dockerfile: flags over its configuration.
    pub fn settings(&self, dockerfile: Option<&Path>) -> Result<Arc<Settings>, SettingsError> {
        let (config, options) = self.options(dockerfile)?;
        let key = format!("{:?}|{:?}", config.as_ref().map(|c| &c.path), options);
        if let Some(settings) = self.settings.lock().expect("not poisoned").get(&key) {
            return Ok(Arc::clone(settings));
        }
        let settings = Arc::new(build_settings(self.args, config.as_deref(), &options)?);
        self.settings
            .lock()
            .expect("not poisoned")
            .insert(key, Arc::clone(&settings));
        Ok(settings)
    }
}

/// Flags win; then the configuration; then the defaults.
pub fn build_settings(
    args: &RuleArgs,
    config: Option<&Config>,
    options: &Options,
) -> Result<Settings, SettingsError> {
    // An explicit --select replaces the configuration's selection, its
    // ignores included; --ignore adds to whatever is selected.
    let (select, mut ignore) = if args.select.is_empty() {
        (
            options.select.clone().unwrap_or_default(),
            options.ignore.clone(),
        )
    } else {
        (args.select.clone(), Vec::new())
    };
    ignore.extend(args.ignore.iter().cloned());
    let mut settings = Settings {
        rules: RuleSelection::from_selectors(&select, &ignore).map_err(SettingsError::Selector)?,
        unsafe_fixes: args.unsafe_fixes || options.unsafe_fixes.unwrap_or(false),
        profiles: if args.profile.is_empty() {
            options.profiles.clone().unwrap_or_default()
        } else {
            args.profile.clone()
        },
        ..Settings::default()
    };
    let mappings = match (&args.mappings, &options.mappings, config) {
        (Some(flag), _, _) => Some(flag.clone()),
        (None, Some(file), Some(config)) => Some(config.mappings_path(file)?),
        _ => None,
    };
    let no_builtin = args.no_builtin || options.no_builtin.unwrap_or(false);
    if let Some(path) = mappings {
        let label = super::walk::normalize(&path).display().to_string();
        // Bounded and regular even when given on the command line
        // (`--mappings /dev/zero`); a repository's path was checked above.
        let text = read::text(&path, read::MAX_TABLE, Links::Follow).map_err(|message| {
            SettingsError::Unreadable {
                path: label.clone(),
                message,
            }
        })?;
        let user = BaseImages::load(&label, &text)
            .map_err(|error| SettingsError::Table { text, error })?;
        let builtin = BaseImages::builtin();
        settings.images = Arc::new(BaseImages::overlaid(
            user,
            (!no_builtin).then_some(builtin.as_ref()),
        ));
    }
    Ok(settings)
}
