//! The start command of a stage moved onto an image that starts its
//! interpreter itself (distroless Node.js and Python: ENTRYPOINT
//! `/nodejs/bin/node`, `/usr/bin/python3.11`): `CMD ["node", "server.js"]`
//! becomes `CMD ["server.js"]`. Shared by DS401 and the DS301 splits; it
//! says why when the start command cannot move (a shell, another program,
//! a HEALTHCHECK the image cannot run). It does not decide which image a
//! stage gets.

use serde_json::Value;

use crate::fix::Edit;
use crate::images::{BaseImages, Entry, Entrypoint, Role};
use crate::rules::Checker;
use crate::settings::Settings;
use crate::syntax::{ImageRef, Instruction, Keyword, Stage};

/// The rewritten start: the CMD instruction to change and its new
/// arguments (the interpreter's, without the interpreter).
pub(crate) struct InterpreterStart<'a> {
    pub cmd: &'a Instruction,
    pub args: Vec<String>,
}

impl InterpreterStart<'_> {
    /// `["server.js"]`, as the Dockerfile's JSON form.
    pub fn json(&self) -> String {
        json_array(&self.args)
    }

    /// The edit that replaces the CMD's arguments in place.
    pub fn edit(&self) -> Edit {
        let range = self.cmd.source_range(self.cmd.command.args);
        Edit::replace(range, self.json())
    }
}

/// `["a", "b"]`: JSON strings joined as Dockerfiles usually write them.
pub(crate) fn json_array(words: &[String]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| Value::String(w.clone()).to_string())
        .collect();
    format!("[{}]", quoted.join(", "))
}

/// The first table entry for `image` in `role` whose replacement starts
/// an interpreter itself (distroless), with the replacement's name; `None`
/// when there is none or the `prefer-slim` profile asks for slim runtimes.
pub(crate) fn interpreter_image<'t>(
    table: &'t BaseImages,
    settings: &Settings,
    image: &ImageRef,
    role: Role,
) -> Option<(&'t Entry, String)> {
    if settings.prefers_slim() {
        return None;
    }
    table
        .candidates(image)
        .into_iter()
        .filter(|(e, _)| e.entrypoint.is_some() && e.profile.is_none())
        .find(|(e, _)| e.role == role || e.role == Role::Any)
        .map(|(e, values)| {
            let name = e.replacement(image, &values);
            (e, name)
        })
}

/// Why no image that starts the interpreter itself is offered for `image`
/// when the table has one for another version of it (Node.js 16, Python
/// 3.12), or when the `prefer-slim` profile keeps the slim images: the
/// finding says so.
pub(crate) fn why_no_interpreter_image(
    table: &BaseImages,
    settings: &Settings,
    image: &ImageRef,
    role: Role,
) -> Option<String> {
    let name = image.canonical_name();
    let tag = image.tag.clone().unwrap_or_else(|| "latest".to_owned());
    let entry = table.entries.iter().find(|e| {
        e.entrypoint.is_some()
            && e.profile.is_none()
            && (e.role == role || e.role == Role::Any)
            && e.from.name == name
            && e.from.match_tag(&tag).is_some()
    })?;
    if settings.prefers_slim() {
        return Some("not distroless: the prefer-slim profile keeps a shell".to_owned());
    }
    if entry.match_tag(&tag).is_some() {
        return None;
    }
    let limits: Vec<String> = entry
        .only
        .iter()
        .map(|(placeholder, values)| format!("{placeholder} {}", values.join(", ")))
        .collect();
    Some(format!(
        "not distroless: `{}` exists only for {}",
        entry.to_image,
        limits.join("; ")
    ))
}

