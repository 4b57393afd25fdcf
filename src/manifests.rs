//! The ecosystem table (`transforms/manifests.yaml`) for DS201.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::transforms::{TableError, located};

const BUILTIN: &str = include_str!("../transforms/manifests.yaml");

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    Move,
    Insert,
    Report,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallCommand {
    pub program: String,
    pub subcommands: Vec<String>,
    #[serde(default)]
    pub bare: bool,
    #[serde(default)]
    pub no_arguments: bool,
    /// pip: the files come from `-r`/`-c` arguments.
    #[serde(default)]
    pub requirements: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ecosystem {
    pub name: String,
    pub install: Vec<InstallCommand>,
    pub manifests: Vec<String>,
    pub required: Vec<String>,
    pub strategy: Strategy,
    #[serde(default)]
    pub insert_command: Option<String>,
    #[serde(default)]
    pub append_flags: Vec<String>,
    #[serde(default)]
    pub after_copy: Option<String>,
    #[serde(default)]
    pub safe_when: Vec<String>,
    #[serde(default)]
    pub always_safe: bool,
    #[serde(default)]
    pub no_context_manifests: Vec<String>,
    #[serde(default)]
    pub why_report: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifests {
    pub ecosystems: Vec<Ecosystem>,
}

impl Manifests {
    pub fn load(path: &str, text: &str) -> Result<Self, TableError> {
        let table: Manifests =
            serde_saphyr::from_str(text).map_err(|e| located::from_yaml(path, text, &e))?;
        for eco in &table.ecosystems {
            let problem = match eco.strategy {
                Strategy::Insert if eco.insert_command.is_none() => {
                    Some("`insert` needs `insert_command`")
                }
                Strategy::Report if eco.why_report.is_none() => Some("`report` needs `why_report`"),
                _ if eco.install.is_empty() => Some("no install commands"),
                _ => None,
            };
            if let Some(problem) = problem {
                let line = text
                    .lines()
                    .position(|l| l.contains(&format!("name: {}", eco.name)))
                    .unwrap_or(0);
                return Err(located::at_line_col(
                    path,
                    text,
                    line as u64 + 1,
                    1,
                    format!("{}: {problem}", eco.name),
                ));
            }
        }
        Ok(table)
    }

    pub fn builtin() -> &'static Manifests {
        static TABLE: OnceLock<Manifests> = OnceLock::new();
        TABLE.get_or_init(|| {
            Manifests::load("transforms/manifests.yaml", BUILTIN)
                .unwrap_or_else(|e| panic!("the built-in table is invalid: {e}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_loads_every_ecosystem() {
        let names: Vec<_> = Manifests::builtin()
            .ecosystems
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        for expected in [
            "npm", "yarn", "pnpm", "pip", "pipenv", "poetry", "uv", "go", "cargo", "maven",
            "gradle", "bundler", "composer", "dotnet",
        ] {
            assert!(names.contains(&expected), "{expected}");
        }
    }

    #[test]
    fn strategy_fields_are_checked() {
        let e = Manifests::load("m.yaml", "ecosystems:\n  - name: x\n    install: [{program: x, subcommands: [i]}]\n    manifests: []\n    required: []\n    strategy: insert\n").unwrap_err();
        assert_eq!(e.at.line, 2);
        assert!(e.message.contains("insert_command"));
    }
}
