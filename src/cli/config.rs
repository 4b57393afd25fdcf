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
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::SettingsError;
use super::args::RuleArgs;
use crate::images::BaseImages;
use crate::settings::{RuleSelection, Settings};
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
}

/// The file: the options at the top, and overrides.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    #[serde(default)]
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    unsafe_fixes: Option<bool>,
    #[serde(default)]
    mappings: Option<String>,
    #[serde(default)]
    no_builtin: Option<bool>,
    #[serde(default)]
    profiles: Option<Vec<String>>,
    #[serde(default)]
    overrides: Vec<Override>,
}

/// Options for the Dockerfiles whose path matches one of `paths`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Override {
    paths: Vec<String>,
    #[serde(default)]
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    unsafe_fixes: Option<bool>,
    #[serde(default)]
    mappings: Option<String>,
    #[serde(default)]
    no_builtin: Option<bool>,
    #[serde(default)]
    profiles: Option<Vec<String>>,
}

impl File {
    fn options(&self) -> Options {
        Options {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            unsafe_fixes: self.unsafe_fixes,
            mappings: self.mappings.clone(),
            no_builtin: self.no_builtin,
            profiles: self.profiles.clone(),
        }
    }
}

impl Override {
    fn options(&self) -> Options {
        Options {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            unsafe_fixes: self.unsafe_fixes,
            mappings: self.mappings.clone(),
            no_builtin: self.no_builtin,
            profiles: self.profiles.clone(),
        }
    }
}

/// A loaded configuration file.
#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    file: File,
    globs: Vec<globset::GlobSet>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, SettingsError> {
        let label = super::walk::normalize(path).display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| SettingsError::Unreadable {
            path: label.clone(),
            message: e.to_string(),
        })?;
        let file: File = serde_saphyr::from_str(&text).map_err(|e| SettingsError::Table {
            error: located::from_yaml(&label, &text, &e),
            text: text.clone(),
        })?;
        let mut globs = Vec::new();
        for o in &file.overrides {
            let mut set = globset::GlobSetBuilder::new();
            for pattern in &o.paths {
                let glob = globset::Glob::new(pattern).map_err(|e| SettingsError::Table {
                    error: located::at_line_col(
                        &label,
                        &text,
                        line_of(&text, pattern),
                        1,
                        format!("bad glob `{pattern}`: {e}"),
                    ),
                    text: text.clone(),
                })?;
                set.add(glob);
            }
            globs.push(set.build().map_err(|e| SettingsError::Unreadable {
                path: label.clone(),
                message: e.to_string(),
            })?);
        }
        Ok(Config {
            path: path.to_path_buf(),
            file,
            globs,
        })
    }

    /// The options at the top of the file, without overrides.
    pub fn top_options(&self) -> Options {
        self.file.options()
    }

    /// The options for a Dockerfile: the file's, then every matching override.
    pub fn options_for(&self, dockerfile: &Path) -> Options {
        let base = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
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

fn line_of(text: &str, needle: &str) -> u64 {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i as u64 + 1)
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
}

/// The `.dockslim.yaml` that applies to a Dockerfile: the nearest one above it.
pub fn discover(dockerfile: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(dockerfile).ok()?;
    let mut dir = absolute.parent();
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
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
        let config = Arc::new(Config::load(path)?);
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
        (None, Some(file), Some(config)) => Some(
            config
                .path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .join(file),
        ),
        _ => None,
    };
    let no_builtin = args.no_builtin || options.no_builtin.unwrap_or(false);
    if let Some(path) = mappings {
        let label = super::walk::normalize(&path).display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| SettingsError::Unreadable {
            path: label.clone(),
            message: e.to_string(),
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
