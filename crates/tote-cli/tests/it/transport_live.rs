//! Shipping with the carriers, live: rate shopping at ship time, labels,
//! tracking that delivers shipments and orders, and carrier on-time.
//!
//! Method: three orders go through wave, pick and pack at DC1 (Newark). One
//! with a far deliver-by ships without a service and must get the cheapest
//! service that meets it, its quote equal to the stateless quote of the same
//! carton; one promised for a day long past gets the fastest service, flagged
//! late; one ships with a named service. Labels come back as a PDF that
//! renders and as ZPL with the carton's SSCC. Tracking events arrive as JSON
//! and as CSV (through `tote track import`), with bad rows named; one parcel is
//! delivered late and must count against carrier on-time. A restart must keep
//! all of it.

use crate::server::{Server, assert_refused, node, ok, order_body};
use chrono::{Days, NaiveDate};
use serde_json::{Value, json};
use std::process::Command;

/// DC1 in Newark and the TEE SKU (900 g), no stock yet.
fn dc1_with_tee(s: &Server) {
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    let (st, b) = s.post(
        "/v1/skus",
        &json!({"sku": "TEE", "name": "Tee", "weight_g": 900, "dims_mm": [200, 150, 30],
                "unit_cost": "3.00", "price": "12.00"}),
    );
    ok(st, 201, &b);
}

/// Places, releases, picks and packs an order of `qty` tees; answers its id.
fn packed(s: &Server, external: &str, qty: i64, deliver_by: Option<&str>) -> String {
    packed_of(s, "TEE", external, qty, deliver_by)
}

fn packed_of(s: &Server, sku: &str, external: &str, qty: i64, deliver_by: Option<&str>) -> String {
    let mut body = order_body(external, &[(sku, qty)]);
    if let Some(d) = deliver_by {
        body["deliver_by"] = json!(d);
    }
    let (st, o) = s.post("/v1/orders", &body);
    ok(st, 201, &o);
    let id = o["id"].as_str().unwrap().to_owned();
    let (st, w) = s.post("/v1/waves", &json!({"node": "DC1", "cart_totes": 4}));
    ok(st, 201, &w);
    for t in w["tasks"].as_array().unwrap() {
        let (st, r) = s.post(
            &format!("/v1/pick-tasks/{}/confirm", t["id"].as_str().unwrap()),
            &json!({"location": t["location"], "item": sku, "qty": t["qty"]}),
        );
        ok(st, 200, &r);
    }
    for _ in 0..qty {
        let (st, p) = s.post(
            &format!("/v1/orders/{id}/pack-scans"),
            &json!({"item": sku}),
        );
        ok(st, 200, &p);
    }
    let (_, o) = s.get(&format!("/v1/orders/{id}"));
    assert_eq!(o["status"], "packed", "{o}");
    id
}

