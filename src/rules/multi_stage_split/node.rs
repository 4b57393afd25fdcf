//! DS301 for Node.js: a build step (`npm run build`, `tsc` …) in the node
//! image becomes a builder, and the runtime stage on the slim variant gets
//! production dependencies from the lockfile, the build output folder and
//! the image's `node` user.

use super::{
    RULE, Shape, join_path, js_build, last_command, obstacle, report, runtime_folders,
    runtime_image, runtime_paths, runtime_user, shape, split_edits_with_stage, start_command,
};
use crate::fix::{Applicability, Diagnostic, Fix};
use crate::images::Role;
use crate::rules::Checker;
use crate::rules::shared::interpreter_start::{
    interpreter_image, interpreter_start, user_obstacle, why_no_interpreter_image,
};
use crate::syntax::{Keyword, Stage};
use serde_json::Value;

pub(super) fn check(checker: &Checker<'_>, stage: &Stage<'_>, out: &mut Vec<Diagnostic>) {
    // A static site's server: nginx serves the build output instead.
    if super::static_site::check(checker, stage, out) {
        return;
    }
    let what = "the image ships dev dependencies, sources and build tools with the built app";
    let Some((view, command)) = last_command(checker, js_build) else {
        return;
    };
    let build = view.instruction;
    let shape = shape(checker, stage, build);
    if let Some(why) = obstacle(checker, stage, &shape, true, true) {
        out.push(report(build, command, what, &why));
        return;
    }
    // Compilers in the image mean dependencies with native code, which the
    // runtime stage's install (on the slim image) could not compile.
    if let Ok(packages) = super::system_packages(checker, build)
        && let Some(tool) = packages.first()
    {
        out.push(report(
            build,
            command,
            what,
            &format!("the image installs `{tool}` for native dependencies, which the slim runtime stage could not compile"),
        ));
        return;
    }
    // The entry point the container runs, and the folder the build writes.
    let entry = match node_entry(checker, stage) {
        Ok(entry) => entry,
        Err(why) => {
            out.push(report(
                build,
                command,
                what,
                &format!("{why}, so what it runs is not certain"),
            ));
            return;
        }
    };
    let out_dir = checker
        .context
        .text("tsconfig.json")
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        .and_then(|v| {
            v["compilerOptions"]["outDir"]
                .as_str()
                .map(|d| d.trim_start_matches("./").trim_end_matches('/').to_owned())
        });
    let entry_dir = entry
        .trim_start_matches("./")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let out_dir = match out_dir {
        Some(dir) if dir == entry_dir => dir,
        Some(dir) => {
            out.push(report(
                build,
                command,
                what,
                &format!("the build writes `{dir}` but the container runs `{entry}`"),
            ));
            return;
        }
        None if matches!(entry_dir.as_str(), "dist" | "build" | "out" | "lib")
            && entry.contains('/') =>
        {
            entry_dir
        }
        None => {
            out.push(report(
                build,
                command,
                what,
                &format!("the build output folder is not certain (`{entry}`)"),
            ));
            return;
        }
    };
    // Production dependencies from the lockfile in the context.
    let context = checker.context;
    let node_major = stage
        .image()
        .and_then(|i| super::super::js_dev_dependencies::node_major(&i));
    let omit = super::super::js_dev_dependencies::production_flag("npm", node_major);
    // The runtime stage installs from the manifests alone.
    if let Some(why) = context
        .text("package.json")
        .and_then(super::super::manifest_first_copy::js_local_sources)
    {
        out.push(report(build, command, what, &why));
        return;
    }
    let other_lock = ["pnpm-lock.yaml", "bun.lockb", "bun.lock"]
        .into_iter()
        .find(|f| context.has(f) == Some(true));
    let (manifests, install) = if context.has("package-lock.json") == Some(true) {
        (
            "package.json package-lock.json",
            format!("npm ci {omit} && npm cache clean --force"),
        )
    } else if let Some(lock) = other_lock {
        out.push(report(
            build,
            command,
            what,
            &format!("the runtime stage would need the package manager of `{lock}` to install production dependencies"),
        ));
        return;
    } else if context.has("yarn.lock") == Some(true) {
        if context.has(".yarnrc.yml") == Some(true) {
            out.push(report(
                build,
                command,
                what,
                "Yarn 2+ (`.yarnrc.yml`) has no `--production` install",
            ));
            return;
        }
        (
            "package.json yarn.lock",
            "yarn install --production --frozen-lockfile && yarn cache clean".to_owned(),
        )
    } else if context.has("package.json") == Some(true) {
        (
            "package.json",
            format!("npm install {omit} && npm cache clean --force"),
        )
    } else {
        out.push(report(
            build,
            command,
            what,
            "the build context has no package.json",
        ));
        return;
    };
    let runtime = match stage.image() {
        Some(image) => runtime_image(checker, &image).unwrap_or_else(|| image.text.clone()),
        None => return,
    };
    // Distroless when the runtime stage needs no shell; otherwise the slim
    // image, and the finding says why not distroless.
    let not_distroless = match distroless_split(
        checker,
        stage,
        &shape,
        build.source_range(command.range),
        (manifests, &install),
        &out_dir,
        &entry,
    ) {
        Ok(Some(diagnostic)) => {
            out.push(diagnostic);
            return;
        }
        Ok(None) => None,
        Err(why) => Some(why),
    };
    let workdir = shape.workdir.clone();
    let mut body = Vec::new();
    let sets_node_env = shape
        .before
        .iter()
        .any(|i| i.keyword() == Keyword::Env && i.args_text().contains("NODE_ENV"));
    if !sets_node_env {
        body.push("ENV NODE_ENV=production".to_owned());
    }
    if workdir != "/" && !shape.before.iter().any(|i| i.keyword() == Keyword::Workdir) {
        body.push(format!("WORKDIR {workdir}"));
    }
    // On a runtime lighter than the builder's image (the slim variant of
    // the full one) the production install could not compile a native
    // addon (npm builds any package with a binding.gyp; no lockfile says
    // which): it runs in a stage of the builder's image, which lists the
    // Debian packages the addons link against, and the runtime stage gets
    // its node_modules and installs those packages it lacks.
    let image = stage.image().expect("a FROM has an image");
    let has_dependencies = context
        .text("package.json")
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
        .is_some_and(|p| p["dependencies"].as_object().is_some_and(|d| !d.is_empty()));
    let mut middle = Vec::new();
    if runtime != image.text && has_dependencies {
        let deps = if stage.name() == Some("deps") {
            "prod-deps"
        } else {
            "deps"
        };
        let document = checker.document;
        let (escape, newline) = (document.escape(), document.newline());
        middle.push(format!("FROM {} AS {deps}", image.text));
        for instruction in shape
            .before
            .iter()
            .filter(|i| matches!(i.keyword(), Keyword::Arg | Keyword::Env))
        {
            middle.push(
                instruction
                    .range
                    .slice(document.source())
                    .trim_end_matches(['\n', '\r'])
                    .to_owned(),
            );
        }
        if workdir != "/" {
            middle.push(format!("WORKDIR {workdir}"));
        }
        middle.push(format!("COPY {manifests} ./"));
        middle.push(format!("RUN {install}"));
        let scan = super::libraries::scan_run(
            &join_path(&workdir, "node_modules"),
            "*.node",
            &[],
            escape,
            newline,
        );
        middle.push(scan.trim_end_matches(['\n', '\r']).to_owned());
        let installs = super::libraries::install_scanned_run(deps, escape, newline);
        body.push(installs.trim_end_matches(['\n', '\r']).to_owned());
        body.push(format!("COPY {manifests} ./"));
        body.push(format!(
            "COPY --from={deps} {} ./node_modules",
            join_path(&workdir, "node_modules")
        ));
    } else {
        body.push(format!("COPY {manifests} ./"));
        body.push(format!("RUN {install}"));
    }
    body.push(format!(
        "COPY --from={{alias}} {} ./{out_dir}",
        join_path(&workdir, &out_dir)
    ));
    // Folders servers read at run time (static files, templates,
    // node-config's config/) that the build copied in and did not compile.
    for dir in runtime_folders(checker, stage, shape.build.range.start, &out_dir) {
        body.push(format!(
            "COPY --from={{alias}} {} ./{dir}",
            join_path(&workdir, &dir)
        ));
    }
    for path in runtime_paths(checker, stage, &workdir) {
        if !path.starts_with(&join_path(&workdir, &out_dir)) {
            body.push(format!("COPY --from={{alias}} {path} {path}"));
        }
    }
    let has_user = stage
        .instructions
        .iter()
        .any(|i| i.keyword() == Keyword::User);
    if !has_user && let Some(user) = runtime_user(&runtime) {
        // The official images' `node` user, by number: Kubernetes can only
        // check `runAsNonRoot` for a numeric user.
        body.push(format!("USER {}", user.user));
    }
    let (edits, _) =
        split_edits_with_stage(checker, stage, &shape, &middle, &runtime, &body, Vec::new());
    let why_not = not_distroless.map_or(String::new(), |why| format!(" ({why})"));
    out.push(
        Diagnostic::new(
            &RULE,
            build.source_range(command.range),
            format!("{what}: build in a stage, run `{entry}` on {runtime} with production dependencies as the `node` user (1000){why_not}"),
        )
        .with_fix(Fix::new(edits, Applicability::Unsafe)),
    );
}

