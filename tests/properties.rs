//! Property tests: the parser is lossless and total, and fixing is
//! idempotent. CI runs 10,000 cases each (`PROPTEST_CASES`, default 512
//! locally).

use dockslim::settings::Settings;
use dockslim::{fix_source, syntax};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

/// Lines that look like Dockerfile lines, so generated files mostly parse
/// and exercise the deep paths (continuations, heredocs, flags, JSON,
/// shell chains the rules edit); odd and random lines at a low weight.
fn dockerfile_line() -> impl Strategy<Value = String> {
    let fixed = |s: &str| Just(s.to_owned());
    prop_oneof![
        4 => fixed("RUN apt-get update && apt-get install -y curl"),
        3 => fixed("RUN apt-get update && \\\n    apt-get install -y git \\\n    && echo done"),
        2 => fixed("RUN apt-get update \\\n    # comment\n\n    && apt-get install -y make"),
        2 => fixed("RUN set -eux; apt-get update; apt-get install -y x"),
        2 => fixed("RUN apt-get install -y x > /tmp/log 2>&1 # note"),
        1 => fixed("RUN apt-get update; apt-get install -y x || true"),
        1 => fixed("RUN --mount=type=cache,target=/var/lib/apt/lists apt-get install -y x"),
        2 => fixed("RUN <<EOF\napt-get install -y curl\nEOF"),
        1 => fixed("RUN <<-'EOT' cat > /f\n\thello\n\tEOT"),
        1 => fixed("COPY <<EOF /etc/x\nbody\nEOF"),
        2 => fixed("FROM node:18 AS build"),
        2 => fixed("COPY --from=build --chown=1:1 /a /b"),
        2 => fixed("CMD [\"node\", \"x.js\"]"),
        1 => fixed("ENTRYPOINT [\"a\" trailing"),
        2 => fixed("# a comment"),
        2 => fixed(""),
        1 => fixed("ONBUILD RUN apt-get install -y x"),
        1 => fixed("ENV A=1 \\\n    B=2"),
        1 => fixed("RUN echo \\\\"),
        1 => fixed("RUN echo unterminated \\"),
        6 => fixed("WORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/app .\nCMD [\"app\"]"),
        3 => fixed("WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]"),
        2 => fixed("WORKDIR /app"),
        2 => fixed("COPY . ."),
        1 => fixed("FROM golang:1.22"),
        1 => fixed("RUN go build -o /usr/local/bin/app ."),
        1 => fixed("CMD [\"app\"]"),
        1 => fixed("FROM python:3.11"),
        1 => fixed("RUN pip install -r requirements.txt"),
        1 => fixed("RUN apt-get install -y libpq-dev gcc"),
        1 => fixed("RUN npm ci && npm run build"),
        1 => fixed("CMD [\"node\", \"dist/index.js\"]"),
        1 => fixed("EXPOSE 8080"),
        1 => fixed("# dockslim: ignore=DS101"),
        1 => fixed("RUN dotnet publish -c Release -o /app/out"),
        1 => fixed("ENTRYPOINT [\"dotnet\", \"/app/out/Api.dll\"]"),
        1 => fixed("RUN mvn -B package"),
        1 => fixed("CMD [\"java\", \"-jar\", \"target/app-1.0.jar\"]"),
        1 => fixed("RUN npm ci"),
        1 => fixed("CMD [\"node\", \"server.js\"]"),
        1 => fixed("COPY --from=build / /"),
        1 => fixed("VOLUME /data"),
        1 => fixed("USER 1000"),
        1 => fixed("USER root"),
        1 => fixed("ARG BASE=node:18"),
        1 => fixed("FROM ${BASE}"),
        1 => "[ -~]{0,30}".prop_map(|s| s),
        1 => "\\PC{0,12}".prop_map(|s| format!("RUN {s}")),
    ]
}

