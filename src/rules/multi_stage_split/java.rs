//! DS301 for Java: `mvn package` or `gradle build` in a JDK image becomes a
//! builder, and the jar the container starts (`java -jar FILE`) runs on the
//! JRE image from the base-image table. The jar's name is read from
//! `pom.xml` or the Gradle build files and must be the one the container
//! starts: a mismatch, a property we cannot resolve, or a multi-module build
//! is reported, not guessed.

use std::collections::BTreeMap;

use super::{
    RULE, join_path, last_command, obstacle, report, runtime_image, shape, split_edits,
    start_command,
};
use crate::fix::{Applicability, Diagnostic, Fix};
use crate::rules::Checker;
use crate::rules::run;
use crate::syntax::Stage;
use crate::syntax::shell::SimpleCommand;

/// The build tool a command runs and the words after it, when it is a
/// Maven or Gradle build that produces a jar.
#[derive(Debug, PartialEq)]
enum Build {
    Maven,
    Gradle,
}

fn build_tool(command: &SimpleCommand) -> Option<(Build, Vec<String>)> {
    let words = run::effective_words(command);
    let tool = match run::program(words)? {
        "mvn" | "mvnw" => Build::Maven,
        "gradle" | "gradlew" => Build::Gradle,
        _ => return None,
    };
    let rest: Vec<String> = words[1..]
        .iter()
        .map(|w| w.literal.clone().unwrap_or_else(|| "$".to_owned()))
        .collect();
    let goals = ["package", "install", "verify", "deploy"];
    let tasks = ["build", "assemble", "bootJar", "jar"];
    let builds = rest.iter().any(|w| match tool {
        Build::Maven => goals.contains(&w.as_str()),
        Build::Gradle => tasks.contains(&w.as_str()),
    });
    builds.then_some((tool, rest))
}

/// The text of the elements of a small XML file, by slash-joined path from
/// the root element (`project/build/finalName`); the first occurrence
/// wins. `None` when the tags do not balance. Enough for a `pom.xml`:
/// comments, processing instructions, CDATA and attributes are handled,
/// entities are not decoded.
pub(crate) fn xml_values(xml: &str) -> Option<BTreeMap<String, String>> {
    let mut values = BTreeMap::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        let text = rest[..open].trim();
        if !text.is_empty() && !stack.is_empty() {
            values
                .entry(stack.join("/"))
                .or_insert_with(|| text.to_owned());
        }
        rest = &rest[open..];
        let (skip, end) = if rest.starts_with("<!--") {
            (0, "-->")
        } else if rest.starts_with("<![CDATA[") {
            let close = rest.find("]]>")?;
            if !stack.is_empty() {
                values
                    .entry(stack.join("/"))
                    .or_insert_with(|| rest[9..close].trim().to_owned());
            }
            rest = &rest[close + 3..];
            continue;
        } else if rest.starts_with("<?") {
            (0, "?>")
        } else if rest.starts_with("<!") {
            (0, ">")
        } else {
            let close = rest.find('>')?;
            let tag = &rest[1..close];
            if let Some(name) = tag.strip_prefix('/') {
                // A present but empty element still counts as present.
                values.entry(stack.join("/")).or_default();
                if stack.pop()? != name.trim() {
                    return None;
                }
            } else if let Some(empty) = tag.strip_suffix('/') {
                let name = empty.split(|c: char| c.is_whitespace()).next()?;
                let mut path = stack.join("/");
                path.push('/');
                path.push_str(name);
                values.entry(path).or_default();
            } else {
                let name = tag.split(|c: char| c.is_whitespace()).next()?;
                stack.push(name);
            }
            rest = &rest[close + 1..];
            continue;
        };
        let close = rest.find(end)?;
        rest = &rest[skip + close + end.len()..];
    }
    stack.is_empty().then_some(values)
}

/// The jar `mvn package` writes, relative to the project folder.
pub(crate) fn maven_jar(pom: &str) -> Result<String, String> {
    let values = xml_values(pom).ok_or("pom.xml is not well-formed")?;
    let get = |path: &str| values.get(path).map(String::as_str);
    if get("project/modules").is_some() {
        return Err("pom.xml has modules, so which jar runs is not certain".to_owned());
    }
    match get("project/packaging") {
        None | Some("jar") => {}
        Some(other) => {
            return Err(format!(
                "the project is packaged as `{other}`, not as a jar"
            ));
        }
    }
    let artifact = get("project/artifactId").ok_or("pom.xml has no artifactId")?;
    let version = get("project/version")
        .or_else(|| get("project/parent/version"))
        .ok_or("pom.xml has no version")?;
    let name = match get("project/build/finalName") {
        Some(name) => name
            .replace("${project.artifactId}", artifact)
            .replace("${project.version}", version),
        None => format!("{artifact}-{version}"),
    };
    if name.contains("${") || name.is_empty() {
        return Err(format!(
            "the jar's name `{name}` uses a property, so it is not certain"
        ));
    }
    Ok(format!("target/{name}.jar"))
}