/// The JavaScript file the container runs: `node FILE` as the start
/// command, or a start script (`npm start`, `npm run NAME`, `yarn NAME`,
/// `pnpm start`) whose text is `node FILE`; `node .` runs package.json's
/// `main`. `Err` says why it is not certain.
pub(crate) fn node_entry(checker: &Checker<'_>, stage: &Stage<'_>) -> Result<String, String> {
    let (start, _) = start_command(checker, stage);
    let package = checker
        .context
        .text("package.json")
        .and_then(|t| serde_json::from_str::<Value>(t).ok());
    let words: Vec<&str> = start.iter().map(String::as_str).collect();
    let script = match words.as_slice() {
        [] => return Err("the container's start command is not plain words".to_owned()),
        ["node", rest @ ..] => return node_file(rest, package.as_ref()),
        ["npm" | "pnpm" | "yarn", "start"] => "start",
        ["npm" | "pnpm", "run" | "run-script", name] | ["yarn", name] => name,
        _ => return Err(format!("the container starts `{}`", words.join(" "))),
    };
    let Some(package) = &package else {
        return Err("package.json is not in the build context".to_owned());
    };
    match package["scripts"][script].as_str() {
        Some(text) => {
            let parts: Vec<&str> = text.split_whitespace().collect();
            let plain = !text.contains(['&', ';', '|', '$', '`', '>', '<', '"', '\'']);
            match parts.as_slice() {
                ["node", rest @ ..] if plain => node_file(rest, Some(package)),
                _ => Err(format!("the `{script}` script runs `{text}`")),
            }
        }
        // npm's default start script.
        None if script == "start" && checker.context.has("server.js") == Some(true) => {
            Ok("server.js".to_owned())
        }
        None => Err(format!("package.json has no `{script}` script")),
    }
}

