//! DS111 `composer-no-dev`: `composer install` without `--no-dev` in the final stage. The check is
//! shared with the other rules of its kind, in `shared/insert_flag.rs`.

use super::Rule;
use crate::fix::Applicability;

pub static RULE: Rule = Rule {
    code: "DS111",
    name: "composer-no-dev",
    summary: "`composer install` without `--no-dev` in the final stage",
    fix_safety: "unsafe",
    doc: r#"## What it does
Adds `--no-dev` to `composer install` in the final stage.

## Why
Development dependencies (test frameworks, linters, debug tools) have no
place in a production image: they add size and attack surface.

## Example
```dockerfile
RUN composer install --optimize-autoloader
```
becomes
```dockerfile
RUN composer install --no-dev --optimize-autoloader
```

## Fix safety
Unsafe: if a later step of the final stage runs tests or tools from the
development dependencies, it fails. Builder stages are not touched.
"#,
    check: |checker, out| {
        super::shared::insert_flag::check(checker, &RULE, Applicability::Unsafe, out)
    },
};
