//! DS105 `package-cache-cleanup`: yum, dnf, microdnf, zypper or composer installs without cleaning the cache in the same RUN. The check is
//! shared with the other rules of its kind, in `shared/append_cleanup.rs`.

use super::Rule;

pub static RULE: Rule = Rule {
    code: "DS105",
    name: "package-cache-cleanup",
    summary: "yum, dnf, microdnf, zypper or composer installs without cleaning the cache in the same RUN",
    fix_safety: "safe",
    doc: r#"## What it does
Finds RUN instructions that install with `yum`, `dnf`, `microdnf`, `zypper` or
`composer` without cleaning that manager's cache in the same RUN, and appends
the cleanup: `yum clean all && rm -rf /var/cache/yum`, `dnf clean all`,
`microdnf clean all`, `zypper clean --all`, `composer clear-cache`.

## Why
These managers keep downloaded metadata and packages in `/var/cache`; a file
deleted in a later layer still ships in the earlier one. hadolint reports the
same as DL3032, DL3040 and DL3036.

## Example
```dockerfile
RUN yum -y install httpd
```
becomes
```dockerfile
RUN yum -y install httpd && yum clean all && rm -rf /var/cache/yum
```

## Fix safety
Safe: only caches are removed; a later install downloads metadata again.
In a heredoc, or shell text that does not parse cleanly, dockslim only
reports.
"#,
    check: |checker, out| super::shared::append_cleanup::check(checker, &RULE, out),
};