/// The file of `node [OPTIONS] FILE`.
fn node_file(args: &[&str], package: Option<&Value>) -> Result<String, String> {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match *arg {
            "-e" | "--eval" | "-p" | "--print" | "-" => {
                return Err("node runs inline code".to_owned());
            }
            "-r" | "--require" | "--import" | "--loader" | "--env-file" => i += 2,
            option if option.starts_with('-') => i += 1,
            "." | "./" => {
                let main = package
                    .and_then(|p| p["main"].as_str())
                    .unwrap_or("index.js");
                return Ok(main.trim_start_matches("./").to_owned());
            }
            file => return Ok(file.to_owned()),
        }
    }
    Err("node starts without a file".to_owned())
}

/// The split onto distroless Node.js (`gcr.io/distroless/nodejs{18,20,22}-debian12:nonroot`,
/// which has no shell and no npm): production dependencies are installed
/// in a stage of their own from the builder's image, and the runtime
/// stage only copies (`node_modules`, the build output, runtime folders)
/// and starts the script with the image's `node` (`CMD ["dist/index.js"]`).
/// `Ok(None)` when the table has no such image for the base (Node.js 16,
/// or the `prefer-slim` profile); `Err` says why not when it has one.
/// `install` is the manifests to copy and the production install, as the
/// slim runtime stage would have them.
fn distroless_split(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    shape: &Shape<'_>,
    range: crate::syntax::TextRange,
    (manifests, install): (&str, &str),
    out_dir: &str,
    entry: &str,
) -> Result<Option<Diagnostic>, String> {
    let what = "the image ships dev dependencies, sources and build tools with the built app";
    let Some(image) = stage.image() else {
        return Ok(None);
    };
    let table = &checker.settings.images;
    let Some((table_entry, runtime)) =
        interpreter_image(table, checker.settings, &image, Role::Runtime)
    else {
        return match why_no_interpreter_image(table, checker.settings, &image, Role::Runtime) {
            Some(why) => Err(why),
            None => Ok(None),
        };
    };
    let Some(entrypoint) = &table_entry.entrypoint else {
        return Ok(None);
    };
    let not = |why: String| format!("not `{runtime}`: {why}");
    if let Some(why) = user_obstacle(stage) {
        return Err(not(why));
    }
    let start = interpreter_start(checker, stage, entrypoint).map_err(not)?;
    // The CMD is edited where it is, which must be the runtime stage.
    if start.cmd.range.start < shape.build.range.start {
        return Err(not("the CMD comes before the build".to_owned()));
    }
    let workdir = shape.workdir.clone();
    let alias = stage.name().unwrap_or("build");
    let deps = if alias == "deps" { "prod-deps" } else { "deps" };
    // A package without dependencies gets no node_modules to copy.
    let has_dependencies = checker
        .context
        .text("package.json")
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
        .is_some_and(|p| p["dependencies"].as_object().is_some_and(|d| !d.is_empty()));
    let source = checker.document.source();
    let line = |i: &crate::syntax::Instruction| {
        i.range
            .slice(source)
            .trim_end_matches(['\n', '\r'])
            .to_owned()
    };
    let mut middle = Vec::new();
    if has_dependencies {
        // The builder's image has npm (and compilers for native modules);
        // ARG and ENV lines may configure npm, so they come along.
        middle.push(format!("FROM {} AS {deps}", image.text));
        for instruction in shape
            .before
            .iter()
            .filter(|i| matches!(i.keyword(), Keyword::Arg | Keyword::Env))
        {
            middle.push(line(instruction));
        }
        if workdir != "/" {
            middle.push(format!("WORKDIR {workdir}"));
        }
        middle.push(format!("COPY {manifests} ./"));
        middle.push(format!("RUN {install}"));
    }
    let mut body = Vec::new();
    let sets_node_env = shape
        .before
        .iter()
        .any(|i| i.keyword() == Keyword::Env && i.args_text().contains("NODE_ENV"));
    if !sets_node_env {
        body.push("ENV NODE_ENV=production".to_owned());
    }
    // Said even when it is `/`: distroless starts in /home/nonroot.
    if !shape.before.iter().any(|i| i.keyword() == Keyword::Workdir) {
        body.push(format!("WORKDIR {workdir}"));
    }
    // package.json says how node loads the files (`"type": "module"`).
    body.push("COPY package.json ./".to_owned());
    if has_dependencies {
        body.push(format!(
            "COPY --from={deps} {} ./node_modules",
            join_path(&workdir, "node_modules")
        ));
    }
    body.push(format!(
        "COPY --from={{alias}} {} ./{out_dir}",
        join_path(&workdir, out_dir)
    ));
    for dir in runtime_folders(checker, stage, shape.build.range.start, out_dir) {
        body.push(format!(
            "COPY --from={{alias}} {} ./{dir}",
            join_path(&workdir, &dir)
        ));
    }
    for path in runtime_paths(checker, stage, &workdir) {
        if !path.starts_with(&join_path(&workdir, out_dir)) {
            body.push(format!("COPY --from={{alias}} {path} {path}"));
        }
    }
    let user = runtime_user(&runtime);
    let has_user = stage
        .instructions
        .iter()
        .any(|i| i.keyword() == Keyword::User);
    if !has_user && let Some(user) = user {
        body.push(format!("USER {}", user.user));
    }
    let (edits, _) = split_edits_with_stage(
        checker,
        stage,
        shape,
        &middle,
        &runtime,
        &body,
        vec![start.edit()],
    );
    let user = user.map_or(String::new(), |u| {
        format!(" as the `{}` user ({})", u.name, u.user)
    });
    Ok(Some(
        Diagnostic::new(
            &RULE,
            range,
            format!(
                "{what}: build in a stage, install production dependencies in another, run `{entry}` on {runtime} (no shell) with `CMD {}`{user}",
                start.json()
            ),
        )
        .with_fix(Fix::new(edits, Applicability::Unsafe)),
    ))
}
