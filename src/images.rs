//! The base-image table (`transforms/base-images.yaml`): tag patterns with
//! placeholders, matching against parsed image references, and the
//! replacement reference.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::syntax::ImageRef;
use crate::transforms::{TableError, located};

const BUILTIN: &str = include_str!("../transforms/base-images.yaml");
const BUILTIN_PATH: &str = "transforms/base-images.yaml";

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Runtime,
    Builder,
    Any,
    /// The runtime of a static front end's split (DS301): `match` is the
    /// build's image, `to` the server that serves the build output.
    StaticServer,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    NoCompile,
    SlimTools,
    NoShell,
    NoBuild,
    NoPackages,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Safety {
    Safe,
    #[default]
    Unsafe,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(rename = "match")]
    pattern: Spanned<String>,
    to: Spanned<String>,
    role: Role,
    #[serde(default)]
    when: Vec<Condition>,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    safety: Safety,
    reason: String,
    differs: String,
    size_mb: [u32; 2],
    #[serde(default)]
    only: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    entrypoint: Option<Entrypoint>,
}

/// The interpreter a replacement image starts by itself (its ENTRYPOINT),
/// as distroless's Node.js and Python images do: a start command that
/// names one of `runs` is rewritten to the interpreter's arguments.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entrypoint {
    /// The image's ENTRYPOINT (`/nodejs/bin/node`).
    pub path: String,
    /// The program names the start command may use for it (`node`).
    pub runs: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    images: Vec<RawEntry>,
}

/// A reference pattern: an image name and a tag made of literal pieces and
/// placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// Canonical image name (see [`ImageRef::canonical_name`]).
    pub name: String,
    tag: Vec<Piece>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Placeholder(String),
}

