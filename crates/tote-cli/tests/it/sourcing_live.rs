//! Sourcing in the live engine: delivery promises steer the choice and set the
//! ship-by, node calendars, and daily capacity that survives a restart.

use crate::server::{Server, assert_refused, order_body, sku_body};
use serde_json::{Value, json};

fn put(s: &Server, path: &str, body: &Value) -> (u16, Value) {
    let r = s.client.put(s.url(path)).json(body).send().expect("PUT");
    Server::read(r)
}

fn node_at(code: &str, kind: &str, priority: u32, postal: &str) -> Value {
    json!({"code": code, "kind": kind, "name": code, "priority": priority,
           "address": {"line1": "1 Main St", "city": "Town", "postal_code": postal, "country": "US"}})
}

fn add_nodes(s: &Server, nodes: &[Value]) {
    for n in nodes {
        let (st, b) = s.post("/v1/nodes", n);
        assert_eq!(st, 201, "{b}");
    }
}

fn ground_promise(s: &Server, sku: &str) -> Value {
    let (st, p) = s.get(&format!(
        "/v1/promise?sku={sku}&qty=1&postal_code=02101&country=US&channel=web"
    ));
    assert_eq!(st, 200, "{p}");
    p["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["service"] == "parcelo/ground")
        .cloned()
        .expect("a ground option")
}

fn parse_time(t: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(t.as_str().unwrap_or_else(|| panic!("a time: {t}")))
        .expect("RFC 3339")
        .to_utc()
}

#[test]
fn a_deliver_by_only_the_nearer_node_meets_sources_there_and_sets_ship_by() {
    let s = Server::start();
    // The west DC is cheaper (the east one charges heavy handling) but far from Boston.
    add_nodes(
        &s,
        &[
            node_at("DCE", "dc", 1, "07102"),
            node_at("DCW", "dc", 1, "90001"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DCE", "A", 5);
    s.receive("DCW", "A", 5);
    let (st, b) = put(
        &s,
        "/v1/sourcing/nodes/DCE",
        &json!({"handling_order_cents": 5000}),
    );
    assert_eq!(st, 200, "{b}");
    let near = ground_promise(&s, "A");
    assert_eq!(near["node"], "DCE", "{near}");
    // Without a promise the cheaper, slower node wins.
    let (st, free) = s.post("/v1/orders", &order_body("1", &[("A", 1)]));
    assert_eq!(st, 201, "{free}");
    let far_ship = &free["sourcing"]["shipments"][0];
    assert_eq!(far_ship["node"], "DCW", "{free}");
    assert!(
        far_ship["deliver_on"].as_str() > near["deliver_on"].as_str(),
        "the west DC arrives later: {far_ship} vs {near}"
    );
    // Promised for the day only the east DC makes: it ships from there.
    let mut body = order_body("2", &[("A", 1)]);
    body["deliver_by"] = near["deliver_on"].clone();
    let (st, kept) = s.post("/v1/orders", &body);
    assert_eq!(st, 201, "{kept}");
    let d = &kept["sourcing"];
    assert_eq!(d["shipments"][0]["node"], "DCE", "{d}");
    assert_eq!(d["shipments"][0]["deliver_on"], near["deliver_on"]);
    assert!(
        d["why"].as_str().unwrap().contains("meets the promise"),
        "{}",
        d["why"]
    );
    let late = d["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["nodes"][0] == "DCW")
        .expect("the west DC was priced");
    assert_eq!(late["late_shipments"], 1);
    // No ship-by given: the east DC's carrier pickup on its ship date.
    let ship_by = parse_time(&kept["ship_by"]);
    assert_eq!(
        ship_by.date_naive().to_string(),
        near["ship_on"].as_str().unwrap(),
        "{kept}"
    );
    // A ship-by the order gives is kept as given.
    let mut body = order_body("3", &[("A", 1)]);
    body["ship_by"] = json!("2030-01-02T17:00:00Z");
    let (_, given) = s.post("/v1/orders", &body);
    assert_eq!(given["ship_by"], "2030-01-02T17:00:00Z");
}

#[test]
fn a_channel_ship_by_rule_sets_the_ship_by_hours_after_placement() {
    let s = Server::start();
    add_nodes(&s, &[node_at("DC1", "dc", 1, "07102")]);
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DC1", "A", 5);
    let (st, b) = put(
        &s,
        "/v1/sourcing/channels/web",
        &json!({"ship_by_hours": 48}),
    );
    assert_eq!(st, 200, "{b}");
    let (st, o) = s.post("/v1/orders", &order_body("1", &[("A", 1)]));
    assert_eq!(st, 201, "{o}");
    let hours = (parse_time(&o["ship_by"]) - parse_time(&o["placed_at"])).num_seconds();
    // The ship-by is kept to the second.
    assert!((48 * 3600 - 1..=48 * 3600).contains(&hours), "{o}");
    let (st, b) = put(
        &s,
        "/v1/sourcing/channels/web",
        &json!({"ship_by_hours": 0}),
    );
    assert_refused(st, &b, "ship_by_hours");
}

#[test]
fn node_holidays_move_the_promise_to_another_node() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("DCE", "dc", 1, "07102"),
            node_at("DCW", "dc", 1, "90001"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DCE", "A", 5);
    s.receive("DCW", "A", 5);
    assert_eq!(ground_promise(&s, "A")["node"], "DCE");
    // The east DC is shut for the next three weeks.
    let today = chrono::Utc::now().date_naive();
    let shut: Vec<String> = (0..21)
        .map(|d| (today + chrono::Days::new(d)).to_string())
        .collect();
    let (st, b) = put(&s, "/v1/sourcing/nodes/DCE", &json!({"holidays": shut}));
    assert_eq!(st, 200, "{b}");
    let p = ground_promise(&s, "A");
    assert_eq!(p["node"], "DCW", "{p}");
    let (_, n) = s.get("/v1/sourcing/nodes/DCE");
    assert_eq!(n["profile"]["holidays"].as_array().unwrap().len(), 21);
    let (st, b) = put(
        &s,
        "/v1/sourcing/nodes/DCE",
        &json!({"holidays": ["2026-13-01"]}),
    );
    assert_eq!(st, 422, "{b}");
    let (_, n) = s.get("/v1/sourcing/nodes/DCE");
    assert_eq!(
        n["profile"]["holidays"].as_array().unwrap().len(),
        21,
        "nothing changed"
    );
}

#[test]
fn daily_capacity_used_survives_a_restart() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("DCE", "dc", 1, "07102"),
            node_at("DCW", "dc", 1, "90001"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DCE", "A", 5);
    s.receive("DCW", "A", 5);
    let (st, _) = put(
        &s,
        "/v1/sourcing/nodes/DCE",
        &json!({"capacity_orders_day": 1}),
    );
    assert_eq!(st, 200);
    let (_, first) = s.post("/v1/orders", &order_body("1", &[("A", 1)]));
    assert_eq!(
        first["lines"][0]["allocations"][0]["node"], "DCE",
        "{first}"
    );
    let (data, dir) = s.kill();
    let s = Server::start_on(&data);
    let (st, second) = s.post("/v1/orders", &order_body("2", &[("A", 1)]));
    assert_eq!(st, 201, "{second}");
    assert_eq!(
        second["lines"][0]["allocations"][0]["node"], "DCW",
        "{second}"
    );
    let rejected = &second["sourcing"]["rejected"];
    assert_eq!(rejected[0]["node"], "DCE", "{rejected}");
    assert!(
        rejected[0]["reason"].as_str().unwrap().contains("capacity"),
        "{rejected}"
    );
    drop(s);
    drop(dir);
}

fn events_of(s: &Server, kind: &str) -> Vec<Value> {
    let (_, events) = s.get("/v1/events?after=0&limit=1000");
    events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .cloned()
        .collect()
}

fn post_csv(s: &Server, path: &str, text: &str) -> (u16, Value) {
    let r = s
        .client
        .post(s.url(path))
        .header("content-type", "text/csv")
        .body(text.to_owned())
        .send()
        .expect("POST");
    Server::read(r)
}

#[test]
fn a_vendor_stock_feed_is_booked_as_adjustments_and_fills_backorders() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("DC1", "dc", 1, "07102"),
            node_at("V1", "drop_ship", 1, "60601"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.post("/v1/skus", &sku_body("B"));
    let (_, o) = s.post("/v1/orders", &order_body("1", &[("A", 3)]));
    assert_eq!(o["status"], "backordered", "{o}");
    let (st, f) = s.post(
        "/v1/partners/V1/stock",
        &json!({"lines": [{"sku": "A", "qty": 5}, {"sku": "B", "qty": 0}], "note": "nightly"}),
    );
    assert_eq!(st, 200, "{f}");
    assert_eq!(
        f["lines"],
        json!([{"sku": "A", "was": 0, "now": 5, "booked": 5},
               {"sku": "B", "was": 0, "now": 0, "booked": 0}])
    );
    assert_eq!(f["adjustment"]["lines"][0]["from"], "count_variance");
    let adjusted = events_of(&s, "inventory.adjusted");
    assert_eq!(adjusted.len(), 1);
    assert_eq!(adjusted[0]["data"]["note"], "stock feed from V1: nightly");
    // The backorder was filled from the vendor at once.
    let (_, o) = s.get("/v1/orders/O1");
    assert_eq!(o["status"], "allocated", "{o}");
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "V1");
    assert_eq!(s.stock("A"), vec![("V1".into(), 5, 3, 2)]);
    // The vendor now has 4 (CSV): one unit is booked out, the reservations stay.
    let (st, f) = post_csv(&s, "/v1/partners/V1/stock", "sku,qty\nA,4\n");
    assert_eq!(st, 200, "{f}");
    assert_eq!(f["lines"][0]["booked"], -1);
    assert_eq!(s.stock("A"), vec![("V1".into(), 4, 3, 1)]);
    // Below what open orders hold, or bad rows: refused, nothing changes.
    for (st, b, field) in [
        post_csv(&s, "/v1/partners/V1/stock", "A,2\n"),
        post_csv(&s, "/v1/partners/V1/stock", "A,many\n"),
        post_csv(&s, "/v1/partners/V1/stock", "NOPE,1\n"),
        s.post(
            "/v1/partners/V1/stock",
            &json!({"lines": [{"sku": "A", "qty": -1}]}),
        ),
        s.post("/v1/partners/V1/stock", &json!({"lines": []})),
        s.post(
            "/v1/partners/DC1/stock",
            &json!({"lines": [{"sku": "A", "qty": 1}]}),
        ),
    ]
    .into_iter()
    .zip([
        "lines[0].qty",
        "lines[0].qty",
        "lines[0].sku",
        "lines[0].qty",
        "lines",
        "node",
    ])
    .map(|((st, b), f)| (st, b, f))
    {
        assert_refused(st, &b, field);
    }
    let (st, _) = s.post(
        "/v1/partners/NOPE/stock",
        &json!({"lines": [{"sku": "A", "qty": 1}]}),
    );
    assert_eq!(st, 404);
    assert_eq!(s.stock("A"), vec![("V1".into(), 4, 3, 1)]);
    assert_eq!(events_of(&s, "inventory.adjusted").len(), 2);
}

#[test]
fn a_drop_ship_order_is_requested_acknowledged_and_shipped_by_the_vendor() {
    let s = Server::start();
    add_nodes(&s, &[node_at("V1", "drop_ship", 1, "60601")]);
    s.post("/v1/skus", &sku_body("A"));
    let (st, _) = s.post(
        "/v1/partners/V1/stock",
        &json!({"lines": [{"sku": "A", "qty": 4}]}),
    );
    assert_eq!(st, 200);
    let mut body = order_body("1", &[("A", 2)]);
    body["deliver_by"] = json!("2031-01-10");
    let (st, o) = s.post("/v1/orders", &body);
    assert_eq!(st, 201, "{o}");
    let (st, list) = s.get("/v1/partners/V1/requests");
    assert_eq!(st, 200, "{list}");
    let reqs = list["requests"].as_array().unwrap();
    assert_eq!(reqs.len(), 1, "{list}");
    let r = &reqs[0];
    assert_eq!(r["id"], "O1-V1");
    assert_eq!(r["status"], "open");
    assert_eq!(r["lines"], json!([{"sku": "A", "qty": 2}]));
    assert_eq!(r["ship_to"]["postal_code"], "02101");
    assert_eq!(r["deliver_by"], "2031-01-10");
    assert_eq!(events_of(&s, "fulfilment.requested").len(), 1);
    let (st, a) = s.post("/v1/partners/V1/requests/O1-V1/acknowledge", &json!({}));
    assert_eq!((st, &a["status"]), (200, &json!("acknowledged")), "{a}");
    // Shipping needs a carrier and tracking; a bad one changes nothing.
    let (st, b) = s.post(
        "/v1/partners/V1/requests/O1-V1/ship",
        &json!({"carrier": "bad carrier", "tracking": "1Z999"}),
    );
    assert_refused(st, &b, "carrier");
    assert_eq!(s.stock("A"), vec![("V1".into(), 4, 2, 2)]);
    let (st, shipped) = s.post(
        "/v1/partners/V1/requests/O1-V1/ship",
        &json!({"carrier": "UPS", "tracking": "1Z999"}),
    );
    assert_eq!(st, 200, "{shipped}");
    assert_eq!(shipped["status"], "shipped");
    assert_eq!(shipped["tracking"], "1Z999");
    // The units left the books and the order is shipped.
    assert_eq!(s.stock("A"), vec![("V1".into(), 2, 0, 2)]);
    let (_, o) = s.get("/v1/orders/O1");
    assert_eq!(o["status"], "shipped", "{o}");
    assert_eq!(events_of(&s, "fulfilment.shipped").len(), 1);
    let (_, list) = s.get("/v1/partners/V1/requests");
    assert_eq!(list["requests"], json!([]));
    let (st, _) = s.post(
        "/v1/partners/V1/requests/O1-V1/ship",
        &json!({"carrier": "UPS", "tracking": "1Z999"}),
    );
    assert_eq!(st, 404, "a shipped request is no longer open");
}

#[test]
fn a_rejected_partner_request_is_sourced_again_elsewhere() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("T1", "3pl", 1, "02139"),
            node_at("DC1", "dc", 1, "90001"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("T1", "A", 3);
    s.receive("DC1", "A", 3);
    let (_, o) = s.post("/v1/orders", &order_body("1", &[("A", 1)]));
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "T1", "{o}");
    let (st, r) = s.post(
        "/v1/partners/T1/requests/O1-T1/reject",
        &json!({"note": "warehouse flooded"}),
    );
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["status"], "rejected");
    let (_, o) = s.get("/v1/orders/O1");
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "DC1", "{o}");
    assert_eq!(o["lines"][0]["allocations"].as_array().unwrap().len(), 1);
    let (_, list) = s.get("/v1/partners/T1/requests");
    assert_eq!(list["requests"], json!([]));
    assert_eq!(events_of(&s, "fulfilment.rejected").len(), 1);
    // A DC is not a partner.
    let (st, b) = s.get("/v1/partners/DC1/requests");
    assert_refused(st, &b, "node");
    // Cancelling an order closes its open requests.
    let (_, o2) = s.post("/v1/orders", &order_body("2", &[("A", 1)]));
    assert_eq!(o2["lines"][0]["allocations"][0]["node"], "T1", "{o2}");
    let (st, _) = s.post("/v1/orders/O2/cancel", &json!({}));
    assert_eq!(st, 200);
    let (_, list) = s.get("/v1/partners/T1/requests");
    assert_eq!(list["requests"], json!([]));
}

fn pickup_body(external_id: &str, store: &str, lines: &[(&str, i64)]) -> Value {
    let mut b = order_body(external_id, lines);
    b["fulfillment"] = json!("pickup");
    b["pickup_node"] = json!(store);
    b
}

fn tasks(s: &Server, store: &str) -> Vec<Value> {
    let (st, b) = s.get(&format!("/v1/stores/{store}/tasks"));
    assert_eq!(st, 200, "{b}");
    b["tasks"].as_array().unwrap().clone()
}

#[test]
fn a_bopis_order_is_reserved_at_its_store_made_ready_and_collected_with_its_code() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("S1", "store", 1, "02139"),
            node_at("DC1", "dc", 1, "02101"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("S1", "A", 2);
    s.receive("DC1", "A", 10);
    let (st, o) = s.post("/v1/orders", &pickup_body("1", "S1", &[("A", 1)]));
    assert_eq!(st, 201, "{o}");
    assert_eq!(o["fulfillment"], "pickup");
    let allocations = o["lines"][0]["allocations"].as_array().unwrap();
    assert_eq!(allocations.len(), 1, "{o}");
    assert_eq!(allocations[0]["node"], "S1", "the store, not the DC");
    let list = tasks(&s, "S1");
    assert_eq!(list.len(), 1);
    let t = &list[0];
    assert_eq!(
        (&t["id"], &t["kind"], &t["status"]),
        (&json!("O1-S1"), &json!("pickup"), &json!("open"))
    );
    assert_eq!(t["lines"], json!([{"sku": "A", "qty": 1}]));
    let (st, t) = s.post("/v1/stores/S1/tasks/O1-S1/picked", &json!({}));
    assert_eq!((st, &t["status"]), (200, &json!("picked")), "{t}");
    let (st, t) = s.post("/v1/stores/S1/tasks/O1-S1/ready", &json!({}));
    assert_eq!((st, &t["status"]), (200, &json!("ready")), "{t}");
    let code = t["pickup_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    let ready = events_of(&s, "order.ready_for_pickup");
    assert_eq!(ready.len(), 1);
    assert_eq!(ready[0]["subject"], "O1");
    assert_eq!(ready[0]["data"]["pickup_code"], code.as_str());
    // A wrong code collects nothing.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (st, b) = s.post(
        "/v1/stores/S1/tasks/O1-S1/collected",
        &json!({"code": wrong}),
    );
    assert_refused(st, &b, "code");
    assert_eq!(s.stock("A")[1], ("S1".into(), 2, 1, 1));
    let (st, t) = s.post(
        "/v1/stores/S1/tasks/O1-S1/collected",
        &json!({"code": code}),
    );
    assert_eq!((st, &t["status"]), (200, &json!("collected")), "{t}");
    // The unit left the store's books; the order is done.
    assert_eq!(s.stock("A")[1], ("S1".into(), 1, 0, 1));
    let (_, o) = s.get("/v1/orders/O1");
    assert_eq!(o["status"], "shipped", "{o}");
    assert_eq!(events_of(&s, "order.picked_up").len(), 1);
    assert!(tasks(&s, "S1").is_empty());
    // More than the store has: the rest waits for the store, never the DC.
    let (_, o) = s.post("/v1/orders", &pickup_body("2", "S1", &[("A", 3)]));
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "S1", "{o}");
    assert_eq!(o["lines"][0]["backordered"], 2, "{o}");
    // Bad pickup orders name the field.
    let mut no_store = order_body("3", &[("A", 1)]);
    no_store["fulfillment"] = json!("pickup");
    let mut drone = order_body("4", &[("A", 1)]);
    drone["fulfillment"] = json!("drone");
    for (body, field) in [
        (no_store, "pickup_node"),
        (pickup_body("5", "DC1", &[("A", 1)]), "pickup_node"),
        (pickup_body("6", "NOPE", &[("A", 1)]), "pickup_node"),
        (drone, "fulfillment"),
    ] {
        let (st, b) = s.post("/v1/orders", &body);
        assert_refused(st, &b, field);
    }
}

