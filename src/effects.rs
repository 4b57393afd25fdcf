//! What a fix is worth: the estimates the reports show, from
//! `transforms/effects.yaml` (built in, checked when loaded) and the
//! base-image table. An estimate is a size range in compressed MB where the
//! data allows one, and otherwise says in words what the fix buys; it never
//! pretends to a number it does not have. `dockslim verify` measures what
//! these only estimate.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::apply::AppliedFix;
use crate::images::BaseImages;
use crate::syntax::{self, Document, ImageRef, Keyword, TextRange};
use crate::transforms::{TableError, located};

const BUILTIN: &str = include_str!("../transforms/effects.yaml");

/// What a fix buys: the heading a pull-request body lists it under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Buys {
    Size,
    Rebuild,
    Security,
    Reliability,
    Tidiness,
}

impl Buys {
    pub fn as_str(self) -> &'static str {
        match self {
            Buys::Size => "size",
            Buys::Rebuild => "rebuild",
            Buys::Security => "security",
            Buys::Reliability => "reliability",
            Buys::Tidiness => "tidiness",
        }
    }

    /// A heading for the pull-request body.
    pub fn heading(self) -> &'static str {
        match self {
            Buys::Size => "Smaller image",
            Buys::Rebuild => "Faster rebuilds",
            Buys::Security => "Less attack surface",
            Buys::Reliability => "More reliable builds",
            Buys::Tidiness => "Tidier Dockerfile",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    buys: Buys,
    says: String,
    #[serde(default)]
    size_mb: Option<[f64; 2]>,
    #[serde(default)]
    basis: Option<String>,
    #[serde(default)]
    risk: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    rules: BTreeMap<String, RawRule>,
    recommends: BTreeMap<String, [f64; 2]>,
}

/// One rule's entry.
#[derive(Clone, Debug)]
pub struct RuleEffect {
    pub buys: Buys,
    pub says: String,
    pub size_mb: Option<(f64, f64)>,
    pub basis: Option<String>,
    pub risk: Option<String>,
}

/// The table.
#[derive(Debug)]
pub struct Effects {
    pub rules: BTreeMap<String, RuleEffect>,
    /// Per Debian package: [download MB, installed MB] of its recommends.
    pub recommends: BTreeMap<String, (f64, f64)>,
}

/// A size saving: a range, a lower bound, or unknown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Size {
    /// Between the two, in compressed MB.
    Range(f64, f64),
    /// At least this much; part of it is unknown.
    AtLeast(f64),
    Unknown,
}

impl Size {
    /// The amount one can count on (0 when unknown).
    pub fn low(self) -> f64 {
        match self {
            Size::Range(low, _) | Size::AtLeast(low) => low,
            Size::Unknown => 0.0,
        }
    }

    pub fn high(self) -> Option<f64> {
        match self {
            Size::Range(_, high) => Some(high),
            _ => None,
        }
    }

    /// "about 12 MB", "10–22 MB", "at least 3 MB", "unknown".
    pub fn describe(self) -> String {
        match self {
            Size::Range(low, high) if high - low <= 0.2 * high.max(1.0) => {
                format!("about {}", mb(high))
            }
            Size::Range(low, high) => format!("{}–{}", mb_number(low), mb(high)),
            Size::AtLeast(low) => format!("at least {}", mb(low)),
            Size::Unknown => "unknown".to_owned(),
        }
    }

    /// The sum of several savings: known parts add, an unknown part turns a
    /// range into a lower bound.
    pub fn sum(sizes: impl IntoIterator<Item = Size>) -> Size {
        let (mut low, mut high, mut unknown, mut any) = (0.0, 0.0, false, false);
        for size in sizes {
            match size {
                Size::Range(l, h) => {
                    low += l;
                    high += h;
                    any = true;
                }
                Size::AtLeast(l) => {
                    low += l;
                    unknown = true;
                    any = true;
                }
                Size::Unknown => unknown = true,
            }
        }
        match (any, unknown) {
            (false, _) => Size::Unknown,
            (true, false) => Size::Range(low, high),
            (true, true) if low > 0.0 => Size::AtLeast(low),
            (true, true) => Size::Unknown,
        }
    }
}