impl Pattern {
    fn parse(text: &str) -> Result<Pattern, String> {
        let image = ImageRef::parse(text, crate::syntax::TextRange::default());
        if image.digest.is_some() || image.has_variables() {
            return Err(format!(
                "`{text}` must be IMAGE:TAG without a digest or variables"
            ));
        }
        let tag = image.tag.clone().unwrap_or_else(|| "latest".to_owned());
        let mut pieces = Vec::new();
        let mut rest = tag.as_str();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let close = after
                    .find('}')
                    .ok_or_else(|| format!("unclosed `{{` in `{text}`"))?;
                let name = &after[..close];
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(format!("bad placeholder `{{{name}}}` in `{text}`"));
                }
                if matches!(pieces.last(), Some(Piece::Placeholder(_))) {
                    return Err(format!(
                        "two placeholders must be separated by text in `{text}`"
                    ));
                }
                pieces.push(Piece::Placeholder(name.to_owned()));
                rest = &after[close + 1..];
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                pieces.push(Piece::Literal(rest[..end].to_owned()));
                rest = &rest[end..];
            }
        }
        Ok(Pattern {
            name: image.canonical_name(),
            tag: pieces,
        })
    }

    fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.tag.iter().filter_map(|p| match p {
            Piece::Placeholder(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }

    /// Matches a tag, returning the placeholder values.
    pub fn match_tag(&self, tag: &str) -> Option<BTreeMap<String, String>> {
        match_pieces(&self.tag, tag)
    }

    /// The tag with placeholders filled in.
    fn render_tag(&self, values: &BTreeMap<String, String>) -> String {
        self.tag
            .iter()
            .map(|p| match p {
                Piece::Literal(text) => text.clone(),
                Piece::Placeholder(name) => values.get(name).cloned().unwrap_or_default(),
            })
            .collect()
    }
}

/// Debian releases the official images are built on; `{codename}` matches
/// only these, so `slim` or `alpine` never pass for one.
const DEBIAN_CODENAMES: [&str; 6] = [
    "stretch", "buster", "bullseye", "bookworm", "trixie", "forky",
];

fn placeholder_accepts(name: &str, value: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    if name == "codename" {
        return DEBIAN_CODENAMES.contains(&value);
    }
    // A release channel: exactly major.minor (8.0), where a longer version
    // would name something else (the .NET SDK's 8.0.100 is not a runtime).
    if name == "channel" {
        let parts: Vec<&str> = value.split('.').collect();
        return parts.len() == 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    }
    // A version: digits, optionally dotted (18, 3.11, 1.22.1).
    value
        .split('.')
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

/// The longest tag the reference grammar allows (`[\w][\w.-]{0,127}`): a
/// longer one names no image, so it matches no pattern, and this bounds the
/// matcher's work however long a hostile FROM line is.
const MAX_TAG_LEN: usize = 128;

/// Candidate placeholder values the matcher may try for one tag. Patterns
/// that use a placeholder name twice are backreferences, which no algorithm
/// matches in polynomial time; within this budget every pattern of the
/// tables matches exactly, and a pattern built to backtrack stops (no match).
const MATCH_BUDGET: usize = 200_000;

/// Backtracking over the pieces in the original order (the first placeholder
/// takes the longest value that lets the rest match), with the states that
/// failed remembered: a state is the piece, the position in the tag and the
/// values of the names bound before it and used again after it, so for
/// patterns without repeated names it is just (piece, position) and the
/// search is polynomial.
struct Matcher<'p, 't> {
    pieces: &'p [Piece],
    text: &'t str,
    /// For each piece index, the names bound before it that recur from it on.
    open: Vec<Vec<&'p str>>,
    values: BTreeMap<String, String>,
    failed: HashSet<(usize, usize, Vec<Option<String>>)>,
    budget: usize,
}

impl<'p> Matcher<'p, '_> {
    fn open_names(pieces: &'p [Piece]) -> Vec<Vec<&'p str>> {
        let name = |p: &'p Piece| match p {
            Piece::Placeholder(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        };
        (0..=pieces.len())
            .map(|i| {
                let mut open: Vec<&str> = pieces[..i]
                    .iter()
                    .filter_map(name)
                    .filter(|n| pieces[i..].iter().filter_map(name).any(|m| m == *n))
                    .collect();
                open.sort_unstable();
                open.dedup();
                open
            })
            .collect()
    }

    fn matches(&mut self, i: usize, pos: usize) -> bool {
        let key = (
            i,
            pos,
            self.open[i]
                .iter()
                .map(|n| self.values.get(*n).cloned())
                .collect::<Vec<_>>(),
        );
        if self.failed.contains(&key) {
            return false;
        }
        let text = self.text;
        let found = match self.pieces.get(i) {
            None => pos == text.len(),
            Some(Piece::Literal(lit)) => {
                text[pos..].starts_with(lit.as_str()) && self.matches(i + 1, pos + lit.len())
            }
            Some(Piece::Placeholder(name)) => match self.values.get(name) {
                // A name bound earlier matches only its value again.
                Some(previous) => {
                    let previous_len = previous.len();
                    text[pos..].starts_with(previous.as_str())
                        && self.matches(i + 1, pos + previous_len)
                }
                None => {
                    let mut found = false;
                    // Every split, longest value first.
                    for end in (pos + 1..=text.len()).rev() {
                        if self.budget == 0 {
                            return false;
                        }
                        self.budget -= 1;
                        if !text.is_char_boundary(end)
                            || !placeholder_accepts(name, &text[pos..end])
                        {
                            continue;
                        }
                        self.values.insert(name.clone(), text[pos..end].to_owned());
                        if self.matches(i + 1, end) {
                            found = true;
                            break;
                        }
                        self.values.remove(name);
                    }
                    found
                }
            },
        };
        // Out of budget, a failure says nothing about the state.
        if !found && self.budget > 0 {
            self.failed.insert(key);
        }
        found
    }
}

fn match_pieces(pieces: &[Piece], text: &str) -> Option<BTreeMap<String, String>> {
    // Each placeholder takes at least one byte: more of them than bytes (or
    // more literal text than the tag) cannot match, and this also bounds the
    // matcher's recursion by the tag length.
    let placeholders = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Placeholder(_)))
        .count();
    let literal_len: usize = pieces
        .iter()
        .map(|p| match p {
            Piece::Literal(text) => text.len(),
            Piece::Placeholder(_) => 0,
        })
        .sum();
    if text.len() > MAX_TAG_LEN || placeholders + literal_len > text.len() {
        return None;
    }
    let mut matcher = Matcher {
        pieces,
        text,
        open: Matcher::open_names(pieces),
        values: BTreeMap::new(),
        failed: HashSet::new(),
        budget: MATCH_BUDGET,
    };
    matcher.matches(0, 0).then_some(matcher.values)
}