fn dockerfile() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just(""),
            Just("# syntax=docker/dockerfile:1\n"),
            Just("# escape=`\n"),
            Just("# a comment\n")
        ],
        proptest::collection::vec(dockerfile_line(), 0..10),
        prop_oneof![Just("\n"), Just("\r\n")],
        any::<bool>(),
        any::<bool>(),
        prop_oneof![
            Just("debian:bookworm"),
            Just("golang:1.22"),
            Just("python:3.11"),
            Just("node:18"),
            Just("mcr.microsoft.com/dotnet/sdk:8.0"),
            Just("maven:3.9-eclipse-temurin-17"),
            Just("gcr.io/distroless/static-debian12")
        ],
    )
        .prop_map(|(head, lines, newline, final_newline, bom, base)| {
            let mut text = if bom {
                "\u{feff}".to_owned()
            } else {
                String::new()
            };
            text.push_str(head);
            let mut all = vec![format!("FROM {base}")];
            all.extend(lines);
            text.push_str(
                &all.join(newline)
                    .replace('\n', newline)
                    .replace("\r\r\n", "\r\n"),
            );
            if final_newline {
                text.push_str(newline);
            }
            text
        })
}

/// A build context with the manifests the context-reading rules look at
/// (DS201, DS202, DS301's Java and Node.js splits, DS302).
fn sample_context() -> dockslim::Context {
    let mut context = dockslim::Context::from_names([
        "server.js",
        "requirements.txt",
        "go.mod",
        "main.go",
        "src/",
    ]);
    context.add(
        "package.json",
        Some(r#"{"name": "a", "scripts": {"build": "tsc"}, "devDependencies": {"typescript": "5.4.5"}}"#),
    );
    context.add("package-lock.json", Some("{}"));
    context.add(
        "tsconfig.json",
        Some(r#"{"compilerOptions": {"outDir": "dist"}}"#),
    );
    context.add(
        "pom.xml",
        Some("<project><artifactId>app</artifactId><version>1.0</version></project>"),
    );
    context
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn render_parse_is_identity(text in dockerfile()) {
        if let Ok(document) = syntax::parse(&text) {
            prop_assert_eq!(document.render(), text);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(document) = syntax::parse(&text) {
            prop_assert_eq!(document.render(), text.as_ref());
        }
        let _ = fix_source(&text, &dockslim::Context::unknown(), &Settings::default());
    }

    #[test]
    fn fixing_is_idempotent(text in dockerfile(), unsafe_fixes in any::<bool>(), known in any::<bool>()) {
        // The default cap on rounds, as the CLI runs: a file with several installs
        // to move and merge can take more than five.
        let settings = Settings { unsafe_fixes, ..Settings::default() };
        let context = if known { sample_context() } else { dockslim::Context::unknown() };
        if let Ok(first) = fix_source(&text, &context, &settings) {
            prop_assert!(first.converged, "no fixpoint for {:?}", text);
            prop_assert!(first.internal_errors.is_empty(), "{:?}", first.internal_errors);
            let second = fix_source(&first.fixed, &context, &settings).expect("a fixed file parses");
            prop_assert_eq!(&second.fixed, &first.fixed);
        }
    }
}

/// The properties above only mean something if the generator produces files
/// that parse and that the rules change; this keeps the generator honest.
#[test]
fn generator_produces_meaningful_files() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut parsed, mut changed) = (0, 0);
    for _ in 0..2000 {
        let text = dockerfile().new_tree(&mut runner).unwrap().current();
        if let Ok(outcome) = fix_source(&text, &dockslim::Context::unknown(), &Settings::default())
        {
            parsed += 1;
            changed += usize::from(outcome.changed());
        }
    }
    // With unsafe fixes some get split into stages (DS301) or rebased (DS401).
    let unsafe_settings = Settings {
        unsafe_fixes: true,
        ..Settings::default()
    };
    let mut runner = TestRunner::deterministic();
    let mut split = 0;
    for _ in 0..2000 {
        let text = dockerfile().new_tree(&mut runner).unwrap().current();
        if let Ok(outcome) = fix_source(&text, &dockslim::Context::unknown(), &unsafe_settings) {
            split +=
                usize::from(outcome.fixed.matches("FROM ").count() > text.matches("FROM ").count());
        }
    }
    eprintln!(
        "generated files: {parsed}/2000 parse, {changed} changed by a fix, {split} split into stages"
    );
    assert!(
        split >= 20,
        "only {split} of 2000 generated files get split"
    );
    assert!(
        parsed >= 1000,
        "only {parsed} of 2000 generated files parse"
    );
    assert!(
        changed >= 500,
        "only {changed} of 2000 generated files get fixed"
    );
}