fn money(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

fn date(v: &Value) -> NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

/// The carton types' outer sizes in mm, as the packer's defaults give them.
fn outer_mm(carton: &str) -> [u32; 3] {
    match carton {
        "S" => [236, 306, 110],
        "M" => [306, 406, 210],
        "L" => [406, 606, 410],
        other => panic!("unexpected carton {other}"),
    }
}

fn post_csv(s: &Server, csv: &str) -> (u16, Value) {
    let r = s
        .client()
        .post(s.url("/v1/tracking/events"))
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .unwrap();
    Server::read(r)
}

fn bytes(s: &Server, path: &str) -> (u16, String, Vec<u8>) {
    let r = s.client().get(s.url(path)).send().unwrap();
    let st = r.status().as_u16();
    let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
    (st, ct, r.bytes().unwrap().to_vec())
}

#[test]
fn shipping_rate_shops_labels_tracks_and_measures_carrier_on_time() {
    let s = Server::start();
    dc1_with_tee(&s);
    let (st, b) = s.post(
        "/v1/locations",
        &json!({"node": "DC1", "code": "A1-01", "zone": "A", "aisle": 1, "bay": 1}),
    );
    ok(st, 201, &b);
    let (st, b) = s.post(
        "/v1/inventory/receipts",
        &json!({"node": "DC1", "lines": [{"sku": "TEE", "qty": 50, "location": "A1-01"}]}),
    );
    ok(st, 201, &b);

    // 1. No service named, a promise far off: the cheapest service that meets it.
    let cheap = packed(&s, "1", 3, Some("2027-06-30"));
    let (st, sh) = s.post(&format!("/v1/orders/{cheap}/ship"), &json!({}));
    ok(st, 201, &sh);
    assert_eq!(sh["chosen_by"], "rate_shop");
    assert_eq!(sh["late"], false);
    let total = money(&sh["quote"]["total"]);
    let meets: Vec<&Value> = sh["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "meets")
        .collect();
    assert!(meets.len() >= 2, "{sh}");
    for c in &meets {
        assert!(
            total <= money(&c["total"]),
            "{} is cheaper: {sh}",
            c["service"]
        );
    }
    let key = format!(
        "{}/{}",
        sh["carrier"].as_str().unwrap(),
        sh["service"].as_str().unwrap()
    );
    // The quote is the carrier's bill for this carton, itemised.
    let carton = &sh["cartons"][0];
    let q = &sh["quote"]["cartons"][0];
    assert!(q["billable_weight"].as_u64().unwrap() >= 1);
    assert!(q["zone"].as_u64().unwrap() >= 1);
    assert_eq!(q["charges"][0]["kind"], "base", "{q}");
    let charges: f64 = q["charges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| money(&c["amount"]))
        .sum();
    assert!((charges - total).abs() < 0.005, "{q}");
    let dims = outer_mm(carton["carton"].as_str().unwrap());
    let kg = carton["gross_weight_g"].as_u64().unwrap() as f64 / 1000.0;
    let (st, stateless) = s.post(
        "/v1/rates/quote",
        &json!({"origin": {"country": "US", "postal": "07102"},
                "destination": {"country": "US", "postal": "02101", "residential": true},
                "ship_on": sh["ship_on"], "services": [key],
                "parcels": [{"dims_cm": dims.map(|mm| format!("{}", mm as f64 / 10.0)),
                             "weight_kg": format!("{kg}")}]}),
    );
    ok(st, 200, &stateless);
    assert_eq!(
        money(&stateless["quotes"][0]["total"]),
        total,
        "the shipment's quote and the stateless quote differ: {stateless} {sh}"
    );
    let cheap_sh = sh.clone();

    // 2. A promise no service can meet: the fastest, flagged late.
    let late = packed(&s, "2", 1, Some("2020-01-02"));
    let (st, sh) = s.post(&format!("/v1/orders/{late}/ship"), &json!({}));
    ok(st, 201, &sh);
    assert_eq!(sh["late"], true, "{sh}");
    let committed = date(&sh["committed_on"]);
    for c in sh["candidates"].as_array().unwrap() {
        assert_ne!(c["status"], "meets", "{c}");
        if c["status"] == "late" {
            assert!(
                committed <= date(&c["deliver_on"]),
                "{} is faster: {sh}",
                c["service"]
            );
        }
    }
    let late_sh = sh.clone();

    // 3. A named service is rated; an unknown one is refused by name.
    let named = packed(&s, "3", 1, None);
    let (st, err) = s.post(
        &format!("/v1/orders/{named}/ship"),
        &json!({"service": "acme/rocket"}),
    );
    assert_refused(st, &err, "service");
    let (st, sh) = s.post(
        &format!("/v1/orders/{named}/ship"),
        &json!({"service": "natpost/priority"}),
    );
    ok(st, 201, &sh);
    assert_eq!(
        (sh["chosen_by"].as_str(), sh["carrier"].as_str()),
        (Some("named"), Some("natpost"))
    );
    assert!(money(&sh["quote"]["total"]) > 0.0);
    let named_sh = sh.clone();

    // Labels: a PDF that renders, a page per carton, and ZPL with the SSCC.
    let sid = cheap_sh["id"].as_str().unwrap();
    let (st, ct, pdf) = bytes(&s, &format!("/v1/shipments/{sid}/label.pdf"));
    assert_eq!((st, ct.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("label.pdf");
    std::fs::write(&file, &pdf).unwrap();
    if let Ok(out) = Command::new("pdftoppm")
        .args(["-png", "-r", "50"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .output()
    {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let pages = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "png")
            })
            .count();
        assert_eq!(pages, cheap_sh["cartons"].as_array().unwrap().len());
    }
    let (st, ct, zpl) = bytes(&s, &format!("/v1/shipments/{sid}/label.zpl"));
    assert_eq!((st, ct.as_str()), (200, "application/zpl"));
    let zpl = String::from_utf8(zpl).unwrap();
    let sscc = cheap_sh["label"]["sscc"][0].as_str().unwrap();
    assert_eq!(sscc.len(), 18);
    assert!(
        zpl.starts_with("^XA") && zpl.trim_end().ends_with("^XZ"),
        "{zpl}"
    );
    assert_eq!(zpl.matches("^XA").count(), zpl.matches("^XZ").count());
    assert!(
        zpl.contains(&sscc[..17]),
        "the SSCC is not on the label: {zpl}"
    );
    assert!(zpl.contains(cheap_sh["tracking"].as_str().unwrap()));
    let (st, _, _) = bytes(&s, &format!("/v1/shipments/{sid}/label.gif"));
    assert_eq!(st, 404);

    // The manifest per carrier pickup, and its documents.
    let (st, m) = s.post("/v1/manifests", &json!({"carrier": cheap_sh["carrier"]}));
    ok(st, 201, &m);
    let mid = m["id"].as_str().unwrap();
    let (st, ct, csv) = bytes(&s, &format!("/v1/manifests/{mid}.csv"));
    assert_eq!((st, ct.as_str()), (200, "text/csv"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.starts_with("carrier,node,pickup_on,tracking,sscc"),
        "{csv}"
    );
    assert!(
        csv.contains(cheap_sh["tracking"].as_str().unwrap()),
        "{csv}"
    );
    let (st, ct, pdf) = bytes(&s, &format!("/v1/manifests/{mid}.pdf"));
    assert_eq!((st, ct.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));

    // Tracking as JSON, rows in any order: the cheap parcel moves and is
    // delivered on its committed date; the bad rows are named.
    let t_cheap = cheap_sh["tracking"].as_str().unwrap();
    let c_cheap = cheap_sh["committed_on"].as_str().unwrap();
    let (st, r) = s.post(
        "/v1/tracking/events",
        &json!([
            {"tracking": t_cheap, "status": "delivered", "at": format!("{c_cheap}T23:30:00-05:00"), "detail": "Front door"},
            {"tracking": t_cheap, "status": "picked_up", "at": format!("{c_cheap}T01:00:00-05:00"), "location": "Newark NJ"},
            {"tracking": "TT0000000999", "status": "in_transit", "at": format!("{c_cheap}T05:00:00-05:00")},
            {"tracking": t_cheap, "status": "lost", "at": format!("{c_cheap}T05:00:00-05:00")},
            {"tracking": t_cheap, "status": "in_transit", "at": format!("{c_cheap}T05:00:00-05:00"), "extra": 1},
        ]),
    );
    ok(st, 200, &r);
    assert_eq!(
        (r["applied"].as_u64(), r["refused"].as_u64()),
        (Some(2), Some(3)),
        "{r}"
    );
    let row = |n: usize| &r["rows"][n - 1];
    assert_eq!(row(1)["status"], "delivered", "{r}");
    assert_eq!(row(2)["result"], "applied", "{r}");
    assert_eq!(row(3)["field"], "tracking", "{r}");
    assert_eq!(row(4)["field"], "status", "{r}");
    assert_eq!(row(5)["field"], "extra", "{r}");
    let (_, o) = s.get(&format!("/v1/orders/{cheap}"));
    assert_eq!(o["status"], "delivered", "{o}");
    // A scan older than the latest one recorded arrives late: refused by name.
    let (st, late_scan) = s.post(
        "/v1/tracking/events",
        &json!([{"tracking": t_cheap, "status": "in_transit", "at": format!("{c_cheap}T00:30:00-05:00")}]),
    );
    ok(st, 200, &late_scan);
    assert!(
        late_scan["rows"][0]["problem"]
            .as_str()
            .unwrap()
            .starts_with("out of order"),
        "{late_scan}"
    );
    // The same file again changes nothing: every row is a duplicate or after delivery.
    let (st, again) = s.post(
        "/v1/tracking/events",
        &json!([{"tracking": t_cheap, "status": "delivered", "at": format!("{c_cheap}T23:30:00-05:00")}]),
    );
    ok(st, 200, &again);
    assert_eq!(again["refused"], 1);

    // Tracking as CSV through `tote track import`, newest first as some
    // carriers write it: the late parcel is delivered two days after its
    // committed date; the named one on time.
    let t_late = late_sh["tracking"].as_str().unwrap();
    let c_late = date(&late_sh["committed_on"]);
    let two_late = c_late.checked_add_days(Days::new(2)).unwrap();
    let t_named = named_sh["tracking"].as_str().unwrap();
    let c_named = named_sh["committed_on"].as_str().unwrap();
    let file = dir.path().join("events.csv");
    std::fs::write(
        &file,
        format!(
            "tracking,status,at,location,detail\n\
             {t_late},delivered,{two_late}T15:00:00-05:00,Boston MA,\n\
             {t_late},exception,{c_late}T09:00:00Z,Hartford CT,\"Weather, delayed\"\n\
             {t_late},picked_up,{c_late}T02:00:00Z,Newark NJ,\n\
             {t_named},delivered,{c_named}T10:00:00-05:00,Boston MA,\n\
             {t_named},in_transit,not-a-time,,\n"
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tote"))
        .args(["track", "import"])
        .arg(&file)
        .args(["--server", &s.base])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("applied 4 tracking events"), "{stdout}");
    assert!(stderr.contains("row 6, at:"), "{stderr}");
    let (st, bad_header) = post_csv(&s, "tracking,state,at\nX,delivered,2026-01-01T00:00:00Z\n");
    assert_refused(st, &bad_header, "header");

    let check = |s: &Server| {
        let (_, o) = s.get(&format!("/v1/orders/{late}"));
        assert_eq!(o["status"], "delivered", "{o}");
        let (_, sh) = s.get(&format!(
            "/v1/shipments/{}",
            late_sh["id"].as_str().unwrap()
        ));
        assert_eq!(sh["status"], "delivered");
        assert_eq!(sh["delivered_on"], json!(two_late.to_string()));
        assert_eq!(sh["history"].as_array().unwrap().len(), 3);
        // Listing by status, carrier and order, a page at a time.
        let (st, page) = s.get("/v1/shipments?status=delivered&limit=2");
        ok(st, 200, &page);
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let cursor = page["next_cursor"].as_str().unwrap();
        let (_, rest) = s.get(&format!(
            "/v1/shipments?status=delivered&limit=2&cursor={cursor}"
        ));
        assert_eq!(rest["items"].as_array().unwrap().len(), 1, "{rest}");
        let (_, by_order) = s.get(&format!("/v1/shipments?order={named}"));
        assert_eq!(by_order["items"][0]["carrier"], "natpost");
        let (st, e) = s.get("/v1/shipments?status=lost");
        ok(st, 422, &e);
        // Carrier on-time: the late delivery counts against its service.
        let (st, ot) = s.get("/v1/carriers/on-time?from=2020-01-01&to=2030-12-31");
        ok(st, 200, &ot);
        let services = ot["services"].as_array().unwrap();
        let delivered: u64 = services
            .iter()
            .map(|x| x["delivered"].as_u64().unwrap())
            .sum();
        let on_time: u64 = services
            .iter()
            .map(|x| x["on_time"].as_u64().unwrap())
            .sum();
        assert_eq!((delivered, on_time), (3, 2), "{ot}");
        let late_row = services
            .iter()
            .find(|x| x["carrier"] == late_sh["carrier"] && x["service"] == late_sh["service"])
            .unwrap();
        assert!(
            late_row["days_late_mean"].as_f64().unwrap() >= 2.0,
            "{late_row}"
        );
        let (_, none) = s.get("/v1/carriers/on-time?from=2020-01-01&to=2020-12-31");
        assert_eq!(none["services"], json!([]));
    };
    check(&s);
    // The events tell it: tracking updates and deliveries with both on-time answers.
    let (_, ev) = s.get("/v1/events?after=0&limit=1000");
    let delivered: Vec<&Value> = ev["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "order.delivered")
        .collect();
    assert_eq!(delivered.len(), 3);
    let late_event = delivered
        .iter()
        .find(|e| e["subject"] == json!(late))
        .unwrap();
    assert_eq!(late_event["data"]["carrier_on_time"], false, "{late_event}");
    assert_eq!(late_event["data"]["on_time_to_promise"], false);
    let cheap_event = delivered
        .iter()
        .find(|e| e["subject"] == json!(cheap))
        .unwrap();
    assert_eq!(
        cheap_event["data"]["carrier_on_time"], true,
        "{cheap_event}"
    );
    assert_eq!(cheap_event["data"]["on_time_to_promise"], true);
    let updates = ev["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "shipment.tracking_updated")
        .count();
    assert_eq!(updates, 6);

    // A restart keeps shipments, orders, labels and the measure.
    let (data, dir2) = s.kill();
    let s = Server::start_on(&data);
    check(&s);
    let (st, _, pdf) = bytes(&s, &format!("/v1/shipments/{sid}/label.pdf"));
    assert_eq!(st, 200);
    assert!(pdf.starts_with(b"%PDF-"));
    drop(s);
    drop(dir2);
}

#[test]
fn rate_shopping_skips_services_that_refuse_the_orders_hazmat() {
    let s = Server::start();
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    // Lithium ion batteries (UN3480): the air services and the post refuse them.
    let (st, b) = s.post(
        "/v1/skus",
        &json!({"sku": "CELL", "name": "Power bank", "weight_g": 400, "dims_mm": [150, 80, 30],
                "unit_cost": "8.00", "price": "25.00", "hazmat_un": "UN3480"}),
    );
    ok(st, 201, &b);
    let (st, b) = s.post(
        "/v1/inventory/receipts",
        &json!({"node": "DC1", "lines": [{"sku": "CELL", "qty": 5}]}),
    );
    ok(st, 201, &b);
    let id = packed_of(&s, "CELL", "1", 1, Some("2027-06-30"));
    let (st, err) = s.post(
        &format!("/v1/orders/{id}/ship"),
        &json!({"service": "parcelo/overnight"}),
    );
    assert_refused(st, &err, "service");
    assert!(
        err["errors"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("refuses hazmat UN3480"),
        "{err}"
    );
    let (_, o) = s.get(&format!("/v1/orders/{id}"));
    assert_eq!(o["status"], "packed", "a refused ship changed the order");
    let (st, sh) = s.post(&format!("/v1/orders/{id}/ship"), &json!({}));
    ok(st, 201, &sh);
    let key = format!(
        "{}/{}",
        sh["carrier"].as_str().unwrap(),
        sh["service"].as_str().unwrap()
    );
    let skipped: Vec<&str> = sh["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["why"]
                .as_str()
                .is_some_and(|w| w.contains("refuses hazmat UN3480"))
        })
        .map(|c| c["service"].as_str().unwrap())
        .collect();
    assert!(skipped.contains(&"natpost/priority"), "{sh}");
    assert!(skipped.contains(&"parcelo/overnight"), "{sh}");
    assert!(!skipped.contains(&key.as_str()), "{sh}");
    assert!(
        ["parcelo/ground", "swiftline/economy"].contains(&key.as_str()),
        "{sh}"
    );
}

/// Carton labels are numbered under the shop's own GS1 company prefix; a prefix
/// that is not 7 to 10 digits stops the server before it opens the books.
#[test]
fn carton_labels_carry_the_shops_gs1_company_prefix() {
    let s = Server::start_with(&["--gs1-company-prefix", "0999999"]);
    dc1_with_tee(&s);
    let (st, b) = s.post(
        "/v1/inventory/receipts",
        &json!({"node": "DC1", "lines": [{"sku": "TEE", "qty": 5}]}),
    );
    ok(st, 201, &b);
    let id = packed(&s, "1", 1, None);
    let (st, sh) = s.post(&format!("/v1/orders/{id}/ship"), &json!({}));
    ok(st, 201, &sh);
    let sscc = sh["label"]["sscc"][0].as_str().unwrap();
    // Extension digit 0, then the prefix.
    assert!(sscc.starts_with("00999999"), "{sh}");

    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tote"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .args(["--gs1-company-prefix", "12345"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--gs1-company-prefix") && stderr.contains("7 to 10 digits"),
        "{stderr}"
    );
    assert!(
        !data.path().join("tote.db").exists(),
        "the books were opened"
    );
}
