//! A return from the customer's page to the refund, through the real binary.
//!
//! Goal: an order that shipped comes back exactly: authorised by the channel's
//! policy, labelled, tracked, received at the dock, inspected unit by unit
//! (one damaged, one the wrong item), sent to its dispositions and refunded to
//! the cent, with the books true at every step.
//!
//! Method: receive stock, ship two orders through wave, pick, pack and ship;
//! the customer drives the HTML form with a real HTTP client; the warehouse
//! uses the API. The test keeps the units it expects per SKU and bucket and
//! compares them with `GET /v1/inventory` after each step; no bucket may go
//! below zero, and a restart (which checks every ledger invariant while
//! loading the books) must agree.

use crate::server::{Server, assert_refused, needed, node, ok};
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn sku(code: &str, price: &str, category: &str) -> Value {
    json!({"sku": code, "name": format!("{code} item"), "weight_g": 250, "dims_mm": [200, 150, 30],
           "unit_cost": "5.00", "price": price, "category": category})
}

const SKUS: [&str; 4] = ["TEE", "MUG", "CAP", "TEEL"];

/// Units per (SKU, bucket) at DC1, as the API reports them (zeros left out).
/// Every bucket must be at or above zero.
fn buckets(s: &Server) -> BTreeMap<(String, String), i64> {
    let mut out = BTreeMap::new();
    for sku in SKUS {
        let (st, b) = s.get(&format!("/v1/inventory?sku={sku}&node=DC1"));
        ok(st, 200, &b);
        for r in b["items"].as_array().unwrap() {
            for bucket in [
                "on_hand",
                "reserved",
                "damaged",
                "quarantine",
                "returns_pending",
                "refurbish",
                "liquidation",
            ] {
                let q = r[bucket]
                    .as_i64()
                    .unwrap_or_else(|| panic!("no {bucket} in {r}"));
                assert!(q >= 0, "{sku} {bucket} below zero: {r}");
                if q != 0 {
                    out.insert((sku.to_owned(), bucket.to_owned()), q);
                }
            }
        }
    }
    out
}

fn expect(rows: &[(&str, &str, i64)]) -> BTreeMap<(String, String), i64> {
    rows.iter()
        .filter(|r| r.2 != 0)
        .map(|(s, b, q)| ((s.to_string(), b.to_string()), *q))
        .collect()
}

fn form(s: &Server, fields: &[(&str, &str)]) -> (u16, String) {
    let r = s
        .client()
        .post(s.url("/returns"))
        .form(fields)
        .send()
        .expect("POST /returns");
    let st = r.status().as_u16();
    (st, r.text().expect("page"))
}

/// The text of `attr="..."` in a page.
fn attr<'a>(page: &'a str, attr: &str) -> &'a str {
    let start = page
        .find(&format!("{attr}=\""))
        .unwrap_or_else(|| panic!("no {attr} in {page}"))
        + attr.len()
        + 2;
    &page[start..start + page[start..].find('"').unwrap()]
}

fn all_events(s: &Server) -> Vec<Value> {
    let (st, b) = s.get("/v1/events?after=0&limit=1000");
    ok(st, 200, &b);
    b["items"].as_array().unwrap().clone()
}

/// Ships every allocated order at DC1: one wave, every pick, every pack scan.
fn ship_all(s: &Server) {
    let (st, wave) = s.post("/v1/waves", &json!({"node": "DC1", "cart_totes": 4}));
    ok(st, 201, &wave);
    for t in wave["tasks"].as_array().unwrap() {
        let (st, r) = s.post(
            &format!("/v1/pick-tasks/{}/confirm", t["id"].as_str().unwrap()),
            &json!({"location": t["location"], "item": t["sku"], "qty": t["qty"]}),
        );
        ok(st, 200, &r);
    }
    for id in wave["orders"].as_array().unwrap() {
        let id = id.as_str().unwrap();
        let (_, o) = s.get(&format!("/v1/orders/{id}"));
        for l in o["lines"].as_array().unwrap() {
            for _ in 0..l["qty"].as_i64().unwrap() {
                let (st, p) = s.post(
                    &format!("/v1/orders/{id}/pack-scans"),
                    &json!({"item": l["sku"]}),
                );
                ok(st, 200, &p);
            }
        }
        let (st, sh) = s.post(&format!("/v1/orders/{id}/ship"), &json!({}));
        ok(st, 201, &sh);
    }
}

