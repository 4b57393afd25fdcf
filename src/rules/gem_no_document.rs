//! DS110 `gem-no-document`: `gem install` without `--no-document`. The check is
//! shared with the other rules of its kind, in `shared/insert_flag.rs`.

use super::Rule;
use crate::fix::Applicability;

pub static RULE: Rule = Rule {
    code: "DS110",
    name: "gem-no-document",
    summary: "`gem install` without `--no-document`",
    fix_safety: "safe",
    doc: r#"## What it does
Adds `--no-document` to `gem install`.

## Why
Without it RubyGems generates ri and rdoc documentation for every gem, which
takes build time and megabytes that nothing in a container reads.

## Example
```dockerfile
RUN gem install bundler
```
becomes
```dockerfile
RUN gem install --no-document bundler
```

## Fix safety
Safe: the gems are the same; only their generated documentation is skipped.
Not offered in a stage whose files there never reach the final image (a
builder of which only build output is copied): it would change nothing.
"#,
    check: |checker, out| {
        super::shared::insert_flag::check(checker, &RULE, Applicability::Safe, out)
    },
};
