//! DS301 for static front ends: a Node.js image that builds a site (`npm run
//! build`) and serves the output with a static file server (`serve`,
//! `http-server`, `vite preview`, directly or through a package.json
//! script, or Debian's nginx installed into the node image) becomes a node builder and a runtime stage that is nginx with the
//! build output and a configuration that keeps what a user sees: the port,
//! the single-page fallback and the document root's content.
//!
//! Not for servers that do more than serve files (an Express app, `next
//! start`): their start command is not a static server, and the Node.js
//! split (`node.rs`) decides about them.

use super::{RULE, Shape, join_path, js_build, last_command, report, split_edits, start_command};
use crate::fix::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::Checker;
use crate::rules::shared::run::{self, RunView};
use crate::syntax::{Instruction, Keyword, Stage, TextRange};
use serde_json::Value;

/// The official nginx images' unprivileged account (`nginx`, in the Debian
/// and the Alpine variants alike). Not in `runtime-users.yaml` on purpose:
/// DS304 would give it to every nginx stage, and nginx's default
/// configuration (port 80, `/var/run/nginx.pid`) needs root.
const NGINX_USER: &str = "101:101";

/// The document root of the official nginx images.
const DOCUMENT_ROOT: &str = "/usr/share/nginx/html";

/// Packages whose global install only provides the static server.
const SERVER_PACKAGES: [&str; 3] = ["serve", "http-server", "vite"];

/// What the original container served, and how.
#[derive(Debug, PartialEq, Eq)]
struct Served {
    /// The server, for messages: `serve`, `http-server`, `vite preview`.
    server: &'static str,
    /// The folder served, as written (relative to the start folder).
    dir: String,
    ports: Vec<u16>,
    /// Every path that is not a file answers with `/index.html`.
    spa: bool,
    /// `/about` also finds `about.html` (serve's `cleanUrls`).
    clean_urls: bool,
    /// Responses are compressed (serve does it by default).
    gzip: bool,
    /// A `404.html` of the site answers for missing files (serve,
    /// http-server; not Debian's nginx site).
    error_page: bool,
}

/// Handles a single Node.js stage whose container runs a static server:
/// pushes the split or the reason there is none and returns true. False
/// when the start command is not a static server (or there is no build),
/// so that the Node.js split decides.
pub(super) fn check(checker: &Checker<'_>, stage: &Stage<'_>, out: &mut Vec<Diagnostic>) -> bool {
    let (start, start_dir) = start_command(checker, stage);
    let package = checker
        .context
        .text("package.json")
        .and_then(|t| serde_json::from_str::<Value>(t).ok());
    let Some(served) = served(checker, stage, &start, package.as_ref()) else {
        return false;
    };
    let Some((view, command)) = last_command(checker, js_build) else {
        return false;
    };
    let build = view.instruction;
    let what = "the image ships Node.js, node_modules and the sources to serve static files";
    let served = match served {
        Ok(served) => served,
        Err(why) => {
            out.push(report(build, command, what, &why));
            return true;
        }
    };
    match plan(checker, stage, view, &served, &start_dir, package.as_ref()) {
        Ok((edits, runtime, root)) => {
            let ports: Vec<String> = served.ports.iter().map(u16::to_string).collect();
            let user = if served.ports.iter().all(|p| *p >= 1024) {
                " as the `nginx` user (101)"
            } else {
                ""
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    build.source_range(command.range),
                    format!(
                        "{what}: build in a stage, serve `{root}` with {runtime} on port {}{}{user}",
                        ports.join(", "),
                        if served.spa {
                            " with the single-page fallback"
                        } else {
                            ""
                        },
                    ),
                )
                .with_fix(Fix::new(edits, Applicability::Unsafe)),
            );
        }
        Err(why) => out.push(report(build, command, what, &why)),
    }
    true
}

