//! A day in the warehouse, through the API of the real binary.
//!
//! Goal: every step of warehouse execution (ASN, receipt with a short line and
//! a damaged unit, put-away with a re-pointed reservation and an override,
//! orders, a wave of batched pick lists, picks with a short pick, packs with a
//! wrong scan refused, shipments, a manifest, a blind cycle count with a
//! variance) keeps the books true.
//!
//! Method: the test keeps its own model of the shelves (what is physically on
//! each location) and moves units in it exactly as the associates do; it also
//! takes 9 tees off a shelf behind the system's back, so that a picker finds the
//! location short. Pick tasks are worked in the walking order the wave gives;
//! where the shelf holds less than the task asks, the picker reports a short
//! pick of what is there. At the end every location's on-hand must equal the
//! model, every reservation must be gone, the events must tell the story, and a
//! restart (which checks every ledger invariant while loading) must agree.

use crate::server::{Server, assert_refused, needed, node, ok, on_path, order_body};
use serde_json::{Value, json};
use std::collections::{BTreeMap, VecDeque};

type Shelves = BTreeMap<(String, String), i64>;

fn mv(shelves: &mut Shelves, sku: &str, from: &str, to: &str, qty: i64) {
    *shelves.entry((from.into(), sku.into())).or_default() -= qty;
    *shelves.entry((to.into(), sku.into())).or_default() += qty;
}

/// On-hand per (location, SKU) in node DC1, as the API reports it (zeros left out).
fn books(s: &Server, skus: &[&str]) -> Shelves {
    let mut out = Shelves::new();
    for sku in skus {
        let (st, b) = s.get(&format!("/v1/inventory?sku={sku}&node=DC1&by=location"));
        assert_eq!(st, 200, "{b}");
        for r in b["items"].as_array().unwrap() {
            assert_eq!(r["reserved"], 0, "a reservation is left: {r}");
            let on_hand = r["on_hand"].as_i64().unwrap();
            if on_hand != 0 {
                out.insert(
                    (r["location"].as_str().unwrap().into(), sku.to_string()),
                    on_hand,
                );
            }
        }
    }
    out
}

fn physical(shelves: &Shelves) -> Shelves {
    shelves
        .iter()
        .filter(|(_, q)| **q != 0)
        .map(|(k, q)| (k.clone(), *q))
        .collect()
}

fn sku(code: &str, gtin: Option<&str>) -> Value {
    let mut b = json!({"sku": code, "name": format!("{code} item"), "weight_g": 200,
                       "dims_mm": [200, 150, 30], "unit_cost": "3.00", "price": "12.00"});
    if let Some(g) = gtin {
        b["gtin"] = json!(g);
    }
    b
}

/// The SSCC on the second carton of the day's ASN (GS1 check digit 0).
const SSCC: &str = "006141411234567890";
/// An ASN receipt fills waiting backorders, as a plain receipt does.
#[test]
fn asn_receipt_fills_waiting_backorders() {
    let s = Server::start();
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    let (st, b) = s.post("/v1/skus", &sku("TEE", None));
    ok(st, 201, &b);
    let (st, b) = s.post("/v1/orders", &order_body("bo-1", &[("TEE", 3)]));
    ok(st, 201, &b);
    assert_eq!(b["status"], "backordered", "{b}");
    let order = b["id"].as_str().unwrap().to_owned();
    let (st, b) = s.post(
        "/v1/asns",
        &json!({"node": "DC1", "po": "PO-1", "cartons": [{"id": "C1", "lines": [{"sku": "TEE", "qty": 5}]}]}),
    );
    ok(st, 201, &b);
    let asn = b["id"].as_str().unwrap().to_owned();
    let (st, b) = s.post(
        &format!("/v1/asns/{asn}/receipts"),
        &json!({"lines": [{"sku": "TEE", "qty": 5}], "close": true}),
    );
    ok(st, 200, &b);
    let (st, b) = s.get(&format!("/v1/orders/{order}"));
    ok(st, 200, &b);
    assert_eq!(b["status"], "allocated", "{b}");
    assert_eq!(b["lines"][0]["backordered"], 0, "{b}");
    let stock = s.stock("TEE");
    assert_eq!(stock, vec![("DC1".to_owned(), 5, 3, 2)], "{stock:?}");
}

