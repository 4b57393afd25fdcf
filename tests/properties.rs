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

/// Lines that look like Dockerfile lines, so generated files often parse
/// and exercise the deep paths (continuations, heredocs, flags, JSON).
fn dockerfile_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FROM debian:bookworm".to_owned()),
        Just("FROM node:18 AS build".to_owned()),
        Just("RUN apt-get update && apt-get install -y curl".to_owned()),
        Just("RUN apt-get install -y git \\".to_owned()),
        Just("    && echo done".to_owned()),
        Just("RUN <<EOF".to_owned()),
        Just("RUN <<-'EOT' cat > /f".to_owned()),
        Just("EOF".to_owned()),
        Just("\tEOT".to_owned()),
        Just("# escape=`".to_owned()),
        Just("# syntax=docker/dockerfile:1".to_owned()),
        Just("# a comment".to_owned()),
        Just("COPY --from=build --chown=1:1 /a /b".to_owned()),
        Just("CMD [\"node\", \"x.js\"]".to_owned()),
        Just("CMD [1]".to_owned()),
        Just("ONBUILD RUN <<EOF".to_owned()),
        Just("RUN set -e; apt-get install -y x || true".to_owned()),
        Just("RUN echo `".to_owned()),
        Just(String::new()),
        "[ -~]{0,30}".prop_map(|s| s),
        "\\PC{0,12}".prop_map(|s| s),
    ]
}

fn dockerfile() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(dockerfile_line(), 0..14),
        prop_oneof![Just("\n"), Just("\r\n")],
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, newline, final_newline, bom)| {
            let mut text = if bom {
                "\u{feff}".to_owned()
            } else {
                String::new()
            };
            text.push_str(&lines.join(newline));
            if final_newline && !lines.is_empty() {
                text.push_str(newline);
            }
            text
        })
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
        let _ = fix_source(&text, &Settings::default());
    }

    #[test]
    fn fixing_is_idempotent(text in dockerfile(), unsafe_fixes in any::<bool>()) {
        let settings = Settings { unsafe_fixes, max_rounds: 5, ..Settings::default() };
        if let Ok(first) = fix_source(&text, &settings) {
            prop_assert!(first.converged, "no fixpoint for {:?}", text);
            prop_assert!(first.internal_errors.is_empty(), "{:?}", first.internal_errors);
            let second = fix_source(&first.fixed, &settings).expect("a fixed file parses");
            prop_assert_eq!(&second.fixed, &first.fixed);
        }
    }
}
