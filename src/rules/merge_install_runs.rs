//! DS102 `merge-install-runs`: one install split over adjacent RUNs (`RUN apt-get update` then `RUN apt-get install`). The check is
//! shared with the other rules of its kind, in `shared/merge_runs.rs`.

use super::Rule;

pub static RULE: Rule = Rule {
    code: "DS102",
    name: "merge-install-runs",
    summary: "one install split over adjacent RUNs (`RUN apt-get update` then `RUN apt-get install`)",
    fix_safety: "safe",
    doc: r#"## What it does
Merges adjacent RUN instructions of a stage that belong to one install: the
package manager's update, install and cleanup commands (`apt-get update`,
`apt-get install`, `rm -rf /var/lib/apt/lists/*`, `apk add`, `yum clean all`,
…), with nothing but blank lines between them, the same flags, and shell
text that is a plain `&&` chain.

## Why
A RUN that only runs `apt-get update` is cached on its own: a later change to
the install reuses stale lists, and installs fail or get old versions. A
cleanup in a later RUN does not make the image smaller, because the files
still ship in the earlier layer. hadolint reports the first as DL3009's
cause and the split as DL3059.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y curl
```
becomes
```dockerfile
RUN apt-get update && \
    apt-get install -y curl
```
(and DS101 then adds the lists cleanup). The continuation uses the file's
own indentation, or four spaces.

## Fix safety
Safe: the commands run in the same order and a failure still fails the
build. RUNs with different flags (`--mount`, `--network`), heredocs, exec
form, or a comment between them are never merged.
"#,
    check: super::shared::merge_runs::check_install_runs,
};