#[test]
fn a_day_in_the_warehouse_keeps_every_location_true() {
    let s = Server::start();
    let skus = ["TEE", "MUG", "CAP"];
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    for (code, gtin) in [("TEE", Some("4006381333931")), ("MUG", None), ("CAP", None)] {
        let (st, b) = s.post("/v1/skus", &sku(code, gtin));
        ok(st, 201, &b);
    }
    // Four aisles of ten 2 m bays; zones by velocity.
    let layout = json!({"aisles": 4, "aisle_length_m": 20.0, "aisle_spacing_m": 3.0,
                        "cross_aisles": 2, "depot_x_m": 0.0, "bay_length_m": 2.0});
    let (st, b) = s.put("/v1/nodes/DC1/layout", &layout);
    ok(st, 200, &b);
    for (code, zone, aisle, bay) in [
        ("A1-01", "A", 1, 1),
        ("A1-05", "A", 1, 5),
        ("A2-03", "B", 2, 3),
        ("A3-08", "C", 3, 8),
        ("A4-02", "A", 4, 2),
    ] {
        let (st, b) = s.post(
            "/v1/locations",
            &json!({"node": "DC1", "code": code, "zone": zone, "aisle": aisle, "bay": bay}),
        );
        ok(st, 201, &b);
    }
    let mut shelves = Shelves::new();
    // A short pick makes the location be counted.
    let (st, b) = s.post(
        "/v1/count-programs",
        &json!({"code": "EXC", "node": "DC1", "by": "exception"}),
    );
    ok(st, 200, &b);

    // Inbound: an ASN of two cartons; the mugs arrive 2 short, one cap damaged.
    let (st, asn) = s.post(
        "/v1/asns",
        &json!({"node": "DC1", "po": "PO-77", "supplier": "Acme",
                "cartons": [{"id": "C1", "lines": [{"sku": "TEE", "qty": 20}, {"sku": "MUG", "qty": 10}]},
                            {"id": "C2", "sscc": SSCC, "lines": [{"sku": "CAP", "qty": 6}]}]}),
    );
    ok(st, 201, &asn);
    let asn_id = asn["id"].as_str().unwrap().to_owned();
    // Carton C1 is received item by item.
    let (st, b) = s.post(
        &format!("/v1/asns/{asn_id}/receipts"),
        &json!({"lines": [{"sku": "4006381333931", "qty": 20}, {"sku": "MUG", "qty": 8}]}),
    );
    ok(st, 200, &b);
    // Carton C2 by scanning its SSCC: one cap of six arrived damaged.
    let (st, b) = s.post(
        &format!("/v1/asn-cartons/{SSCC}/receipts"),
        &json!({"lines": [{"sku": "CAP", "qty": 5, "damaged": 1}]}),
    );
    ok(st, 200, &b);
    assert_eq!(b["cartons_received"], json!([SSCC]));
    // The same carton twice, or a label with a bad check digit, changes nothing.
    let (st, b) = s.post(&format!("/v1/asn-cartons/{SSCC}/receipts"), &json!({}));
    assert_eq!(st, 409, "{b}");
    let (st, b) = s.post("/v1/asn-cartons/006141411234567891/receipts", &json!({}));
    assert_eq!(st, 422, "{b}");
    let (st, asn) = s.post(
        &format!("/v1/asns/{asn_id}/receipts"),
        &json!({"close": true}),
    );
    ok(st, 200, &asn);
    assert_eq!(asn["status"], "closed");
    let line = |sku: &str| {
        asn["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["sku"] == sku)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (line("MUG")["short"].as_i64(), line("MUG")["over"].as_i64()),
        (Some(2), Some(0))
    );
    assert_eq!(line("CAP")["damaged"], 1);
    assert_eq!(line("TEE")["short"], 0);
    for (sku, q) in [("TEE", 20), ("MUG", 8), ("CAP", 5)] {
        *shelves.entry(("RECEIVING".into(), sku.into())).or_default() += q;
    }
    // A receipt against a closed ASN changes nothing.
    let (st, _) = s.post(
        &format!("/v1/asns/{asn_id}/receipts"),
        &json!({"lines": [{"sku": "MUG", "qty": 2}]}),
    );
    assert_eq!(st, 409);

    // An order placed before put-away reserves at the dock.
    let (st, o1) = s.post("/v1/orders", &order_body("1", &[("TEE", 2)]));
    ok(st, 201, &o1);
    assert_eq!(
        o1["lines"][0]["allocations"][0]["reservations"][0]["location"],
        "RECEIVING"
    );

    // Put-away: the suggestion for fast movers is zone A.
    let (st, sug) = s.post(
        "/v1/putaways/suggestions",
        &json!({"node": "DC1", "sku": "TEE", "qty": 12, "velocity": "A"}),
    );
    ok(st, 200, &sug);
    assert_eq!(
        (sug["location"].as_str(), sug["rule"].as_str()),
        (Some("A1-01"), Some("velocity_zone"))
    );
    let (st, b) = s.post(
        "/v1/putaways",
        &json!({"node": "DC1", "sku": "TEE", "qty": 12, "location": "A1-01", "velocity": "A", "asn": asn_id}),
    );
    ok(st, 201, &b);
    assert!(b["dock_to_stock_s"].as_i64().unwrap() >= 0);
    mv(&mut shelves, "TEE", "RECEIVING", "A1-01", 12);
    // Scanning another location than the suggested one needs a reason...
    let put8 = json!({"node": "DC1", "sku": "TEE", "qty": 8, "location": "A4-02", "velocity": "A"});
    let (st, err) = s.post("/v1/putaways", &put8);
    assert_refused(st, &err, "location");
    // ...and with one, the order's reservation follows its units off the dock.
    let mut put8 = put8;
    put8["override_reason"] = json!("A1-01 shelf is full");
    let (st, b) = s.post("/v1/putaways", &put8);
    ok(st, 201, &b);
    assert_eq!(b["repointed"], json!([o1["id"]]));
    mv(&mut shelves, "TEE", "RECEIVING", "A4-02", 8);
    for (sku, qty, velocity, to) in [("MUG", 8, "B", "A2-03"), ("CAP", 5, "C", "A3-08")] {
        let (st, b) = s.post(
            "/v1/putaways",
            &json!({"node": "DC1", "sku": sku, "qty": qty, "location": to, "velocity": velocity}),
        );
        ok(st, 201, &b);
        mv(&mut shelves, sku, "RECEIVING", to, qty);
    }
    let (_, o1) = s.get(&format!("/v1/orders/{}", o1["id"].as_str().unwrap()));
    assert_eq!(
        o1["lines"][0]["allocations"][0]["reservations"][0]["location"],
        "A4-02"
    );
    assert_eq!(books_on_hand(&s, &skus), physical(&shelves));

    // Behind the system's back, 9 tees leave shelf A1-01.
    *shelves.get_mut(&("A1-01".into(), "TEE".into())).unwrap() -= 9;

    // Orders.
    let mut orders = vec![o1["id"].as_str().unwrap().to_owned()];
    for (i, lines) in [
        vec![("TEE", 1), ("MUG", 1)],
        vec![("TEE", 3)],
        vec![("MUG", 2), ("CAP", 1)],
        vec![("CAP", 2), ("TEE", 1)],
        vec![("TEE", 1)],
    ]
    .iter()
    .enumerate()
    {
        let (st, o) = s.post("/v1/orders", &order_body(&format!("{}", i + 2), lines));
        ok(st, 201, &o);
        assert_eq!(o["status"], "allocated");
        orders.push(o["id"].as_str().unwrap().to_owned());
    }

    // A wave of every allocated order, three totes a cart.
    let (st, wave) = s.post("/v1/waves", &json!({"node": "DC1", "cart_totes": 3}));
    ok(st, 201, &wave);
    assert_eq!(wave["orders"].as_array().unwrap().len(), 6);
    let lists = wave["lists"].as_array().unwrap();
    assert!(lists.len() >= 2, "{wave}");
    assert!(
        lists
            .iter()
            .all(|l| l["routed"] == true && l["orders"].as_array().unwrap().len() <= 3)
    );
    let walked = wave["distance_m"].as_f64().unwrap();
    let by_code = wave["code_order_distance_m"].as_f64().unwrap();
    assert!(walked <= by_code, "{walked} m walked, {by_code} m by code");
    for id in &orders {
        let (_, o) = s.get(&format!("/v1/orders/{id}"));
        assert_eq!(o["status"], "released");
    }

    // Picking, list by list in walking order.
    let mut tasks: BTreeMap<String, Value> = wave["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    let mut shorts = 0;
    let mut wrong_scan_tried = false;
    for list in lists {
        let mut queue: VecDeque<String> = list["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_owned())
            .collect();
        while let Some(id) = queue.pop_front() {
            let t = tasks[&id].clone();
            let (loc, sku, qty) = (
                t["location"].as_str().unwrap(),
                t["sku"].as_str().unwrap(),
                t["qty"].as_i64().unwrap(),
            );
            let item = if sku == "TEE" { "4006381333931" } else { sku };
            if !wrong_scan_tried {
                // The wrong item changes nothing.
                let wrong = if sku == "MUG" { "CAP" } else { "MUG" };
                let (st, err) = s.post(
                    &format!("/v1/pick-tasks/{id}/confirm"),
                    &json!({"location": loc, "item": wrong, "qty": qty}),
                );
                assert_refused(st, &err, "item");
                wrong_scan_tried = true;
            }
            let on_shelf = shelves[&(loc.to_owned(), sku.to_owned())];
            let (st, r) = if on_shelf >= qty {
                s.post(
                    &format!("/v1/pick-tasks/{id}/confirm"),
                    &json!({"location": loc, "item": item, "qty": qty}),
                )
            } else {
                shorts += 1;
                s.post(
                    &format!("/v1/pick-tasks/{id}/short"),
                    &json!({"location": loc, "found": on_shelf, "reason": "shelf empty"}),
                )
            };
            ok(st, 200, &r);
            let picked = r["task"]["picked"].as_i64().unwrap();
            mv(&mut shelves, sku, loc, "PACK", picked);
            if picked < qty {
                // The picker saw the shelf empty: the system writes it off.
                shelves.insert((loc.to_owned(), sku.to_owned()), 0);
            }
            for nt in r["new_tasks"].as_array().unwrap() {
                let nid = nt["id"].as_str().unwrap().to_owned();
                tasks.insert(nid.clone(), nt.clone());
                queue.push_back(nid);
            }
        }
    }
    assert!(shorts >= 1, "the missing tees were never found short");
    // The lists: the wave's tasks a page at a time, and its short picks.
    let wave_id = wave["id"].as_str().unwrap();
    let mut seen = 0;
    let mut cursor = String::new();
    loop {
        let (st, page) = s.get(&format!("/v1/pick-tasks?wave={wave_id}&limit=2{cursor}"));
        ok(st, 200, &page);
        seen += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, tasks.len());
    let (_, short) = s.get(&format!(
        "/v1/pick-tasks?wave={wave_id}&status=short&picker=api"
    ));
    assert_eq!(short["items"].as_array().unwrap().len(), shorts);
    let (_, w) = s.get("/v1/waves?node=DC1");
    assert_eq!(w["items"][0]["id"], wave["id"]);
    let (st, b) = s.get("/v1/counts?colour=red");
    assert_eq!(st, 422, "{b}");
    // Each short-picked location is up for a blind count.
    let (_, open) = s.get("/v1/counts?status=open&node=DC1");
    let exc = open["items"].as_array().unwrap().clone();
    assert_eq!(exc.len(), 1, "{open}");
    assert_eq!(exc[0]["program"], "EXC");
    assert_eq!(
        exc[0]["lines"],
        json!([]),
        "a blind count shows no quantities"
    );
    // What the short picks wrote off is what went missing: the books agree
    // with the shelves again.
    let mut expect_books = physical(&shelves);
    expect_books.retain(|_, q| *q != 0);
    assert_eq!(books_on_hand(&s, &skus), expect_books);
    for id in &orders {
        let (_, o) = s.get(&format!("/v1/orders/{id}"));
        assert_eq!(o["status"], "picked", "{o}");
    }

    // Packing: one wrong item is refused and counted; every unit is verified.
    let mut refused = 0;
    for id in &orders {
        let (_, o) = s.get(&format!("/v1/orders/{id}"));
        if refused == 0 {
            let has_mug = o["lines"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["sku"] == "MUG");
            let wrong = if has_mug { "CAP" } else { "MUG" };
            let (st, p) = s.post(
                &format!("/v1/orders/{id}/pack-scans"),
                &json!({"item": wrong}),
            );
            ok(st, 200, &p);
            assert_eq!(p["accepted"], false, "{p}");
            assert_eq!(p["scans_refused"], 1);
            refused += 1;
        }
        let mut last = Value::Null;
        for l in o["lines"].as_array().unwrap() {
            let units: i64 = l["allocations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["qty"].as_i64().unwrap())
                .sum();
            for _ in 0..units {
                let (st, p) = s.post(
                    &format!("/v1/orders/{id}/pack-scans"),
                    &json!({"item": l["sku"]}),
                );
                ok(st, 200, &p);
                assert_eq!(p["accepted"], true, "{p}");
                last = p;
            }
        }
        assert_eq!(last["status"], "packed", "{last}");
        assert!(!last["cartons"].as_array().unwrap().is_empty());
    }

    // Shipping posts the reservations: the units leave the books.
    let mut tracking = Vec::new();
    for id in &orders {
        let (st, sh) = s.post(
            &format!("/v1/orders/{id}/ship"),
            &json!({"service": "parcelo/ground"}),
        );
        ok(st, 201, &sh);
        assert_eq!(
            (sh["carrier"].as_str(), sh["service"].as_str()),
            (Some("parcelo"), Some("ground"))
        );
        assert!(sh["tracking"].as_str().unwrap().starts_with("TT"));
        tracking.push(sh["tracking"].clone());
        let (_, o) = s.get(&format!("/v1/orders/{id}"));
        assert_eq!(o["status"], "shipped");
        for l in o["lines"].as_array().unwrap() {
            let units: i64 = l["allocations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["qty"].as_i64().unwrap())
                .sum();
            *shelves
                .get_mut(&("PACK".into(), l["sku"].as_str().unwrap().into()))
                .unwrap() -= units;
        }
    }
    let (st, again) = s.post(&format!("/v1/orders/{}/ship", orders[0]), &json!({}));
    assert_eq!(st, 409, "{again}");
    let (st, m) = s.post("/v1/manifests", &json!({"carrier": "parcelo"}));
    ok(st, 201, &m);
    assert_eq!(m["tracking"], json!(tracking));

    // A blind cycle count of the mug shelf, where a stray mug turned up.
    *shelves.get_mut(&("A2-03".into(), "MUG".into())).unwrap() += 1;
    let (st, c) = s.post(
        "/v1/counts",
        &json!({"node": "DC1", "locations": ["A2-03"]}),
    );
    ok(st, 201, &c);
    let cid = c["id"].as_str().unwrap().to_owned();
    let (_, open) = s.get(&format!("/v1/counts/{cid}"));
    assert_eq!(
        open["lines"],
        json!([]),
        "a blind count shows no quantities"
    );
    let counted = shelves[&("A2-03".into(), "MUG".into())];
    let (st, c) = s.post(
        &format!("/v1/counts/{cid}/results"),
        &json!({"lines": [{"location": "A2-03", "sku": "MUG", "qty": counted}]}),
    );
    ok(st, 200, &c);
    assert_eq!(c["lines"][0]["variance"], 1);
    let (st, c) = s.post(&format!("/v1/counts/{cid}/approve"), &json!({}));
    ok(st, 200, &c);
    assert_eq!(c["status"], "approved");
    assert_eq!(c["adjustments"].as_array().unwrap().len(), 1);

    // The count the short pick called for: the counter finds what the model says.
    let count_as_found = |s: &Server, shelves: &Shelves, c: &Value| {
        let id = c["id"].as_str().unwrap();
        let locations: Vec<&str> = c["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let lines: Vec<Value> = shelves
            .iter()
            .filter(|((l, _), q)| locations.contains(&l.as_str()) && **q > 0)
            .map(|((l, sku), q)| json!({"location": l, "sku": sku, "qty": q}))
            .collect();
        let (st, b) = s.post(
            &format!("/v1/counts/{id}/results"),
            &json!({"lines": lines}),
        );
        ok(st, 200, &b);
        assert_eq!(b["status"], "counted", "{b}");
        let (st, b) = s.post(&format!("/v1/counts/{id}/approve"), &json!({}));
        ok(st, 200, &b);
        b
    };
    let approved = count_as_found(&s, &shelves, &exc[0]);
    assert_eq!(approved["adjustments"], json!([]));

    // A count program by ABC class: what is due today is counted blind.
    let (st, p) = s.post(
        "/v1/count-programs",
        &json!({"code": "ABC", "node": "DC1", "by": "abc", "frequencies": {"a_days": 2, "b_days": 5, "c_days": 5}}),
    );
    ok(st, 200, &p);
    let today = approved["approved_at"].as_str().unwrap()[..10].to_owned();
    let (st, due) = s.post("/v1/count-programs/ABC/due-counts", &json!({"date": today}));
    ok(st, 201, &due);
    let due_locs: Vec<&str> = due["due"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["location"].as_str().unwrap())
        .collect();
    assert!(!due_locs.is_empty(), "{due}");
    // Locations counted today are not due again.
    for counted_today in ["A2-03", exc[0]["locations"][0].as_str().unwrap()] {
        assert!(!due_locs.contains(&counted_today), "{due}");
    }
    let (st, b) = s.post("/v1/count-programs/ABC/due-counts", &json!({"date": today}));
    assert_eq!(st, 409, "{b}");
    let program_count = due["counts"][0].clone();
    assert_eq!(program_count["lines"], json!([]));
    count_as_found(&s, &shelves, &program_count);

    // Inventory accuracy: of 2 + n counted locations, only A2-03 was off (by
    // one mug, within the tolerance of 2).
    let n = due_locs.len() as i64;
    let (st, acc) = s.get("/v1/inventory/accuracy?node=DC1");
    ok(st, 200, &acc);
    assert_eq!(acc["counts"], 3, "{acc}");
    assert_eq!(acc["total"]["locations_counted"], 2 + n);
    assert_eq!(acc["total"]["locations_matched"], 1 + n);
    assert_eq!(acc["total"]["locations_within_tolerance"], 2 + n);
    assert_eq!(acc["total"]["abs_unit_variance"], 1);
    let a2 = acc["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["location"] == "A2-03")
        .unwrap();
    assert_eq!(
        (a2["counts"].as_i64(), a2["counts_matched"].as_i64()),
        (Some(1), Some(0))
    );
    let (_, none) = s.get("/v1/inventory/accuracy?node=DC1&to=2000-01-01T00:00:00Z");
    assert_eq!(none["total"]["locations_counted"], 0);
    let (st, b) = s.get("/v1/inventory/accuracy?node=DC1&from=yesterday");
    assert_eq!(st, 422, "{b}");

    assert_eq!(books(&s, &skus), physical(&shelves));

    // The events tell the story, each with its actor and time.
    let events = all_events(&s);
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    for k in [
        "asn.created",
        "inventory.received",
        "asn.closed",
        "inventory.put_away",
        "wave.released",
        "order.released",
        "pick.picked",
        "pick.short_picked",
        "order.picked",
        "pack.scan_refused",
        "order.packed",
        "order.shipped",
        "manifest.closed",
        "count.counted",
        "inventory.adjusted",
        "count_program.set",
        "count.approved",
    ] {
        assert!(kinds.contains(&k), "no {k} event in {kinds:?}");
    }
    let first = |k: &str| kinds.iter().position(|x| *x == k).unwrap();
    assert!(first("asn.created") < first("inventory.put_away"));
    assert!(first("wave.released") < first("pick.picked"));
    assert!(first("order.packed") < first("order.shipped"));
    assert!(first("order.shipped") < first("manifest.closed"));
    assert!(
        events
            .iter()
            .all(|e| e["actor"] == "api" && e["at"].is_string())
    );
    let shipped = kinds.iter().filter(|k| **k == "order.shipped").count();
    assert_eq!(shipped, 6);
    // Each approval tells expected, counted and variance.
    let approvals: Vec<&Value> = events
        .iter()
        .filter(|e| e["kind"] == "count.approved")
        .collect();
    assert_eq!(approvals.len(), 3);
    let manual = approvals
        .iter()
        .find(|e| e["subject"] == json!(cid))
        .unwrap();
    assert_eq!(
        (
            manual["data"]["expected"].as_i64(),
            manual["data"]["counted"].as_i64(),
            manual["data"]["variance"].as_i64()
        ),
        (Some(counted - 1), Some(counted), Some(1))
    );

    // A restart checks every ledger invariant while loading; the books agree.
    let (data, dir) = s.kill();
    let s = Server::start_on(&data);
    assert_eq!(books(&s, &skus), physical(&shelves));
    let (st, sh) = s.get("/v1/shipments/SH1");
    ok(st, 200, &sh);
    assert_eq!(sh["manifest"], m["id"]);
    // Closed records are read from the store after the restart.
    let (st, a) = s.get(&format!("/v1/asns/{asn_id}"));
    ok(st, 200, &a);
    assert_eq!(a["status"], "closed");
    let (_, closed) = s.get("/v1/asns?status=closed");
    assert_eq!(closed["items"].as_array().unwrap().len(), 1);
    let (st, b) = s.post(&format!("/v1/counts/{cid}/approve"), &json!({}));
    assert_eq!(st, 409, "{b}");
    let (st, b) = s.post(
        &format!("/v1/asns/{asn_id}/receipts"),
        &json!({"lines": [{"sku": "MUG", "qty": 1}]}),
    );
    assert_eq!(st, 409, "{b}");
    drop(s);
    drop(dir);
}

/// On-hand per location, reservations allowed (mid-day).
fn books_on_hand(s: &Server, skus: &[&str]) -> Shelves {
    let mut out = Shelves::new();
    for sku in skus {
        let (_, b) = s.get(&format!("/v1/inventory?sku={sku}&node=DC1&by=location"));
        for r in b["items"].as_array().unwrap() {
            let on_hand = r["on_hand"].as_i64().unwrap();
            if on_hand != 0 {
                out.insert(
                    (r["location"].as_str().unwrap().into(), sku.to_string()),
                    on_hand,
                );
            }
        }
    }
    out
}

fn all_events(s: &Server) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = "0".to_owned();
    loop {
        let (st, b) = s.get(&format!("/v1/events?after={after}&limit=1000"));
        assert_eq!(st, 200, "{b}");
        let items = b["items"].as_array().unwrap();
        if items.is_empty() {
            return out;
        }
        out.extend(items.iter().cloned());
        after = b["next_cursor"].as_str().unwrap().to_owned();
    }
}

/// A node with a layout, one stocked location and one order released in a wave.
fn released(s: &Server) -> (String, Value) {
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    let (st, b) = s.post("/v1/skus", &sku("TEE", Some("4006381333931")));
    ok(st, 201, &b);
    let (st, b) = s.post(
        "/v1/locations",
        &json!({"node": "DC1", "code": "A1-01", "zone": "A", "aisle": 1, "bay": 1}),
    );
    ok(st, 201, &b);
    let (st, b) = s.post(
        "/v1/inventory/receipts",
        &json!({"node": "DC1", "lines": [{"sku": "TEE", "qty": 5, "location": "A1-01"}]}),
    );
    ok(st, 201, &b);
    let (st, o) = s.post("/v1/orders", &order_body("1", &[("TEE", 2)]));
    ok(st, 201, &o);
    let (st, w) = s.post("/v1/waves", &json!({"node": "DC1", "cart_totes": 2}));
    ok(st, 201, &w);
    (o["id"].as_str().unwrap().to_owned(), w["tasks"][0].clone())
}

fn event_count(s: &Server) -> usize {
    all_events(s).len()
}

#[test]
fn bad_warehouse_requests_name_the_field_and_change_nothing() {
    let s = Server::start();
    let (order, task) = released(&s);
    let tid = task["id"].as_str().unwrap();
    let before = event_count(&s);
    let confirm = format!("/v1/pick-tasks/{tid}/confirm");
    let short = format!("/v1/pick-tasks/{tid}/short");
    let pack = format!("/v1/orders/{order}/pack-scans");
    let ship = format!("/v1/orders/{order}/ship");
    let cases: Vec<(&str, &str, Value, u16, Option<&str>)> = vec![
        (
            "PUT",
            "/v1/nodes/DC1/layout",
            json!({"aisles": 4, "aisle_length_m": 20.0, "aisle_spacing_m": 3.0, "cross_aisles": 1, "depot_x_m": 0.0, "bay_length_m": 2.0}),
            422,
            Some("cross_aisles"),
        ),
        (
            "PUT",
            "/v1/nodes/NOPE/layout",
            json!({"aisles": 4, "aisle_length_m": 20.0, "aisle_spacing_m": 3.0, "cross_aisles": 2, "depot_x_m": 0.0, "bay_length_m": 2.0}),
            404,
            None,
        ),
        (
            "POST",
            "/v1/asns",
            json!({"node": "DC1", "po": "P1", "cartons": [{"id": "C1", "lines": [{"sku": "NOPE", "qty": 1}]}]}),
            422,
            Some("cartons[0].lines[0].sku"),
        ),
        (
            "POST",
            "/v1/asns",
            json!({"node": "DC1", "po": "P1", "cartons": []}),
            422,
            Some("cartons"),
        ),
        (
            "POST",
            "/v1/asns/ASN9/receipts",
            json!({"lines": [{"sku": "TEE", "qty": 1}]}),
            404,
            None,
        ),
        (
            "POST",
            "/v1/putaways",
            json!({"node": "DC1", "sku": "TEE", "qty": 1, "from": "A1-01", "location": "NOPE", "override_reason": "x"}),
            422,
            Some("location"),
        ),
        (
            "POST",
            "/v1/putaways",
            json!({"node": "DC1", "sku": "TEE", "qty": 0, "location": "A1-01"}),
            422,
            Some("qty"),
        ),
        (
            "POST",
            "/v1/waves",
            json!({"node": "DC1", "cart_totes": 0}),
            422,
            Some("cart_totes"),
        ),
        (
            "POST",
            "/v1/waves",
            json!({"node": "DC1", "cart_totes": 2}),
            409,
            None,
        ),
        (
            "POST",
            &confirm,
            json!({"location": "A9-99", "item": "TEE", "qty": 2}),
            422,
            Some("location"),
        ),
        (
            "POST",
            &confirm,
            json!({"location": "A1-01", "item": "0000000000000", "qty": 2}),
            422,
            Some("item"),
        ),
        (
            "POST",
            &confirm,
            json!({"location": "A1-01", "item": "TEE", "qty": 1}),
            422,
            Some("qty"),
        ),
        (
            "POST",
            &short,
            json!({"location": "A1-01", "found": 2}),
            422,
            Some("found"),
        ),
        (
            "POST",
            "/v1/pick-tasks/PT99/confirm",
            json!({"location": "A1-01", "item": "TEE", "qty": 2}),
            404,
            None,
        ),
        ("POST", &pack, json!({"item": "TEE"}), 409, None),
        ("POST", &ship, json!({}), 409, None),
        (
            "POST",
            &ship,
            json!({"service": "no slash"}),
            422,
            Some("service"),
        ),
        (
            "POST",
            "/v1/manifests",
            json!({"carrier": "LOCAL"}),
            409,
            None,
        ),
        (
            "POST",
            "/v1/counts",
            json!({"node": "DC1", "locations": ["NOPE"]}),
            422,
            Some("locations[0]"),
        ),
        ("POST", "/v1/counts/CC9/approve", json!({}), 404, None),
        (
            "POST",
            "/v1/counts",
            json!({"node": "DC1", "locations": ["A1-01"], "tolerance_units": -1}),
            422,
            Some("tolerance_units"),
        ),
        (
            "POST",
            "/v1/waves",
            json!({"node": "DC1", "cart_totes": 2, "rules": {"ship_by_before": "3pm"}}),
            422,
            Some("rules.ship_by_before"),
        ),
        (
            "POST",
            "/v1/waves",
            json!({"node": "DC1", "cart_totes": 2, "rules": {"cutoffs": [{"service_level": "express", "at": "24:00"}]}}),
            422,
            Some("rules.cutoffs[0].at"),
        ),
        (
            "POST",
            "/v1/waves",
            json!({"node": "DC1", "cart_totes": 2, "rules": {"zones": ["A"], "colour": "red"}}),
            422,
            None,
        ),
        (
            "POST",
            "/v1/asns",
            json!({"node": "DC1", "po": "P1", "cartons": [{"id": "C1", "sscc": "006141411234567891", "lines": [{"sku": "TEE", "qty": 1}]}]}),
            422,
            Some("cartons[0].sscc"),
        ),
        (
            "POST",
            "/v1/asn-cartons/006141411234567890/receipts",
            json!({}),
            404,
            None,
        ),
        (
            "POST",
            "/v1/asn-cartons/12345/receipts",
            json!({}),
            422,
            Some("sscc"),
        ),
        (
            "POST",
            "/v1/count-programs",
            json!({"code": "P1", "node": "DC1", "by": "velocity"}),
            422,
            Some("by"),
        ),
        (
            "POST",
            "/v1/count-programs",
            json!({"code": "P1", "node": "DC1", "by": "abc", "frequencies": {"a_days": 0}}),
            422,
            Some("frequencies.a_days"),
        ),
        (
            "POST",
            "/v1/count-programs",
            json!({"code": "P1", "node": "DC1", "by": "zone", "zones": ["A"]}),
            422,
            Some("every_days"),
        ),
        (
            "POST",
            "/v1/count-programs",
            json!({"code": "P1", "node": "NOPE", "by": "exception"}),
            422,
            Some("node"),
        ),
        (
            "POST",
            "/v1/count-programs/P9/due-counts",
            json!({"date": "2026-11-25"}),
            404,
            None,
        ),
    ];
    for (method, path, body, status, field) in cases {
        let (st, err) = if method == "PUT" {
            s.put(path, &body)
        } else {
            s.post(path, &body)
        };
        assert_eq!(st, status, "{method} {path} {body}: {err}");
        if let Some(f) = field {
            assert_eq!(err["errors"][0]["field"], f, "{method} {path}: {err}");
        }
    }
    assert_eq!(event_count(&s), before, "a refused request left an event");
    for path in [
        "/v1/pick-tasks?status=open&cursor=nonsense",
        "/v1/asns?limit=0",
        "/v1/waves?status=open",
        "/v1/replenishments?picker=api",
        "/v1/inventory/accuracy",
        "/v1/inventory/accuracy?node=DC1&tolerance=-1",
    ] {
        let (st, err) = s.get(path);
        assert_eq!(st, 422, "{path}: {err}");
    }
    let (st, err) = s.get("/v1/inventory/accuracy?node=NOPE");
    assert_eq!(st, 404, "{err}");
    assert_eq!(
        books_on_hand(&s, &["TEE"]).get(&("A1-01".into(), "TEE".into())),
        Some(&5)
    );
}

#[test]
fn retried_pick_confirmation_returns_the_first_answer() {
    let s = Server::start();
    let (_, task) = released(&s);
    let tid = task["id"].as_str().unwrap();
    let body = json!({"location": "A1-01", "item": "4006381333931", "qty": 2});
    let send = || {
        let r = s
            .client()
            .post(s.url(&format!("/v1/pick-tasks/{tid}/confirm")))
            .header("Idempotency-Key", "pick-1")
            .json(&body)
            .send()
            .expect("POST");
        let replayed = r.headers().get("idempotent-replayed").is_some();
        let (st, b) = Server::read(r);
        (st, b, replayed)
    };
    let (st, first, replayed) = send();
    ok(st, 200, &first);
    assert!(!replayed);
    let (st, again, replayed) = send();
    assert_eq!((st, replayed), (200, true));
    assert_eq!(again, first);
    // The units moved once.
    let on_hand = books_on_hand(&s, &["TEE"]);
    assert_eq!(on_hand.get(&("A1-01".into(), "TEE".into())), Some(&3));
    assert_eq!(on_hand.get(&("PACK".into(), "TEE".into())), Some(&2));
}

/// Posts a scanner form and answers the page it lands on (redirects followed).
fn scan(s: &Server, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = s
        .client()
        .post(s.url(path))
        .form(form)
        .send()
        .expect("POST form");
    (r.status().as_u16(), r.text().expect("page"))
}

fn page(s: &Server, path: &str) -> String {
    let r = s.client().get(s.url(path)).send().expect("GET page");
    assert_eq!(r.status().as_u16(), 200);
    r.text().expect("page")
}

#[test]
fn scanner_pages_walk_a_pick_and_a_pack_and_refuse_wrong_scans_in_red() {
    let s = Server::start();
    let (order, task) = released(&s);
    let (wave, list, tid) = (
        task["wave"].as_str().unwrap(),
        task["list"].as_str().unwrap(),
        task["id"].as_str().unwrap(),
    );
    let pick = format!("/scan/pick/{wave}/{list}");
    let html = page(&s, &pick);
    assert!(html.contains("id=location>A1-01<"), "{html}");
    assert!(
        html.contains("id=scan-location placeholder=\"scan location\" autofocus"),
        "{html}"
    );
    // A wrong location turns the page red and names the right one.
    let (st, html) = scan(
        &s,
        &pick,
        &[
            ("task", tid),
            ("qty", "2"),
            ("location", "A9-99"),
            ("item", "TEE"),
        ],
    );
    assert_eq!(st, 200);
    assert!(
        html.contains("#b71c1c") && html.contains("this pick is at `A1-01`"),
        "{html}"
    );
    let (st, html) = scan(
        &s,
        &pick,
        &[
            ("task", tid),
            ("qty", "2"),
            ("location", "A1-01"),
            ("item", "4006381333931"),
        ],
    );
    assert_eq!(st, 200);
    assert!(html.contains("Done"), "{html}");

    let pack = format!("/scan/pack/{order}");
    assert!(page(&s, &pack).contains("id=scan-item placeholder=\"scan item\" autofocus"));
    let (_, html) = scan(&s, &pack, &[("item", "MUG")]);
    assert!(
        html.contains("#b71c1c") && html.contains("Refused scans: 1"),
        "{html}"
    );
    let (_, html) = scan(&s, &pack, &[("item", "TEE")]);
    assert!(
        html.contains("#1b5e20") && !html.contains("role=alert"),
        "{html}"
    );
    let (_, html) = scan(&s, &pack, &[("item", "4006381333931")]);
    assert!(html.contains("id=status>packed<"), "{html}");
    let (_, o) = s.get(&format!("/v1/orders/{order}"));
    assert_eq!(o["status"], "packed");
}

#[test]
fn cancelling_a_released_order_cancels_its_picks_and_survives_a_restart() {
    let s = Server::start();
    let (order, task) = released(&s);
    let (st, o) = s.post(&format!("/v1/orders/{order}/cancel"), &json!({}));
    ok(st, 200, &o);
    let tid = task["id"].as_str().unwrap();
    let (_, t) = s.get(&format!("/v1/pick-tasks/{tid}"));
    assert_eq!(t["status"], "cancelled");
    let (st, err) = s.post(
        &format!("/v1/pick-tasks/{tid}/confirm"),
        &json!({"location": "A1-01", "item": "TEE", "qty": 2}),
    );
    assert_eq!(st, 409, "{err}");
    // Loading checks that every open pick task holds a pending reservation.
    let (data, dir) = s.kill();
    let s = Server::start_on(&data);
    assert_eq!(s.stock("TEE"), vec![("DC1".into(), 5, 0, 5)]);
    drop(s);
    drop(dir);
}

#[test]
fn put_away_splits_a_reservation_between_shelf_and_dock_when_only_part_must_move() {
    let s = Server::start();
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    let (st, b) = s.post("/v1/skus", &sku("TEE", None));
    ok(st, 201, &b);
    let (st, b) = s.post(
        "/v1/locations",
        &json!({"node": "DC1", "code": "A1-01", "zone": "B", "aisle": 1, "bay": 1}),
    );
    ok(st, 201, &b);
    s.receive("DC1", "TEE", 10);
    let (st, o) = s.post("/v1/orders", &order_body("1", &[("TEE", 6)]));
    ok(st, 201, &o);
    // 4 units are free on the dock; moving 7 takes 3 of the order's 6 along.
    let (st, b) = s.post(
        "/v1/putaways",
        &json!({"node": "DC1", "sku": "TEE", "qty": 7, "location": "A1-01"}),
    );
    ok(st, 201, &b);
    let id = o["id"].as_str().unwrap();
    let (_, o) = s.get(&format!("/v1/orders/{id}"));
    let held: Vec<(String, i64)> = o["lines"][0]["allocations"][0]["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["location"].as_str().unwrap().to_owned(),
                r["qty"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(held, [("A1-01".to_owned(), 3), ("RECEIVING".to_owned(), 3)]);
    let rows = |s: &Server| {
        let (_, b) = s.get("/v1/inventory?sku=TEE&by=location");
        b["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["location"].as_str().unwrap().to_owned(),
                    r["on_hand"].as_i64().unwrap(),
                    r["reserved"].as_i64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let want = vec![("A1-01".to_owned(), 7, 3), ("RECEIVING".to_owned(), 3, 3)];
    assert_eq!(rows(&s), want);
    let (data, dir) = s.kill();
    let s = Server::start_on(&data);
    assert_eq!(rows(&s), want);
    drop(s);
    drop(dir);
}

#[test]
fn count_off_by_more_than_the_tolerance_is_recounted_blind_before_approval() {
    let s = Server::start();
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    let (st, b) = s.post("/v1/skus", &sku("TEE", None));
    ok(st, 201, &b);
    s.receive("DC1", "TEE", 10);
    let (st, c) = s.post(
        "/v1/counts",
        &json!({"node": "DC1", "locations": ["RECEIVING"]}),
    );
    ok(st, 201, &c);
    let id = c["id"].as_str().unwrap();
    let result = |qty: i64| {
        s.post(
            &format!("/v1/counts/{id}/results"),
            &json!({"lines": [{"location": "RECEIVING", "sku": "TEE", "qty": qty}]}),
        )
    };
    let (st, c) = result(4);
    ok(st, 200, &c);
    assert_eq!(c["status"], "recount");
    assert_eq!(c["lines"], json!([]), "the recount is blind too");
    let (st, err) = s.post(&format!("/v1/counts/{id}/approve"), &json!({}));
    assert_eq!(st, 409, "{err}");
    let (st, c) = result(9);
    ok(st, 200, &c);
    assert_eq!(c["status"], "counted");
    assert_eq!(c["lines"][0]["variance"], -1);
    assert_eq!(c["locations_matched"], 0);
    let (st, c) = s.post(&format!("/v1/counts/{id}/approve"), &json!({}));
    ok(st, 200, &c);
    assert_eq!(s.stock("TEE"), vec![("DC1".into(), 9, 0, 9)]);
}

#[test]
fn pick_face_below_min_is_replenished_from_reserve_by_scan() {
    let s = Server::start();
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    let (st, b) = s.post("/v1/skus", &sku("TEE", None));
    ok(st, 201, &b);
    for code in ["A1-01", "R-01"] {
        let (st, b) = s.post("/v1/locations", &json!({"node": "DC1", "code": code}));
        ok(st, 201, &b);
    }
    for (loc, qty) in [("A1-01", 3), ("R-01", 20)] {
        let (st, b) = s.post(
            "/v1/inventory/receipts",
            &json!({"node": "DC1", "lines": [{"sku": "TEE", "qty": qty, "location": loc}]}),
        );
        ok(st, 201, &b);
    }
    let (st, f) = s.post(
        "/v1/pick-faces",
        &json!({"node": "DC1", "faces": [{"location": "A1-01", "sku": "TEE", "min": 5, "max": 8}]}),
    );
    ok(st, 200, &f);
    let r = &f["replenishments"][0];
    assert_eq!(
        (r["from"].as_str(), r["to"].as_str(), r["qty"].as_i64()),
        (Some("R-01"), Some("A1-01"), Some(5))
    );
    let id = r["id"].as_str().unwrap();
    let (st, err) = s.post(
        &format!("/v1/replenishments/{id}/confirm"),
        &json!({"from": "A1-01", "to": "A1-01"}),
    );
    assert_refused(st, &err, "from");
    let (st, done) = s.post(
        &format!("/v1/replenishments/{id}/confirm"),
        &json!({"from": "R-01", "to": "A1-01"}),
    );
    ok(st, 200, &done);
    assert_eq!(done["status"], "done");
    let on_hand = books_on_hand(&s, &["TEE"]);
    assert_eq!(on_hand.get(&("A1-01".into(), "TEE".into())), Some(&8));
    assert_eq!(on_hand.get(&("R-01".into(), "TEE".into())), Some(&15));
    let (data, dir) = s.kill();
    let s = Server::start_on(&data);
    let (_, r) = s.get(&format!("/v1/replenishments/{id}"));
    assert_eq!(r["status"], "done");
    drop(s);
    drop(dir);
}

/// The scanner pages in a real browser: headless Chromium driven over the
/// DevTools protocol by `scanner_browser.mjs`, typing each code into the focused
/// input and pressing Enter, as a keyboard-wedge scanner does. The screenshots
/// land in `target/tmp/scanner-screenshots`. Needs `chromium` and `node` (20 or
/// newer) on the PATH; where either is missing the test says so and passes, except
/// under `CI=true`, where CI installs them and their absence fails the test.
#[test]
fn browser_scans_through_a_pick_and_a_pack_with_screenshots() {
    let tools = (on_path("chromium") && on_path("node")).then_some(());
    if needed(
        tools,
        "chromium or node (Debian packages `chromium`, `nodejs`)",
    )
    .is_none()
    {
        return;
    }
    let s = Server::start();
    let (order, task) = released(&s);
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("scanner-screenshots");
    std::fs::create_dir_all(&out).expect("screenshot dir");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/scanner_browser.mjs");
    let run = std::process::Command::new("node")
        .arg("--experimental-websocket")
        .arg(script)
        .arg(s.url(""))
        .arg(format!(
            "/scan/pick/{}/{}",
            task["wave"].as_str().unwrap(),
            task["list"].as_str().unwrap()
        ))
        .arg(format!("/scan/pack/{order}"))
        .arg(&out)
        .arg(
            json!({"pick": ["A1-01", "4006381333931"], "pack": ["MUG", "TEE", "4006381333931"]})
                .to_string(),
        )
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text: Value = serde_json::from_str(stdout.trim()).expect("the script prints JSON");
    assert!(text["pick"].as_str().unwrap().contains("Done"), "{text}");
    let pack = text["pack"].as_str().unwrap();
    assert!(pack.contains("packed") && pack.contains("S"), "{text}");
    for name in ["pick-next.png", "pick.png", "pack-refused.png", "pack.png"] {
        let png = std::fs::read(out.join(name)).expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "{name} is not a PNG");
    }
    let (_, o) = s.get(&format!("/v1/orders/{order}"));
    assert_eq!(o["status"], "packed");
}

#[test]
fn wave_rules_release_express_by_cutoff_and_only_the_zone_asked() {
    let s = Server::start();
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    for (code, zone) in [("A1-01", "A"), ("B1-01", "B")] {
        let (st, b) = s.post(
            "/v1/locations",
            &json!({"node": "DC1", "code": code, "zone": zone, "aisle": 1, "bay": 1}),
        );
        ok(st, 201, &b);
    }
    for (code, loc) in [("TEE", "A1-01"), ("MUG", "B1-01")] {
        let (st, b) = s.post("/v1/skus", &sku(code, None));
        ok(st, 201, &b);
        let (st, b) = s.post(
            "/v1/inventory/receipts",
            &json!({"node": "DC1", "lines": [{"sku": code, "qty": 50, "location": loc}]}),
        );
        ok(st, 201, &b);
    }
    let place = |ext: &str, sku: &str, level: &str, ship_by: Option<&str>| {
        let mut b = order_body(ext, &[(sku, 1)]);
        b["service_level"] = json!(level);
        if let Some(t) = ship_by {
            b["ship_by"] = json!(t);
        }
        let (st, o) = s.post("/v1/orders", &b);
        ok(st, 201, &o);
        o["id"].as_str().unwrap().to_owned()
    };
    let late = place("1", "TEE", "standard", Some("2099-01-01T18:00:00Z"));
    let soon = place("2", "TEE", "standard", Some("2099-01-01T09:00:00Z"));
    let express = place("3", "TEE", "express", None);
    let zone_b = place("4", "MUG", "express", None);
    // Only zone A, express first, then nearest ship-by: two orders.
    let (st, w) = s.post(
        "/v1/waves",
        &json!({"node": "DC1", "cart_totes": 4, "rules": {"zones": ["A"], "service_levels": ["express", "standard"], "max_orders": 2}}),
    );
    ok(st, 201, &w);
    assert_eq!(w["orders"], json!([express, soon]));
    // What is due before 2099-01-01 12:00 (the carrier's express pickup at
    // 10:00 counts as a deadline): the zone-B express order, not the late one.
    let (st, w) = s.post(
        "/v1/waves",
        &json!({"node": "DC1", "cart_totes": 4, "rules": {"ship_by_before": "2099-01-01T12:00:00Z",
               "cutoffs": [{"service_level": "express", "at": "2099-01-01T10:00:00Z"}]}}),
    );
    ok(st, 201, &w);
    assert_eq!(w["orders"], json!([zone_b]));
    let (_, o) = s.get(&format!("/v1/orders/{late}"));
    assert_eq!(o["status"], "allocated");
}

#[test]
fn units_a_short_pick_backordered_follow_the_shipped_order_and_a_receipt_fills_them() {
    let s = Server::start();
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    let (st, b) = s.post("/v1/skus", &sku("MUG", None));
    ok(st, 201, &b);
    let (st, b) = s.post(
        "/v1/locations",
        &json!({"node": "DC1", "code": "A1-01", "zone": "A", "aisle": 1, "bay": 1}),
    );
    ok(st, 201, &b);
    let (st, b) = s.post(
        "/v1/inventory/receipts",
        &json!({"node": "DC1", "lines": [{"sku": "MUG", "qty": 3, "location": "A1-01"}]}),
    );
    ok(st, 201, &b);
    let (st, o) = s.post("/v1/orders", &order_body("77", &[("MUG", 3)]));
    ok(st, 201, &o);
    let id = o["id"].as_str().unwrap().to_owned();
    let (st, w) = s.post("/v1/waves", &json!({"node": "DC1", "cart_totes": 1}));
    ok(st, 201, &w);
    let tid = w["tasks"][0]["id"].as_str().unwrap();
    // Only one mug is there, and no other location has any: two are backordered.
    let (st, r) = s.post(
        &format!("/v1/pick-tasks/{tid}/short"),
        &json!({"location": "A1-01", "found": 1}),
    );
    ok(st, 200, &r);
    assert_eq!(r["backordered"], 2);
    let (st, p) = s.post(
        &format!("/v1/orders/{id}/pack-scans"),
        &json!({"item": "MUG"}),
    );
    ok(st, 200, &p);
    assert_eq!(p["status"], "packed");
    let (st, sh) = s.post(&format!("/v1/orders/{id}/ship"), &json!({}));
    ok(st, 201, &sh);
    // The two mugs are not forgotten: a follow-up order waits for them.
    let events = all_events(&s);
    let follow = events
        .iter()
        .find(|e| {
            e["kind"] == "order.backordered"
                && e["subject"] == json!(id)
                && e["data"]["follow_up"].is_string()
        })
        .unwrap_or_else(|| panic!("no follow-up in {events:?}"));
    let fid = follow["data"]["follow_up"].as_str().unwrap().to_owned();
    let (_, f) = s.get(&format!("/v1/orders/{fid}"));
    assert_eq!(f["external_id"], "77-BO");
    assert_eq!(f["status"], "backordered", "{f}");
    assert_eq!(f["lines"][0]["backordered"], 2);
    // Mugs arrive on an ASN: the follow-up is allocated from the dock.
    let (st, a) = s.post(
        "/v1/asns",
        &json!({"node": "DC1", "po": "PO-1", "cartons": [{"id": "C1", "sscc": "006141411234567906", "lines": [{"sku": "MUG", "qty": 4}]}]}),
    );
    ok(st, 201, &a);
    let (st, b) = s.post("/v1/asn-cartons/006141411234567906/receipts", &json!({}));
    ok(st, 200, &b);
    assert_eq!(b["lines"][0]["received"], 4);
    let (_, f) = s.get(&format!("/v1/orders/{fid}"));
    assert_eq!(f["status"], "allocated", "{f}");
    assert_eq!(
        f["lines"][0]["allocations"][0]["reservations"][0]["location"],
        "RECEIVING"
    );
    // The follow-up survives a restart with its reservation.
    let (data, dir) = s.kill();
    let s = Server::start_on(&data);
    let (_, f) = s.get(&format!("/v1/orders/{fid}"));
    assert_eq!(f["status"], "allocated");
    drop(s);
    drop(dir);
}

#[test]
fn browser_scans_through_a_receive_a_put_away_and_a_count_with_screenshots() {
    let tools = (on_path("chromium") && on_path("node")).then_some(());
    if needed(
        tools,
        "chromium or node (Debian packages `chromium`, `nodejs`)",
    )
    .is_none()
    {
        return;
    }
    let s = Server::start();
    let (st, b) = s.post("/v1/nodes", &node("DC1", 1));
    ok(st, 201, &b);
    for (code, gtin) in [("TEE", Some("4006381333931")), ("MUG", None)] {
        let (st, b) = s.post("/v1/skus", &sku(code, gtin));
        ok(st, 201, &b);
    }
    for (code, zone) in [("A1-01", "A"), ("B1-01", "B")] {
        let (st, b) = s.post(
            "/v1/locations",
            &json!({"node": "DC1", "code": code, "zone": zone, "aisle": 1, "bay": 1}),
        );
        ok(st, 201, &b);
    }
    let (st, asn) = s.post(
        "/v1/asns",
        &json!({"node": "DC1", "po": "PO-9", "cartons": [
            {"id": "C1", "sscc": SSCC, "lines": [{"sku": "TEE", "qty": 4}]},
            {"id": "C2", "lines": [{"sku": "MUG", "qty": 2}]}]}),
    );
    ok(st, 201, &asn);
    let (st, count) = s.post(
        "/v1/counts",
        &json!({"node": "DC1", "locations": ["A1-01", "B1-01"]}),
    );
    ok(st, 201, &count);
    let cid = count["id"].as_str().unwrap();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("scanner-screenshots");
    std::fs::create_dir_all(&out).expect("screenshot dir");
    let steps = json!({"steps": [
        {"open": "/scan/receive"}, {"scan": "ASN1"}, {"shot": "receive-asn.png"},
        {"scan": SSCC}, {"shot": "receive-carton.png"},
        {"scan": "MUG"}, {"scan": "MUG"}, {"scan": "NOPE"}, {"shot": "receive-refused.png"},
        {"click": "close"}, {"shot": "receive.png"},
        {"open": "/scan/putaway/DC1"}, {"scan": "4006381333931"}, {"scan": "4"}, {"shot": "putaway-suggested.png"},
        {"scan": "A1-01"}, {"shot": "putaway-refused.png"},
        {"scan": "A1-01"}, {"scan": "fast mover near the door"}, {"shot": "putaway.png"},
        {"scan": "MUG"}, {"scan": "2"}, {"scan": "B1-01"},
        {"open": format!("/scan/count/{cid}")}, {"shot": "count-next.png"},
        {"scan": "Z9-99"}, {"shot": "count-refused.png"},
        {"scan": "A1-01"}, {"scan": "4006381333931"}, {"scan": "4006381333931"}, {"scan": "4006381333931"},
        {"click": "next"}, {"scan": "B1-01"}, {"scan": "MUG"}, {"scan": "MUG"}, {"shot": "count.png"},
        {"click": "finish"}, {"shot": "count-done.png"}
    ]});
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/scanner_browser.mjs");
    let run = std::process::Command::new("node")
        .arg("--experimental-websocket")
        .arg(script)
        .arg(s.url(""))
        .arg("-")
        .arg("-")
        .arg(&out)
        .arg(steps.to_string())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text: Value = serde_json::from_str(stdout.trim()).expect("the script prints JSON");
    let t = |name: &str| text[name].as_str().unwrap().to_owned();
    let red = "rgb(183, 28, 28)";
    assert!(
        t("receive-carton.png").contains(&format!("Received carton {SSCC}")),
        "{text}"
    );
    assert_eq!(text["receive-refused.png:bg"], red);
    assert!(t("receive.png").contains("Closed"), "{text}");
    assert!(t("putaway-suggested.png").contains("B1-01"), "{text}");
    assert_eq!(text["putaway-refused.png:bg"], red);
    assert!(
        t("putaway.png").contains("Put away 4 x 4006381333931 at A1-01"),
        "{text}"
    );
    assert_ne!(text["putaway.png:bg"], red);
    // Blind: the page never shows the books' 4 tees.
    assert!(!t("count-next.png").contains('4'), "{text}");
    assert_eq!(text["count-refused.png:bg"], red);
    assert!(t("count-done.png").contains("counted"), "{text}");
    for name in [
        "receive-asn.png",
        "receive-carton.png",
        "receive-refused.png",
        "receive.png",
        "putaway-suggested.png",
        "putaway-refused.png",
        "putaway.png",
        "count-next.png",
        "count-refused.png",
        "count.png",
        "count-done.png",
    ] {
        let png = std::fs::read(out.join(name)).expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "{name} is not a PNG");
    }
    // What the pages did is in the books.
    let (_, a) = s.get("/v1/asns/ASN1");
    assert_eq!(a["status"], "closed");
    assert_eq!(a["cartons_received"], json!([SSCC]));
    let on_hand = books_on_hand(&s, &["TEE", "MUG"]);
    assert_eq!(on_hand.get(&("A1-01".into(), "TEE".into())), Some(&4));
    assert_eq!(on_hand.get(&("B1-01".into(), "MUG".into())), Some(&2));
    let (_, c) = s.get(&format!("/v1/counts/{cid}"));
    assert_eq!(c["status"], "counted", "{c}");
    let tee = c["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sku"] == "TEE")
        .unwrap();
    assert_eq!(
        (tee["expected"].as_i64(), tee["counted"].as_i64()),
        (Some(4), Some(3))
    );
    let (_, events) = s.get("/v1/events?after=0&limit=1000");
    let put = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "inventory.put_away" && e["data"]["sku"] == "TEE")
        .unwrap();
    assert_eq!(put["data"]["override_reason"], "fast mover near the door");
}
