//! The rule data tables: the built-in base-image table loads, no entry is
//! shadowed by an earlier one, and every replacement is a tag that exists in
//! its image's official naming scheme.

use dockslim::images::BaseImages;
use dockslim::syntax::{ImageRef, TextRange};

fn version(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn codename(s: &str) -> bool {
    ["buster", "bullseye", "bookworm", "trixie"].contains(&s)
}

/// The tag shapes each repository publishes (Docker Hub, gcr.io/distroless,
/// mcr.microsoft.com), for the images the table swaps to.
fn official(image: &str, tag: &str) -> bool {
    let parts: Vec<&str> = tag.split('-').collect();
    match (image, parts.as_slice()) {
        ("node", [v, "slim"]) => version(v) || *v == "lts" || *v == "current",
        ("node", [v, c, "slim"]) => version(v) && codename(c),
        ("node", [v, "alpine"]) => version(v),
        ("node" | "python" | "ruby", ["slim"]) => true,
        ("amazoncorretto", [v, "al2023", "headless"]) => version(v),
        ("amazoncorretto", ["8", "al2023", "jre"]) => true,
        ("python" | "ruby", [v, "slim"]) => version(v),
        ("python" | "ruby", [v, "slim", c]) => version(v) && codename(c),
        ("python", [v, "alpine"]) => version(v),
        ("php", [v, "cli" | "fpm" | "apache", "alpine"]) => version(v),
        ("eclipse-temurin", [v, "jre"]) => version(v),
        ("debian", [v, "slim"]) => version(v) || codename(v) || *v == "stable",
        ("nginx", ["stable" | "mainline", "alpine"]) => true,
        (
            "gcr.io/distroless/static-debian12" | "gcr.io/distroless/cc-debian12",
            ["latest" | "nonroot"],
        ) => true,
        (
            "gcr.io/distroless/nodejs18-debian12"
            | "gcr.io/distroless/nodejs20-debian12"
            | "gcr.io/distroless/nodejs22-debian12"
            | "gcr.io/distroless/python3-debian12",
            ["latest" | "nonroot"],
        ) => true,
        ("mcr.microsoft.com/dotnet/aspnet" | "mcr.microsoft.com/dotnet/runtime", [v]) => version(v),
        (
            "mcr.microsoft.com/dotnet/aspnet" | "mcr.microsoft.com/dotnet/runtime",
            [v, c, "slim"],
        ) => version(v) && codename(c),
        _ => false,
    }
}

#[test]
fn builtin_base_images_have_no_shadowed_entries() {
    let table = BaseImages::builtin();
    assert!(table.entries.len() >= 20);
    assert_eq!(table.shadowed(), Vec::<(String, String)>::new());
}

#[test]
fn shadowing_is_detected() {
    let text = "images:\n  - {match: \"node:{v}\", to: \"node:{v}-slim\", role: runtime, reason: r, differs: d, size_mb: [2, 1]}\n  - {match: \"node:{v}\", to: \"node:{v}-alpine\", role: runtime, reason: r, differs: d, size_mb: [2, 1]}\n";
    let table = BaseImages::load("t.yaml", text).unwrap();
    assert_eq!(
        table.shadowed(),
        vec![("t.yaml:3".to_owned(), "t.yaml:2".to_owned())]
    );
}

#[test]
fn every_target_is_an_official_tag() {
    let table = BaseImages::builtin();
    let samples = [
        ("version", "18"),
        ("version", "3.11"),
        ("java", "17"),
        ("maven", "3.9"),
        ("gradle", "8.5"),
        ("codename", "bookworm"),
        ("channel", "8.0"),
    ];
    let mut checked = 0;
    for entry in &table.entries {
        // Instantiate the source pattern with sample values, then ask for the replacement.
        let mut tag = entry
            .from_text
            .rsplit_once(':')
            .map_or("latest".to_owned(), |(_, t)| t.to_owned());
        for (name, value) in samples {
            tag = tag.replace(&format!("{{{name}}}"), value);
        }
        let text = format!(
            "{}:{tag}",
            entry
                .from_text
                .rsplit_once(':')
                .map_or(entry.from_text.as_str(), |(i, _)| i)
        );
        let image = ImageRef::parse(&text, TextRange::new(0, text.len()));
        let values = entry
            .from
            .match_tag(image.tag.as_deref().unwrap_or("latest"))
            .unwrap_or_else(|| panic!("{} does not match {text}", entry.origin));
        let target = entry.replacement(&image, &values);
        let target_ref = ImageRef::parse(&target, TextRange::new(0, target.len()));
        let name = target_ref.canonical_name();
        let target_tag = target_ref
            .tag
            .clone()
            .unwrap_or_else(|| "latest".to_owned());
        assert!(
            official(&name, &target_tag),
            "{}: {text} -> {target} is not an official tag of {name}",
            entry.origin
        );
        checked += 1;
    }
    assert_eq!(checked, table.entries.len());
}
