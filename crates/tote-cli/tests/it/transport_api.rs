//! The transport API (`/v1/rates`, `/v1/labels`, `/v1/documents/manifests`,
//! `/v1/customs`) against the real binary: it answers what `tote rate` and
//! `tote rate-shop` print for the same request, documents come in the format
//! asked for, and every bad input is a problem naming the field.

use crate::server::Server;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn request(name: &str) -> Value {
    let path = requests_dir().join(name);
    let text = std::fs::read_to_string(&path).expect("read an example request");
    serde_json::from_str(&text).expect("example requests are JSON")
}

fn requests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tote-transport/requests")
}

/// What the CLI prints for the same request file.
fn cli(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_tote"))
        .args(args)
        .current_dir(requests_dir())
        .output()
        .expect("run tote");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the CLI prints JSON")
}

/// Posts and returns status, content type and the raw body.
fn post_raw(s: &Server, path: &str, body: &Value, accept: Option<&str>) -> (u16, String, Vec<u8>) {
    let mut r = s.client.post(s.url(path)).json(body);
    if let Some(a) = accept {
        r = r.header("accept", a);
    }
    let r = r.send().expect("POST");
    let status = r.status().as_u16();
    let ctype = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, ctype, r.bytes().expect("body").to_vec())
}

#[track_caller]
fn assert_field(answer: &(u16, Value), status: u16, field: &str) {
    let (st, body) = answer;
    assert_eq!(*st, status, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert!(fields.contains(&field), "expected `{field}` in {body}");
}

#[test]
fn quote_answers_what_tote_rate_prints() {
    let s = Server::start();
    let (st, api) = s.post("/v1/rates/quote", &request("rate.json"));
    assert_eq!(st, 200, "{api}");
    assert_eq!(api, cli(&["rate", "--request", "rate.json"]));
    // The quote explains itself: zone, billable weight and each charge.
    let parcel = &api["quotes"][0]["parcels"][0];
    assert_eq!(api["quotes"][0]["service"], "parcelo/ground");
    assert_eq!(parcel["zone"], 5);
    assert_eq!(parcel["billable_weight"], 9);
    assert_eq!(parcel["charges"][0]["kind"], "base");
    assert_eq!(parcel["charges"][0]["why"], "zone 5, 9 lb billable");
}

#[test]
fn rate_shop_chooses_the_cheapest_service_meeting_deliver_by_and_explains_each() {
    let s = Server::start();
    let (st, api) = s.post("/v1/rates/shop", &request("shop.json"));
    assert_eq!(st, 200, "{api}");
    assert_eq!(api, cli(&["rate-shop", "--request", "shop.json"]));
    assert_eq!(api["chosen"], "parcelo/two_day");
    assert_eq!(api["late"], false);
    assert_eq!(api["deliver_on"], "2026-11-25");
    let candidates = api["candidates"].as_array().unwrap();
    assert!(candidates.len() >= 6, "every service is a candidate");
    for c in candidates {
        assert!(
            ["meets", "late", "skipped"].contains(&c["status"].as_str().unwrap()),
            "{c}"
        );
        assert!(!c["reason"].as_str().unwrap().is_empty(), "{c}");
    }
    // Cheaper services that would arrive late are listed with why they lost.
    let ground = candidates
        .iter()
        .find(|c| c["service"] == "parcelo/ground")
        .unwrap();
    assert_eq!(ground["status"], "late");
    assert_eq!(
        ground["reason"],
        "late: delivers 2026-11-27, 2 days after deliver-by 2026-11-25"
    );
}

#[test]
fn a_promise_no_service_meets_gets_the_fastest_flagged_late() {
    let s = Server::start();
    let mut req = request("shop.json");
    req["deliver_by"] = json!("2026-11-21");
    let (st, api) = s.post("/v1/rates/shop", &req);
    assert_eq!(st, 200, "{api}");
    assert_eq!(api["late"], true);
    let earliest = api["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["deliver_on"].as_str())
        .min()
        .unwrap();
    assert_eq!(api["deliver_on"], earliest);
    assert!(api["why"].as_str().unwrap().contains("fastest"), "{api}");
}

#[test]
fn label_format_comes_from_the_field_then_the_accept_header() {
    let s = Server::start();
    let label = request("label.json");
    let (st, ctype, zpl) = post_raw(&s, "/v1/labels", &label, None);
    assert_eq!((st, ctype.as_str()), (200, "application/zpl"));
    let zpl = String::from_utf8(zpl).unwrap();
    assert!(
        zpl.starts_with("^XA") && zpl.trim_end().ends_with("^XZ"),
        "{zpl}"
    );
    // The GS1-128 SSCC barcode: AI 00 and the 18 digits with their check digit.
    assert!(zpl.contains(">;>800106141411234567897"), "{zpl}");

    let (st, ctype, pdf) = post_raw(&s, "/v1/labels", &label, Some("application/pdf"));
    assert_eq!((st, ctype.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));

    let mut with_field = label.clone();
    with_field["format"] = json!("zpl");
    let (st, ctype, _) = post_raw(&s, "/v1/labels", &with_field, Some("application/pdf"));
    assert_eq!((st, ctype.as_str()), (200, "application/zpl"));

    let (st, ctype, body) = post_raw(&s, "/v1/labels", &label, Some("application/json"));
    assert_eq!((st, ctype.as_str()), (406, "application/problem+json"));
    let problem: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["type"], "/problems/not-acceptable");

    with_field["format"] = json!("png");
    assert_field(&s.post("/v1/labels", &with_field), 422, "format");
}

#[test]
fn a_label_with_a_wrong_sscc_check_digit_is_refused() {
    let s = Server::start();
    let mut label = request("label.json");
    label["sscc"] = json!("106141411234567898");
    let answer = s.post("/v1/labels", &label);
    assert_field(&answer, 422, "sscc");
    assert!(
        answer.1["errors"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("check digit"),
        "{}",
        answer.1
    );
}

#[test]
fn manifest_is_csv_by_default_and_pdf_when_asked() {
    let s = Server::start();
    let manifest = request("manifest.json");
    let (st, ctype, csv) = post_raw(&s, "/v1/documents/manifests", &manifest, None);
    assert_eq!((st, ctype.as_str()), (200, "text/csv"));
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "header and two cartons: {csv}");
    assert!(lines[1].contains("PX00000000413"), "{csv}");

    let mut pdf_req = manifest.clone();
    pdf_req["format"] = json!("pdf");
    let (st, ctype, pdf) = post_raw(&s, "/v1/documents/manifests", &pdf_req, None);
    assert_eq!((st, ctype.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));

    let mut bad = manifest;
    bad["lines"][1]["weight_lb"] = json!("-3");
    assert_field(
        &s.post("/v1/documents/manifests", &bad),
        422,
        "lines[1].weight_lb",
    );
}

#[test]
fn customs_estimate_applies_the_destination_rules_of_the_import_date() {
    let s = Server::start();
    let (st, est) = s.post("/v1/customs/estimate", &request("customs.json"));
    assert_eq!(st, 200, "{est}");
    // USD 175 of goods to Germany is above the EUR 150 import scheme: duty and
    // import VAT at the border, in euros.
    assert_eq!(est["currency"], "EUR");
    assert_eq!(est["goods_value"], "161.00");
    assert_eq!(est["scheme"], "import");
    assert_eq!(est["payer"], "recipient");

    let mut bad = request("customs.json");
    bad["declaration"]["items"][0]["hs_code"] = json!("61");
    assert_field(
        &s.post("/v1/customs/estimate", &bad),
        422,
        "declaration.items[0].hs_code",
    );
    let mut bad = request("customs.json");
    bad["declaration"]["incoterm"] = json!("FOB");
    assert_field(
        &s.post("/v1/customs/estimate", &bad),
        422,
        "declaration.incoterm",
    );
}

#[test]
fn bad_rating_input_names_the_field_at_fault() {
    let s = Server::start();
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "/v1/rates/quote",
            {
                let mut r = request("rate.json");
                r["origin"]["country"] = json!("USA");
                r
            },
            "origin.country",
        ),
        (
            "/v1/rates/quote",
            {
                let mut r = request("rate.json");
                r.as_object_mut().unwrap().remove("ship_on");
                r
            },
            "ship_on",
        ),
        (
            "/v1/rates/quote",
            {
                let mut r = request("rate.json");
                r["colour"] = json!("red");
                r
            },
            "colour",
        ),
        (
            "/v1/rates/quote",
            {
                let mut r = request("rate.json");
                r["parcels"] = json!([]);
                r
            },
            "parcels",
        ),
        (
            "/v1/rates/quote",
            {
                let mut r = request("rate.json");
                r["services"] = json!(["parcelo/teleport"]);
                r
            },
            "services[0]",
        ),
        (
            "/v1/rates/quote",
            {
                let mut r = request("rate.json");
                r["parcels"][0]["weight_lb"] = json!("heavy");
                r
            },
            "parcels[0].weight_lb",
        ),
        (
            "/v1/rates/shop",
            {
                let mut r = request("shop.json");
                r["node"]["time_zone"] = json!("Mars/Olympus");
                r
            },
            "node.time_zone",
        ),
        (
            "/v1/rates/shop",
            {
                let mut r = request("shop.json");
                r["ready_at"] = json!("tomorrow");
                r
            },
            "ready_at",
        ),
        (
            "/v1/rates/shop",
            {
                let mut r = request("shop.json");
                r["node"]["cutoff"] = json!("6pm");
                r
            },
            "node.cutoff",
        ),
    ];
    for (path, body, field) in cases {
        let answer = s.post(path, &body);
        assert_field(&answer, 422, field);
    }
    // Not JSON at all: a 400, whatever the endpoint.
    let r = s
        .client
        .post(s.url("/v1/rates/shop"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .unwrap();
    assert_eq!(Server::read(r).0, 400);
}

/// The example carrier tables, copied, with Parcelo Ground renamed Parcelo
/// Ground Saver: a server started on them shows which tables it uses.
fn carriers_with_ground_renamed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tote-transport/carriers/example");
    copy_dir(&example, dir.path());
    let services = dir.path().join("services.csv");
    let text = std::fs::read_to_string(&services).unwrap();
    std::fs::write(
        &services,
        text.replace("Parcelo Ground,", "Parcelo Ground Saver,"),
    )
    .unwrap();
    dir
}