#[test]
fn store_tasks_fill_each_day_up_to_the_store_capacity() {
    let s = Server::start();
    add_nodes(&s, &[node_at("S1", "store", 1, "02139")]);
    s.post("/v1/skus", &sku_body("A"));
    s.receive("S1", "A", 10);
    let (st, _) = put(
        &s,
        "/v1/sourcing/nodes/S1",
        &json!({"caps": {"ship": false, "ship_from_store": true, "pickup": true},
                "capacity_orders_day": 2}),
    );
    assert_eq!(st, 200);
    let mut placed = Vec::new();
    for i in 1..=3 {
        let (st, o) = s.post(
            "/v1/orders",
            &pickup_body(&i.to_string(), "S1", &[("A", 1)]),
        );
        assert_eq!(st, 201, "{o}");
        placed.push(o);
    }
    let today = parse_time(&placed[0]["placed_at"]).date_naive();
    let due: Vec<String> = tasks(&s, "S1")
        .iter()
        .map(|t| t["due_on"].as_str().unwrap().to_owned())
        .collect();
    let tomorrow = today + chrono::Days::new(1);
    assert_eq!(
        due,
        vec![today.to_string(), today.to_string(), tomorrow.to_string()]
    );
    let (st, b) = s.get("/v1/stores/NOPE/tasks");
    assert_eq!(st, 404, "{b}");
}

