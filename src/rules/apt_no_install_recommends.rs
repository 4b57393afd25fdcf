//! DS104 `apt-no-install-recommends`: `apt-get install` without `--no-install-recommends`. The check is
//! shared with the other rules of its kind, in `shared/insert_flag.rs`.

use super::Rule;
use crate::fix::Applicability;

pub static RULE: Rule = Rule {
    code: "DS104",
    name: "apt-no-install-recommends",
    summary: "`apt-get install` without `--no-install-recommends`",
    fix_safety: "unsafe",
    doc: r#"## What it does
Adds `--no-install-recommends` to `apt-get install`.

## Why
By default apt also installs every package the requested ones *recommend*,
often doubling what lands in the image (documentation tools, X libraries,
compilers). hadolint reports it as DL3015.

## Example
```dockerfile
RUN apt-get install -y python3
```
becomes
```dockerfile
RUN apt-get install --no-install-recommends -y python3
```

## Fix safety
Unsafe: the application may rely on a recommended package (for example
`ca-certificates` recommended by `curl`). Apply it with `--unsafe-fixes` and
check that the image still works, or add the missing package by name.
Not offered in a stage whose files there never reach the final image (a
builder of which only build output is copied): it would change nothing.
"#,
    check: |checker, out| {
        super::shared::insert_flag::check(checker, &RULE, Applicability::Unsafe, out)
    },
};