/// A quoted string assigned to `key` on a line of a Gradle script
/// (`key = 'v'`, `key = "v"`, Groovy's `key 'v'`); `Err` when the key is
/// set to something that is not a plain string.
fn gradle_string(script: &str, key: &str) -> Result<Option<String>, ()> {
    for line in script.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix(key) else {
            continue;
        };
        if !rest.starts_with([' ', '=', '\t', '(']) {
            continue;
        }
        let value = rest
            .trim_start_matches([' ', '\t', '=', '('])
            .trim_end_matches(')');
        let value = value.trim();
        for quote in ['"', '\''] {
            if let Some(inner) = value
                .strip_prefix(quote)
                .and_then(|v| v.strip_suffix(quote))
                && !inner.contains(['$', quote])
            {
                return Ok(Some(inner.to_owned()));
            }
        }
        return Err(());
    }
    Ok(None)
}

/// The jar `gradle build` writes, relative to the project folder, from the
/// settings and build scripts; `folder` names the project when the settings
/// do not.
pub(crate) fn gradle_jar(
    settings: Option<&str>,
    build: Option<&str>,
    folder: &str,
) -> Result<String, String> {
    let uncertain = |what: &str| Err(format!("{what}, so the jar's name is not certain"));
    let settings = settings.unwrap_or_default();
    if settings.lines().map(str::trim).any(|l| {
        l.starts_with("include ") || l.starts_with("include(") || l.starts_with("includeBuild")
    }) {
        return uncertain("the Gradle build includes subprojects");
    }
    let Some(build) = build else {
        return uncertain("there is no build.gradle in the build context");
    };
    for key in [
        "archivesBaseName",
        "archivesName",
        "archiveFileName",
        "archiveBaseName",
        "archiveVersion",
        "archiveClassifier",
        "archiveAppendix",
        "buildDir",
        "layout.buildDirectory",
        "shadowJar",
    ] {
        if build.contains(key) {
            return uncertain(&format!("build.gradle sets `{key}`"));
        }
    }
    let name = match gradle_string(settings, "rootProject.name") {
        Ok(Some(name)) => name,
        Ok(None) if !folder.is_empty() => folder.to_owned(),
        Ok(None) => return uncertain("the project has no name"),
        Err(()) => return uncertain("rootProject.name is not a plain string"),
    };
    match gradle_string(build, "version") {
        Ok(Some(version)) => Ok(format!("build/libs/{name}-{version}.jar")),
        Ok(None) => Ok(format!("build/libs/{name}.jar")),
        Err(()) => uncertain("the version is not a plain string"),
    }
}

/// Build-script words that mean the build writes more than one jar.
const MORE_JARS: [&str; 10] = [
    "maven-source-plugin",
    "maven-javadoc-plugin",
    "maven-assembly-plugin",
    "shadedArtifactAttached",
    "<classifier>",
    "org.springframework.boot",
    "withSourcesJar",
    "withJavadocJar",
    "com.github.johnrengelman.shadow",
    "com.gradleup.shadow",
];