/// One row of the table.
#[derive(Clone, Debug)]
pub struct Entry {
    pub from: Pattern,
    pub from_text: String,
    pub to: Pattern,
    /// The replacement's image as written in the table (registry included).
    pub to_image: String,
    pub role: Role,
    pub when: Vec<Condition>,
    pub profile: Option<String>,
    pub safety: Safety,
    pub reason: String,
    pub differs: String,
    pub size_mb: [u32; 2],
    /// Values a placeholder is limited to (`version: [18, 20, 22]`: the
    /// majors a replacement image exists for).
    pub only: BTreeMap<String, Vec<String>>,
    /// The interpreter the replacement starts by itself, if it does: such
    /// an image has no shell, and the `prefer-slim` profile skips it.
    pub entrypoint: Option<Entrypoint>,
    /// Where the entry is, for messages: `file:line`.
    pub origin: String,
}

impl Entry {
    /// The placeholder values when this entry matches `tag`, its `only`
    /// limits included.
    pub fn match_tag(&self, tag: &str) -> Option<BTreeMap<String, String>> {
        let values = self.from.match_tag(tag)?;
        self.only
            .iter()
            .all(|(name, allowed)| values.get(name).is_some_and(|v| allowed.contains(v)))
            .then_some(values)
    }

    /// The replacement for a reference this entry matches, keeping the
    /// registry prefix the user wrote when the image stays the same.
    pub fn replacement(&self, image: &ImageRef, values: &BTreeMap<String, String>) -> String {
        let tag = self.to.render_tag(values);
        if self.to.name == self.from.name {
            let written_name = image.text.split('@').next().unwrap_or(&image.text);
            let name = match &image.tag {
                Some(old) => &written_name[..written_name.len() - old.len() - 1],
                None => written_name,
            };
            return format!("{name}:{tag}");
        }
        // A placeholder may also be in the image's name
        // (`gcr.io/distroless/nodejs{version}-debian12`).
        let mut to_image = self.to_image.clone();
        for (name, value) in values {
            to_image = to_image.replace(&format!("{{{name}}}"), value);
        }
        if tag == "latest" {
            to_image
        } else {
            format!("{to_image}:{tag}")
        }
    }

    pub fn saving_mb(&self) -> u32 {
        self.size_mb[0].saturating_sub(self.size_mb[1])
    }
}

/// The table: user entries first, then the built-in ones.
#[derive(Clone, Debug, Default)]
pub struct BaseImages {
    pub entries: Vec<Entry>,
}

impl BaseImages {
    pub fn load(path: &str, text: &str) -> Result<Self, TableError> {
        let raw: RawTable =
            serde_saphyr::from_str(text).map_err(|e| located::from_yaml(path, text, &e))?;
        let mut entries = Vec::new();
        for row in raw.images {
            let at = |s: &Spanned<String>, message: String| {
                located::at(path, text, &s.referenced, message)
            };
            let from = Pattern::parse(&row.pattern.value).map_err(|m| at(&row.pattern, m))?;
            let to = Pattern::parse(&row.to.value).map_err(|m| at(&row.to, m))?;
            let known: Vec<&str> = from.placeholders().collect();
            if let Some(unknown) = to.placeholders().find(|p| !known.contains(p)) {
                return Err(at(
                    &row.to,
                    format!("`{{{unknown}}}` is not captured by `{}`", row.pattern.value),
                ));
            }
            if let Some(name) = row.only.keys().find(|n| !known.contains(&n.as_str())) {
                return Err(at(
                    &row.pattern,
                    format!(
                        "`only` names `{{{name}}}`, which `{}` does not capture",
                        row.pattern.value
                    ),
                ));
            }
            if row.profile.as_deref().is_some_and(|p| p != "alpine") {
                return Err(at(
                    &row.pattern,
                    format!("unknown profile `{}`", row.profile.unwrap_or_default()),
                ));
            }
            let to_image = row
                .to
                .value
                .rsplit_once(':')
                .filter(|(_, t)| !t.contains('/'));
            let to_image = to_image.map_or(row.to.value.clone(), |(image, _)| image.to_owned());
            entries.push(Entry {
                origin: format!("{path}:{}", row.pattern.referenced.line()),
                from_text: row.pattern.value,
                from,
                to,
                to_image,
                role: row.role,
                when: row.when,
                profile: row.profile,
                safety: row.safety,
                reason: row.reason,
                differs: row.differs,
                size_mb: row.size_mb,
                only: row.only,
                entrypoint: row.entrypoint,
            });
        }
        Ok(Self { entries })
    }

