//! CSV import: all or nothing, unless bad rows are skipped on purpose.

use crate::server::Server;
use std::process::Command;

fn import(s: &Server, kind: &str, csv: &str, extra: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{kind}.csv"));
    std::fs::write(&file, csv).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tote"))
        .args(["import", kind])
        .arg(&file)
        .args(["--server", &s.base])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SKUS: &str = "sku,name,weight_g,length_mm,width_mm,height_mm,unit_cost,price,gtin\n\
TEE-S,Tee S,170,300,220,20,4.10,19.00,4006381333931\n\
TEE-M,Tee M,180,300,220,20,4.10,19.00,4006381333932\n\
TEE-L,Tee L,190,300,0,20,4.10,19.00,\n";

#[test]
fn a_file_with_a_bad_row_imports_nothing_and_names_row_and_column() {
    let s = Server::start();
    let (code, _, err) = import(&s, "skus", SKUS, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("row 3, gtin: check digit is 2, should be 1"),
        "{err}"
    );
    assert!(err.contains("row 4, width_mm: must be at least 1"), "{err}");
    assert_eq!(s.get("/v1/skus").1["items"].as_array().unwrap().len(), 0);
}

#[test]
fn skipping_bad_rows_imports_the_good_ones() {
    let s = Server::start();
    let (code, out, err) = import(&s, "skus", SKUS, &["--skip-bad-rows"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("imported 1 rows"), "{out}");
    assert_eq!(s.get("/v1/skus/TEE-S").0, 200);
    assert_eq!(s.get("/v1/skus/TEE-M").0, 404);
}

#[test]
fn nodes_then_locations_import() {
    let s = Server::start();
    let nodes = "code,kind,name,priority,line1,city,region,postal_code,country,time_zone,cut_off\n\
DC1,dc,East DC,1,1 Main St,Newark,NJ,07102,US,America/New_York,15:00\n\
ST1,store,Soho,5,2 Spring St,New York,NY,10012,US,America/New_York,\n";
    let (code, _, err) = import(&s, "nodes", nodes, &[]);
    assert_eq!(code, 0, "{err}");
    let locations =
        "node,code,zone,aisle,bay,level\nDC1,A-01-01-1,A,1,1,1\nDC1,A-01-02-1,A,1,2,1\nDC9,X,,,,\n";
    let (code, _, err) = import(&s, "locations", locations, &[]);
    assert_eq!(code, 1);
    assert!(err.contains("row 4, node: unknown node `DC9`"), "{err}");
    let (code, _, err) = import(&s, "locations", locations, &["--skip-bad-rows"]);
    assert_eq!(code, 0, "{err}");
    let (_, locs) = s.get("/v1/nodes/DC1/locations");
    let codes: Vec<_> = locs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["A-01-01-1", "A-01-02-1", "RECEIVING"]);
}
