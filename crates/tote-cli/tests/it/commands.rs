//! The pure crates' commands through the real binary: files in, text out, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn tote(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tote"))
        .args(args)
        .output()
        .expect("run tote")
}

pub fn crate_file(krate: &str, rel: &str) -> String {
    let p: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join(krate)
        .join(rel);
    p.to_string_lossy().into_owned()
}

#[track_caller]
pub fn ok_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn rate_shop_with_the_example_carriers_names_its_choice_and_why() {
    let out = tote(&[
        "rate-shop",
        "--request",
        &crate_file("tote-transport", "requests/shop.json"),
    ]);
    let v = ok_json(&out);
    assert!(v["chosen"].is_string(), "{v}");
    assert!(v["why"].as_str().unwrap().contains("deliver"), "{v}");
}

#[test]
fn a_zpl_label_is_one_well_formed_label() {
    let out = tote(&[
        "label",
        "--format",
        "zpl",
        "--request",
        &crate_file("tote-transport", "requests/label.json"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let zpl = String::from_utf8(out.stdout).unwrap();
    assert!(
        zpl.starts_with("^XA") && zpl.trim_end().ends_with("^XZ"),
        "{zpl}"
    );
}

#[test]
fn a_bad_request_file_exits_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"nonsense\": true}").unwrap();
    let out = tote(&["rate", "--request", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.is_empty());
    let missing = tote(&["rate", "--request", "/no/such/file.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read /no/such/file.json"));
}