#[test]
fn a_ship_from_store_task_ships_or_is_rejected_and_sourced_again() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("S1", "store", 1, "02139"),
            node_at("DC1", "dc", 1, "90001"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.post("/v1/skus", &sku_body("B"));
    for sku in ["A", "B"] {
        s.receive("S1", sku, 5);
        s.receive("DC1", sku, 5);
    }
    let (_, o) = s.post("/v1/orders", &order_body("1", &[("A", 1)]));
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "S1", "{o}");
    let list = tasks(&s, "S1");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["kind"], "ship");
    let (st, b) = s.post("/v1/stores/S1/tasks/O1-S1/ready", &json!({}));
    assert_eq!(st, 409, "only pickup orders are made ready: {b}");
    let (st, t) = s.post(
        "/v1/stores/S1/tasks/O1-S1/shipped",
        &json!({"carrier": "UPS", "tracking": "1Z1"}),
    );
    assert_eq!((st, &t["status"]), (200, &json!("shipped")), "{t}");
    let (_, o) = s.get("/v1/orders/O1");
    assert_eq!(o["status"], "shipped");
    // The store cannot find the next one: the DC takes both its lines.
    let (_, o) = s.post("/v1/orders", &order_body("2", &[("A", 1), ("B", 1)]));
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "S1", "{o}");
    assert_eq!(o["lines"][1]["allocations"][0]["node"], "S1", "{o}");
    let (st, t) = s.post(
        "/v1/stores/S1/tasks/O2-S1/reject",
        &json!({"note": "not on the shelf"}),
    );
    assert_eq!((st, &t["status"]), (200, &json!("rejected")), "{t}");
    let (_, o) = s.get("/v1/orders/O2");
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "DC1", "{o}");
    assert_eq!(o["lines"][1]["allocations"][0]["node"], "DC1", "{o}");
    assert!(tasks(&s, "S1").is_empty());
    assert_eq!(
        events_of(&s, "store_task.created").len(),
        2,
        "one task per order, none re-made while the lines moved"
    );
    let (st, b) = s.get("/v1/stores/DC1/tasks");
    assert_refused(st, &b, "node");
}

