//! DS304 `final-stage-root`: the final stage runs as root although its image has an unprivileged user. The check is
//! shared with the other rules of its kind, in `shared/final_stage.rs`.

use super::Rule;

pub static RULE: Rule = Rule {
    code: "DS304",
    name: "final-stage-root",
    summary: "the final stage runs as root although its image has an unprivileged user",
    fix_safety: "unsafe",
    doc: r#"## What it does
Adds `USER uid:gid` to a final stage that never sets a user (or whose last
`USER` is root, hadolint's DL3002), when its image
defines an unprivileged user (`transforms/runtime-users.yaml`: `node` 1000
in the Node.js images, `nonroot` 65532 in distroless, `app` 1654 in the .NET
images from 8.0 on). The `USER` goes after the last instruction that builds
the image (RUN, COPY, ADD, WORKDIR), so those still run as root and only the
container runs unprivileged.

## Why
A process that runs as root in the container is root on the host once it
escapes, and can rewrite everything in the image while it runs. The user is
already there; it only has to be used.

## Example
```dockerfile
FROM node:20-slim
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
```
becomes
```dockerfile
FROM node:20-slim
WORKDIR /app
COPY . .
USER 1000:1000
CMD ["node", "server.js"]
```

## Fix safety
Unsafe: the files the stage copied belong to root, so a program that writes
into its own folder at run time fails. Reported without a fix when the stage
declares a `VOLUME` (the program writes at run time) or exposes a port below
1024 (a non-root user cannot bind it). The user is numeric so that
Kubernetes can check `runAsNonRoot`.
"#,
    check: super::shared::final_stage::check_final_stage_root,
};