/// The edits of the split, the runtime image and the folder it serves, or
/// why there is no split.
fn plan(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    view: &RunView<'_>,
    served: &Served,
    start_dir: &str,
    package: Option<&Value>,
) -> Result<(Vec<Edit>, String, String), String> {
    // The runtime stage goes after the build, or, for nginx in the node
    // image, after the last step that may fill its document root (a copy of
    // the output after the build).
    let build = match served.server {
        "nginx" => stage
            .instructions
            .iter()
            .rev()
            .find(|i| matches!(i.keyword(), Keyword::Run | Keyword::Copy | Keyword::Add))
            .copied()
            .unwrap_or(view.instruction),
        _ => view.instruction,
    };
    let Some(workdir) = checker.model.workdir_before(build).map(str::to_owned) else {
        return Err("a WORKDIR uses a variable that cannot be resolved".to_owned());
    };
    let root = join_path(start_dir, &served.dir);
    super::plain_path(&root)?;
    if root == "/" || root == workdir || workdir.starts_with(&format!("{root}/")) {
        return Err(format!(
            "{} serves `{root}`, the whole app folder with its sources and node_modules",
            served.server
        ));
    }
    if served.server != "nginx"
        && let Some(written) = build_output(checker, package)?
        && join_path(&workdir, &written) != root
    {
        return Err(format!(
            "the build writes `{written}` but {} serves `{}`",
            served.server, served.dir
        ));
    }
    // serve reads serve.json (rewrites, headers, redirects) from the folder
    // it serves; a build copies it there from `public/`.
    if served.server == "serve"
        && ["public", served.dir.trim_start_matches("./")]
            .iter()
            .flat_map(|dir| ["serve.json", "now.json"].map(|f| format!("{dir}/{f}")))
            .any(|f| checker.context.has(&f) == Some(true))
    {
        return Err("a serve.json configures serve in ways nginx would not repeat".to_owned());
    }
    let mut edits = Vec::new();
    let mut last_start: Option<&Instruction> = None;
    for instruction in &stage.instructions {
        let after = instruction.range.start > build.range.start;
        match instruction.keyword() {
            Keyword::Healthcheck => {
                return Err("a HEALTHCHECK would have to run in the nginx image".to_owned());
            }
            Keyword::Volume => {
                return Err("a VOLUME means the container writes at run time".to_owned());
            }
            Keyword::Onbuild => {
                return Err("ONBUILD triggers belong to the base image".to_owned());
            }
            Keyword::Cmd | Keyword::Entrypoint if after => {
                if let Some(earlier) = last_start.replace(instruction) {
                    edits.push(Edit::delete(earlier.range));
                }
            }
            // The account of the node image; the runtime stage sets its own.
            Keyword::User if after => edits.push(Edit::delete(instruction.range)),
            Keyword::Run if after => {
                let view = checker
                    .runs
                    .iter()
                    .find(|v| std::ptr::eq(v.instruction, *instruction));
                if !view.is_some_and(installs_server_only) {
                    return Err("a RUN after the build needs the build stage".to_owned());
                }
                edits.push(Edit::delete(instruction.range));
            }
            Keyword::Expose | Keyword::Label | Keyword::Arg | Keyword::Env => {}
            keyword if after => {
                return Err(format!("a {keyword} after the build needs the build stage"));
            }
            _ => {}
        }
    }
    let runtime = stage
        .image()
        .and_then(|image| static_server(checker, &image))
        .ok_or("the base-image table names no static server for this image")?;
    let document = checker.document;
    let newline = document.newline();
    let escape = document.escape();
    let mut body = Vec::new();
    let config = nginx_conf(served);
    let mut run =
        format!("RUN rm -rf {DOCUMENT_ROOT}/* {escape}{newline}    && printf '%s\\n' {escape}");
    for line in &config {
        // Double quotes with `\$`: nginx's variables stay literal for the
        // shell, and shellcheck (hadolint) has nothing to say about them.
        run.push_str(&format!(
            "{newline}        \"{}\" {escape}",
            line.replace('\\', "\\\\")
                .replace('$', "\\$")
                .replace('"', "\\\"")
        ));
    }
    run.push_str(&format!("{newline}        > /etc/nginx/nginx.conf"));
    body.push(run);
    body.push(format!("COPY --from={{alias}} {root} {DOCUMENT_ROOT}"));
    if served.ports.iter().all(|p| *p >= 1024) {
        body.push(format!("USER {NGINX_USER}"));
    }
    let nginx_cmd = r#"CMD ["nginx", "-g", "daemon off;"]"#;
    match last_start {
        Some(instruction) => {
            let text = instruction.range.slice(document.source());
            let end = instruction.range.start + text.trim_end_matches(['\n', '\r']).len();
            edits.push(Edit::replace(
                TextRange::new(instruction.range.start, end),
                nginx_cmd,
            ));
        }
        None => body.push(nginx_cmd.to_owned()),
    }
    // What the runtime stage repeats from before the build: only what
    // describes the container (ports, labels, build arguments); the node
    // image's WORKDIR, ENV and USER mean nothing to nginx.
    let shape = Shape {
        build,
        workdir: workdir.clone(),
        workdir_known: true,
        before: stage
            .instructions
            .iter()
            .take_while(|i| i.range.start < build.range.start)
            .filter(|i| matches!(i.keyword(), Keyword::Arg | Keyword::Expose | Keyword::Label))
            .copied()
            .collect(),
    };
    let (edits, _) = split_edits(checker, stage, &shape, &runtime, &body, edits);
    Ok((edits, runtime, root))
}