#[test]
fn look_ahead_prices_from_regional_demand_show_in_the_explanation() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("DCE", "dc", 1, "07102"),
            node_at("DCW", "dc", 1, "90001"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DCE", "A", 7);
    s.receive("DCW", "A", 100);
    let (st, _) = put(
        &s,
        "/v1/sourcing/channels/market",
        &json!({"look_ahead": true}),
    );
    assert_eq!(st, 200);
    // Boston has bought five units, all from the east DC, which has two left.
    for i in 1..=5 {
        let (_, o) = s.post("/v1/orders", &order_body(&i.to_string(), &[("A", 1)]));
        assert_eq!(o["lines"][0]["allocations"][0]["node"], "DCE", "{o}");
        assert!(o["sourcing"]["look_ahead"].is_null(), "web is myopic: {o}");
    }
    assert!(events_of(&s, "sourcing.look_ahead_refreshed").is_empty());
    // The day's first look-ahead order refreshes the prices and weighs them.
    let mut body = order_body("6", &[("A", 1)]);
    body["channel"] = json!("market");
    let (st, o) = s.post("/v1/orders", &body);
    assert_eq!(st, 201, "{o}");
    let refreshed = events_of(&s, "sourcing.look_ahead_refreshed");
    assert_eq!(refreshed.len(), 1);
    let priced = &refreshed[0]["data"]["look_ahead"]["skus"][0];
    assert_eq!(priced["sku"], "A");
    assert_eq!(priced["demand"][0]["region"], "US-021");
    assert_eq!(priced["demand"][0]["units_in_window"], 5);
    let prices = priced["prices"].as_array().unwrap();
    assert_eq!(
        prices.len(),
        1,
        "only the scarce east DC is priced: {priced}"
    );
    assert_eq!(prices[0]["node"], "DCE");
    let cents = prices[0]["cents"].as_i64().unwrap();
    assert!(cents > 0, "{priced}");
    assert_eq!(
        o["sourcing"]["look_ahead"],
        json!([{"node": "DCE", "sku": "A", "cents": cents}]),
        "{o}"
    );
    let (_, again) = s.get("/v1/orders/O6");
    assert_eq!(again["sourcing"], o["sourcing"]);
    // A refresh on request counts the sixth order; bad windows are refused.
    let (st, r) = s.post("/v1/sourcing/lookahead/refresh", &json!({}));
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["skus"][0]["demand"][0]["units_in_window"], 6, "{r}");
    assert_eq!(r["skus"][0]["prices"][0]["node"], "DCE", "{r}");
    assert!(r["skus"][0]["prices"][0]["cents"].as_i64().unwrap() > 0);
    let (st, b) = s.post("/v1/sourcing/lookahead/refresh", &json!({"window_days": 0}));
    assert_refused(st, &b, "window_days");
    assert_eq!(events_of(&s, "sourcing.look_ahead_refreshed").len(), 2);
}