fn mb_number(value: f64) -> String {
    if value >= 10.0 || value == value.round() {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// MB, or GB from 1,000 MB.
pub fn mb(value: f64) -> String {
    if value >= 1000.0 {
        format!("{:.1} GB", value / 1000.0)
    } else {
        format!("{} MB", mb_number(value))
    }
}

/// The estimate for one applied fix.
#[derive(Clone, Debug)]
pub struct Estimate {
    pub buys: Buys,
    pub says: String,
    pub size: Size,
    /// Why the size is what it is (or why it is unknown).
    pub basis: Option<String>,
    pub risk: Option<String>,
}

impl Effects {
    pub fn load(path: &str, text: &str) -> Result<Effects, TableError> {
        let raw: RawTable =
            serde_saphyr::from_str(text).map_err(|e| located::from_yaml(path, text, &e))?;
        let mut rules = BTreeMap::new();
        for (code, rule) in raw.rules {
            if crate::rules::find(&code).is_none_or(|r| r.code != code) {
                let line = text
                    .lines()
                    .position(|l| l.trim_start().starts_with(&format!("{code}:")))
                    .map_or(1, |i| i as u64 + 1);
                return Err(located::at_line_col(
                    path,
                    text,
                    line,
                    1,
                    format!("`{code}` is not a rule code"),
                ));
            }
            let size_mb = rule.size_mb.map(|[low, high]| (low, high));
            if size_mb.is_some_and(|(low, high)| low > high || low < 0.0) {
                return Err(located::at_line_col(
                    path,
                    text,
                    1,
                    1,
                    format!("{code}: size_mb must be [low, high] with 0 <= low <= high"),
                ));
            }
            rules.insert(
                code,
                RuleEffect {
                    buys: rule.buys,
                    says: rule.says,
                    size_mb,
                    basis: rule.basis,
                    risk: rule.risk,
                },
            );
        }
        let recommends = raw
            .recommends
            .into_iter()
            .map(|(package, [download, installed])| (package, (download, installed)))
            .collect();
        Ok(Effects { rules, recommends })
    }

    /// The built-in table (a test checks that it loads and covers every rule).
    pub fn builtin() -> &'static Effects {
        static TABLE: OnceLock<Effects> = OnceLock::new();
        TABLE.get_or_init(|| {
            Effects::load("transforms/effects.yaml", BUILTIN)
                .unwrap_or_else(|e| panic!("transforms/effects.yaml: {}", e.message))
        })
    }

    /// What `fix` is worth, given the original and the fixed text.
    pub fn estimate(
        &self,
        fix: &AppliedFix,
        original: &str,
        fixed: &str,
        images: &BaseImages,
    ) -> Estimate {
        let code = fix.diagnostic.rule.code;
        let Some(rule) = self.rules.get(code) else {
            return Estimate {
                buys: Buys::Tidiness,
                says: fix.diagnostic.rule.summary.to_owned(),
                size: Size::Unknown,
                basis: Some("no entry in transforms/effects.yaml".to_owned()),
                risk: None,
            };
        };
        let mut basis = rule.basis.clone();
        let size = match code {
            "DS104" => {
                let (size, why) = self.recommends_size(original, fix.range);
                basis = Some(why);
                size
            }
            "DS401" => match fix.diagnostic.saving_mb {
                Some(mb) => {
                    basis =
                        Some("compressed sizes of the two images in the base-image table".into());
                    Size::Range(f64::from(mb), f64::from(mb))
                }
                None => Size::Unknown,
            },
            "DS301" => {
                let before = final_image(original).and_then(|i| image_size(images, &i));
                let after = final_image(fixed).and_then(|i| image_size(images, &i));
                match (before, after) {
                    (Some(b), Some(a)) => {
                        basis = Some(
                            "the final stage's base image before and after, from the base-image table (the app's own files are not counted)"
                                .into(),
                        );
                        Size::Range(b.saturating_sub(a).into(), b.saturating_sub(a).into())
                    }
                    _ => {
                        basis = Some("the base-image table has no size for the images".into());
                        Size::Unknown
                    }
                }
            }
            "DS303" => match copied_stage_image(original, fix.range)
                .and_then(|i| image_size(images, &i))
            {
                Some(size) => {
                    basis = Some("the copied stage's base image, from the base-image table".into());
                    Size::Range(f64::from(size) * 0.8, f64::from(size))
                }
                None => Size::Unknown,
            },
            _ => match rule.size_mb {
                Some((low, high)) => Size::Range(low, high),
                None => Size::Unknown,
            },
        };
        Estimate {
            buys: rule.buys,
            says: rule.says.clone(),
            size,
            basis,
            risk: rule.risk.clone(),
        }
    }

    /// The recommends of the packages an `apt-get install` at `range`
    /// installs: at least the largest one's (they overlap), at most their sum.
    fn recommends_size(&self, original: &str, range: TextRange) -> (Size, String) {
        let packages = installed_packages(original, range);
        let mut low: f64 = 0.0;
        let mut high = 0.0;
        let mut unknown = Vec::new();
        for package in &packages {
            match self.recommends.get(package.as_str()) {
                // Compressed: at least the .deb downloads, at most half the
                // installed size (see the table's notes).
                Some(&(download, installed)) => {
                    low = low.max(download);
                    high += download.max(installed * 0.5);
                }
                None => unknown.push(package.as_str()),
            }
        }
        let known = packages.len() - unknown.len();
        let size = match (known, unknown.is_empty()) {
            (0, _) => Size::Unknown,
            (_, true) => Size::Range(low, high.max(low)),
            (_, false) if low > 0.0 => Size::AtLeast(low),
            (_, false) => Size::Unknown,
        };
        let why = if unknown.is_empty() {
            format!(
                "the recommends of {} measured on Debian bookworm (transforms/effects.yaml)",
                packages.join(", ")
            )
        } else {
            format!("no measurement for {}", unknown.join(", "))
        };
        (size, why)
    }
}

/// The packages of `apt-get install` / `apt install` commands in the
/// instruction that contains `range.start`.
fn installed_packages(original: &str, range: TextRange) -> Vec<String> {
    let Ok(document) = syntax::parse(original) else {
        return Vec::new();
    };
    let Some(instruction) = document
        .instructions()
        .find(|i| i.range.start <= range.start && range.start < i.range.end)
    else {
        return Vec::new();
    };
    let text = instruction.logical.as_str();
    let mut packages = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let is_apt = matches!(words[i], "apt-get" | "apt");
        if is_apt && words[i + 1..].iter().find(|w| !w.starts_with('-')) == Some(&"install") {
            let start = i
                + 1
                + words[i + 1..]
                    .iter()
                    .position(|w| *w == "install")
                    .unwrap_or(0);
            for word in &words[start + 1..] {
                if matches!(*word, "&&" | "||" | ";" | "|" | "\\") || word.ends_with(';') {
                    break;
                }
                if word.starts_with('-') {
                    continue;
                }
                let name = word.split('=').next().unwrap_or(word);
                let name = name.trim_matches(|c| c == '"' || c == '\'');
                if !name.is_empty() && !name.contains('$') {
                    packages.push(name.to_owned());
                }
            }
        }
        i += 1;
    }
    packages.sort();
    packages.dedup();
    packages
}

