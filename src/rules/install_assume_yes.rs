//! DS103 `install-assume-yes`: apt-get, yum, dnf or zypper install without `-y`. The check is
//! shared with the other rules of its kind, in `shared/insert_flag.rs`.

use super::Rule;
use crate::fix::Applicability;

pub static RULE: Rule = Rule {
    code: "DS103",
    name: "install-assume-yes",
    summary: "apt-get, yum, dnf or zypper install without `-y`",
    fix_safety: "safe",
    doc: r#"## What it does
Adds `-y` to `apt-get install`, `yum install`, `dnf install` and
`zypper install` when no assume-yes option is there (`-y`, a cluster such as
`-qy`, `--yes`, `--assumeyes`, zypper's `-n` / `--non-interactive`).

## Why
Without it the install asks for confirmation, and a build has no one to
answer: the RUN fails or, worse, behaves differently across versions.
hadolint reports it as DL3014, DL3030, DL3038 and DL3034.

## Example
```dockerfile
RUN apt-get update && apt-get install curl
```
becomes
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Fix safety
Safe: it answers the prompt the build could not answer.
"#,
    check: |checker, out| {
        super::shared::insert_flag::check(checker, &RULE, Applicability::Safe, out)
    },
};