/// The static server image for a Node.js build image: the first entry of
/// the base-image table with the role `static-server` (a team's own table
/// goes first).
fn static_server(checker: &Checker<'_>, image: &crate::syntax::ImageRef) -> Option<String> {
    checker
        .settings
        .images
        .candidates(image)
        .into_iter()
        .find(|(e, _)| e.role == crate::images::Role::StaticServer && e.profile.is_none())
        .map(|(e, values)| e.replacement(image, &values))
}

/// The nginx configuration, line by line: a whole `nginx.conf`, so that the
/// pid file and the temporary files are in `/tmp`, where the unprivileged
/// user can write, and nothing of the image's own server (port 80) is left.
fn nginx_conf(served: &Served) -> Vec<String> {
    let mut lines: Vec<String> = [
        "worker_processes auto;",
        "pid /tmp/nginx.pid;",
        "events {",
        "    worker_connections 1024;",
        "}",
        "http {",
        "    include /etc/nginx/mime.types;",
        "    default_type application/octet-stream;",
        "    sendfile on;",
        "    client_body_temp_path /tmp/client_temp;",
        "    proxy_temp_path /tmp/proxy_temp;",
        "    fastcgi_temp_path /tmp/fastcgi_temp;",
        "    uwsgi_temp_path /tmp/uwsgi_temp;",
        "    scgi_temp_path /tmp/scgi_temp;",
    ]
    .map(str::to_owned)
    .to_vec();
    if served.gzip {
        lines.push("    gzip on;".to_owned());
        lines.push(
            "    gzip_types text/css application/javascript application/json image/svg+xml text/plain;"
                .to_owned(),
        );
    }
    lines.push("    server {".to_owned());
    for port in &served.ports {
        lines.push(format!("        listen {port};"));
    }
    lines.push(format!("        root {DOCUMENT_ROOT};"));
    lines.push("        index index.html;".to_owned());
    if served.error_page && !served.spa {
        lines.push("        error_page 404 /404.html;".to_owned());
    }
    lines.push("        location / {".to_owned());
    lines.push(
        match (served.spa, served.clean_urls) {
            (true, _) => "            try_files $uri $uri/ /index.html;",
            (false, true) => "            try_files $uri $uri.html $uri/ =404;",
            (false, false) => "            try_files $uri $uri/ =404;",
        }
        .to_owned(),
    );
    lines.push("        }".to_owned());
    lines.push("    }".to_owned());
    lines.push("}".to_owned());
    lines
}

