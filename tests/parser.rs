//! Parser tests: lossless round trip and tiling on every fixture, and the
//! syntax forms BuildKit supports, one test each.

mod common;

use dockslim::syntax::{self, Body, Document, Item, Keyword, TextRange};

fn parse(text: &str) -> Document {
    syntax::parse(text).unwrap_or_else(|e| panic!("{e} at {} in {text:?}", e.offset))
}

fn assert_tiles(document: &Document) {
    let start = if document.has_bom() { 3 } else { 0 };
    let mut at = start;
    for item in document.items() {
        assert_eq!(item.range().start, at, "gap or overlap before {item:?}");
        assert!(item.range().end > at, "empty item {item:?}");
        at = item.range().end;
    }
    assert_eq!(at, document.source().len());
}

#[test]
fn every_fixture_round_trips_and_tiles() {
    let files = common::all_valid_dockerfiles();
    assert!(files.len() >= 60);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let document = parse(&text);
        assert_eq!(document.render(), text, "{}", path.display());
        assert_tiles(&document);
    }
}

#[test]
fn directives_only_at_the_top() {
    let d = parse("# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=`\nFROM a\n");
    let names: Vec<_> = d
        .items()
        .iter()
        .filter_map(|i| match i {
            Item::Directive(d) => Some((d.name.as_str(), d.value.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        names,
        [
            ("syntax", "docker/dockerfile:1"),
            ("check", "skip=all"),
            ("escape", "`")
        ]
    );
    assert_eq!(d.escape(), '`');
    // After any other line, a directive is a plain comment.
    let d = parse("# hello\n# escape=`\nFROM a\n");
    assert_eq!(d.escape(), '\\');
    assert!(matches!(d.items()[1], Item::Comment(_)));
    let d = parse("\n# escape=`\nFROM a\n");
    assert_eq!(d.escape(), '\\');
}

#[test]
fn backtick_escape_continues_lines() {
    let d = parse("# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo x\n");
    let run = d.instructions().nth(1).unwrap();
    assert_eq!(run.args_text(), "dir c:\\   && echo x");
    assert_eq!((run.start_line, run.end_line), (3, 4));
}

#[test]
fn continuation_skips_comments_and_empty_lines() {
    let d = parse("FROM a\nRUN a \\\n# c\n\n  b \\\n   # d\n  c\n");
    let run = d.instructions().nth(1).unwrap();
    assert_eq!(run.args_text(), "a   b   c");
    assert_eq!((run.start_line, run.end_line), (2, 7));
}

#[test]
fn escaped_escape_does_not_continue() {
    let d = parse("FROM a\nRUN echo \\\\\nRUN b\n");
    assert_eq!(d.instructions().count(), 3);
}

#[test]
fn trailing_whitespace_after_escape_still_continues() {
    let d = parse("FROM a\nRUN a \\  \t\n b\n");
    assert_eq!(d.instructions().nth(1).unwrap().args_text(), "a  b");
}

#[test]
fn heredoc_forms() {
    let src = "FROM a\nRUN <<EOF\necho 1\nEOF\nRUN <<-EOT\n\techo 2\n\tEOT\nRUN <<'Q' cat > /f && 3<<\"R\" cat\nq\nQ\nr\nR\nCOPY <<EOF /x\nbody\nEOF\n";
    let d = parse(src);
    let ins: Vec<_> = d.instructions().collect();
    assert_eq!(ins[1].heredocs.len(), 1);
    assert_eq!(ins[1].heredocs[0].body.slice(src), "echo 1\n");
    assert_eq!(ins[1].heredocs[0].terminator.slice(src), "EOF\n");
    assert!(ins[1].heredocs[0].expand);
    assert!(ins[2].heredocs[0].chomp);
    let names: Vec<_> = ins[3]
        .heredocs
        .iter()
        .map(|h| (h.name.as_str(), h.expand, h.fd))
        .collect();
    assert_eq!(names, [("Q", false, 0), ("R", false, 3)]);
    assert_eq!(ins[3].heredocs[1].body.slice(src), "r\n");
    assert_eq!(ins[4].keyword(), Keyword::Copy);
    assert_eq!(ins[4].heredocs.len(), 1);
    assert_eq!((ins[4].start_line, ins[4].end_line), (13, 15));
}

#[test]
fn heredoc_under_onbuild() {
    let d = parse("FROM a\nONBUILD RUN <<EOF\nx\nEOF\n");
    let on = d.instructions().nth(1).unwrap();
    assert!(matches!(&on.command.body, Body::Onbuild(inner) if inner.keyword == Keyword::Run));
    assert_eq!(on.heredocs.len(), 1);
}

#[test]
fn heredoc_not_in_exec_form_or_other_instructions() {
    let d = parse("FROM a\nRUN [\"cat\", \"<<EOF\"]\nCMD cat <<EOF\n");
    assert!(d.instructions().all(|i| i.heredocs.is_empty()));
}

#[test]
fn exec_form_and_fallback() {
    let src = "FROM a\nCMD [\"a b\", \"\\u00e9\"]\nRUN ['x']\nENTRYPOINT [\"x\"] trailing\n";
    let d = parse(src);
    let ins: Vec<_> = d.instructions().collect();
    match &ins[1].command.body {
        Body::Exec(args) => {
            assert_eq!(args[0].value, "a b");
            assert_eq!(args[1].value, "é");
            assert_eq!(ins[1].source_range(args[0].range).slice(src), "\"a b\"");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ins[2].command.body, Body::Plain);
    assert_eq!(ins[3].command.body, Body::Plain);
}

#[test]
fn keywords_are_case_insensitive() {
    let d = parse("from a AS b\nrun x\nCoPy a b\n");
    let kws: Vec<_> = d.instructions().map(|i| i.keyword()).collect();
    assert_eq!(kws, [Keyword::From, Keyword::Run, Keyword::Copy]);
    assert_eq!(
        d.instructions().next().unwrap().from_alias().unwrap().0,
        "b"
    );
}

#[test]
fn flags_with_spans() {
    let src = "FROM a\nCOPY --from=build --chown=\"app user\" --chmod=755 --link src /dst\nRUN --mount=type=cache,target=/root/.cache --network=none make\nFROM --platform=$BUILDPLATFORM b\n";
    let d = parse(src);
    let ins: Vec<_> = d.instructions().collect();
    let copy = ins[1];
    let names: Vec<_> = copy.command.flags.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["from", "chown", "chmod", "link"]);
    assert_eq!(copy.flag("chown").unwrap().value(), Some("app user"));
    assert_eq!(
        copy.source_range(copy.flag("chown").unwrap().range)
            .slice(src),
        "--chown=\"app user\""
    );
    assert_eq!(copy.args_text(), "src /dst");
    assert_eq!(ins[2].flag("network").unwrap().value(), Some("none"));
    assert_eq!(ins[2].args_text(), "make");
    assert_eq!(
        ins[3].flag("platform").unwrap().value(),
        Some("$BUILDPLATFORM")
    );
    assert_eq!(ins[3].from_image().unwrap().text, "b");
}

#[test]
fn image_references_in_from() {
    let src = "FROM localhost:5000/app:1 AS x\nFROM node:18@sha256:abc\nFROM ${BASE}\n";
    let d = parse(src);
    let images: Vec<_> = d.instructions().map(|i| i.from_image().unwrap()).collect();
    assert_eq!(images[0].registry.as_deref(), Some("localhost:5000"));
    assert_eq!(images[0].tag.as_deref(), Some("1"));
    assert_eq!(images[0].range.slice(src), "localhost:5000/app:1");
    assert_eq!(images[1].digest.as_deref(), Some("sha256:abc"));
    assert!(images[2].has_variables());
    let stages = d.stages();
    assert_eq!(stages.len(), 3);
    assert_eq!(stages[0].name(), Some("x"));
}

#[test]
fn crlf_bom_and_no_final_newline() {
    let src = "\u{feff}FROM a\r\nRUN x \\\r\n  y\r\nCMD z";
    let d = parse(src);
    assert!(d.has_bom());
    assert_eq!(d.render(), src);
    let ins: Vec<_> = d.instructions().collect();
    assert_eq!(ins[1].args_text(), "x   y");
    assert_eq!(ins[2].range.slice(src), "CMD z");
    assert_eq!(d.newline(), "\r\n");
}

#[test]
fn logical_ranges_map_to_source() {
    let src = "FROM a\nRUN apt-get update && \\\n    apt-get install -y curl\n";
    let d = parse(src);
    let run = d.instructions().nth(1).unwrap();
    let logical = run.logical.as_str();
    let at = logical.find("install").unwrap();
    let range = run.source_range(TextRange::new(at, at + "install".len()));
    assert_eq!(range.slice(src), "install");
    assert_eq!(range.start, src.find("install").unwrap());
}

fn error(src: &str) -> (String, usize) {
    let e = syntax::parse(src).expect_err(src);
    (e.message, e.offset)
}

#[test]
fn malformed_files_are_errors_with_positions() {
    assert_eq!(
        error("FROM a\nFOO bar\n"),
        ("unknown instruction: FOO".into(), 7)
    );
    assert_eq!(error("FROM a\nRUN <<EOF\nno end\n").1, 11);
    assert!(
        error("FROM a\nRUN <<EOF\n")
            .0
            .contains("unterminated heredoc")
    );
    assert!(error("# escape=x\nFROM a\n").0.contains("invalid escape"));
    assert!(
        error("# escape=`\n# escape=\\\nFROM a\n")
            .0
            .contains("only one escape")
    );
    assert!(error("FROM a\nCMD [1, 2]\n").0.contains("strings only"));
    assert_eq!(
        error("FROM a\nRUN\n"),
        ("RUN requires at least one argument".into(), 7)
    );
    assert!(error("FROM a b\n").0.contains("FROM requires"));
    assert!(error("FROM a\nONBUILD FROM b\n").0.contains("ONBUILD"));
    assert_eq!(error("# just a comment\n\n").0, "file with no instructions");
    assert_eq!(error("").0, "file with no instructions");
}
