//! DS203 `chown-after-copy`: a `RUN chown -R USER DIR` right after the
//! copies into DIR. The copies take the owner with `--chown`, and the chown
//! moves up to before them, where it only sees what the earlier steps left.

use super::run::RunView;
use super::{Checker, Rule};
use std::collections::HashMap;

use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::semantic::commands::script_shell_state;
use crate::semantic::env::join;
use crate::syntax::{Body, Document, Instruction, Item, Keyword, Stage, TextRange};

pub static RULE: Rule = Rule {
    code: "DS203",
    name: "chown-after-copy",
    summary: "`RUN chown -R` after the copies into a folder: it re-runs on every code change and stores the copied files twice",
    fix_safety: "safe",
    doc: r#"## What it does
Finds a RUN whose only command is `chown -R USER[:GROUP] DIR…` where the
steps since the last RUN copy files into DIR. The copies get
`--chown=USER:GROUP` (`USER:root`, or `UID:0`, when the chown names no
group: a copy writes root's files, and `chown USER` keeps their group),
and the chown moves up to just before the first of them, where it changes
what the earlier steps left in the folder: the folder itself, the
manifests, `node_modules`. When a plain shell RUN is right before the
copies, the chown joins it (`&& chown -R USER /abs/dir`), so what that RUN
left is not stored twice either. Every file ends up with the owner and group it had before.

It is only reported, with the reason, when moving could change an owner:
a USER, SHELL, VOLUME or an ENV or ARG setting `PATH` between the copy and
the chown; an ADD or a copy that already has `--chown` into the
folder; a `COPY --from` when the chown names no group (the builders keep
the other stage's owners, so the group to keep is not known); a copy into a parent of the folder, or below a child of it (the
builders differ in who owns the folders a copy creates on its way); a copy
whose destination has a variable; or a folder that no WORKDIR of the stage
created before the copies (it may only be created by the copy), or a
`# dockslim:` pragma on the chown or the first copy. A RUN or WORKDIR
between ends the search: the chown moves no further up than that.

## Why
`chown -R` after `COPY . .` runs again whenever a source file changes,
and writes a second copy of every file it touches into a layer of its own:
the image holds the sources twice. `COPY --chown` writes them once, owned
right, and a code change re-runs nothing.

## Example
```dockerfile
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
RUN chown -R node /usr/src/app
USER node
```
becomes
```dockerfile
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && chown -R node /usr/src/app
COPY --chown=node:root . .
USER node
```

## Fix safety
Safe: the owners, groups and contents of every file are the same. Two
things a `chown` also does are not done by `COPY --chown`: clearing the
setuid and setgid bits and the file capabilities of the copied files, which
source trees do not have.
"#,
    check,
};

/// A `chown -R OWNER PATH…` RUN, parsed.
struct Chown<'a> {
    view: &'a RunView<'a>,
    /// `USER:GROUP` for the copies' `--chown`.
    owner: String,
    /// The owner as the chown wrote it.
    written_owner: String,
    /// It sets a group too (`USER:GROUP`).
    names_group: bool,
    /// The folders it changes, absolute.
    dirs: Vec<String>,
}

