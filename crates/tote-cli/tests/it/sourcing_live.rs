//! Sourcing in the live engine: delivery promises steer the choice and set the
//! ship-by, node calendars, and daily capacity that survives a restart.

use crate::server::{Server, order_body, sku_body};
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
    assert_eq!(
        (st, b["errors"][0]["field"].as_str()),
        (422, Some("ship_by_hours")),
        "{b}"
    );
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
    assert_eq!(first["lines"][0]["allocations"][0]["node"], "DCE", "{first}");
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