/// A DC with 5 TEE on hand and one order, `external_id`, for 2 of them by
/// ana@example.com, picked, packed and shipped. Returns the order's id.
fn shipped_tee_order(s: &Server, external_id: &str) -> String {
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    let (st, b) = s.post("/v1/skus", &sku("TEE", "19.00", "apparel"));
    ok(st, 201, &b);
    let (st, b) = s.post(
        "/v1/inventory/receipts",
        &json!({"node": "DC1", "lines": [{"sku": "TEE", "qty": 5}]}),
    );
    ok(st, 201, &b);
    let id = tee_order(s, external_id, "ana@example.com");
    ship_all(s);
    id
}

/// A web order, `external_id`, for 2 TEE by `email`, shipped to Boston;
/// answers its id.
fn tee_order(s: &Server, external_id: &str, email: &str) -> String {
    let (st, o) = s.post(
        "/v1/orders",
        &json!({"external_id": external_id, "channel": "web", "email": email,
                "ship_to": {"line1": "2 Elm St", "city": "Boston", "region": "MA", "postal_code": "02101", "country": "US"},
                "lines": [{"sku": "TEE", "qty": 2}]}),
    );
    ok(st, 201, &o);
    o["id"].as_str().unwrap().to_owned()
}

/// The QR code, drawn by headless Chromium and read by `zbarimg`, says `want`.
/// Skipped (loudly) where either tool is missing, except on CI.
fn qr_scans_back(s: &Server, rma: &str, want: &str) {
    let zbar = std::process::Command::new("zbarimg")
        .arg("--version")
        .output()
        .is_ok();
    let Some(browser) = needed(
        crate::planning_pages::chromium().filter(|_| zbar),
        "chromium or zbarimg (zbar-tools), for the QR scan",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("qr.png");
    crate::planning_pages::screenshot(
        &browser,
        &s.url(&format!("/v1/returns/{rma}/qr.svg")),
        &file,
    );
    let out = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(&file)
        .output()
        .expect("run zbarimg");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), want);
}

