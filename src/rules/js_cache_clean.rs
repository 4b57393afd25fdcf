//! DS108 `js-cache-clean`: npm, yarn or pnpm installs in the final stage without cleaning their cache. The check is
//! shared with the other rules of its kind, in `shared/append_cleanup.rs`.

use super::Rule;

pub static RULE: Rule = Rule {
    code: "DS108",
    name: "js-cache-clean",
    summary: "npm, yarn or pnpm installs in the final stage without cleaning their cache",
    fix_safety: "safe",
    doc: r#"## What it does
Finds RUN instructions of the final stage that install with `npm`, `yarn` or
`pnpm` without cleaning the package cache in the same RUN, and appends
`npm cache clean --force`, `yarn cache clean` or `pnpm store prune`.

## Why
The package managers keep a copy of every downloaded package in their cache
(`~/.npm`, yarn's cache folder, the pnpm store), often as large as
`node_modules` itself. In a builder stage it does not ship, so only the final
stage is checked. hadolint reports yarn's case as DL3060.

## Example
```dockerfile
RUN yarn install --frozen-lockfile
```
becomes
```dockerfile
RUN yarn install --frozen-lockfile && yarn cache clean
```

## Fix safety
Safe: only the cache is removed. A cache mount over the cache directory means
it is not in the layer, and there is no finding.
"#,
    check: |checker, out| super::shared::append_cleanup::check(checker, &RULE, out),
};
