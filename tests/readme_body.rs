//! The README's example pull-request body is what dockslim prints: the
//! block between `<!-- body:start -->` and `<!-- body:end -->` equals the
//! output of the `dockslim fix` command in the `sh` block before it.

mod common;

#[test]
fn the_readme_example_body_is_real_output() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let start = readme.find("<!-- body:start -->\n").expect("body markers");
    let end = readme.find("<!-- body:end -->").expect("body markers");
    let block = &readme[start + "<!-- body:start -->\n".len()..end];
    let body = block
        .strip_prefix("`````markdown\n")
        .and_then(|b| b.strip_suffix("`````\n"))
        .expect("a `````markdown block");
    let before = &readme[..start];
    let command = before
        .rsplit("```sh\n")
        .next()
        .and_then(|c| c.split("\n```").next())
        .unwrap();
    let args = command
        .strip_prefix("dockslim ")
        .expect("a dockslim command");
    let out = assert_cmd::Command::cargo_bin("dockslim")
        .unwrap()
        .current_dir(common::root())
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        body,
        "README example `{args}`"
    );
    // The body's own fences are shorter than the README's, so it renders as a block.
    assert!(!body.contains("`````"));
}
