//! The rule registry. Each rule lives in its own file with its
//! documentation next to its logic; the table below is the one place that
//! lists them, in the order the pipeline runs them.

// One file per rule, named after the rule; the checks several rules share
// (inserting a flag, appending a cleanup, merging RUNs, pragmas, the RUN
// view) live in `shared/`, out of the rules' way.
mod apk_no_cache;
mod apt_lists_cleanup;
pub(crate) mod apt_no_install_recommends;
pub(crate) mod base_image_swap;
mod bundle_without_dev;
pub(crate) mod cache_mount;
mod chown_after_copy;
mod composer_no_dev;
mod copy_whole_stage;
mod dockerignore;
mod final_stage_root;
mod gem_no_document;
mod install_assume_yes;
mod js_cache_clean;
pub(crate) mod js_dev_dependencies;
pub(crate) mod manifest_first_copy;
mod merge_consecutive_runs;
mod merge_install_runs;
pub(crate) mod multi_stage_split;
mod npm_ci;
mod package_cache_cleanup;
mod pip_no_cache_dir;
pub(crate) mod shared;
pub(crate) mod unused_pragma;

pub(crate) use shared::{packages, pragma, run};

use crate::context::Context;
use crate::fix::Diagnostic;
use crate::semantic::Model;
use crate::settings::Settings;
use crate::syntax::{Document, Stage};
use crate::transforms::PackageManagers;

/// What a rule sees: the parsed file, its build context and the rule data,
/// with the shell view of every RUN computed once for all rules.
pub struct Checker<'a> {
    pub document: &'a Document,
    pub context: &'a Context,
    pub managers: &'a PackageManagers,
    pub settings: &'a Settings,
    pub stages: Vec<Stage<'a>>,
    pub(crate) runs: Vec<run::RunView<'a>>,
    /// What the stages and steps mean, worked out once for all rules.
    pub model: Model,
}

impl<'a> Checker<'a> {
    pub fn new(
        document: &'a Document,
        context: &'a Context,
        managers: &'a PackageManagers,
        settings: &'a Settings,
    ) -> Self {
        let stages = document.stages();
        let runs = run::runs(document);
        let model = Model::new(&stages, &runs, managers, document);
        Self {
            document,
            context,
            managers,
            settings,
            stages,
            runs,
            model,
        }
    }

    /// Some simple command of some RUN (any stage, heredocs included) satisfies `f`.
    pub(crate) fn any_command(
        &self,
        f: impl Fn(&crate::syntax::shell::SimpleCommand) -> bool,
    ) -> bool {
        self.runs
            .iter()
            .filter_map(|v| v.script())
            .any(|s| s.commands.iter().any(&f))
    }

    pub fn is_final_stage(&self, stage: usize) -> bool {
        stage + 1 == self.stages.len()
    }
}

/// The highest applicability among the fixes that change something which
/// `rule`, earlier in the pipeline, offered this round (`out` holds the
/// diagnostics of the rules before). This is how a rule reads an earlier
/// rule's decision: the pipeline order in [`ALL`] is the declared
/// precedence (DS301 decides the stage layout before DS304 and DS401), and
/// no rule runs another rule's check or reads the fix threshold. A rule
/// that yields to an offered fix must not be safer than it, or it would be
/// lost in a mode where the offered fix is not applied.
pub(crate) fn offered_fix(out: &[Diagnostic], rule: &Rule) -> Option<crate::fix::Applicability> {
    out.iter()
        .filter(|d| d.rule == rule)
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| {
            f.changes_something() && f.applicability > crate::fix::Applicability::DisplayOnly
        })
        .map(|f| f.applicability)
        .max()
}

/// A rule: its identity, its documentation and its check.
pub struct Rule {
    /// `DS101`. DS1xx layer hygiene, DS2xx cache order and build context,
    /// DS3xx stages and runtime, DS4xx base images.
    pub code: &'static str,
    /// Kebab-case name, usable wherever a code is.
    pub name: &'static str,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The safety of its fix: `safe`, `unsafe`, `display-only`, or a
    /// sentence when it depends on the case.
    pub fix_safety: &'static str,
    /// What it does, why it matters, an example, and its fix safety.
    pub doc: &'static str,
    pub check: fn(&Checker<'_>, &mut Vec<Diagnostic>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.code, self.name)
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

/// Every rule, in pipeline order.
pub static ALL: &[&Rule] = &[
    &unused_pragma::RULE,
    &apt_lists_cleanup::RULE,
    &merge_install_runs::RULE,
    &install_assume_yes::RULE,
    &apt_no_install_recommends::RULE,
    &package_cache_cleanup::RULE,
    &apk_no_cache::RULE,
    &pip_no_cache_dir::RULE,
    &js_cache_clean::RULE,
    &npm_ci::RULE,
    &gem_no_document::RULE,
    &composer_no_dev::RULE,
    &bundle_without_dev::RULE,
    &merge_consecutive_runs::RULE,
    &cache_mount::RULE,
    &manifest_first_copy::RULE,
    &dockerignore::RULE,
    &chown_after_copy::RULE,
    &multi_stage_split::RULE,
    &js_dev_dependencies::RULE,
    &copy_whole_stage::RULE,
    &final_stage_root::RULE,
    &base_image_swap::RULE,
];

/// Finds a rule by code or name, case-insensitively.
pub fn find(selector: &str) -> Option<&'static Rule> {
    ALL.iter()
        .find(|r| r.code.eq_ignore_ascii_case(selector) || r.name.eq_ignore_ascii_case(selector))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stage_layout_is_decided_before_the_rules_that_read_it() {
        let position = |code: &str| ALL.iter().position(|r| r.code == code).unwrap();
        assert!(position("DS301") < position("DS304"));
        assert!(position("DS301") < position("DS401"));
    }

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
            assert!(seen.insert(rule.name), "duplicate name {}", rule.name);
            assert!(
                rule.code.len() == 5 && rule.code.starts_with("DS"),
                "{}",
                rule.code
            );
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-')
            );
            for section in ["## What it does", "## Why", "## Example", "## Fix safety"] {
                assert!(rule.doc.contains(section), "{} lacks {section}", rule.code);
            }
        }
    }
}
