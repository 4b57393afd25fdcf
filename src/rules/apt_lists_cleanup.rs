//! DS101 `apt-lists-cleanup`: `apt-get install` without removing /var/lib/apt/lists in the same RUN. The check is
//! shared with the other rules of its kind, in `shared/append_cleanup.rs`.

use super::Rule;

pub static RULE: Rule = Rule {
    code: "DS101",
    name: "apt-lists-cleanup",
    summary: "`apt-get install` without removing /var/lib/apt/lists in the same RUN",
    fix_safety: "safe; unsafe when a later RUN installs without `apt-get update`",
    doc: r#"## What it does
Finds RUN instructions that install Debian packages with `apt-get install`
(or `apt install`) but do not remove `/var/lib/apt/lists/*` in the same RUN,
and appends `&& rm -rf /var/lib/apt/lists/*` to the command chain. When the
install is split over consecutive RUNs, the cleanup goes to the last of them
(DS102 merges them). `apt-get clean` is redundant on Debian and Ubuntu images
but harmless, and is left alone.

## Why
`apt-get update` downloads the package lists (tens of megabytes) into
`/var/lib/apt/lists`. They are not needed at run time, and a file deleted in a
later layer still ships in the earlier one, so they must be removed in the
RUN that installs. A BuildKit cache mount over the lists
(`--mount=type=cache,target=/var/lib/apt/lists`) keeps them out of the image
already, and is left alone.

## Example
```dockerfile
RUN apt-get update && apt-get install -y curl
```
becomes
```dockerfile
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
```
Multi-line RUNs keep their continuation style and indentation.

## Fix safety
Safe: the installed packages are the same. When a later RUN of the same
stage (or of a stage built on it) installs from these lists without its own
`apt-get update`, the fix also puts `apt-get update &&` in front of that
RUN, and is unsafe (that RUN's text, and so its cache, changes). A RUN that
installs from lists an earlier RUN downloaded gets no cleanup: the lists
live in that earlier layer, and deleting them later saves nothing (it is
reported when the update is in the Dockerfile). Neither is a stage whose
files never reach the final image. The cleanup goes after the last
statement with `&&`, which keeps the RUN's exit status whatever comes
before (`||`, `;`, pipes, `if`, subshells). In a heredoc, or shell text
that does not parse cleanly, dockslim only reports.
"#,
    check: |checker, out| super::shared::append_cleanup::check(checker, &RULE, out),
};
