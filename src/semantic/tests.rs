//! Unit tests of the model: stages and roles, the environment, the
//! classification of commands and the dependency check.

use super::*;
use crate::context::Context;
use crate::rules::Checker;
use crate::settings::Settings;
use crate::syntax::Instruction;

fn model_of(text: &str, f: impl FnOnce(&Checker<'_>)) {
    let document = crate::syntax::parse(text).unwrap();
    let settings = Settings::default();
    let context = Context::unknown();
    let checker = Checker::new(&document, &context, PackageManagers::builtin(), &settings);
    f(&checker);
}

#[test]
fn stages_roles_and_what_ships() {
    let text = "ARG GO=1.22\nFROM golang:${GO} AS build\nRUN go build -o /out/app .\n\
FROM debian:bookworm AS tools\nRUN apt-get update\n\
FROM build AS test\nRUN go test ./...\n\
FROM gcr.io/distroless/static AS base\n\
FROM base\nCOPY --from=build /out/app /usr/local/bin/app\nCMD [\"app\"]\n";
    model_of(text, |c| {
        let s = &c.model.stages;
        assert_eq!(s.len(), 5);
        match &s[0].base {
            Base::Image(image) => assert_eq!(image.text, "golang:1.22"),
            other => panic!("{other:?}"),
        }
        assert_eq!(s[2].base, Base::Stage(0));
        assert_eq!(s[0].base_of, [2]);
        assert_eq!(s[0].copied_by, [4]);
        assert!(s[1].is_unused());
        assert!(s[4].is_final);
        assert_eq!(s[4].ships, Ships::Whole);
        assert_eq!(s[3].ships, Ships::Whole, "the final stage's base ships");
        assert_eq!(s[0].ships, Ships::Paths(vec!["/out/app".to_owned()]));
        assert_eq!(s[1].ships, Ships::Nothing);
        assert_eq!(s[2].ships, Ships::Nothing);
        assert!(c.model.ships_path(0, "/out/app"));
        assert!(!c.model.ships_path(0, "/root/.cache/go-build"));
        assert_eq!(s[4].start.words(), ["app"]);
    });
}

#[test]
fn environment_at_each_instruction() {
    let text = "FROM golang:1.22 AS build\nRUN pwd\nWORKDIR src\nENV OUT=/out HOME_DIR=\"/home/app\"\n\
ARG V\nUSER app\nWORKDIR $OUT/bin\nRUN make\nFROM build\nRUN ls\n";
    model_of(text, |c| {
        let runs: Vec<&Instruction> = c.runs.iter().map(|v| v.instruction).collect();
        let first = c.model.env_before(runs[0]).unwrap();
        assert_eq!(first.workdir.as_deref(), Some("/go"));
        assert_eq!(first.user, None);
        let second = c.model.env_before(runs[1]).unwrap();
        assert_eq!(second.workdir.as_deref(), Some("/out/bin"));
        assert_eq!(second.var("HOME_DIR"), Some(&Some("/home/app".to_owned())));
        assert_eq!(second.var("V"), Some(&None));
        assert_eq!(second.user.as_deref(), Some("app"));
        // A stage built on another starts where that one ended.
        let third = c.model.env_before(runs[2]).unwrap();
        assert_eq!(third.workdir.as_deref(), Some("/out/bin"));
        assert_eq!(third.user.as_deref(), Some("app"));
    });
}

#[test]
fn commands_are_classified_with_needs_and_provides() {
    let text = "FROM node:20-slim\nRUN apt-get update && apt-get install -y --no-install-recommends g++ make \
&& rm -rf /var/lib/apt/lists/* && corepack enable && npm ci && npm run build && curl -o x https://e && frobnicate\n";
    model_of(text, |c| {
        let actions: Vec<&Action> = c.model.runs[0].commands.iter().map(|f| &f.action).collect();
        assert_eq!(
            actions[0],
            &Action::ListsUpdate {
                manager: "apt".into()
            }
        );
        assert_eq!(
            actions[1],
            &Action::PackageInstall {
                manager: "apt".into(),
                packages: vec!["g++".into(), "make".into()],
                flags: vec!["-y".into(), "--no-install-recommends".into()],
            }
        );
        assert_eq!(
            actions[2],
            &Action::Cleanup {
                manager: "apt".into()
            }
        );
        assert_eq!(actions[3], &Action::ToolSetup);
        assert_eq!(
            actions[4],
            &Action::DepsInstall {
                ecosystem: "npm".into()
            }
        );
        assert_eq!(
            actions[5],
            &Action::Build {
                ecosystem: "node".into()
            }
        );
        assert_eq!(actions[6], &Action::Download);
        assert_eq!(actions[7], &Action::Other);
        let install = &c.model.runs[0].commands[1];
        assert_eq!(install.needs, [Resource::Lists("apt".into())]);
        assert!(install.provides.contains(&Resource::Package("g++".into())));
    });
}

#[test]
fn can_precede_keeps_needs_before_what_provides_them() {
    model_of(
        "FROM node:20-slim\nRUN apt-get update && apt-get install -y python3 && npm ci && echo done\n",
        |c| {
            let f = &c.model.runs[0].commands;
            let (update, apt, npm, echo) = (&f[0], &f[1], &f[2], &f[3]);
            // npm may compile against what apt installs: it stays after it.
            assert!(!can_precede(&npm.needs, &apt.provides));
            // The install needs the lists the update provides.
            assert!(!can_precede(&apt.needs, &update.provides));
            // A plain `echo` provides nothing.
            assert!(can_precede(&npm.needs, &echo.provides));
            assert!(can_precede(&update.needs, &apt.provides));
        },
    );
    // An unknown command provides anything.
    assert!(!can_precede(&[Resource::Cwd], &[Resource::Anything]));
    assert!(can_precede(
        &[Resource::Var("A".into())],
        &[Resource::Var("B".into())]
    ));
    assert!(!can_precede(
        &[Resource::AnyVar],
        &[Resource::Var("B".into())]
    ));
    assert!(!can_precede(
        &[Resource::Path("/app/x".into())],
        &[Resource::Path("/app".into())]
    ));
}

#[test]
fn lists_are_followed_through_runs_and_stages() {
    let text = "FROM debian:bookworm AS base\nRUN apt-get update && apt-get install -y curl\n\
COPY x /x\nRUN apt-get install -y jq\nRUN rm -rf /var/lib/apt/lists/* && apt-get install -y git\n\
FROM base\nRUN apt-get update\nRUN apt-get install -y vim\n";
    model_of(text, |c| {
        let m = &c.model;
        assert_eq!(m.lists_from(0, 1), Some(ListsFrom::ThisRun));
        assert_eq!(m.lists_from(1, 0), Some(ListsFrom::Run(0)));
        assert_eq!(m.lists_from(2, 1), Some(ListsFrom::Image));
        assert_eq!(m.lists_from(4, 0), Some(ListsFrom::Run(3)));
        assert_eq!(m.lists_consumers(0, "apt").len(), 1);
    });
}

#[test]
fn start_closure() {
    let text = "FROM node:20\nWORKDIR /app\nENTRYPOINT [\"node\"]\nCMD [\"server.js\"]\n\
HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n";
    model_of(text, |c| {
        let start = &c.model.stages[0].start;
        assert_eq!(start.words(), ["node", "server.js"]);
        assert_eq!(start.workdir.as_deref(), Some("/app"));
        assert_eq!(start.needs_shell(), Some("a shell-form HEALTHCHECK"));
        assert_eq!(start.programs(), ["node", "server.js", "curl"]);
    });
    model_of(
        "FROM node:20\nCMD node server.js\nENTRYPOINT [\"tini\", \"--\"]\n",
        |c| {
            let start = &c.model.stages[0].start;
            // An ENTRYPOINT resets the CMD before it.
            assert_eq!(start.words(), ["tini", "--"]);
            assert_eq!(start.needs_shell(), None);
        },
    );
}

#[test]
fn nested_scripts_update_lists_too() {
    model_of(
        "FROM debian:bookworm\nRUN sh -c 'apt-get update && apt-get install -y curl'\n",
        |c| {
            let actions: Vec<&Action> =
                c.model.runs[0].commands.iter().map(|f| &f.action).collect();
            assert!(
                actions
                    .iter()
                    .any(|a| matches!(a, Action::ListsUpdate { .. })),
                "{actions:?}"
            );
            assert_eq!(
                c.model.lists_from(0, 2),
                Some(ListsFrom::ThisRun),
                "{:?}",
                c.model.lists
            );
        },
    );
}

#[test]
fn instructions_provide_what_later_steps_may_need() {
    let text = "FROM node:20-slim\nWORKDIR /app\nENV NODE_ENV=production\nCOPY . .\nEXPOSE 3000\n\
RUN corepack enable\nRUN yarn install\n";
    model_of(text, |c| {
        let stage = &c.stages[0];
        let provides: Vec<Vec<Resource>> = stage
            .instructions
            .iter()
            .map(|i| c.model.provides(i))
            .collect();
        assert_eq!(provides[0], [Resource::Cwd]);
        assert_eq!(provides[1], [Resource::Var("NODE_ENV".into())]);
        assert_eq!(
            provides[2],
            [Resource::ContextFiles, Resource::Path("/app".into())]
        );
        assert!(provides[3].is_empty(), "EXPOSE provides nothing");
        let yarn = &c.model.runs[1].commands[0];
        assert!(yarn.needs.contains(&Resource::Tool("yarn".into())));
        // The install may not move before the ENV, the copy or corepack,
        // but may before the EXPOSE.
        assert!(!can_precede(&yarn.needs, &provides[1]));
        assert!(!can_precede(&yarn.needs, &provides[2]));
        assert!(can_precede(&yarn.needs, &provides[3]));
        assert!(!can_precede(&yarn.needs, &provides[4]));
    });
}

#[test]
fn shell_state_carries_only_within_a_run() {
    model_of("FROM debian\nRUN make install\n", |c| {
        let script = c.runs[0].script().unwrap();
        let whole = commands::script_shell_state(script, c.runs[0].instruction.logical.as_str());
        assert!(whole.is_empty(), "{whole:?}");
    });
    model_of(
        "FROM debian\nRUN cd /opt && export A=1 && B=2 && make && set -e\n",
        |c| {
            let script = c.runs[0].script().unwrap();
            let state: Vec<Vec<Resource>> =
                script.commands.iter().map(commands::shell_state).collect();
            assert_eq!(state[0], [Resource::Cwd]);
            let whole =
                commands::script_shell_state(script, c.runs[0].instruction.logical.as_str());
            assert!(whole.contains(&Resource::AnyVarSet), "{whole:?}");
            assert!(state.iter().any(|s| s.is_empty()), "make leaves nothing");
            assert_eq!(state.last().unwrap(), &[Resource::Anything]);
        },
    );
}

#[test]
fn echo_into_a_file_provides_anything() {
    let text = "FROM golang:1.22\nRUN echo hi && printf 'machine x\\n' > /root/.netrc && echo done 2>&1 && echo quiet >/dev/null\n";
    model_of(text, |c| {
        let provides: Vec<&Vec<Resource>> = c.model.runs[0]
            .commands
            .iter()
            .map(|f| &f.provides)
            .collect();
        assert_eq!(provides[0], &Vec::<Resource>::new());
        assert_eq!(provides[1], &vec![Resource::Anything]);
        assert_eq!(provides[2], &Vec::<Resource>::new());
        assert_eq!(provides[3], &Vec::<Resource>::new());
    });
}