#[test]
fn replan_moves_an_order_to_newly_stocked_nearer_node_and_reports_the_saving() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("DCE", "dc", 1, "07102"),
            node_at("DCW", "dc", 1, "90001"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DCW", "A", 5);
    let (_, o) = s.post("/v1/orders", &order_body("1", &[("A", 1)]));
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "DCW", "{o}");
    // Stock arrives near the customer after the order was sourced.
    s.receive("DCE", "A", 5);
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tote"))
            .args(["source", "--replan", "--server", &s.base])
            .args(args)
            .output()
            .expect("run tote source")
    };
    let out = cli(&["--dry-run"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 would move"), "{text}");
    assert!(text.contains("O1: DCW -> DCE"), "{text}");
    assert!(
        text.contains("plans weighed in") && text.contains(", optimal"),
        "{text}"
    );
    assert_eq!(
        s.stock("A"),
        vec![("DCE".into(), 5, 0, 5), ("DCW".into(), 5, 1, 4)],
        "a dry run moves nothing"
    );
    // Not worth it under a high threshold.
    let (st, r) = s.post(
        "/v1/sourcing/replan",
        &json!({"threshold_cents": 1_000_000}),
    );
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["moved"], json!([]));
    let out = cli(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 moved"), "{text}");
    assert_eq!(
        s.stock("A"),
        vec![("DCE".into(), 5, 1, 4), ("DCW".into(), 5, 0, 5)]
    );
    let (_, o) = s.get("/v1/orders/O1");
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "DCE", "{o}");
    assert_eq!(o["lines"][0]["allocations"].as_array().unwrap().len(), 1);
    let replanned = events_of(&s, "order.allocated")
        .into_iter()
        .find(|e| e["data"]["reason"] == "replan")
        .expect("an allocation event for the move");
    let saving = replanned["data"]["replan"]["cost_before_cents"]
        .as_i64()
        .unwrap()
        - replanned["data"]["replan"]["cost_after_cents"]
            .as_i64()
            .unwrap();
    assert!(saving > 100, "{replanned}");
    // Nothing left to gain: nothing moves.
    let (_, r) = s.post("/v1/sourcing/replan", &json!({}));
    assert_eq!(
        (r["considered"].as_u64(), &r["moved"]),
        (Some(1), &json!([])),
        "{r}"
    );
    let (st, b) = s.post("/v1/sourcing/replan", &json!({"threshold_cents": -1}));
    assert_refused(st, &b, "threshold_cents");
}