#[test]
fn serve_rates_with_the_carrier_tables_it_was_started_with() {
    let dir = carriers_with_ground_renamed();
    let s = Server::start_with(&["--carriers", dir.path().to_str().unwrap()]);
    let (st, api) = s.post("/v1/rates/quote", &request("rate.json"));
    assert_eq!(st, 200, "{api}");
    assert_eq!(api["quotes"][0]["name"], "Parcelo Ground Saver");
}

/// A delivery promise quotes the same carrier tables as the rating API.
#[test]
fn promises_quote_the_carrier_tables_the_server_was_started_with() {
    let dir = carriers_with_ground_renamed();
    let s = Server::start_with(&["--carriers", dir.path().to_str().unwrap()]);
    s.setup(&["A"]);
    s.receive("DC1", "A", 5);
    let (st, p) = s.get("/v1/promise?sku=A&qty=1&postal_code=02101&country=US&channel=web");
    assert_eq!(st, 200, "{p}");
    let names: Vec<&str> = p["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["service_name"].as_str())
        .collect();
    assert!(names.contains(&"Parcelo Ground Saver"), "{p}");
    assert!(!names.contains(&"Parcelo Ground"), "{p}");
}

#[test]
fn serve_refuses_to_start_on_a_broken_carrier_table() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tote-transport/carriers/example");
    copy_dir(&example, dir.path());
    std::fs::remove_file(dir.path().join("holidays.csv")).unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tote"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .arg("--carriers")
        .arg(dir.path())
        .output()
        .expect("run tote serve");
    // Bad input: exit 2, naming the file and the row at fault.
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--carriers") && stderr.contains("services.csv, row 2, column `calendar`"),
        "{stderr}"
    );
}

#[test]
fn openapi_describes_the_transport_endpoints() {
    let s = Server::start();
    let (st, doc) = s.get("/openapi.json");
    assert_eq!(st, 200);
    for path in [
        "/v1/rates/quote",
        "/v1/rates/shop",
        "/v1/labels",
        "/v1/documents/manifests",
        "/v1/customs/estimate",
    ] {
        assert!(doc["paths"][path]["post"].is_object(), "{path} missing");
    }
    let label = &doc["paths"]["/v1/labels"]["post"]["responses"]["200"]["content"];
    assert!(label["application/zpl"].is_object() && label["application/pdf"].is_object());
    assert!(doc["components"]["schemas"]["ShopRequest"].is_object());
    // Every schema the document refers to is in it.
    let text = doc.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling $ref to {name}"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