fn final_image(text: &str) -> Option<ImageRef> {
    let document = syntax::parse(text).ok()?;
    document.stages().last()?.image()
}

/// The base image of the stage a `COPY --from=` at `range` copies.
fn copied_stage_image(original: &str, range: TextRange) -> Option<ImageRef> {
    let document: Document = syntax::parse(original).ok()?;
    let copy = document.instructions().find(|i| {
        i.keyword() == Keyword::Copy && i.range.start <= range.start && range.start < i.range.end
    })?;
    let from = copy.flag("from")?.value()?.to_owned();
    let stages = document.stages();
    stages.iter().find(|s| s.is_named(&from))?.image()
}

/// An image's compressed size from the base-image table: as an image an
/// entry replaces, or as the replacement of one.
pub fn image_size(images: &BaseImages, image: &ImageRef) -> Option<u32> {
    if image.is_scratch() {
        return Some(0);
    }
    // A static server entry matches a Node.js image only to name the
    // server of its build output; the swaps say what the image weighs.
    if let Some((entry, _)) = images
        .candidates(image)
        .iter()
        .find(|(e, _)| e.role != crate::images::Role::StaticServer)
    {
        return Some(entry.size_mb[0]);
    }
    let name = image.canonical_name();
    let tag = image.tag.clone().unwrap_or_else(|| "latest".to_owned());
    images
        .entries
        .iter()
        .find(|e| e.to.name == name && e.to.match_tag(&tag).is_some())
        .map(|e| e.size_mb[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_covers_every_rule() {
        let effects = Effects::builtin();
        for rule in crate::rules::ALL {
            assert!(
                effects.rules.contains_key(rule.code),
                "{} has no entry",
                rule.code
            );
        }
        for (code, rule) in &effects.rules {
            let unsafe_possible = crate::rules::find(code)
                .unwrap()
                .fix_safety
                .contains("unsafe");
            assert!(
                !unsafe_possible || rule.risk.is_some(),
                "{code} can be unsafe but says no risk"
            );
        }
    }

    #[test]
    fn bad_codes_are_errors_with_a_line() {
        let error = Effects::load(
            "t.yaml",
            "rules:\n  DS101: {buys: size, says: x}\n  DS999: {buys: size, says: y}\nrecommends: {}\n",
        )
        .unwrap_err();
        assert_eq!(error.at.line, 3, "{}", error.message);
    }

    #[test]
    fn sizes_are_described_in_words() {
        assert_eq!(Size::Range(10.0, 22.0).describe(), "10–22 MB");
        assert_eq!(Size::Range(315.0, 315.0).describe(), "about 315 MB");
        assert_eq!(Size::AtLeast(3.2).describe(), "at least 3.2 MB");
        assert_eq!(Size::Unknown.describe(), "unknown");
        assert_eq!(Size::Range(0.0, 1400.0).describe(), "0–1.4 GB");
        assert_eq!(
            Size::sum([Size::Range(1.0, 2.0), Size::Unknown, Size::Range(3.0, 4.0)]),
            Size::AtLeast(4.0)
        );
        assert_eq!(Size::sum([]), Size::Unknown);
    }

    #[test]
    fn recommends_of_the_installed_packages() {
        let effects = Effects::builtin();
        let text = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y git=1:2.39 curl && rm -rf /var/lib/apt/lists/*\n";
        let (size, why) = effects.recommends_size(text, TextRange::new(21, 30));
        // git [3.2, 12.0] and curl [0.3, 1.0]: at least 3.2, at most 6.0 + 0.5.
        assert_eq!(size, Size::Range(3.2, 6.5), "{why}");
        let (size, why) = effects.recommends_size(
            "FROM debian\nRUN apt-get install -y git frobnicate\n",
            TextRange::new(12, 13),
        );
        assert_eq!(size, Size::AtLeast(3.2));
        assert!(why.contains("frobnicate"), "{why}");
    }
}