/// A RUN whose one command is a recursive chown of literal folders, as
/// `chown -R node /usr/src/app` or `chown --recursive 1000:1000 .`.
fn chown_run<'a>(checker: &Checker<'_>, view: &'a RunView<'a>) -> Option<Chown<'a>> {
    let instruction = view.instruction;
    let script = view.editable()?;
    if !instruction.command.flags.is_empty() || script.has_errors {
        return None;
    }
    let [command] = script.commands.as_slice() else {
        return None;
    };
    if command.nested
        || !command.assignments.is_empty()
        || script.statements.as_slice() != [command.range]
        || command.name() != Some("chown")
    {
        return None;
    }
    let mut recursive = false;
    let mut operands = Vec::new();
    for word in command.args() {
        let literal = word.literal.as_deref()?;
        match literal {
            "-R" | "--recursive" => recursive = true,
            flag if flag.starts_with('-') => return None,
            operand => operands.push(operand),
        }
    }
    let (spec, paths) = operands.split_first()?;
    if !recursive || paths.is_empty() {
        return None;
    }
    let name_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !s.starts_with('-')
    };
    let owner = match spec.split_once(':') {
        Some((user, group)) if name_ok(user) && name_ok(group) => format!("{user}:{group}"),
        // `chown USER` keeps the group, root's for what a copy writes;
        // numeric with a numeric user, so no name needs looking up.
        None if name_ok(spec) && spec.chars().all(|c| c.is_ascii_digit()) => format!("{spec}:0"),
        None if name_ok(spec) => format!("{spec}:root"),
        _ => return None,
    };
    let workdir = checker.model.workdir_before(instruction)?;
    let mut dirs = Vec::new();
    for path in paths {
        if path.contains(['*', '?', '[', '$', '~']) {
            return None;
        }
        let dir = join(workdir, path);
        if dir == "/" {
            return None;
        }
        dirs.push(dir);
    }
    Some(Chown {
        view,
        owner,
        written_owner: (*spec).to_owned(),
        names_group: spec.contains(':'),
        dirs,
    })
}

fn inside(path: &str, dir: &str) -> bool {
    path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// The destination of a COPY or ADD as written (the last argument).
fn destination(instruction: &Instruction) -> Option<String> {
    match &instruction.command.body {
        Body::Exec(args) => args.last().map(|a| a.value.clone()),
        _ => instruction
            .words()
            .last()
            .map(|w| instruction.text(*w).to_owned()),
    }
}

/// The folders the WORKDIRs of a stage make (each WORKDIR's folder and
/// those above it), with the index of the first WORKDIR that makes each:
/// worked out once per stage, so that asking for every chown stays linear.
fn made_folders(checker: &Checker<'_>, stage: &Stage<'_>) -> HashMap<String, usize> {
    let mut made = HashMap::new();
    for (at, instruction) in stage.instructions.iter().enumerate() {
        if instruction.keyword() != Keyword::Workdir {
            continue;
        }
        let after = match stage.instructions.get(at + 1) {
            Some(next) => checker.model.workdir_before(next),
            None => checker.model.env_at_end(stage.index).workdir.as_deref(),
        };
        let Some(mut folder) = after else { continue };
        while folder != "/" && !folder.is_empty() {
            made.entry(folder.to_owned()).or_insert(at);
            folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }
    made
}

/// Where the chown goes: the copies that get `--chown` (the chown goes
/// before the first), and the instruction the search stopped at (a RUN or
/// WORKDIR; none at the stage's start).
struct Plan<'s> {
    copies: Vec<&'s Instruction>,
    after: Option<&'s Instruction>,
}

/// The plan, or why the chown stays. `Ok(None)`: nothing copied into the
/// folders since the last RUN or WORKDIR.
fn plan<'s>(
    checker: &Checker<'_>,
    stage: &Stage<'s>,
    made: &HashMap<String, usize>,
    chown: &Chown<'_>,
) -> Result<Option<Plan<'s>>, String> {
    let Ok(at) = stage
        .instructions
        .binary_search_by_key(&chown.view.instruction.range.start, |i| i.range.start)
    else {
        return Ok(None);
    };
    let mut copies = Vec::new();
    let mut affected = false;
    let mut obstacle = None;
    let mut start = 0;
    for (index, instruction) in stage.instructions[..at].iter().enumerate().rev() {
        let why = match instruction.keyword() {
            Keyword::Run | Keyword::Workdir => {
                start = index + 1;
                break;
            }
            Keyword::Copy | Keyword::Add => {
                let Some(dest) = destination(instruction).filter(|d| !d.contains('$')) else {
                    obstacle.get_or_insert(format!(
                        "the destination of line {} has a variable",
                        instruction.start_line
                    ));
                    continue;
                };
                let Some(workdir) = checker.model.workdir_before(instruction) else {
                    obstacle.get_or_insert("the working directory is not known".to_owned());
                    continue;
                };
                let dest = join(workdir, &dest);
                if !chown
                    .dirs
                    .iter()
                    .any(|d| inside(&dest, d) || inside(d, &dest))
                {
                    continue;
                }
                affected = true;
                let keyword = instruction.keyword().as_str();
                if instruction.keyword() == Keyword::Add {
                    Some(format!(
                        "the ADD of line {} may unpack an archive",
                        instruction.start_line
                    ))
                } else if instruction.flag("chown").is_some() {
                    Some(format!(
                        "the {keyword} of line {} already sets an owner",
                        instruction.start_line
                    ))
                } else if instruction.flag("from").is_some() && !chown.names_group {
                    // Both builders keep the owners of another stage's files
                    // (tried: a 1000:1000 file arrives 1000:1000), and
                    // `chown USER` keeps their group, which is not known here.
                    Some(format!(
                        "the {keyword} of line {} copies from another stage, whose files keep their group, and the chown names none",
                        instruction.start_line
                    ))
                } else if !instruction.heredocs.is_empty() {
                    Some(format!(
                        "the {keyword} of line {} writes a heredoc",
                        instruction.start_line
                    ))
                } else if chown.dirs.iter().any(|d| inside(d, &dest) && d != &dest) {
                    Some(format!(
                        "the {keyword} of line {} copies into `{dest}`, a parent of the folder",
                        instruction.start_line
                    ))
                } else if !chown.dirs.iter().any(|d| {
                    dest == *d || dest.rsplit_once('/').is_some_and(|(parent, _)| parent == d)
                }) {
                    Some(format!(
                        "the {keyword} of line {} writes below a child of the folder, where the builders differ in who owns the folders it creates",
                        instruction.start_line
                    ))
                } else {
                    copies.push(*instruction);
                    None
                }
            }
            Keyword::User | Keyword::Shell | Keyword::Volume => Some(format!(
                "a {} between the copy and the chown",
                instruction.keyword().as_str()
            )),
            Keyword::Env | Keyword::Arg
                if instruction
                    .args_text()
                    .split_whitespace()
                    .any(|w| w == "PATH" || w.starts_with("PATH=")) =>
            {
                Some(format!(
                    "the {} of line {} changes PATH",
                    instruction.keyword().as_str(),
                    instruction.start_line
                ))
            }
            _ => None,
        };
        if let Some(why) = why {
            obstacle.get_or_insert(why);
        }
    }
    if !affected {
        return Ok(None);
    }
    if let Some(why) = obstacle {
        return Err(why);
    }
    // The folders must exist where the chown moves to: a WORKDIR of the
    // stage, before that point, made them (or a folder inside them).
    if let Some(missing) = chown
        .dirs
        .iter()
        .find(|d| made.get(d.as_str()).is_none_or(|&at| at >= start))
    {
        return Err(format!(
            "no WORKDIR of the stage creates `{missing}` before the copies, so it may not exist there"
        ));
    }
    copies.reverse();
    Ok(Some(Plan {
        copies,
        after: start.checked_sub(1).map(|i| stage.instructions[i]),
    }))
}

