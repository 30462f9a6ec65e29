//! The layout's rules, checked from `cargo metadata`: pure crates stay pure,
//! dependencies point inward, and every crate says what it owns.

use serde_json::Value;
use std::collections::HashMap;
use std::process::Command;

fn metadata() -> Value {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("metadata is JSON")
}

/// Each workspace crate's normal (non-dev) dependencies, with their features.
fn dependencies() -> HashMap<String, Vec<(String, Vec<String>)>> {
    let meta = metadata();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| {
                    let features = d["features"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| f.as_str().unwrap().to_owned())
                        .collect();
                    (d["name"].as_str().unwrap().to_owned(), features)
                })
                .collect();
            (p["name"].as_str().unwrap().to_owned(), deps)
        })
        .collect()
}

const IO_CRATES: &[&str] = &[
    "tote-store",
    "tote-server",
    "tote-oms",
    "tote-cli",
    "sqlx",
    "rusqlite",
    "axum",
    "hyper",
    "reqwest",
    "tokio",
    "postgres",
];

#[test]
fn pure_crates_depend_on_no_store_server_or_async_runtime() {
    let deps = dependencies();
    for pure in [
        "tote-core",
        "tote-routing",
        "tote-packing",
        "tote-transport",
        "tote-planning",
        "tote-sourcing",
        "tote-wms",
        "tote-returns",
    ] {
        let Some(list) = deps.get(pure) else { continue };
        for (name, _) in list {
            assert!(
                !IO_CRATES.contains(&name.as_str()),
                "{pure} must not depend on {name}"
            );
        }
    }
}

#[test]
fn the_ledger_uses_tokio_channels_only_never_its_runtime() {
    let deps = dependencies();
    for (name, features) in &deps["tote-ledger"] {
        assert!(
            !IO_CRATES.contains(&name.as_str()) || name == "tokio",
            "tote-ledger must not depend on {name}"
        );
        if name == "tokio" {
            assert_eq!(
                features,
                &["sync"],
                "tote-ledger may use tokio's sync channels only"
            );
        }
    }
}

#[test]
fn dependencies_point_inward() {
    let deps = dependencies();
    let forbidden: &[(&str, &[&str])] = &[
        (
            "tote-store",
            &["tote-oms", "tote-server", "tote-cli", "axum"],
        ),
        (
            "tote-oms",
            &["tote-server", "tote-cli", "axum", "tokio", "rusqlite"],
        ),
        ("tote-server", &["tote-cli", "rusqlite"]),
    ];
    for (krate, never) in forbidden {
        for (name, _) in &deps[*krate] {
            assert!(
                !never.contains(&name.as_str()),
                "{krate} must not depend on {name}"
            );
        }
    }
}

#[test]
fn every_crate_opens_with_what_it_owns() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    for entry in std::fs::read_dir(crates).unwrap() {
        let dir = entry.unwrap().path();
        let lib = dir.join("src/lib.rs");
        let main = dir.join("src/main.rs");
        let root = if lib.exists() { lib } else { main };
        let text = std::fs::read_to_string(&root).unwrap_or_default();
        assert!(
            text.starts_with("//! "),
            "{} must open with a //! comment",
            root.display()
        );
        assert!(
            text.contains("Owns:"),
            "{} must say what the crate owns",
            root.display()
        );
        assert!(
            text.contains("Must not depend on:"),
            "{} must say what it must not use",
            root.display()
        );
    }
}