/// A RUN whose every command installs a static server globally or cleans
/// a package cache: the runtime stage has its own server instead.
fn installs_server_only(view: &RunView<'_>) -> bool {
    let Some(script) = view.script() else {
        return false;
    };
    !script.commands.is_empty()
        && script.commands.iter().all(|command| {
            let Some(words) = run::effective_words(command)
                .iter()
                .map(|w| w.literal.as_deref())
                .collect::<Option<Vec<&str>>>()
            else {
                return false;
            };
            let servers = |names: &[&str]| {
                let packages: Vec<&&str> = names.iter().filter(|w| !w.starts_with('-')).collect();
                !packages.is_empty()
                    && packages.iter().all(|p| {
                        // `serve@14.2.1`, not a scope's leading `@`.
                        let name = p.split('@').next().unwrap_or_default();
                        SERVER_PACKAGES.contains(&name)
                    })
            };
            !command.nested
                && match words.as_slice() {
                    ["npm", "install" | "i" | "add", rest @ ..] => {
                        rest.iter().any(|w| matches!(*w, "-g" | "--global")) && servers(rest)
                    }
                    ["yarn", "global", "add", rest @ ..] => servers(rest),
                    ["pnpm", "add", rest @ ..] => {
                        rest.iter().any(|w| matches!(*w, "-g" | "--global")) && servers(rest)
                    }
                    ["npm", "cache", "clean", ..] | ["yarn", "cache", "clean"] => true,
                    _ => false,
                }
        })
}

/// The folder the build script writes, when it is certain from the script
/// (react-scripts → `build`, vite → `dist` or `--outDir`); `Ok(None)` when
/// the script says nothing certain, `Err` when a configuration file may
/// move it.
fn build_output(checker: &Checker<'_>, package: Option<&Value>) -> Result<Option<String>, String> {
    let Some(script) = package.and_then(|p| p["scripts"]["build"].as_str()) else {
        return Ok(None);
    };
    let words: Vec<&str> = script.split_whitespace().collect();
    if words.windows(2).any(|w| w == ["react-scripts", "build"]) {
        return Ok(Some("build".to_owned()));
    }
    if let Some(at) = words.windows(2).position(|w| w == ["vite", "build"]) {
        let rest = &words[at + 2..];
        if let Some(dir) = flag_value(rest, &["--outDir"]) {
            return Ok(Some(dir.trim_start_matches("./").to_owned()));
        }
        vite_config_plain(checker)?;
        return Ok(Some("dist".to_owned()));
    }
    Ok(None)
}

/// The value of an option given as `--name VALUE` or `--name=VALUE`.
fn flag_value<'w>(words: &[&'w str], names: &[&str]) -> Option<&'w str> {
    words.iter().enumerate().find_map(|(i, w)| {
        names.iter().find_map(|n| {
            if w == n {
                words.get(i + 1).copied()
            } else {
                w.strip_prefix(n).and_then(|v| v.strip_prefix('='))
            }
        })
    })
}

/// Fails when a vite configuration file may change where the build writes
/// or how the site is served (`build.outDir`, `root`, `base`, `preview`,
/// `server` options): its text is JavaScript, so any mention counts.
fn vite_config_plain(checker: &Checker<'_>) -> Result<(), String> {
    for name in ["js", "ts", "mjs", "mts", "cjs", "cts"].map(|ext| format!("vite.config.{ext}")) {
        if checker.context.has(&name) != Some(true) {
            continue;
        }
        let Some(text) = checker.context.text(&name) else {
            return Err(format!("`{name}` cannot be read"));
        };
        if let Some(option) = ["outDir", "root", "base", "preview", "server", "appType"]
            .into_iter()
            .find(|o| text.contains(o))
        {
            return Err(format!(
                "`{name}` sets `{option}`, which may change what is built or served"
            ));
        }
    }
    Ok(())
}