#[test]
fn a_return_from_the_web_page_to_the_refund_keeps_the_books_true() {
    let s = Server::start();
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    for (code, price, category) in [
        ("TEE", "19.00", "apparel"),
        ("MUG", "14.00", "kitchen"),
        ("CAP", "30.00", "apparel"),
        ("TEEL", "19.00", "apparel"),
    ] {
        let (st, b) = s.post("/v1/skus", &sku(code, price, category));
        ok(st, 201, &b);
    }
    let (st, b) = s.post(
        "/v1/locations",
        &json!({"node": "DC1", "code": "A1-01", "zone": "A", "aisle": 1, "bay": 1}),
    );
    ok(st, 201, &b);
    let (st, b) = s.post(
        "/v1/inventory/receipts",
        &json!({"node": "DC1", "lines": SKUS.iter().map(|k| json!({"sku": k, "qty": 10, "location": "A1-01"})).collect::<Vec<_>>()}),
    );
    ok(st, 201, &b);

    // The web channel's policy: caps are final sale, a 10% restocking fee on
    // the customer's choices, refunds once the units are inspected.
    let (st, p) = s.put(
        "/v1/returns/policy/web",
        &json!({"window_days": 30, "final_sale_skus": ["CAP"], "restocking_fee_pct": "10",
                "refund_trigger": "receipt", "shipping_refund": "seller_fault"}),
    );
    ok(st, 200, &p);
    let (st, err) = s.put(
        "/v1/returns/policy/web",
        &json!({"restocking_fee_pct": "120", "methods": []}),
    );
    assert_eq!(st, 422, "{err}");
    let (_, p) = s.get("/v1/returns/policy/web");
    assert_eq!(p["policy"]["restocking_fee_pct"], "10", "{p}");

    // Two orders ship: TEE 2 x 19.00 less 2.00, MUG 14.00, CAP 30.00, 10.00
    // off the order and 5.95 shipping; and a single tee.
    let ship_to = json!({"line1": "2 Elm St", "city": "Boston", "region": "MA", "postal_code": "02101", "country": "US"});
    let (st, o1) = s.post(
        "/v1/orders",
        &json!({"external_id": "W-1001", "channel": "web", "email": "ana@example.com", "ship_to": ship_to,
                "lines": [{"sku": "TEE", "qty": 2, "unit_price": "19.00", "discount": "2.00"},
                          {"sku": "MUG", "qty": 1, "unit_price": "14.00"},
                          {"sku": "CAP", "qty": 1, "unit_price": "30.00"}],
                "discount": "10.00", "shipping_charge": "5.95"}),
    );
    ok(st, 201, &o1);
    let (st, o2) = s.post(
        "/v1/orders",
        &json!({"external_id": "W-1002", "channel": "web", "email": "ana@example.com", "ship_to": ship_to,
                "lines": [{"sku": "TEE", "qty": 1}]}),
    );
    ok(st, 201, &o2);
    let oid = o1["id"].as_str().unwrap().to_owned();
    // Not shipped yet: nothing to return.
    let (st, err) = s.post(
        "/v1/returns",
        &json!({"order": oid, "method": "drop_off", "lines": [{"sku": "MUG", "qty": 1, "reason": "damaged"}]}),
    );
    assert_eq!(st, 409, "{err}");
    ship_all(&s);
    let shipped = expect(&[
        ("TEE", "on_hand", 7),
        ("MUG", "on_hand", 9),
        ("CAP", "on_hand", 9),
        ("TEEL", "on_hand", 10),
    ]);
    assert_eq!(buckets(&s), shipped);

    // The customer's page: the order by its number and (any case of) the email.
    let r = s.client().get(s.url("/returns")).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().unwrap().contains("name=\"email\""));
    let (st, page) = form(
        &s,
        &[
            ("step", "find"),
            ("order", "W-1001"),
            ("email", "bob@example.com"),
        ],
    );
    assert_eq!(st, 404, "a wrong email finds nothing: {page}");
    let (st, page) = form(
        &s,
        &[
            ("step", "find"),
            ("order", "W-1001"),
            ("email", "Ana@Example.com"),
        ],
    );
    assert_eq!(st, 200, "{page}");
    assert!(page.contains("name=\"qty_2\""), "{page}");
    let pick = |qty_cap: &'static str| {
        vec![
            ("step", "create"),
            ("order", oid.as_str()),
            ("email", "ana@example.com"),
            ("sku_0", "TEE"),
            ("qty_0", "2"),
            ("reason_0", "wrong_size"),
            ("sku_1", "MUG"),
            ("qty_1", "1"),
            ("reason_1", "damaged"),
            ("sku_2", "CAP"),
            ("qty_2", qty_cap),
            ("reason_2", "changed_mind"),
            ("method", "carrier_label"),
        ]
    };
    // The cap was final sale: refused by name, and nothing is authorised.
    let (st, page) = form(&s, &pick("1"));
    assert_eq!(st, 422, "{page}");
    assert!(page.contains("CAP was sold as final"), "{page}");
    let (_, list) = s.get(&format!("/v1/returns?order={oid}"));
    assert_eq!(list["items"], json!([]));
    let (st, page) = form(&s, &pick("0"));
    assert_eq!(st, 201, "{page}");
    let rma_id = attr(&page, "data-rma").to_owned();
    let tracking = attr(&page, "data-tracking").to_owned();
    assert!(tracking.starts_with("RT"), "{tracking}");
    assert!(page.contains("<svg"), "the drop-off QR code is on the page");
    assert!(page.contains(&format!("/v1/returns/{rma_id}/label.pdf")));

    let (st, rma) = s.get(&format!("/v1/returns/{rma_id}"));
    ok(st, 200, &rma);
    assert_eq!(rma["status"], "authorized");
    assert_eq!(rma["tracking"], tracking.as_str());
    // Every unit of the TEE line is on this RMA: no more can be asked for.
    let (st, err) = s.post(
        "/v1/returns",
        &json!({"order": "W-1001", "method": "drop_off", "lines": [{"sku": "TEE", "qty": 1, "reason": "changed_mind"}]}),
    );
    assert_refused(st, &err, "lines[0].qty");

    // The label: a 4x6 PDF and ZPL with the return tracking number; the QR code.
    let r = s
        .client()
        .get(s.url(&format!("/v1/returns/{rma_id}/label.pdf")))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.bytes().unwrap().starts_with(b"%PDF-"));
    let r = s
        .client()
        .get(s.url(&format!("/v1/returns/{rma_id}/label.zpl")))
        .send()
        .unwrap();
    let zpl = r.text().unwrap();
    assert!(zpl.starts_with("^XA") && zpl.contains(&tracking), "{zpl}");
    // The carton's SSCC after AI (00): extension digit 1 for returns (outbound
    // cartons carry 0), then the company prefix.
    assert!(zpl.contains(">;>80010614141"), "{zpl}");
    let r = s
        .client()
        .get(s.url(&format!("/v1/returns/{rma_id}/qr.svg")))
        .send()
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    qr_scans_back(&s, &rma_id, &format!("{rma_id} {tracking}"));

    // Carrier scans by tracking number, then the dock scans the parcel.
    for status in ["in_transit", "delivered"] {
        let (st, r) = s.post(
            &format!("/v1/returns/{tracking}/tracking"),
            &json!({"status": status}),
        );
        ok(st, 200, &r);
        assert_eq!(r["status"], status);
        assert!(
            r.get("refund").is_none(),
            "the policy refunds on receipt: {r}"
        );
    }
    let (st, r) = s.post(&format!("/v1/returns/{tracking}/receive"), &json!({}));
    ok(st, 200, &r);
    assert_eq!(r["status"], "received");
    assert_eq!(r["units"].as_array().unwrap().len(), 3);
    let (st, again) = s.post(&format!("/v1/returns/{rma_id}/receive"), &json!({}));
    assert_eq!(st, 409, "{again}");
    let received = expect(&[
        ("TEE", "on_hand", 7),
        ("TEE", "returns_pending", 2),
        ("MUG", "on_hand", 9),
        ("MUG", "returns_pending", 1),
        ("CAP", "on_hand", 9),
        ("TEEL", "on_hand", 10),
    ]);
    assert_eq!(buckets(&s), received);
    // A restart here checks, besides the ledger, that the units waiting in
    // returns_pending are exactly the RMA's units awaiting disposition.
    let (data, _dir_before_restart) = s.kill();
    let s = Server::start_on(&data);
    assert_eq!(buckets(&s), received);

    // Inspection: a bad unit number changes nothing.
    let (st, err) = s.post(
        &format!("/v1/returns/{rma_id}/inspections"),
        &json!({"units": [{"unit": 9, "scanned": "TEE", "grade": "new"}]}),
    );
    assert_refused(st, &err, "units[0].unit");
    // One tee is fine; the other "tee" is a cap; the mug is damaged.
    let (st, r) = s.post(
        &format!("/v1/returns/{rma_id}/inspections"),
        &json!({"units": [
            {"unit": 1, "scanned": "TEE", "grade": "new"},
            {"unit": 2, "scanned": "CAP", "grade": "new", "notes": "a cap came back instead of a tee"},
            {"unit": 3, "scanned": "MUG", "grade": "damaged", "notes": "handle broken",
             "photo_url": "https://photos.example.com/rma/3.jpg"}]}),
    );
    ok(st, 200, &r);
    assert_eq!(r["status"], "inspected");
    let units = r["units"].as_array().unwrap();
    assert_eq!(
        (units[1]["wrong_item"].as_bool(), units[1]["sku"].as_str()),
        (Some(true), Some("CAP"))
    );
    assert_eq!(units[0]["wrong_item"], false);
    assert_eq!(units[2]["grade"], "damaged");
    // The wrong item is booked as what it is: the second tee never came.
    let inspected = expect(&[
        ("TEE", "on_hand", 7),
        ("TEE", "returns_pending", 1),
        ("MUG", "on_hand", 9),
        ("MUG", "returns_pending", 1),
        ("CAP", "on_hand", 9),
        ("CAP", "returns_pending", 1),
        ("TEEL", "on_hand", 10),
    ]);
    assert_eq!(buckets(&s), inspected);

    // The refund, issued when the last unit was inspected. Shares: the 10.00
    // off goes 4.50 / 1.75 / 3.75 over values 36 / 14 / 30, so the tee line
    // paid 31.50 and the mug 12.25; shipping 5.95 goes 2.68 / 1.04 / 2.23.
    // One tee (wrong size, the customer's choice): 15.75 less 10% (1.58), no
    // shipping. The mug (damaged): 12.25 and its 1.04 of shipping. The wrong
    // item is not refunded.
    let refund = &r["refund"];
    assert_eq!(refund["trigger"], "receipt");
    assert_eq!(refund["merchandise"], "28.00", "{refund}");
    assert_eq!(refund["shipping"], "1.04");
    assert_eq!(refund["restocking_fee"], "1.58");
    assert_eq!(refund["total"], "27.46", "{refund}");
    let lines = refund["lines"].as_array().unwrap();
    assert_eq!(
        (
            lines[0]["sku"].as_str(),
            lines[0]["qty"].as_i64(),
            lines[0]["amount"].as_str()
        ),
        (Some("TEE"), Some(1), Some("14.17"))
    );
    assert_eq!(
        (lines[1]["sku"].as_str(), lines[1]["amount"].as_str()),
        (Some("MUG"), Some("13.29"))
    );
    let (st, again) = s.post(&format!("/v1/returns/{rma_id}/refund"), &json!({}));
    assert_eq!(st, 409, "refunded once: {again}");

    // Dispositions by the rules: the new tee and the cap back to stock, the
    // damaged 14.00 mug to a liquidator.
    let (st, r) = s.post(&format!("/v1/returns/{rma_id}/dispositions"), &json!({}));
    ok(st, 200, &r);
    assert_eq!(r["status"], "closed");
    let got: Vec<(String, String, String)> = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["sku"].as_str().unwrap().into(),
                u["disposition"].as_str().unwrap().into(),
                u["recovered"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("TEE".into(), "restock".into(), "17.50".into()),
            ("CAP".into(), "restock".into(), "28.50".into()),
            ("MUG".into(), "liquidate".into(), "2.30".into()),
        ]
    );
    let (st, again) = s.post(&format!("/v1/returns/{rma_id}/dispositions"), &json!({}));
    assert_eq!(st, 409, "{again}");
    let disposed = expect(&[
        ("TEE", "on_hand", 8),
        ("MUG", "on_hand", 9),
        ("MUG", "liquidation", 1),
        ("CAP", "on_hand", 10),
        ("TEEL", "on_hand", 10),
    ]);
    assert_eq!(buckets(&s), disposed);

    // An exchange: the single tee for a large one, reserved at once.
    let (st, x) = s.post(
        "/v1/returns",
        &json!({"order": "W-1002", "email": "ana@example.com", "method": "drop_off",
                "lines": [{"sku": "TEE", "qty": 1, "reason": "wrong_size", "exchange_for": "TEEL"}]}),
    );
    ok(st, 201, &x);
    assert!(x.get("tracking").is_none(), "a drop-off has no label: {x}");
    let replacement = x["exchange_order"].as_str().unwrap();
    let (_, ro) = s.get(&format!("/v1/orders/{replacement}"));
    assert_eq!(ro["status"], "allocated", "{ro}");
    assert_eq!(ro["lines"][0]["unit_price"], "0");
    let mut exchanged = disposed.clone();
    exchanged.insert(("TEEL".into(), "reserved".into()), 1);
    assert_eq!(buckets(&s), exchanged);

    // Analytics: 4 units shipped on web orders, 3 came back; recovery by disposition.
    let (st, a) = s.get("/v1/returns/analytics");
    ok(st, 200, &a);
    assert_eq!(
        (a["shipped"].as_u64(), a["returned"].as_u64()),
        (Some(5), Some(3)),
        "{a}"
    );
    let rec: BTreeMap<String, (u64, String)> = a["recovery"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["disposition"].as_str().unwrap().into(),
                (
                    r["units"].as_u64().unwrap(),
                    r["recovered"].as_str().unwrap().into(),
                ),
            )
        })
        .collect();
    assert_eq!(rec["restock"], (2, "46.00".into()));
    assert_eq!(rec["liquidate"], (1, "2.30".into()));
    assert!(a["receipt_to_sellable_s_p50"].as_i64().unwrap() >= 0);
    assert_eq!(
        a["exceptions"],
        json!([]),
        "too few units to flag by default"
    );
    let (_, a) = s.get("/v1/returns/analytics?min_shipped=1&z=0.5");
    assert_eq!(a["exceptions"][0]["sku"], "MUG", "{a}");
    let (st, err) = s.get("/v1/returns/analytics?from=yesterday");
    assert_eq!(st, 422, "{err}");
    let (_, doc) = s.get("/openapi.json");
    for path in [
        "/v1/returns",
        "/v1/returns/{id}",
        "/v1/returns/{id}/tracking",
        "/v1/returns/{id}/receive",
        "/v1/returns/{id}/inspections",
        "/v1/returns/{id}/dispositions",
        "/v1/returns/{id}/refund",
        "/v1/returns/{id}/label.pdf",
        "/v1/returns/{id}/label.zpl",
        "/v1/returns/{id}/qr.svg",
        "/v1/returns/analytics",
        "/v1/returns/policy/{channel}",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} is not in the OpenAPI document"
        );
    }

    // Every step left an event with its actor and time.
    let events = all_events(&s);
    for k in [
        "return.authorized",
        "return.in_transit",
        "return.received",
        "return.inspected",
        "return.refunded",
        "return.dispositioned",
        "return.exchanged",
        "return_policy.set",
    ] {
        let e = events
            .iter()
            .find(|e| e["kind"] == k)
            .unwrap_or_else(|| panic!("no {k} event"));
        assert!(e["actor"] == "api" && e["at"].is_string(), "{e}");
    }
    let refunded = events
        .iter()
        .find(|e| e["kind"] == "return.refunded")
        .unwrap();
    assert_eq!(refunded["data"]["refund"]["total"], "27.46");

    // A restart checks every ledger invariant while loading; the books and
    // the RMAs agree.
    let (data, dir) = s.kill();
    let s = Server::start_on(&data);
    assert_eq!(buckets(&s), exchanged);
    let (_, rma) = s.get(&format!("/v1/returns/{rma_id}"));
    assert_eq!(rma["status"], "closed");
    let (st, again) = s.post(&format!("/v1/returns/{tracking}/receive"), &json!({}));
    assert_eq!(st, 409, "{again}");
    drop(s);
    drop(dir);
}