/// When the chown would land right after the RUN the search stopped at,
/// it joins that RUN instead (`&& chown -R …` with absolute folders): a RUN
/// of its own would write a second copy of what that RUN left in the folder
/// (a `node_modules`). Only for a plain shell RUN without flags, pragma or
/// shell state (`cd`, `export`) that could reach the chown, and a chown
/// without comments of its own; otherwise it moves as a RUN of its own.
fn merge_into(
    checker: &Checker<'_>,
    chown_view: &RunView<'_>,
    chown: &Chown<'_>,
    after: Option<&Instruction>,
    first_item: usize,
) -> Option<Vec<Edit>> {
    let document = checker.document;
    let source = document.source();
    let after = after.filter(|i| i.keyword() == Keyword::Run)?;
    let view = &checker.runs[checker
        .runs
        .binary_search_by_key(&after.range.start, |v| v.instruction.range.start)
        .ok()?];
    let script = view.editable()?;
    let between_is_blank = document.items()[view.item + 1..first_item]
        .iter()
        .all(|i| matches!(i, Item::Blank(_) | Item::Comment(_)));
    let comments = comments_above(document, chown_view.item) < chown_view.instruction.range.start;
    if !view.instruction.command.flags.is_empty()
        || !between_is_blank
        || comments
        || super::pragma::marks(document, view.item)
        || !script_shell_state(script, view.instruction.logical.as_str()).is_empty()
        || !chown.dirs.iter().all(|d| {
            d.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
        })
    {
        return None;
    }
    let command = format!("chown -R {} {}", chown.written_owner, chown.dirs.join(" "));
    let append = super::run::append_to_chain(document, view.instruction, script, &command)?;
    Some(vec![
        append,
        Edit::delete(super::manifest_first_copy::removal_range(
            source,
            chown_view.instruction.range,
        )),
    ])
}