/// What the start command serves: `None` when it is not a static server,
/// `Err` when it is one but what it serves is not certain.
fn served(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    start: &[String],
    package: Option<&Value>,
) -> Option<Result<Served, String>> {
    let words: Vec<&str> = start.iter().map(String::as_str).collect();
    let script = match words.as_slice() {
        ["npm" | "pnpm" | "yarn", "start"] => "start",
        ["npm" | "pnpm", "run" | "run-script", name] | ["yarn", name] => name,
        _ => return server_command(checker, stage, &words),
    };
    let text = package?["scripts"][script].as_str()?;
    let parts: Vec<&str> = text.split_whitespace().collect();
    let result = server_command(checker, stage, &parts)?;
    if text.contains(['&', ';', '|', '$', '`', '>', '<', '"', '\'']) {
        return Some(Err(format!("the `{script}` script runs `{text}`")));
    }
    Some(result)
}

/// A static server's command line: `serve`, `http-server`, `vite preview`,
/// also through `npx`.
fn server_command(
    checker: &Checker<'_>,
    stage: &Stage<'_>,
    words: &[&str],
) -> Option<Result<Served, String>> {
    let mut words = words;
    if let ["npx", rest @ ..] = words {
        words = rest;
        while let [flag, rest @ ..] = words
            && matches!(*flag, "-y" | "--yes" | "--no-install")
        {
            words = rest;
        }
    }
    let (program, args) = words.split_first()?;
    let program = program.rsplit('/').next().unwrap_or(program);
    let program = program.split('@').next().unwrap_or(program);
    let port_env = || match checker.model.env_at_end(stage.index).var("PORT") {
        None => Ok(None),
        Some(Some(value)) => value
            .parse::<u16>()
            .map(Some)
            .map_err(|_| format!("PORT is `{value}`")),
        Some(None) => Err("PORT is set to a value that cannot be read".to_owned()),
    };
    match (program, args) {
        ("serve", args) => Some(serve(args, port_env)),
        ("http-server", args) => Some(http_server(args, port_env)),
        ("vite", ["preview", args @ ..]) => Some(vite_preview(checker, args)),
        ("nginx", ["-g", "daemon off;"]) => Some(apt_nginx(checker, stage)),
        _ => None,
    }
}

/// `serve [OPTIONS] [DIR]` (serve 14): port from `-l`/`-p`, else `$PORT`,
/// else 3000; `-s` rewrites every path that is not a file to `index.html`.
fn serve(
    args: &[&str],
    port_env: impl Fn() -> Result<Option<u16>, String>,
) -> Result<Served, String> {
    let mut served = Served {
        server: "serve",
        dir: String::new(),
        ports: Vec::new(),
        spa: false,
        clean_urls: true,
        gzip: true,
        error_page: true,
    };
    let mut dir = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let value = |i: usize| {
            args.get(i + 1)
                .copied()
                .ok_or(format!("serve's `{arg}` has no value"))
        };
        match *arg {
            "-s" | "--single" => served.spa = true,
            "-u" | "--no-compression" => served.gzip = false,
            "-l" | "--listen" | "-p" => {
                served.ports.push(listen_port(value(i)?)?);
                i += 1;
            }
            "-n"
            | "--no-clipboard"
            | "-L"
            | "--no-request-logging"
            | "-d"
            | "--debug"
            | "--no-port-switching" => {}
            // Boolean short options together: `-sn`.
            short
                if short.len() > 2
                    && !short.starts_with("--")
                    && short[1..].chars().all(|c| "snLdu".contains(c)) =>
            {
                served.spa |= short.contains('s');
                served.gzip &= !short.contains('u');
            }
            option if option.starts_with("--listen=") => {
                served
                    .ports
                    .push(listen_port(&option["--listen=".len()..])?);
            }
            option if option.starts_with('-') => {
                return Err(format!(
                    "serve's option `{option}` has no nginx counterpart here"
                ));
            }
            path => {
                if dir.replace(path).is_some() {
                    return Err("serve is given more than one folder".to_owned());
                }
            }
        }
        i += 1;
    }
    served.dir = dir
        .ok_or("serve serves the working folder itself, with the sources and node_modules")?
        .to_owned();
    if served.ports.is_empty() {
        served.ports.push(port_env()?.unwrap_or(3000));
    }
    Ok(served)
}

