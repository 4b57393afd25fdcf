//! DS113 `merge-consecutive-runs`: adjacent RUN instructions in the final stage that could be one layer. The check is
//! shared with the other rules of its kind, in `shared/merge_runs.rs`.

use super::Rule;

pub static RULE: Rule = Rule {
    code: "DS113",
    name: "merge-consecutive-runs",
    summary: "adjacent RUN instructions in the final stage that could be one layer",
    fix_safety: "unsafe",
    doc: r#"## What it does
Merges any two adjacent RUN instructions of the final stage into one, joined
with `&&`, when both are plain `&&` chains in shell form with the same
flags.

## Why
Each RUN is a layer. Fewer layers in the final image mean less metadata and
no files that one layer writes and the next deletes. hadolint reports it as
DL3059.

## Example
```dockerfile
RUN useradd app
RUN mkdir /data && chown app /data
```
becomes
```dockerfile
RUN useradd app && \
    mkdir /data && chown app /data
```

## Fix safety
Unsafe: `RUN cd /x` followed by `RUN make` does not mean the same as
`RUN cd /x && make` (the working directory, exported variables and shell
options carry over within one RUN), so a RUN is never merged into one that
leaves a `cd`, an exported variable or shell options (`set`, `source`) for
it; merging also changes which steps the build cache reuses. Builder stages
are never touched.
"#,
    check: super::shared::merge_runs::check_consecutive_runs,
};