    pub fn builtin() -> Arc<BaseImages> {
        static TABLE: OnceLock<Arc<BaseImages>> = OnceLock::new();
        TABLE
            .get_or_init(|| {
                Arc::new(
                    BaseImages::load(BUILTIN_PATH, BUILTIN)
                        .unwrap_or_else(|e| panic!("the built-in table is invalid: {e}")),
                )
            })
            .clone()
    }

    /// `user` entries first, then `self`'s.
    pub fn overlaid(user: BaseImages, builtin: Option<&BaseImages>) -> BaseImages {
        let mut entries = user.entries;
        if let Some(builtin) = builtin {
            entries.extend(builtin.entries.iter().cloned());
        }
        BaseImages { entries }
    }

    /// Entries that match `image`, exact names first, in table order.
    pub fn candidates<'t>(
        &'t self,
        image: &ImageRef,
    ) -> Vec<(&'t Entry, BTreeMap<String, String>)> {
        let name = image.canonical_name();
        let tag = image.tag.clone().unwrap_or_else(|| "latest".to_owned());
        let mut found: Vec<(&Entry, BTreeMap<String, String>)> = self
            .entries
            .iter()
            .filter(|e| e.from.name == name)
            .filter_map(|e| e.match_tag(&tag).map(|values| (e, values)))
            .collect();
        // A literal tag is an exact match and beats a pattern.
        found.sort_by_key(|(e, _)| e.from.placeholders().count() > 0);
        found
    }

    /// Entries that can never be chosen: an earlier entry with the same
    /// image, role and profile, no conditions, matches every tag they match.
    /// Sample tags stand in for the placeholders.
    pub fn shadowed(&self) -> Vec<(String, String)> {
        let samples = ["18", "3.11", "1.22.1", "17"];
        let codenames = ["bookworm", "bullseye"];
        let mut problems = Vec::new();
        for (j, later) in self.entries.iter().enumerate() {
            let mut tags = vec![String::new()];
            for piece in &later.from.tag {
                let options: Vec<String> = match piece {
                    Piece::Literal(text) => vec![text.clone()],
                    Piece::Placeholder(name) if name == "codename" => {
                        codenames.iter().map(|s| s.to_string()).collect()
                    }
                    Piece::Placeholder(name) if name == "channel" => {
                        vec!["8.0".to_owned(), "3.11".to_owned()]
                    }
                    Piece::Placeholder(_) => samples.iter().map(|s| s.to_string()).collect(),
                };
                tags = tags
                    .iter()
                    .flat_map(|t| options.iter().map(move |o| format!("{t}{o}")))
                    // The product is exponential in the placeholders of a
                    // user's pattern; a few hundred samples are plenty.
                    .take(256)
                    .collect();
            }
            // Only the samples the entry itself takes (its `only` limits).
            tags.retain(|t| later.match_tag(t).is_some());
            if tags.is_empty() {
                continue;
            }
            for earlier in &self.entries[..j] {
                let same_scope = earlier.from.name == later.from.name
                    && earlier.profile == later.profile
                    && (earlier.role == later.role || earlier.role == Role::Any)
                    && earlier.when.iter().all(|c| later.when.contains(c));
                if same_scope && tags.iter().all(|t| earlier.match_tag(t).is_some()) {
                    problems.push((later.origin.clone(), earlier.origin.clone()));
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::TextRange;

    fn image(text: &str) -> ImageRef {
        ImageRef::parse(text, TextRange::new(0, text.len()))
    }

    #[test]
    fn patterns_capture_versions() {
        let p = Pattern::parse("maven:{maven}-eclipse-temurin-{java}").unwrap();
        let v = p.match_tag("3.9.6-eclipse-temurin-17").unwrap();
        assert_eq!((v["maven"].as_str(), v["java"].as_str()), ("3.9.6", "17"));
        assert!(p.match_tag("3.9-eclipse-temurin").is_none());
        let p = Pattern::parse("node:{version}-{codename}").unwrap();
        assert!(p.match_tag("18-bookworm").is_some());
        assert!(p.match_tag("18-bookworm-slim").is_none());
        assert!(p.match_tag("18-slim").is_none(), "slim is not a codename");
        assert!(
            p.match_tag("18-alpine").is_none(),
            "alpine is not a codename"
        );
        assert!(p.match_tag("18").is_none());
    }

    #[test]
    fn replacement_keeps_the_registry_prefix() {
        let table = BaseImages::builtin();
        for (from, to) in [
            ("node:18", "node:18-slim"),
            (
                "docker.io/library/node:18.20.1",
                "docker.io/library/node:18.20.1-slim",
            ),
            ("node:20-bookworm", "node:20-bookworm-slim"),
            ("python:3.11-bullseye", "python:3.11-slim-bullseye"),
            ("maven:3.9-eclipse-temurin-17", "eclipse-temurin:17-jre"),
            ("golang:1.22", "gcr.io/distroless/static-debian12:nonroot"),
            (
                "mcr.microsoft.com/dotnet/sdk:8.0",
                "mcr.microsoft.com/dotnet/aspnet:8.0",
            ),
        ] {
            let img = image(from);
            let (entry, values) = table
                .candidates(&img)
                .into_iter()
                .find(|(e, _)| e.entrypoint.is_none())
                .unwrap_or_else(|| panic!("{from}"));
            assert_eq!(entry.replacement(&img, &values), to);
        }
        // Distroless interpreters: the version goes into the image's name,
        // and only the versions the images exist for match.
        let distroless = |from: &str| {
            let img = image(from);
            table
                .candidates(&img)
                .into_iter()
                .find(|(e, _)| e.entrypoint.is_some())
                .map(|(e, values)| e.replacement(&img, &values))
        };
        assert_eq!(
            distroless("node:18").as_deref(),
            Some("gcr.io/distroless/nodejs18-debian12:nonroot")
        );
        assert_eq!(
            distroless("node:22-bookworm").as_deref(),
            Some("gcr.io/distroless/nodejs22-debian12:nonroot")
        );
        assert_eq!(
            distroless("python:3.11").as_deref(),
            Some("gcr.io/distroless/python3-debian12:nonroot")
        );
        for other in [
            "node:16",
            "node:18.19",
            "node:21",
            "python:3.12",
            "python:3.11.9",
        ] {
            assert_eq!(distroless(other), None, "{other}");
        }
        assert!(
            table
                .candidates(&image("node:18-slim"))
                .iter()
                .all(|(e, _)| e.role == Role::StaticServer),
            "a slim image has no lighter swap"
        );
        assert!(
            table.candidates(&image("quay.io/node:18")).is_empty(),
            "other registries are not touched"
        );
    }

    #[test]
    fn many_placeholders_do_not_backtrack_exponentially() {
        let names: Vec<String> = (0..40).map(|i| format!("{{p{i}}}")).collect();
        let p = Pattern::parse(&format!("img:{}", names.join("."))).unwrap();
        // 41 dotted numbers for 40 placeholders: every split is tried and
        // fails. Without remembered states this takes longer than anyone waits.
        let tag = vec!["1"; 41].join(".") + "-x";
        assert!(p.match_tag(&tag).is_none());
        let tag = vec!["12"; 40].join(".");
        let values = p.match_tag(&tag).unwrap();
        assert_eq!(values.len(), 40);
        assert!(values.values().all(|v| v == "12"), "{values:?}");
        // The first placeholder takes the longest value that lets the rest match.
        let p = Pattern::parse("img:{a}.{b}").unwrap();
        let values = p.match_tag("1.2.3").unwrap();
        assert_eq!((values["a"].as_str(), values["b"].as_str()), ("1.2", "3"));
    }

    #[test]
    fn a_repeated_placeholder_matches_the_same_value() {
        let p = Pattern::parse("img:{v}-{v}").unwrap();
        assert_eq!(p.match_tag("1.2-1.2").unwrap()["v"], "1.2");
        assert!(p.match_tag("1.2-1.3").is_none());
        // Backreferences are bounded by a budget, not by luck.
        let names: Vec<&str> = (0..30)
            .map(|i| if i % 2 == 0 { "{a}" } else { "{b}" })
            .collect();
        let p = Pattern::parse(&format!("img:{}", names.join("."))).unwrap();
        let tag = vec!["1"; 60].join(".") + "x";
        assert!(p.match_tag(&tag).is_none());
    }

    #[test]
    fn a_tag_longer_than_the_grammar_allows_matches_nothing() {
        let p = Pattern::parse("node:{version}").unwrap();
        assert!(p.match_tag(&"1".repeat(128)).is_some());
        assert!(p.match_tag(&"1".repeat(129)).is_none());
        assert!(p.match_tag(&"1.".repeat(5_000_000)).is_none());
    }
}