/// The port of one of serve's listen endpoints: `3000` or
/// `tcp://HOST:3000` (a UNIX socket or a pipe has none).
fn listen_port(endpoint: &str) -> Result<u16, String> {
    let port = match endpoint.strip_prefix("tcp://") {
        Some(rest) => rest.rsplit_once(':').map(|(_, p)| p),
        None => Some(endpoint),
    };
    port.and_then(|p| p.parse().ok())
        .ok_or(format!("serve listens on `{endpoint}`"))
}

/// `http-server [DIR] [OPTIONS]` (http-server 14): port from `-p`, else
/// `$PORT`, else 8080; no fallback and no implied `.html`.
fn http_server(
    args: &[&str],
    port_env: impl Fn() -> Result<Option<u16>, String>,
) -> Result<Served, String> {
    let mut dir = None;
    let mut port = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match *arg {
            "-p" | "--port" => {
                let value = args.get(i + 1).ok_or("http-server's `-p` has no value")?;
                port = Some(
                    value
                        .parse::<u16>()
                        .map_err(|_| format!("http-server listens on `{value}`"))?,
                );
                i += 1;
            }
            // The address (all interfaces in a container) and the log.
            "-a" => i += 1,
            "-s" | "--silent" | "-U" | "--utc" | "--log-ip" => {}
            // Cache time: `-c10`, `-c-1`; nginx sends no max-age.
            option if option.starts_with("-c") && option.len() > 2 => {}
            option if option.starts_with('-') => {
                return Err(format!(
                    "http-server's option `{option}` has no nginx counterpart here"
                ));
            }
            path => {
                if dir.replace(path).is_some() {
                    return Err("http-server is given more than one folder".to_owned());
                }
            }
        }
        i += 1;
    }
    let dir =
        dir.ok_or("http-server serves `./public` when it exists and the working folder otherwise")?;
    Ok(Served {
        server: "http-server",
        dir: dir.to_owned(),
        ports: vec![match port {
            Some(port) => port,
            None => port_env()?.unwrap_or(8080),
        }],
        spa: false,
        clean_urls: false,
        gzip: false,
        error_page: true,
    })
}

/// `vite preview [OPTIONS]`: a preview server that Vite's documentation says
/// is not for production; nginx serves the same `dist` (or `--outDir`) with
/// the same single-page fallback on the same port (`--port`, else 4173),
/// when no vite configuration can change any of it.
fn vite_preview(checker: &Checker<'_>, args: &[&str]) -> Result<Served, String> {
    vite_config_plain(checker)?;
    let mut dir = "dist".to_owned();
    let mut port = 4173;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let value = || {
            args.get(i + 1)
                .copied()
                .ok_or(format!("`{arg}` has no value"))
        };
        match *arg {
            "--port" => {
                let v = value()?;
                port = v
                    .parse()
                    .map_err(|_| format!("vite preview listens on `{v}`"))?;
                i += 1;
            }
            "--outDir" => {
                dir = value()?.to_owned();
                i += 1;
            }
            // `--host` with or without an address: all interfaces.
            "--host" => {
                if args.get(i + 1).is_some_and(|v| !v.starts_with('-')) {
                    i += 1;
                }
            }
            "--strictPort" => {}
            option => {
                return Err(format!(
                    "vite preview's `{option}` has no nginx counterpart here"
                ));
            }
        }
        i += 1;
    }
    Ok(Served {
        server: "vite preview",
        dir,
        ports: vec![port],
        spa: true,
        clean_urls: false,
        gzip: false,
        error_page: false,
    })
}