/// How the stage's start command runs on an image whose ENTRYPOINT is
/// `entrypoint`, or why it cannot: it must be an exec-form CMD (no
/// ENTRYPOINT of its own, which would replace the interpreter) that runs
/// one of the interpreter's names with arguments, or for Node.js a start
/// script (`npm start`, `npm run NAME`, `yarn NAME`) whose text is plain
/// `node ARGS`; and no HEALTHCHECK, since the image has no shell and no
/// tool to check with.
pub(crate) fn interpreter_start<'a>(
    checker: &Checker<'_>,
    stage: &Stage<'a>,
    entrypoint: &Entrypoint,
) -> Result<InterpreterStart<'a>, String> {
    let start = &checker.model.stages[stage.index].start;
    let interpreter = entrypoint.runs.first().map_or("", String::as_str);
    if start.entrypoint.is_some() {
        return Err(format!(
            "its ENTRYPOINT would replace the image's `{}`",
            entrypoint.path
        ));
    }
    if let Some(check) = &start.healthcheck {
        let program = check.program().unwrap_or("a command");
        return Err(if check.exec {
            format!("the HEALTHCHECK runs `{program}`, which the image does not have")
        } else {
            "a shell-form HEALTHCHECK needs a shell".to_owned()
        });
    }
    let Some(cmd) = &start.cmd else {
        return Err("no CMD says what to run".to_owned());
    };
    if !cmd.exec {
        return Err("a shell-form CMD needs a shell".to_owned());
    }
    // The instruction the model read the CMD from: the stage's last one.
    let Some(instruction) = stage
        .instructions
        .iter()
        .rev()
        .find(|i| i.keyword() == Keyword::Cmd)
    else {
        return Err("the CMD comes from the base image".to_owned());
    };
    let words = cmd.words.clone().unwrap_or_default();
    let program = words
        .first()
        .map(|w| w.rsplit('/').next().unwrap_or(w).to_owned())
        .unwrap_or_default();
    let args: Vec<String> = if entrypoint.runs.contains(&program) {
        words[1..].to_vec()
    } else if interpreter == "node" {
        node_script_args(checker, &words)?
    } else {
        return Err(format!(
            "the container starts `{}`, not {interpreter}",
            words.join(" ")
        ));
    };
    if args.is_empty() || args.iter().any(|a| a == "-i" || a == "--interactive") {
        return Err(format!("the CMD starts {interpreter} without a program"));
    }
    Ok(InterpreterStart {
        cmd: instruction,
        args,
    })
}

/// The arguments after `node` of the package.json script that `npm start`,
/// `npm run NAME`, `pnpm start` or `yarn NAME` runs, when its text is plain
/// `node ARGS` (npm's default start is `node server.js`).
fn node_script_args(checker: &Checker<'_>, words: &[String]) -> Result<Vec<String>, String> {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let script = match words.as_slice() {
        ["npm" | "pnpm" | "yarn", "start"] => "start",
        ["npm" | "pnpm", "run" | "run-script", name] | ["yarn", name] => name,
        _ => {
            return Err(format!(
                "the container starts `{}`, not node",
                words.join(" ")
            ));
        }
    };
    let Some(package) = checker
        .context
        .text("package.json")
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
    else {
        return Err(format!(
            "`{}` needs npm and package.json is not in the build context to resolve it",
            words.join(" ")
        ));
    };
    match package["scripts"][script].as_str() {
        Some(text) => {
            let plain = !text.contains(['&', ';', '|', '$', '`', '>', '<', '"', '\'', '\\']);
            let parts: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
            match parts.split_first() {
                Some((node, rest)) if plain && node == "node" => Ok(rest.to_vec()),
                _ => Err(format!(
                    "the `{script}` script runs `{text}`, not plain `node FILE`"
                )),
            }
        }
        None if script == "start" && checker.context.has("server.js") == Some(true) => {
            Ok(vec!["server.js".to_owned()])
        }
        None => Err(format!("package.json has no `{script}` script")),
    }
}

/// Why a `USER` of the stage would not work on distroless, if one would
/// not: the image has only `root` and `nonroot` (65532), so a user by
/// another name does not exist there.
pub(crate) fn user_obstacle(stage: &Stage<'_>) -> Option<String> {
    stage
        .instructions
        .iter()
        .filter(|i| i.keyword() == Keyword::User)
        .map(|i| i.args_text().trim().to_owned())
        .find(|user| {
            let name = user.split(':').next().unwrap_or_default();
            !(name.chars().all(|c| c.is_ascii_digit()) || name == "root" || name == "nonroot")
        })
        .map(|user| format!("the stage runs as `{user}`, a user the image does not have"))
}
