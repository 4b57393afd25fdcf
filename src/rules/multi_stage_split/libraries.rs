//! The shared libraries a split's runtime stage needs: compiled code built
//! in the builder (Python extension modules, Node.js addons) links against
//! Debian packages the builder's heavier image has; the builder lists their
//! owners and the runtime stage installs the ones it lacks. Also the end
//! both of those splits share: a runtime stage with the whole app folder.

use super::{join_path, report};
use crate::fix::{Diagnostic, Edit};
use crate::rules::Checker;
use crate::rules::run;
use crate::syntax::shell::SimpleCommand;
use crate::syntax::{Instruction, Keyword, Stage};

/// A folder a RUN creates (`mkdir`): the RUN, the command and the path.
pub(super) type Made<'a> = (&'a Instruction, &'a SimpleCommand, String);

/// The app folder of a split whose runtime stage copies it whole (the
/// stage's last WORKDIR), or the finding that says why the split cannot be
/// made, pointing at `install`: a WORKDIR from a variable or none at all,
/// a COPY or ADD that writes outside the folder (or copies from another
/// image), ONBUILD, or a folder a RUN creates outside it.
pub(super) fn app_folder(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    (install, command, what): (&Instruction, &SimpleCommand, &str),
    made: &[Made<'_>],
) -> Result<String, Diagnostic> {
    let blocked = |why: &str| report(install, command, what, why);
    let Some(workdir) = checker.model.env_at_end(stage.index).workdir.clone() else {
        return Err(blocked("a WORKDIR uses a variable that cannot be resolved"));
    };
    let inside = |path: &str| path == workdir || path.starts_with(&format!("{workdir}/"));
    for instruction in &stage.instructions {
        match instruction.keyword() {
            Keyword::Copy | Keyword::Add => {
                let at = checker.model.workdir_before(instruction).unwrap_or("/");
                let dest = instruction
                    .words()
                    .last()
                    .map(|w| join_path(at, instruction.text(*w)))
                    .unwrap_or_default();
                if !inside(&dest) || instruction.flag("from").is_some() {
                    return Err(blocked(&format!(
                        "a {} writes outside the app folder ({dest})",
                        instruction.keyword()
                    )));
                }
            }
            Keyword::Onbuild => {
                return Err(blocked("ONBUILD triggers belong to the base image"));
            }
            _ => {}
        }
    }
    if workdir == "/" {
        return Err(blocked(
            "there is no WORKDIR, so the app folder is not certain",
        ));
    }
    if let Some((run, mkdir, path)) = made
        .iter()
        .find(|(_, _, path)| !inside(&join_path(&workdir, path)))
    {
        return Err(report(
            run,
            mkdir,
            what,
            &format!(
                "a RUN creates `{path}` outside the app folder, which the runtime stage would not get"
            ),
        ));
    }
    Ok(workdir)
}

/// Where the builder lists the Debian packages the runtime stage installs.
pub(super) const PACKAGE_LIST: &str = "/tmp/runtime-packages";

/// A tag of an image that is built on Debian (dpkg and apt), as the official
/// Python images are unless they say alpine or Windows.
pub(super) fn debian_based(image: &str) -> bool {
    let tag = image.rsplit_once(':').map_or("", |(_, t)| t);
    !["alpine", "windowsservercore", "nanoserver"]
        .iter()
        .any(|other| tag.contains(other))
}

/// The builder's last step: the Debian packages that own the shared
/// libraries the compiled code under `root` (files matching `pattern`)
/// links against (found with `ldd`), plus the runtime packages the
/// Dockerfile installs, into `PACKAGE_LIST`. A library no package owns
/// stops the build with a message, since the runtime stage would lack it;
/// libraries under `root` travel with it, and the language installation
/// under `/usr/local` is the same in both images. Plain `&&` chains and
/// files instead of pipes, so a failing step fails the RUN without
/// `pipefail`, which `sh` lacks.
pub(super) fn scan_run(
    root: &str,
    pattern: &str,
    explicit: &[String],
    escape: char,
    newline: &str,
) -> String {
    let c = format!(" {escape}{newline}");
    let mut run = format!(
        "RUN : > /tmp/packages{c}    && {{ find {root} -type f -name '{pattern}' -exec ldd {{}} + > /tmp/ldd.txt 2>/dev/null || true; }}{c}    && awk '$2 == \"=>\" && $3 ~ /^\\// {{ print $3 }}' /tmp/ldd.txt > /tmp/libs{c}    && while read -r lib; do{c}        case \"$lib\" in {root}/*|/usr/local/*) continue ;; esac;{c}        dpkg-query -S \"*/${{lib##*/}}\" > /tmp/owner || {{ echo \"$lib belongs to no Debian package: the runtime stage cannot install it\" >&2; exit 1; }};{c}        cut -d: -f1 /tmp/owner >> /tmp/packages;{c}    done < /tmp/libs{c}"
    );
    if !explicit.is_empty() {
        run.push_str(&format!(
            "    && printf '%s\\n' {} >> /tmp/packages{c}",
            explicit.join(" ")
        ));
    }
    run.push_str(&format!(
        "    && sort -u /tmp/packages -o {PACKAGE_LIST}{newline}"
    ));
    run
}

/// The runtime stage's install of the packages the builder listed, leaving
/// out those the runtime image already has, so that no package lists are
/// fetched when nothing is missing.
pub(super) fn install_scanned_run(alias: &str, escape: char, newline: &str) -> String {
    let c = format!(" {escape}{newline}");
    format!(
        "COPY --from={alias} {PACKAGE_LIST} {PACKAGE_LIST}{newline}RUN set --{c}    && while read -r package; do{c}        case \"$(dpkg-query -s \"$package\" 2>/dev/null)\" in *\"ok installed\"*) ;; *) set -- \"$@\" \"$package\" ;; esac;{c}    done < {PACKAGE_LIST}{c}    && if [ \"$#\" -gt 0 ]; then apt-get update && apt-get install -y --no-install-recommends \"$@\" && rm -rf /var/lib/apt/lists/*; fi{c}    && rm {PACKAGE_LIST}{newline}"
    )
}

/// The end of a split whose runtime stage gets the whole app folder (the
/// Python split, the Node.js split without a build step): `text`, the
/// runtime stage so far, gets the settings the container depends on (ARG,
/// ENV, WORKDIR, LABEL, USER, STOPSIGNAL), the app folder `workdir` from the
/// builder `alias`, and the instructions that start and describe the
/// container (EXPOSE, VOLUME, HEALTHCHECK, CMD, ENTRYPOINT), which move out
/// of the builder; `rewrite` may give one of those another text. The stage
/// goes at the end of the file.
pub(super) fn append_app_runtime(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    (alias, workdir): (&str, &str),
    mut text: String,
    edits: &mut Vec<Edit>,
    rewrite: impl Fn(&Instruction) -> Option<String>,
) {
    let document = checker.document;
    let source = document.source();
    let newline = document.newline();
    let mut moved = String::new();
    for instruction in &stage.instructions {
        let line = instruction
            .range
            .slice(source)
            .trim_end_matches(['\n', '\r']);
        match instruction.keyword() {
            Keyword::Arg
            | Keyword::Env
            | Keyword::Workdir
            | Keyword::Label
            | Keyword::User
            | Keyword::Stopsignal => {
                text.push_str(line);
                text.push_str(newline);
            }
            Keyword::Expose
            | Keyword::Volume
            | Keyword::Healthcheck
            | Keyword::Cmd
            | Keyword::Entrypoint => {
                moved.push_str(&rewrite(instruction).unwrap_or_else(|| line.to_owned()));
                moved.push_str(newline);
                edits.push(Edit::delete(instruction.range));
            }
            _ => {}
        }
    }
    text.push_str(&format!("COPY --from={alias} {workdir} {workdir}{newline}"));
    text.push_str(&moved);
    let lead = if source.ends_with('\n') { "" } else { newline };
    // A last line that continues into nothing would swallow the new stage;
    // unless that instruction moves to the new stage (where it stays last).
    if let Some(close) = run::close_last_continuation(document)
        && !edits
            .iter()
            .any(|e| e.range.start <= close.range.start && close.range.end <= e.range.end)
    {
        edits.push(close);
    }
    edits.push(Edit::insert(source.len(), format!("{lead}{text}")));
    edits.sort_by_key(|e| (e.range.start, e.range.end));
}
