//! DS303 `copy-whole-stage`: the final stage copies the whole file system of another stage (`COPY --from=build / /`). The check is
//! shared with the other rules of its kind, in `shared/final_stage.rs`.

use super::Rule;

pub static RULE: Rule = Rule {
    code: "DS303",
    name: "copy-whole-stage",
    summary: "the final stage copies the whole file system of another stage (`COPY --from=build / /`)",
    fix_safety: "unsafe (a static Go binary); report otherwise",
    doc: r#"## What it does
Reports a `COPY --from=STAGE / …` in the final stage: the entire file system
of the other stage (its toolchain, sources and caches) lands in the image
that ships, which undoes the point of a multi-stage build. Copying from a
stage built `FROM scratch` (an export stage that holds only artifacts) is
fine and not reported. The same as hadolint's DL3067.

When the other stage builds a static Go binary (`go build -o PATH` with
`CGO_ENABLED=0`) and the final stage only starts it (exec form, no RUN, no
shell-form health check), the copy is narrowed to that binary.

## Why
A multi-stage build is only lean when the final stage receives the
artifacts, not the builder.

## Example
```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build / /
CMD ["/out/app"]
```
becomes
```dockerfile
COPY --from=build /out/app /out/app
```

## Fix safety
Unsafe: the program might read files of the builder that the Dockerfile
does not name. Anything but the static Go binary case is reported without a
fix: which files of the stage the program needs cannot be known from the
Dockerfile.
"#,
    check: super::shared::final_stage::check_copy_whole_stage,
};
