//! DS001 `unused-pragma`: a `# dockslim: ignore=…` pragma that suppresses nothing. The check is
//! shared with the other rules of its kind, in `shared/pragma.rs`.

use super::Rule;

pub static RULE: Rule = Rule {
    code: "DS001",
    name: "unused-pragma",
    summary: "a `# dockslim: ignore=…` pragma that suppresses nothing",
    fix_safety: "safe (the pragma line is removed when none of its rules is used)",
    doc: r#"## What it does
Reports a suppression pragma that did not suppress anything: the rule it
names found nothing on that instruction (or in the file, for `global`), or
the name is not a rule. When no rule of the pragma is used, the fix removes
the line.

## Why
Stale pragmas hide nothing but suggest that something is being hidden; they
also keep hiding the rule's findings after the code changes again.

## Example
```dockerfile
# dockslim: ignore=DS101
RUN echo nothing to clean
```
becomes
```dockerfile
RUN echo nothing to clean
```

## Fix safety
Safe: the line is a comment. A pragma naming a rule that is not selected in
this run is not reported.
"#,
    check: |_, _| {},
};
