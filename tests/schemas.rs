//! The machine-readable outputs against their schemas: SARIF against the
//! official SARIF 2.1.0 schema, JSON against tests/schemas/dockslim-report.schema.json.
//! Both run over every golden case, in report and diff mode.

mod common;

use assert_cmd::Command;

fn run(args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("dockslim")
        .unwrap()
        .current_dir(common::root())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let Some(python) = common::oracle_python() else {
        return;
    };
    let Some(schema) = common::sarif_schema() else {
        return;
    };
    let sarif = run(&["fix", "--format", "sarif", "--unsafe-fixes", "golden"]);
    let value: serde_json::Value = serde_json::from_slice(&sarif).unwrap();
    let results = value["runs"][0]["results"].as_array().unwrap().len();
    assert!(results > 100, "only {results} results");
    common::validate(&python, &schema, &sarif).unwrap_or_else(|e| panic!("invalid SARIF:\n{e}"));
}

#[test]
fn json_output_matches_the_report_schema() {
    let Some(python) = common::oracle_python() else {
        return;
    };
    let schema = common::root().join("tests/schemas/dockslim-report.schema.json");
    for mode in [
        &["fix", "--format", "json", "golden"][..],
        &[
            "fix",
            "--format",
            "json",
            "--diff",
            "--unsafe-fixes",
            "golden",
        ][..],
    ] {
        let json = run(mode);
        common::validate(&python, &schema, &json)
            .unwrap_or_else(|e| panic!("{mode:?}: invalid report:\n{e}"));
    }
    // An error record is valid too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM a\nBAD x\n").unwrap();
    let out = Command::cargo_bin("dockslim")
        .unwrap()
        .current_dir(dir.path())
        .args(["fix", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    common::validate(&python, &schema, &out.stdout)
        .unwrap_or_else(|e| panic!("error report:\n{e}"));
}
