//! A view of shell-form RUN text as simple commands and words, built with
//! tree-sitter-bash over the instruction's logical line (what `/bin/sh -c`
//! receives). Every word keeps its logical range, which the instruction maps
//! back to source bytes, so a rule can say "insert this flag after `install`
//! in that `apt-get` command" exactly.
//!
//! The view is deliberately flat: one entry per simple command, in source
//! order, with how it is joined to the command before it and whether it sits
//! inside a compound construct (subshell, `if`, loop, function, command
//! substitution). Rules use that to decide whether an edit is certain or
//! should only be reported.

use std::cell::RefCell;
use std::collections::HashMap;

use tree_sitter::{Node, Parser};

use super::text::TextRange;

/// How a command is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    /// The first command of the script.
    Start,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;`, `&` or a line break
    Seq,
    /// `|`
    Pipe,
    /// Anything else (the start of a subshell, a keyword of `if`/`for` …).
    Other,
}

/// One word of a simple command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Logical range of the word as written (quotes included).
    pub range: TextRange,
    /// The word's value when it is a literal (quotes and escapes removed);
    /// `None` when it contains an expansion or substitution.
    pub literal: Option<String>,
}

impl Word {
    pub fn is(&self, value: &str) -> bool {
        self.literal.as_deref() == Some(value)
    }
}

/// One simple command: `apt-get install -y curl`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    /// Logical range of the command.
    pub range: TextRange,
    /// Leading `NAME=value` assignments.
    pub assignments: Vec<TextRange>,
    /// The command name and its arguments (redirections excluded).
    pub words: Vec<Word>,
    pub connector: Connector,
    /// Inside a subshell, group, `if`, loop, function or substitution.
    pub nested: bool,
}

impl SimpleCommand {
    pub fn name(&self) -> Option<&str> {
        self.words.first()?.literal.as_deref()
    }

    /// The arguments after the command name.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or_default()
    }
}

/// The commands of a shell script.
#[derive(Clone, Debug, Default)]
pub struct Script {
    pub commands: Vec<SimpleCommand>,
    /// The text did not parse cleanly; rules should report, not edit.
    pub has_errors: bool,
    /// Logical range of the script text that was parsed.
    pub range: TextRange,
    /// The top-level statements of the chain, in order: each command with
    /// its redirections, or a compound command, comments excluded. For a
    /// simple chain they match `commands` one to one.
    pub statements: Vec<TextRange>,
    /// Where the last top-level statement ends: text appended to the script goes here.
    pub end_of_statements: usize,
    /// [`Script::is_simple_chain`], worked out on first use: rules ask once
    /// per command, and a scan each time made long chains quadratic.
    simple_chain: std::cell::OnceCell<bool>,
}

impl Script {
    /// True when the script is one plain chain at the top level: every
    /// command joined with `&&` (or `;` after a leading `set -e`), nothing
    /// nested, nothing that parses badly. Appending `&& cmd` to such a
    /// script runs `cmd` exactly when everything before it succeeded.
    pub fn is_simple_chain(&self) -> bool {
        *self
            .simple_chain
            .get_or_init(|| self.compute_simple_chain())
    }

    fn compute_simple_chain(&self) -> bool {
        if self.has_errors || self.commands.is_empty() {
            return false;
        }
        let errexit = self.commands.first().is_some_and(|c| {
            c.name() == Some("set")
                && c.args()
                    .iter()
                    .any(|w| w.literal.as_deref().is_some_and(sets_errexit))
        });
        self.commands.iter().all(|c| {
            !c.nested
                && match c.connector {
                    Connector::Start | Connector::And => true,
                    Connector::Seq => errexit,
                    _ => false,
                }
        })
    }
}

fn sets_errexit(flag: &str) -> bool {
    flag.starts_with('-') && !flag.starts_with("--") && flag.contains('e')
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// The bytes of text held, and the scripts by start offset and text.
type ScriptCache = (usize, HashMap<(usize, String), Script>);

thread_local! {
    /// Scripts parsed before, by the start offset and the text parsed: the
    /// fix rounds parse the RUNs of a file again after each round's edits
    /// and for the final check, although most did not change, and
    /// tree-sitter was the largest cost of a round (about 40% of
    /// `examples/bench.rs`; the cache saves about a tenth of its
    /// instructions, counted with callgrind). A script depends only on that
    /// key: its ranges are the text's, moved by the start.
    static SCRIPTS: RefCell<ScriptCache> = RefCell::new((0, HashMap::new()));
}

/// Forgets the scripts parsed so far: the fix of each file starts with an
/// empty cache, so a batch holds only one file's scripts (and a benchmark
/// that fixes the same files again measures real parses).
pub fn clear_script_cache() {
    SCRIPTS.with(|cache| *cache.borrow_mut() = (0, HashMap::new()));
}

/// The cache holds at most this many bytes of script text, then starts over.
const SCRIPT_CACHE_BYTES: usize = 1 << 20;

/// Parses `text[range]` as a shell script.
pub fn parse_script(text: &str, range: TextRange) -> Script {
    let key = (range.start, range.slice(text).to_owned());
    if let Some(script) = SCRIPTS.with(|cache| cache.borrow().1.get(&key).cloned()) {
        return script;
    }
    let script = parse_script_uncached(text, range);
    SCRIPTS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.0 + key.1.len() > SCRIPT_CACHE_BYTES {
            *cache = (0, HashMap::new());
        }
        if key.1.len() <= SCRIPT_CACHE_BYTES {
            cache.0 += key.1.len();
            cache.1.insert(key, script.clone());
        }
    });
    script
}

fn parse_script_uncached(text: &str, range: TextRange) -> Script {
    let source = range.slice(text);
    let tree = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(|| {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_bash::LANGUAGE.into())
                .expect("tree-sitter-bash matches the tree-sitter version");
            parser
        });
        parser.parse(source, None)
    });
    let Some(tree) = tree else {
        return Script {
            commands: Vec::new(),
            has_errors: true,
            range,
            statements: Vec::new(),
            end_of_statements: range.end,
            simple_chain: std::cell::OnceCell::new(),
        };
    };
    let root = tree.root_node();
    let mut collector = Collector {
        source,
        offset: range.start,
        commands: Vec::new(),
        last_end: 0,
    };
    collector.walk(root, false);
    let mut statements = Vec::new();
    collect_statements(root, range.start, &mut statements);
    let end_of_statements = statements.last().map_or(range.start, |s| s.end);
    Script {
        commands: collector.commands,
        has_errors: root.has_error(),
        range,
        statements,
        end_of_statements,
        simple_chain: std::cell::OnceCell::new(),
    }
}

/// The children of the program, with `&&`/`||` lists flattened.
///
/// A chain `a && b && c` is a left-leaning tree of `list` nodes as deep as
/// the chain is long, so this walks it with an explicit stack: a RUN with
/// thousands of commands must not overflow the call stack.
fn collect_statements(node: Node<'_>, offset: usize, out: &mut Vec<TextRange>) {
    // `Ok` is a node whose children are still to be visited, `Err` a statement.
    let mut stack: Vec<Result<Node<'_>, Node<'_>>> = vec![Ok(node)];
    let mut cursor = node.walk();
    while let Some(entry) = stack.pop() {
        let node = match entry {
            Ok(node) => node,
            Err(statement) => {
                out.push(TextRange::new(
                    offset + statement.start_byte(),
                    offset + statement.end_byte(),
                ));
                continue;
            }
        };
        let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        // Reversed, so that the first child comes off the stack first.
        for child in children.into_iter().rev() {
            match child.kind() {
                "comment" => {}
                "list" => stack.push(Ok(child)),
                _ => stack.push(Err(child)),
            }
        }
    }
}

struct Collector<'s> {
    source: &'s str,
    offset: usize,
    commands: Vec<SimpleCommand>,
    /// End of the previous command, in script-relative bytes.
    last_end: usize,
}

/// Node kinds that only sequence commands and do not change how they run.
const TRANSPARENT: [&str; 4] = ["program", "list", "pipeline", "redirected_statement"];

/// A step of [`Collector::walk`]'s depth-first traversal.
enum Visit<'t> {
    /// A statement-level node: a command, or a construct holding commands.
    Node { node: Node<'t>, nested: bool },
    /// The children of a command's part (a word, a string, an expansion):
    /// substitutions among them hold commands.
    Parts(Node<'t>),
}

impl Collector<'_> {
    /// Collects the commands under `root` in source order. The traversal
    /// keeps its own stack rather than recursing: `&&` chains, pipelines
    /// and nested substitutions make trees as deep as the script is long.
    fn walk(&mut self, root: Node<'_>, nested: bool) {
        let mut stack = vec![Visit::Node { node: root, nested }];
        let mut cursor = root.walk();
        while let Some(visit) = stack.pop() {
            let first_len = stack.len();
            match visit {
                Visit::Node { node, nested } if node.kind() == "command" => {
                    self.command(node, nested);
                    // Substitutions inside the words are commands too.
                    stack.extend(node.named_children(&mut cursor).map(Visit::Parts));
                }
                Visit::Node { node, nested } => {
                    let nested = nested || !TRANSPARENT.contains(&node.kind());
                    stack.extend(
                        node.named_children(&mut cursor)
                            .map(|node| Visit::Node { node, nested }),
                    );
                }
                Visit::Parts(node) => {
                    stack.extend(node.named_children(&mut cursor).map(|child| {
                        if matches!(
                            child.kind(),
                            "command_substitution" | "process_substitution"
                        ) {
                            Visit::Node {
                                node: child,
                                nested: true,
                            }
                        } else {
                            Visit::Parts(child)
                        }
                    }));
                }
            }
            // Children were pushed in order; the first must come off first.
            stack[first_len..].reverse();
        }
    }

    fn command(&mut self, node: Node<'_>, nested: bool) {
        let between = self.source[self.last_end.min(node.start_byte())..node.start_byte()].trim();
        let connector = match between {
            "" if self.commands.is_empty() => Connector::Start,
            "&&" => Connector::And,
            "||" => Connector::Or,
            ";" | "&" | "" => Connector::Seq,
            "|" | "|&" => Connector::Pipe,
            _ => Connector::Other,
        };
        let mut assignments = Vec::new();
        let mut words = Vec::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "variable_assignment" => assignments.push(self.range(child)),
                "command_name" => {
                    let inner = child.named_child(0).unwrap_or(child);
                    words.push(self.word(inner));
                }
                kind if kind.ends_with("redirect") => {}
                _ => words.push(self.word(child)),
            }
        }
        let inner = self.inline_script(&words);
        self.commands.push(SimpleCommand {
            range: self.range(node),
            assignments,
            words,
            connector,
            nested,
        });
        self.last_end = node.end_byte();
        // The commands of `sh -c '…'` are commands too, nested in this one.
        if let Some(inner) = inner {
            self.commands
                .extend(inner.commands.into_iter().map(|mut c| {
                    c.nested = true;
                    if c.connector == Connector::Start {
                        c.connector = Connector::Other;
                    }
                    c
                }));
        }
    }

    /// The script of `sh -c 'script'` (also bash, dash, ash), when the
    /// quoted string's bytes are exactly its value, so offsets stay exact.
    fn inline_script(&self, words: &[Word]) -> Option<Script> {
        let name = words.first()?.literal.as_deref()?;
        let name = name.rsplit('/').next().unwrap_or(name);
        if !matches!(name, "sh" | "bash" | "dash" | "ash") {
            return None;
        }
        let c = words.iter().position(|w| w.is("-c"))?;
        let script = words.get(c + 1)?;
        let literal = script.literal.as_deref()?;
        let raw = script.range.slice_shifted(self.source, self.offset);
        let quoted = raw.len() == literal.len() + 2
            && (raw.starts_with('\'') || raw.starts_with('"'))
            && raw[1..raw.len() - 1] == *literal;
        if !quoted {
            return None;
        }
        let local = TextRange::new(
            script.range.start - self.offset + 1,
            script.range.end - self.offset - 1,
        );
        let mut inner = parse_script(self.source, local);
        for command in &mut inner.commands {
            command.range = command.range.shifted(self.offset);
            for w in &mut command.words {
                w.range = w.range.shifted(self.offset);
            }
            for a in &mut command.assignments {
                *a = a.shifted(self.offset);
            }
        }
        Some(inner)
    }

    fn range(&self, node: Node<'_>) -> TextRange {
        TextRange::new(
            self.offset + node.start_byte(),
            self.offset + node.end_byte(),
        )
    }

    fn word(&self, node: Node<'_>) -> Word {
        Word {
            range: self.range(node),
            literal: self.literal(node),
        }
    }

    fn literal(&self, node: Node<'_>) -> Option<String> {
        let text = &self.source[node.byte_range()];
        match node.kind() {
            "word" | "number" => Some(unescape(text)),
            "raw_string" => Some(text.trim_matches('\'').to_owned()),
            "string" => {
                let mut cursor = node.walk();
                if node
                    .named_children(&mut cursor)
                    .any(|c| c.kind() != "string_content")
                {
                    return None;
                }
                let inner = text.strip_prefix('"')?.strip_suffix('"')?;
                Some(unescape_double_quoted(inner))
            }
            "concatenation" => {
                let mut cursor = node.walk();
                let parts: Option<Vec<String>> = node
                    .named_children(&mut cursor)
                    .map(|c| self.literal(c))
                    .collect();
                parts.map(|p| p.concat())
            }
            _ => None,
        }
    }
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn unescape_double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(text: &str) -> Script {
        parse_script(text, TextRange::new(0, text.len()))
    }

    fn names(s: &Script) -> Vec<(String, Connector, bool)> {
        s.commands
            .iter()
            .map(|c| (c.name().unwrap_or("?").to_owned(), c.connector, c.nested))
            .collect()
    }

    #[test]
    fn and_chain_with_words() {
        let text =
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y 'curl' \"git\"";
        let s = script(text);
        assert!(!s.has_errors);
        assert!(s.is_simple_chain());
        let install = &s.commands[1];
        assert_eq!(install.assignments.len(), 1);
        let words: Vec<_> = install
            .words
            .iter()
            .map(|w| w.literal.clone().unwrap())
            .collect();
        assert_eq!(words, ["apt-get", "install", "-y", "curl", "git"]);
        assert_eq!(install.words[1].range.slice(text), "install");
        assert_eq!(install.connector, Connector::And);
    }

    #[test]
    fn connectors_and_nesting() {
        let s = script("a || b; c | d && (e; f) && if g; then h; fi");
        assert_eq!(
            names(&s),
            [
                ("a".into(), Connector::Start, false),
                ("b".into(), Connector::Or, false),
                ("c".into(), Connector::Seq, false),
                ("d".into(), Connector::Pipe, false),
                ("e".into(), Connector::Other, true),
                ("f".into(), Connector::Seq, true),
                ("g".into(), Connector::Other, true),
                ("h".into(), Connector::Other, true),
            ]
        );
        assert!(!s.is_simple_chain());
    }

    #[test]
    fn set_e_makes_semicolons_a_chain() {
        assert!(script("set -eux; apt-get update; apt-get install -y x").is_simple_chain());
        assert!(!script("apt-get update; apt-get install -y x").is_simple_chain());
    }

    #[test]
    fn expansions_are_not_literal() {
        let s = script("apt-get install -y $PKGS \"$(cat list)\"");
        let install = &s.commands[0];
        assert_eq!(install.words[3].literal, None);
        assert_eq!(install.words[4].literal, None);
        // The substitution's command is seen, nested.
        assert_eq!(s.commands[1].name(), Some("cat"));
        assert!(s.commands[1].nested);
    }

    #[test]
    fn statements_end_after_redirections_and_before_comments() {
        let text = "a && apt-get install -y x > /tmp/log 2>&1 # note";
        let s = script(text);
        assert_eq!(
            &text[..s.end_of_statements],
            "a && apt-get install -y x > /tmp/log 2>&1"
        );
        assert_eq!(s.commands[1].words.len(), 4);
    }

    #[test]
    fn sh_c_scripts_are_seen_nested() {
        let text = "sh -c 'apt-get update && apt-get install -y curl' && echo done";
        let s = script(text);
        let names: Vec<_> = s
            .commands
            .iter()
            .map(|c| (c.name().unwrap().to_owned(), c.nested))
            .collect();
        assert_eq!(
            names,
            [
                ("sh".into(), false),
                ("apt-get".into(), true),
                ("apt-get".into(), true),
                ("echo".into(), false)
            ]
        );
        assert_eq!(s.commands[2].words[1].range.slice(text), "install");
        // An escaped string is not looked into: offsets would not be exact.
        assert_eq!(script("sh -c \"echo \\\"x\\\"\"").commands.len(), 1);
    }

    #[test]
    fn offsets_are_shifted() {
        let text = "RUN echo hi";
        let s = parse_script(text, TextRange::new(4, text.len()));
        assert_eq!(s.commands[0].words[1].range.slice(text), "hi");
    }
}
