//! The `cache-mounts` profile (DS114) from the command line and from
//! `.dockslim.yaml`, and how the cleanup rules yield to it.

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const APT_PIP: &str = "FROM python:3.11\nRUN apt-get update && apt-get install -y --no-install-recommends libpq-dev\nRUN pip install --no-cache-dir -r requirements.txt\n";

fn dockslim() -> Command {
    Command::cargo_bin("dockslim").unwrap()
}

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn profile_flag_mounts_caches_instead_of_cleaning_up() {
    let dir = dir_with(&[("Dockerfile", APT_PIP)]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "--profile", "cache-mounts", "Dockerfile"])
        .assert()
        .code(1);
    let fixed = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert_eq!(
        fixed,
        "FROM python:3.11\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y --no-install-recommends libpq-dev\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n"
    );
    // Nothing is left for the cleanup rules, and a second run changes nothing.
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--check", "--profile", "cache-mounts", "Dockerfile"])
        .assert()
        .success();
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--profile", "cache-mounts", "Dockerfile"])
        .assert()
        .stdout(contains("DS101").not().and(contains("DS107").not()));
}

#[test]
fn profile_from_the_configuration() {
    let dir = dir_with(&[
        ("Dockerfile", APT_PIP),
        (".dockslim.yaml", "profiles: [cache-mounts]\n"),
    ]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--diff", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains(
            "+RUN --mount=type=cache,target=/root/.cache/pip pip install -r",
        ))
        .stdout(contains("rm -rf /var/lib/apt/lists").not());
    dockslim()
        .current_dir(dir.path())
        .args(["config", "Dockerfile"])
        .assert()
        .stdout(contains("cache-mounts"));
}

#[test]
fn without_the_profile_the_cleanups_stay() {
    let dir = dir_with(&[("Dockerfile", APT_PIP)]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--diff", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains("&& rm -rf /var/lib/apt/lists/*"))
        .stdout(contains("--mount").not());
}

#[test]
fn a_user_without_a_known_home_is_reported_and_cleaned_up_as_before() {
    let dir = dir_with(&[(
        "Dockerfile",
        "FROM node:18-slim\nUSER www-data\nRUN npm ci\n",
    )]);
    dockslim()
        .current_dir(dir.path())
        .args(["fix", "--profile", "cache-mounts", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains(
            "DS114 no cache mount: npm: the home of user `www-data` is unknown",
        ))
        .stdout(contains("DS108 [fix]"));
}

#[test]
fn an_unknown_profile_is_rejected() {
    dockslim()
        .args(["fix", "--profile", "cache-mount", "-"])
        .write_stdin("FROM scratch\n")
        .assert()
        .code(2)
        .stderr(contains("cache-mounts"));
}