#[test]
fn a_pickup_order_not_collected_is_cancelled_by_the_sweep_and_its_units_return() {
    let s = Server::start();
    add_nodes(&s, &[node_at("S1", "store", 1, "02139")]);
    s.post("/v1/skus", &sku_body("A"));
    s.receive("S1", "A", 3);
    // Collect the day it is ready, or the evening sweep cancels it.
    let (st, b) = put(
        &s,
        "/v1/sourcing/nodes/S1",
        &json!({"caps": {"ship": false, "pickup": true}, "pickup_hold_days": 0}),
    );
    assert_eq!(st, 200, "{b}");
    let (_, o) = s.post("/v1/orders", &pickup_body("1", "S1", &[("A", 2)]));
    assert_eq!(o["status"], "allocated", "{o}");
    // Not ready yet: the sweep leaves it.
    let (st, r) = s.post("/v1/stores/S1/tasks/expire", &json!({}));
    assert_eq!((st, &r["tasks"]), (200, &json!([])), "{r}");
    let (_, t) = s.post("/v1/stores/S1/tasks/O1-S1/ready", &json!({}));
    assert_eq!(
        t["collect_by"].as_str(),
        Some(&*parse_time(&o["placed_at"]).date_naive().to_string())
    );
    assert_eq!(s.stock("A"), vec![("S1".into(), 3, 2, 1)]);
    let (st, r) = s.post("/v1/stores/S1/tasks/expire", &json!({}));
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["tasks"][0]["id"], "O1-S1");
    assert_eq!(r["tasks"][0]["status"], "expired");
    let (_, o) = s.get("/v1/orders/O1");
    assert_eq!(o["status"], "cancelled", "{o}");
    assert_eq!(s.stock("A"), vec![("S1".into(), 3, 0, 3)], "back to stock");
    assert!(tasks(&s, "S1").is_empty());
    let (st, b) = put(
        &s,
        "/v1/sourcing/nodes/S1",
        &json!({"pickup_hold_days": 91}),
    );
    assert_refused(st, &b, "pickup_hold_days");
}

