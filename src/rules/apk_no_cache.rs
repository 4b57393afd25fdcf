//! DS106 `apk-no-cache`: `apk add` without `--no-cache`. The check is
//! shared with the other rules of its kind, in `shared/insert_flag.rs`.

use super::Rule;
use crate::fix::Applicability;

pub static RULE: Rule = Rule {
    code: "DS106",
    name: "apk-no-cache",
    summary: "`apk add` without `--no-cache`",
    fix_safety: "safe",
    doc: r#"## What it does
Adds `--no-cache` to `apk add`. In the same fix it removes what that makes
unnecessary in the same RUN: a separate `apk update` and
`rm -rf /var/cache/apk/*`.

## Why
`apk add --no-cache` fetches the index into memory and leaves nothing in
`/var/cache/apk`, so the layer carries no index or package cache. hadolint
reports it as DL3019.

## Example
```dockerfile
RUN apk update && apk add curl && rm -rf /var/cache/apk/*
```
becomes
```dockerfile
RUN apk add --no-cache curl
```

## Fix safety
Safe: the same packages are installed. A cache mount over `/var/cache/apk`
means the cache is wanted, and there is no finding. The redundant commands
are removed only from a plain `&&` chain, and never when a comment sits
between them, and `apk update` stays when a later RUN installs from its index.
Not offered in a stage whose files there never reach the final image (a
builder of which only build output is copied): it would change nothing.
"#,
    check: |checker, out| {
        super::shared::insert_flag::check(checker, &RULE, Applicability::Safe, out)
    },
};