#[test]
fn bad_return_requests_name_the_field_and_change_nothing() {
    let s = Server::start();
    shipped_tee_order(&s, "W-7");
    let (st, rma) = s.post(
        "/v1/returns",
        &json!({"order": "W-7", "method": "drop_off", "lines": [{"sku": "TEE", "qty": 1, "reason": "changed_mind"}]}),
    );
    ok(st, 201, &rma);
    let before_events = all_events(&s).len();
    let before_rma = s.get("/v1/returns/RMA1").1;

    let line = json!({"sku": "TEE", "qty": 1, "reason": "changed_mind"});
    for (path, body, status, field) in [
        (
            "/v1/returns",
            json!({"order": "W-7", "method": "drop_off", "lines": [line], "color": "red"}),
            422,
            None,
        ),
        (
            "/v1/returns",
            json!({"order": "W-7", "method": "by_pigeon", "lines": [line]}),
            422,
            None,
        ),
        (
            "/v1/returns",
            json!({"order": "W-7", "method": "drop_off", "lines": [{"sku": "TEE", "qty": 1, "reason": "bored"}]}),
            422,
            None,
        ),
        (
            "/v1/returns",
            json!({"order": "W-7", "method": "drop_off", "lines": [{"sku": "TEE", "qty": 0, "reason": "damaged"}]}),
            422,
            Some("lines[0].qty"),
        ),
        (
            "/v1/returns",
            json!({"order": "W-7", "method": "drop_off", "lines": [{"sku": "TEE", "qty": 2, "reason": "damaged"}]}),
            422,
            Some("lines[0].qty"),
        ),
        (
            "/v1/returns",
            json!({"order": "W-7", "method": "drop_off", "lines": [{"sku": "MUG", "qty": 1, "reason": "damaged"}]}),
            422,
            Some("lines[0].sku"),
        ),
        (
            "/v1/returns",
            json!({"order": "W-7", "method": "drop_off", "lines": []}),
            422,
            Some("lines"),
        ),
        (
            "/v1/returns",
            json!({"order": "W-7", "method": "drop_off", "lines": [{"sku": "TEE", "qty": 1, "reason": "wrong_size", "exchange_for": "NOPE"}]}),
            422,
            Some("lines[0].exchange_for"),
        ),
        (
            "/v1/returns",
            json!({"order": "W-7", "email": "eve@example.com", "method": "drop_off", "lines": [line]}),
            404,
            None,
        ),
        (
            "/v1/returns",
            json!({"order": "O999", "method": "drop_off", "lines": [line]}),
            404,
            None,
        ),
        (
            "/v1/returns",
            json!({"order": "W-7", "method": "drop_off", "node": "NOWHERE", "lines": [line]}),
            422,
            Some("node"),
        ),
        (
            "/v1/returns/RMA1/tracking",
            json!({"status": "lost"}),
            422,
            Some("status"),
        ),
        (
            "/v1/returns/RMA9/tracking",
            json!({"status": "in_transit"}),
            404,
            None,
        ),
        (
            "/v1/returns/RMA1/inspections",
            json!({"units": [{"unit": 1, "scanned": "TEE", "grade": "new"}]}),
            409,
            None,
        ),
        (
            "/v1/returns/RMA1/inspections",
            json!({"units": [{"unit": 1, "scanned": "TEE", "grade": "mint"}]}),
            422,
            None,
        ),
        ("/v1/returns/RMA1/dispositions", json!({}), 409, None),
        (
            "/v1/returns/RMA1/receive",
            json!({"note": ""}),
            422,
            Some("note"),
        ),
    ] {
        let (st, err) = s.post(path, &body);
        assert_eq!(st, status, "{path} {body}: {err}");
        if let Some(f) = field {
            assert_eq!(err["errors"][0]["field"], f, "{path} {body}: {err}");
        }
    }
    for (body, field) in [
        (json!({"window_days": 100000}), "window_days"),
        (json!({"restocking_fee_pct": "-1"}), "restocking_fee_pct"),
        (json!({"return_to": "NOWHERE"}), "return_to"),
        (json!({"period_days": 0}), "period_days"),
    ] {
        let (st, err) = s.put("/v1/returns/policy/web", &body);
        assert_eq!(st, 422, "{body}: {err}");
        assert_eq!(err["errors"][0]["field"], field, "{err}");
    }
    for path in [
        "/v1/returns?status=lost",
        "/v1/returns/analytics?z=-1",
        "/v1/returns/analytics?from=2026-12-01&to=2026-11-01",
    ] {
        let (st, err) = s.get(path);
        assert_eq!(st, 422, "{path}: {err}");
    }
    let (st, _) = s.get("/v1/returns/RMA1/label.pdf");
    assert_eq!(st, 404, "a drop-off return has no label");
    let r = s
        .client()
        .post(s.url("/returns"))
        .form(&[
            ("step", "create"),
            ("order", "W-7"),
            ("email", "ana@example.com"),
            ("qty_0", "x"),
        ])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);

    assert_eq!(
        all_events(&s).len(),
        before_events,
        "a refused request changed something"
    );
    assert_eq!(s.get("/v1/returns/RMA1").1, before_rma);
    let (_, list) = s.get("/v1/returns");
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