pub(super) fn check(checker: &Checker<'_>, stage: &Stage<'_>, out: &mut Vec<Diagnostic>) {
    let what = "the image ships the JDK, the build tool and its caches with the jar";
    let Some((view, command)) = last_command(checker, |c| build_tool(c).is_some()) else {
        return;
    };
    let (tool, words) = build_tool(command).expect("matched above");
    let build = view.instruction;
    let shape = shape(checker, stage, build);
    let elsewhere = match tool {
        Build::Maven => ["-f", "--file", "-pl", "--projects"].as_slice(),
        Build::Gradle => ["-p", "--project-dir", "-b", "--build-file"].as_slice(),
    };
    if words.iter().any(|w| {
        elsewhere
            .iter()
            .any(|f| w == f || w.starts_with(&format!("{f}=")))
    }) {
        out.push(report(
            build,
            command,
            what,
            "the build runs on a project in another folder",
        ));
        return;
    }
    if let Some(why) = obstacle(checker, stage, &shape, true, false) {
        out.push(report(build, command, what, &why));
        return;
    }
    let context = checker.context;
    let jar = match tool {
        Build::Maven => match context.text("pom.xml") {
            Some(pom) => maven_jar(pom),
            None => Err("pom.xml is not in the build context".to_owned()),
        },
        Build::Gradle => {
            let text = |names: [&str; 2]| names.iter().find_map(|n| context.text(n));
            let folder = shape.workdir.rsplit('/').next().unwrap_or_default();
            gradle_jar(
                text(["settings.gradle", "settings.gradle.kts"]),
                text(["build.gradle", "build.gradle.kts"]),
                folder,
            )
        }
    };
    let jar = match jar {
        Ok(jar) => join_path(&shape.workdir, &jar),
        Err(why) => {
            out.push(report(build, command, what, &why));
            return;
        }
    };
    // The container must start exactly that jar.
    let (start, workdir) = start_command(checker, stage);
    let started = start
        .iter()
        .position(|w| w == "-jar")
        .filter(|_| {
            start
                .first()
                .is_some_and(|p| p == "java" || p.ends_with("/java"))
        })
        .and_then(|i| start.get(i + 1));
    let Some(started) = started else {
        out.push(report(
            build,
            command,
            what,
            "the container does not start with `java -jar FILE`, so what it runs is not certain",
        ));
        return;
    };
    // A shell-form start may name the jar by a glob (`target/*.jar`), which
    // must match that jar alone: plugins that write more jars make it
    // ambiguous.
    let started_path = join_path(&workdir, started);
    let glob = started.contains(['*', '?', '[']);
    let scripts = ["pom.xml", "build.gradle", "build.gradle.kts"]
        .iter()
        .filter_map(|n| context.text(n))
        .collect::<String>();
    if let Some(extra) = MORE_JARS.iter().find(|m| glob && scripts.contains(**m)) {
        out.push(report(
            build,
            command,
            what,
            &format!("`{started}` may match several jars (the build uses `{extra}`)"),
        ));
        return;
    }
    let matches = if glob {
        globset::GlobBuilder::new(&started_path)
            .literal_separator(true)
            .build()
            .is_ok_and(|g| g.compile_matcher().is_match(&jar))
    } else {
        started_path == jar
    };
    if !matches {
        out.push(report(
            build,
            command,
            what,
            &format!("the build writes `{jar}` but the container runs `{started}`"),
        ));
        return;
    }
    let Some(image) = stage.image() else { return };
    let Some(runtime) = runtime_image(checker, &image) else {
        out.push(report(
            build,
            command,
            what,
            &format!("the base-image table has no JRE image for `{}`", image.text),
        ));
        return;
    };
    let mut body = vec![format!("COPY --from={{alias}} {jar} {jar}")];
    for path in super::runtime_paths(checker, stage, &shape.workdir) {
        if path != jar {
            body.push(format!("COPY --from={{alias}} {path} {path}"));
        }
    }
    let (edits, _) = split_edits(checker, stage, &shape, &runtime, &body, Vec::new());
    out.push(
        Diagnostic::new(
            &RULE,
            build.source_range(command.range),
            format!("{what}: build in a stage and run `{jar}` on {runtime}"),
        )
        .with_fix(Fix::new(edits, Applicability::Unsafe)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pom_values_skip_parents_dependencies_and_comments() {
        let pom = r#"<?xml version="1.0"?>
<!-- <artifactId>commented</artifactId> -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent>
  <artifactId>shop</artifactId>
  <dependencies><dependency><artifactId>x</artifactId><version>9</version></dependency></dependencies>
  <build><plugins/></build>
</project>"#;
        assert_eq!(maven_jar(pom).unwrap(), "target/shop-3.2.0.jar");
        let named = pom.replace("<plugins/>", "<finalName>${project.artifactId}</finalName>");
        assert_eq!(maven_jar(&named).unwrap(), "target/shop.jar");
        let property = pom.replace("<plugins/>", "<finalName>${app.name}</finalName>");
        assert!(maven_jar(&property).unwrap_err().contains("property"));
        let war = pom.replace("<build>", "<packaging>war</packaging><build>");
        assert!(maven_jar(&war).unwrap_err().contains("war"));
        let modules = pom.replace("<build>", "<modules><module>a</module></modules><build>");
        assert!(maven_jar(&modules).unwrap_err().contains("modules"));
        assert!(maven_jar("<project><artifactId>a</artifactId>").is_err());
    }

    #[test]
    fn gradle_names() {
        let settings = "rootProject.name = 'demo'\n";
        assert_eq!(
            gradle_jar(Some(settings), Some("version = '1.2'\n"), "app").unwrap(),
            "build/libs/demo-1.2.jar"
        );
        assert_eq!(
            gradle_jar(None, Some("plugins { id 'java' }\n"), "app").unwrap(),
            "build/libs/app.jar"
        );
        assert_eq!(
            gradle_jar(
                Some("rootProject.name = \"k\""),
                Some("version = \"2\""),
                "x"
            )
            .unwrap(),
            "build/libs/k-2.jar"
        );
        assert!(
            gradle_jar(
                Some(settings),
                Some("version = project.findProperty('v')"),
                "a"
            )
            .is_err()
        );
        assert!(gradle_jar(Some("include 'core'\n"), Some(""), "a").is_err());
        assert!(
            gradle_jar(
                Some(settings),
                Some("bootJar { archiveFileName = 'x.jar' }"),
                "a"
            )
            .is_err()
        );
        assert!(gradle_jar(Some(settings), None, "a").is_err());
        // `versionCatalog` is not `version`.
        assert_eq!(
            gradle_jar(Some(settings), Some("versionCatalogs {}\n"), "a").unwrap(),
            "build/libs/demo.jar"
        );
    }
}