/// The index in `Document::items` of an instruction.
fn item_of(document: &Document, instruction: &Instruction) -> Option<usize> {
    document
        .items()
        .binary_search_by_key(&instruction.range.start, |i| i.range().start)
        .ok()
}

/// Where the comment lines directly above item `item` start (its own start
/// when a blank line or an instruction is right above it).
fn comments_above(document: &Document, item: usize) -> usize {
    let items = document.items();
    items[..item]
        .iter()
        .rev()
        .take_while(|i| matches!(i, Item::Comment(_)))
        .last()
        .map_or(items[item].range().start, |i| i.range().start)
}

fn check(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    let document = checker.document;
    let source = document.source();
    let mut made: HashMap<usize, HashMap<String, usize>> = HashMap::new();
    for view in &checker.runs {
        let Some(chown) = chown_run(checker, view) else {
            continue;
        };
        let stage = &checker.stages[view.stage];
        let made = made
            .entry(view.stage)
            .or_insert_with(|| made_folders(checker, stage));
        let instruction = view.instruction;
        let what = format!(
            "`{}` after copying into the folder re-runs on every change to the copied files and stores them a second time",
            instruction.args_text().trim()
        );
        let not_moved = |why: &str| {
            Diagnostic::new(
                &RULE,
                instruction.range,
                format!("{what} (not moved: {why})"),
            )
            .with_fix(Fix::display_only())
        };
        let plan = match plan(checker, stage, made, &chown) {
            Ok(Some(plan)) => plan,
            Ok(None) => continue,
            Err(why) => {
                out.push(not_moved(&why));
                continue;
            }
        };
        // A pragma above the chown or the first copy keeps its scope: the
        // instructions stay where they are (as for every rule that moves).
        let copies = &plan.copies;
        let Some(first_item) = item_of(document, copies[0]) else {
            continue;
        };
        if super::pragma::marks(document, view.item) || super::pragma::marks(document, first_item) {
            out.push(not_moved(
                "a `# dockslim:` pragma keeps the instructions where they are",
            ));
            continue;
        }
        let mut edits = match merge_into(checker, view, &chown, plan.after, first_item) {
            Some(edits) => edits,
            None => {
                // The chown moves with the comment lines right above it, and
                // goes above those of the first copy.
                let from =
                    TextRange::new(comments_above(document, view.item), instruction.range.end);
                let text = from.slice(source);
                // Moved above another instruction, a trailing continuation
                // would swallow it.
                if text
                    .trim_end_matches(['\n', '\r', ' ', '\t'])
                    .ends_with(document.escape())
                {
                    out.push(not_moved("the RUN ends in a line continuation"));
                    continue;
                }
                let mut moved = text.to_owned();
                if !moved.ends_with('\n') {
                    moved.push_str(document.newline());
                }
                vec![
                    Edit::delete(super::manifest_first_copy::removal_range(source, from)),
                    Edit::insert(comments_above(document, first_item), moved),
                ]
            }
        };
        for copy in copies {
            let keyword_end = copy.source_range(copy.command.keyword_range).end;
            edits.push(Edit::insert(
                keyword_end,
                format!(" --chown={}", chown.owner),
            ));
        }
        out.push(
            Diagnostic::new(
                &RULE,
                instruction.range,
                format!(
                    "{what}: the copies set the owner (`--chown={}`) and the chown runs before them",
                    chown.owner
                ),
            )
            .with_fix(Fix::new(edits, Applicability::Safe)),
        );
    }
}