/// A delivered order can come back, and its window runs from the delivery the
/// carrier reported.
#[test]
fn a_delivered_order_is_returned_within_the_window_counted_from_delivery() {
    let s = Server::start();
    let id = shipped_tee_order(&s, "W-9");
    let (_, shipped) = s.get(&format!("/v1/shipments?order={id}"));
    let tracking = shipped["items"][0]["tracking"].as_str().unwrap().to_owned();
    let now = chrono::Utc::now();
    let (st, r) = s.post(
        "/v1/tracking/events",
        &json!([{"tracking": tracking, "status": "delivered", "at": (now + chrono::Duration::minutes(1)).to_rfc3339()}]),
    );
    assert!(st == 200 || st == 201, "{r}");
    let (_, o) = s.get(&format!("/v1/orders/{id}"));
    assert_eq!(o["status"], "delivered", "{o}");
    let (st, rma) = s.post(
        "/v1/returns",
        &json!({"order": "W-9", "email": "ana@example.com", "method": "drop_off",
                "lines": [{"sku": "TEE", "qty": 1, "reason": "wrong_size"}]}),
    );
    ok(st, 201, &rma);
}

/// A policy's cap on returns per customer counts their returns on the channel
/// from every order, whatever the case of the email they were placed with.
#[test]
fn a_customer_at_the_policy_cap_is_refused_another_return() {
    let s = Server::start();
    shipped_tee_order(&s, "W-1");
    tee_order(&s, "W-2", "ANA@example.com");
    ship_all(&s);
    let (st, p) = s.put(
        "/v1/returns/policy/web",
        &json!({"window_days": 30, "max_returns": 1, "period_days": 90}),
    );
    ok(st, 200, &p);
    let return_one = |order: &str, email: &str| {
        s.post(
            "/v1/returns",
            &json!({"order": order, "email": email, "method": "drop_off",
                    "lines": [{"sku": "TEE", "qty": 1, "reason": "wrong_size"}]}),
        )
    };
    let (st, rma) = return_one("W-2", "ANA@example.com");
    ok(st, 201, &rma);
    let (st, refused) = return_one("W-1", "ana@example.com");
    assert_eq!(st, 422, "{refused}");
    assert!(
        refused.to_string().contains("at most 1 allowed"),
        "{refused}"
    );
}
