//! What a run is allowed to do: which rules run and which fixes apply.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::images::BaseImages;
use crate::rules::{self, Rule};

#[derive(Clone, Debug)]
pub struct Settings {
    pub rules: RuleSelection,
    /// Apply `Unsafe` fixes too.
    pub unsafe_fixes: bool,
    /// Cap on fix rounds; reaching it means the rules do not converge.
    pub max_rounds: usize,
    /// The base-image table: the user's entries, then the built-in ones.
    pub images: Arc<BaseImages>,
    /// Profiles in use: `alpine` (base images), `cache-mounts` (DS114),
    /// `prefer-slim` (no distroless Node.js or Python runtimes).
    pub profiles: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            rules: RuleSelection::all(),
            unsafe_fixes: false,
            max_rounds: 20,
            images: BaseImages::builtin(),
            profiles: Vec::new(),
        }
    }
}

/// The base-image profiles there are (`--profile`, `profiles:`).
/// `prefer-slim` keeps Node.js and Python runtimes on the slim images (a
/// shell in production) where distroless ones would do.
pub const PROFILES: &[&str] = &["alpine", "cache-mounts", "prefer-slim"];

/// The profile that keeps slim runtimes (see [`PROFILES`]).
pub const PREFER_SLIM: &str = "prefer-slim";

/// The enabled rules, by code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSelection {
    enabled: BTreeSet<&'static str>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "unknown rule selector `{0}` (expected a code such as DS101, a prefix such as DS1, a rule name, or ALL)"
)]
pub struct UnknownSelector(pub String);

impl RuleSelection {
    pub fn all() -> Self {
        Self {
            enabled: rules::ALL.iter().map(|r| r.code).collect(),
        }
    }

    /// Exactly these rules.
    pub fn all_of(rules: &[&Rule]) -> Self {
        Self {
            enabled: rules.iter().map(|r| r.code).collect(),
        }
    }

    /// `select` (default: all rules) minus `ignore`. A selector is a code
    /// (`DS101`), a code prefix (`DS1`), a rule name, or `ALL`.
    pub fn from_selectors(select: &[String], ignore: &[String]) -> Result<Self, UnknownSelector> {
        let mut enabled = if select.is_empty() {
            Self::all().enabled
        } else {
            let mut set = BTreeSet::new();
            for selector in select {
                set.extend(resolve(selector)?);
            }
            set
        };
        for selector in ignore {
            for code in resolve(selector)? {
                enabled.remove(code);
            }
        }
        Ok(Self { enabled })
    }

    /// Whether `selector` names a rule, a code prefix or `ALL`.
    pub fn check(selector: &str) -> Result<(), UnknownSelector> {
        resolve(selector).map(drop)
    }

    pub fn is_enabled(&self, rule: &Rule) -> bool {
        self.enabled.contains(rule.code)
    }
}

fn resolve(selector: &str) -> Result<Vec<&'static str>, UnknownSelector> {
    let selector = selector.trim();
    if selector.eq_ignore_ascii_case("all") {
        return Ok(rules::ALL.iter().map(|r| r.code).collect());
    }
    if let Some(rule) = rules::find(selector) {
        return Ok(vec![rule.code]);
    }
    let upper = selector.to_ascii_uppercase();
    let matched: Vec<&'static str> = rules::ALL
        .iter()
        .map(|r| r.code)
        .filter(|code| upper.starts_with("DS") && code.starts_with(&upper))
        .collect();
    if matched.is_empty() {
        Err(UnknownSelector(selector.to_owned()))
    } else {
        Ok(matched)
    }
}

impl Settings {
    /// Whether runtimes stay on images with a shell (`--profile prefer-slim`).
    pub fn prefers_slim(&self) -> bool {
        self.profiles.iter().any(|p| p == PREFER_SLIM)
    }
}
