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

#[test]
fn route_prints_distance_and_every_pick_once() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("layout.json");
    let picks = dir.path().join("picks.json");
    std::fs::write(&layout, r#"{"aisles": 10, "aisle_length_m": 30.0, "aisle_spacing_m": 3.0, "cross_aisles": 2, "depot_x_m": 0.0}"#).unwrap();
    std::fs::write(
        &picks,
        r#"[{"aisle": 3, "y_m": 12.5}, {"aisle": 7, "y_m": 2.0}, {"aisle": 3, "y_m": 12.5}]"#,
    )
    .unwrap();
    let v = ok_json(&tote(&[
        "route",
        "--layout",
        layout.to_str().unwrap(),
        "--picks",
        picks.to_str().unwrap(),
    ]));
    let mut seq: Vec<u64> = v["sequence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    seq.sort();
    assert_eq!(seq, [0, 1, 2]);
    // Out and back to aisle 7 at 3 m spacing (42 m) plus both aisles walked: never less.
    assert!(v["distance_m"].as_f64().unwrap() >= 42.0, "{v}");
    let out = tote(&[
        "route",
        "--layout",
        layout.to_str().unwrap(),
        "--picks",
        picks.to_str().unwrap(),
        "--method",
        "zigzag",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("zigzag"));
}

#[test]
fn forecast_prints_horizon_rows_per_series_with_quantiles() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.csv");
    let mut csv = String::from("series,period,value\n");
    for year in 2020..2024 {
        for month in 1..=12 {
            csv += &format!(
                "\"a,b\",{year}-{month:02},{}\n",
                100 + month * 3 + (year - 2020) * 5
            );
        }
    }
    std::fs::write(&history, csv).unwrap();
    let out = tote(&[
        "forecast",
        "--history",
        history.to_str().unwrap(),
        "--horizon",
        "6",
        "--quantiles",
        "0.1,0.9",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines[0], "series,period,forecast,q0.1,q0.9");
    assert_eq!(lines.len(), 7, "{text}");
    assert!(lines[1].starts_with("\"a,b\",2024-01,"), "{text}");
}

#[test]
fn pack_places_every_unit_and_its_own_checker_accepts_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    std::fs::write(
        path("cartons.json"),
        r#"[{"id":"S","inner_mm":[230,300,240],"outer_mm":[236,306,250],"empty_weight_g":160,"max_weight_g":15000,"cost":"0.45"}]"#,
    )
    .unwrap();
    std::fs::write(
        path("items.json"),
        r#"[{"sku":"A","dims_mm":[210,297,8],"weight_g":300,"qty":2,"keep_flat":false}]"#,
    )
    .unwrap();
    let out = tote(&[
        "pack",
        "--cartons",
        &path("cartons.json"),
        "--items",
        &path("items.json"),
    ]);
    let v = ok_json(&out);
    assert_eq!(v["cartons"][0]["items"].as_array().unwrap().len(), 2, "{v}");
    std::fs::write(path("result.json"), &out.stdout).unwrap();
    let check = tote(&[
        "pack",
        "--check",
        &path("result.json"),
        "--cartons",
        &path("cartons.json"),
        "--items",
        &path("items.json"),
    ]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Two units in one spot overlap: the check fails with exit 1 and says so.
    let mut bad = v.clone();
    bad["cartons"][0]["items"][1]["position_mm"] = serde_json::json!([0, 0, 0]);
    std::fs::write(path("bad.json"), bad.to_string()).unwrap();
    let check = tote(&[
        "pack",
        "--check",
        &path("bad.json"),
        "--cartons",
        &path("cartons.json"),
        "--items",
        &path("items.json"),
    ]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stderr).contains("overlap"),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
