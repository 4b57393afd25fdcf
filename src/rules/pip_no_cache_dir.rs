//! DS107 `pip-no-cache-dir`: `pip install` without `--no-cache-dir`. The check is
//! shared with the other rules of its kind, in `shared/insert_flag.rs`.

use super::Rule;
use crate::fix::Applicability;

pub static RULE: Rule = Rule {
    code: "DS107",
    name: "pip-no-cache-dir",
    summary: "`pip install` without `--no-cache-dir`",
    fix_safety: "safe",
    doc: r#"## What it does
Adds `--no-cache-dir` to `pip install`, `pip3 install` and
`python -m pip install`, unless `PIP_NO_CACHE_DIR` is set by an ENV or ARG of
the stage, or a cache mount covers pip's cache.

## Why
pip keeps every downloaded wheel in `~/.cache/pip`; in an image that is dead
weight, often tens of megabytes. hadolint reports it as DL3042.

## Example
```dockerfile
RUN pip install -r requirements.txt
```
becomes
```dockerfile
RUN pip install --no-cache-dir -r requirements.txt
```

## Fix safety
Safe: the same packages are installed.
Not offered in a stage whose files there never reach the final image (a
builder of which only build output is copied): it would change nothing.
"#,
    check: |checker, out| {
        super::shared::insert_flag::check(checker, &RULE, Applicability::Safe, out)
    },
};