#[test]
fn replan_gives_a_contested_unit_to_the_order_that_saves_most() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("DCE", "dc", 1, "07102"),
            node_at("DCW", "dc", 1, "90001"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DCW", "A", 5);
    // Atlanta first, then Boston: both from the west DC.
    let mut atlanta = order_body("1", &[("A", 1)]);
    atlanta["ship_to"]["postal_code"] = json!("30301");
    atlanta["ship_to"]["city"] = json!("Atlanta");
    atlanta["ship_to"]["region"] = json!("GA");
    let (_, o1) = s.post("/v1/orders", &atlanta);
    let (_, o2) = s.post("/v1/orders", &order_body("2", &[("A", 1)]));
    for o in [&o1, &o2] {
        assert_eq!(o["lines"][0]["allocations"][0]["node"], "DCW", "{o}");
    }
    // One unit arrives in the east: both would gain, Boston (farther from the
    // west) more.
    s.receive("DCE", "A", 1);
    let (_, dry) = s.post(
        "/v1/sourcing/replan",
        &json!({"threshold_cents": 0, "dry_run": true}),
    );
    let (st, r) = s.post("/v1/sourcing/replan", &json!({"threshold_cents": 0}));
    assert_eq!(st, 200, "{r}");
    assert_eq!(dry["moved"], r["moved"], "a dry run reports the same moves");
    assert_eq!(
        (r["exact"].as_bool(), r["plans"].as_u64()),
        (Some(true), Some(4)),
        "{r}"
    );
    let moved = r["moved"].as_array().unwrap();
    assert_eq!(moved.len(), 1, "{r}");
    assert_eq!(moved[0]["order"], "O2", "{r}");
    assert_eq!(moved[0]["to"], json!(["DCE"]));
    let (_, o1) = s.get("/v1/orders/O1");
    assert_eq!(o1["lines"][0]["allocations"][0]["node"], "DCW", "{o1}");
}