/// Debian's nginx, installed by apt into the node image and started with
/// its own configuration: the default site serves `/var/www/html` on port
/// 80, with no fallback. A configuration of the image's own (anything that
/// writes or names `/etc/nginx`) is not repeated, so it is only reported.
fn apt_nginx(checker: &Checker<'_>, stage: &Stage<'_>) -> Result<Served, String> {
    use crate::semantic::Action;
    let installed = checker.model.runs.iter().any(|run| {
        run.commands.iter().any(|c| match &c.action {
            Action::PackageInstall {
                manager, packages, ..
            } => {
                manager.starts_with("apt")
                    && packages.iter().any(|p| {
                        matches!(
                            p.as_str(),
                            "nginx" | "nginx-light" | "nginx-core" | "nginx-full" | "nginx-extras"
                        )
                    })
            }
            _ => false,
        })
    });
    if !installed {
        return Err("nginx is started but not installed by apt in this image".to_owned());
    }
    for instruction in &stage.instructions {
        let writes_config = match instruction.keyword() {
            Keyword::Copy | Keyword::Add => instruction.words().last().is_some_and(|dest| {
                let dir = checker.model.workdir_before(instruction).unwrap_or("/");
                join_path(dir, instruction.text(*dest)).starts_with("/etc/nginx")
            }),
            Keyword::Run => instruction.args_text().contains("/etc/nginx"),
            _ => false,
        };
        if writes_config {
            return Err(
                "the image configures nginx itself, which the runtime stage would not repeat"
                    .to_owned(),
            );
        }
    }
    Ok(Served {
        server: "nginx",
        dir: "/var/www/html".to_owned(),
        ports: vec![80],
        spa: false,
        clean_urls: false,
        // Debian's nginx.conf has `gzip on`.
        gzip: true,
        error_page: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env() -> Result<Option<u16>, String> {
        Ok(None)
    }

    #[test]
    fn serve_options() {
        let s = serve(&["-s", "build", "-l", "4000"], no_env).unwrap();
        assert_eq!(
            (s.dir.as_str(), s.ports.as_slice(), s.spa),
            ("build", &[4000][..], true)
        );
        let s = serve(&["dist"], || Ok(Some(8080))).unwrap();
        assert_eq!((s.ports.as_slice(), s.spa), (&[8080][..], false));
        assert!(serve(&["-sn", "out"], no_env).unwrap().spa);
        let s = serve(&["-l", "tcp://0.0.0.0:5000", "-u", "build"], no_env).unwrap();
        assert_eq!((s.ports.as_slice(), s.gzip), (&[5000][..], false));
        assert!(
            serve(&["-s"], no_env)
                .unwrap_err()
                .contains("working folder")
        );
        assert!(serve(&["-l", "unix:/tmp/s.sock", "build"], no_env).is_err());
        assert!(
            serve(&["--cors", "build"], no_env)
                .unwrap_err()
                .contains("--cors")
        );
        assert_eq!(serve(&["build"], no_env).unwrap().ports, vec![3000]);
    }

    #[test]
    fn http_server_options() {
        let s = http_server(&["dist", "-p", "9000", "-c-1"], no_env).unwrap();
        assert_eq!((s.dir.as_str(), s.ports.as_slice()), ("dist", &[9000][..]));
        assert_eq!(http_server(&["dist"], no_env).unwrap().ports, vec![8080]);
        assert!(http_server(&["-p", "80"], no_env).is_err());
        assert!(http_server(&["dist", "-P", "http://x"], no_env).is_err());
    }

    #[test]
    fn the_configuration_keeps_the_fallback() {
        let served = Served {
            server: "serve",
            dir: "build".to_owned(),
            ports: vec![3000],
            spa: true,
            clean_urls: true,
            gzip: false,
            error_page: true,
        };
        let conf = nginx_conf(&served).join("\n");
        assert!(conf.contains("listen 3000;"));
        assert!(conf.contains("try_files $uri $uri/ /index.html;"));
        assert!(conf.contains("pid /tmp/nginx.pid;"));
        let conf = nginx_conf(&Served {
            spa: false,
            ..served
        })
        .join("\n");
        assert!(conf.contains("try_files $uri $uri.html $uri/ =404;"));
        assert!(conf.contains("error_page 404 /404.html;"));
    }
}