#[test]
fn replan_moves_the_larger_saver_elsewhere_when_that_frees_a_contested_unit() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("DCE", "dc", 1, "07102"),
            node_at("DCW", "dc", 1, "90001"),
            node_at("DCM", "dc", 1, "15201"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DCW", "A", 5);
    // Atlanta buys through a channel that may not use the Pittsburgh DC.
    let (st, b) = put(
        &s,
        "/v1/sourcing/channels/b2b",
        &json!({"rules": {"exclude": ["DCM"]}}),
    );
    assert_eq!(st, 200, "{b}");
    let mut atlanta = order_body("1", &[("A", 1)]);
    atlanta["channel"] = json!("b2b");
    atlanta["ship_to"]["postal_code"] = json!("30301");
    atlanta["ship_to"]["city"] = json!("Atlanta");
    atlanta["ship_to"]["region"] = json!("GA");
    let (_, o1) = s.post("/v1/orders", &atlanta);
    let (_, o2) = s.post("/v1/orders", &order_body("2", &[("A", 1)]));
    for o in [&o1, &o2] {
        assert_eq!(o["lines"][0]["allocations"][0]["node"], "DCW", "{o}");
    }
    let saving = |m: &Value| {
        m["cost_before_cents"].as_i64().unwrap() - m["cost_after_cents"].as_i64().unwrap()
    };
    // One unit in New Jersey: Boston saves most there.
    s.receive("DCE", "A", 1);
    let (_, one) = s.post(
        "/v1/sourcing/replan",
        &json!({"threshold_cents": 0, "dry_run": true}),
    );
    let moved = one["moved"].as_array().unwrap();
    assert_eq!(
        (moved.len(), &moved[0]["order"]),
        (1, &json!("O2")),
        "{one}"
    );
    let boston_east = saving(&moved[0]);
    // A unit in Pittsburgh too, which only Boston may use.
    s.receive("DCM", "A", 1);
    let (st, r) = s.post("/v1/sourcing/replan", &json!({"threshold_cents": 0}));
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["exact"], true, "{r}");
    let moved = r["moved"].as_array().unwrap();
    let to: Vec<(&str, &str)> = moved
        .iter()
        .map(|m| (m["order"].as_str().unwrap(), m["to"][0].as_str().unwrap()))
        .collect();
    assert_eq!(to, vec![("O1", "DCE"), ("O2", "DCM")], "{r}");
    let (atlanta_east, boston_mid) = (saving(&moved[0]), saving(&moved[1]));
    // Priced alone: Boston saves 4.31 from New Jersey or Pittsburgh (the same
    // zone), Atlanta 1.44 from New Jersey. First come by largest saving gives
    // Boston the New Jersey unit and leaves Atlanta in the west (4.31); the
    // joint optimum sends Boston to Pittsburgh and Atlanta to New Jersey.
    assert_eq!(
        (boston_east, boston_mid, atlanta_east),
        (431, 431, 144),
        "{one} {r}"
    );
    let optimum = [
        boston_east,
        boston_mid,
        atlanta_east,
        atlanta_east + boston_mid,
    ]
    .into_iter()
    .max()
    .unwrap();
    assert_eq!(r["saving_cents"].as_i64(), Some(optimum), "{r}");
    assert_eq!(optimum, 575);
    let (_, o1) = s.get("/v1/orders/O1");
    assert_eq!(o1["lines"][0]["allocations"][0]["node"], "DCE", "{o1}");
    let (_, o2) = s.get("/v1/orders/O2");
    assert_eq!(o2["lines"][0]["allocations"][0]["node"], "DCM", "{o2}");
    // Nothing is left to gain.
    let (_, again) = s.post("/v1/sourcing/replan", &json!({"threshold_cents": 0}));
    assert_eq!(again["moved"], json!([]), "{again}");
}
