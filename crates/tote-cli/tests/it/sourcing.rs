//! Sourcing through the API: cost-based choice with its explanation, node
//! profiles and channel policies, availability per channel, delivery promises,
//! and backorders filled on receipt.

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

fn availability(s: &Server, sku: &str, channel: &str) -> Vec<(String, i64, i64)> {
    let (st, b) = s.get(&format!("/v1/availability?sku={sku}&channel={channel}"));
    assert_eq!(st, 200, "{b}");
    let rows: Vec<(String, i64, i64)> = b["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["node"].as_str().unwrap().to_owned(),
                n["available"].as_i64().unwrap(),
                n["channel_available"].as_i64().unwrap(),
            )
        })
        .collect();
    let total: i64 = rows.iter().map(|r| r.2).sum();
    assert_eq!(b["total"], total);
    rows
}

#[test]
fn an_order_goes_to_the_cheapest_node_and_says_why() {
    let s = Server::start();
    // The west DC has the better priority number but is across the country from Boston.
    add_nodes(
        &s,
        &[
            node_at("DCW", "dc", 1, "90001"),
            node_at("DCE", "dc", 2, "07102"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DCW", "A", 5);
    s.receive("DCE", "A", 5);
    let (st, o) = s.post("/v1/orders", &order_body("1", &[("A", 1)]));
    assert_eq!(st, 201, "{o}");
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "DCE");
    let d = &o["sourcing"];
    assert_eq!(d["shipments"][0]["node"], "DCE");
    assert!(
        d["why"].as_str().unwrap().starts_with("costs "),
        "{}",
        d["why"]
    );
    let priced: Vec<&str> = d["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["nodes"][0].as_str().unwrap())
        .collect();
    assert_eq!(priced, vec!["DCE", "DCW"]);
    let (_, got) = s.get("/v1/orders/O1");
    assert_eq!(
        got["sourcing"], *d,
        "the explanation is on the order's page"
    );
}

#[test]
fn store_buffer_and_channel_share_shape_availability() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("DC1", "dc", 1, "07102"),
            node_at("S1", "store", 1, "02139"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DC1", "A", 10);
    s.receive("S1", "A", 5);
    let (st, b) = put(
        &s,
        "/v1/sourcing/nodes/S1",
        &json!({"caps": {"ship": false, "ship_from_store": true}, "safety_buffer_units": 2,
                "handling_order_cents": 300}),
    );
    assert_eq!(st, 200, "{b}");
    let (st, b) = put(
        &s,
        "/v1/sourcing/channels/marketplace",
        &json!({"share_pct": 80}),
    );
    assert_eq!(st, 200, "{b}");
    assert_eq!(
        availability(&s, "A", "web"),
        vec![("DC1".into(), 10, 10), ("S1".into(), 5, 3)]
    );
    assert_eq!(
        availability(&s, "A", "marketplace"),
        vec![("DC1".into(), 10, 8), ("S1".into(), 5, 2)]
    );
    // Wholesale only from DC1.
    let (st, _) = put(
        &s,
        "/v1/sourcing/channels/wholesale",
        &json!({"nodes": ["DC1"]}),
    );
    assert_eq!(st, 200);
    assert_eq!(
        availability(&s, "A", "wholesale"),
        vec![("DC1".into(), 10, 10), ("S1".into(), 5, 0)]
    );
}

#[test]
fn bad_sourcing_settings_name_the_field_and_change_nothing() {
    let s = Server::start();
    add_nodes(&s, &[node_at("DC1", "dc", 1, "07102")]);
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DC1", "A", 10);
    for (body, field) in [
        (json!({"nodes": ["NOPE"]}), "nodes[0]"),
        (json!({"share_pct": 0}), "share_pct"),
        (json!({"rules": {"exclude": ["X"]}}), "rules.exclude[0]"),
        (json!({"share": 50}), "share"),
    ] {
        let (st, b) = put(&s, "/v1/sourcing/channels/market", &body);
        assert_eq!(st, 422, "{b}");
        assert_eq!(b["errors"][0]["field"], field, "{b}");
    }
    let (st, b) = put(
        &s,
        "/v1/sourcing/nodes/DC1",
        &json!({"handling_order_cents": -1}),
    );
    assert_eq!(
        (st, b["errors"][0]["field"].as_str()),
        (422, Some("handling_order_cents"))
    );
    let (st, _) = put(&s, "/v1/sourcing/nodes/NOPE", &json!({}));
    assert_eq!(st, 404);
    assert_eq!(
        availability(&s, "A", "market"),
        vec![("DC1".into(), 10, 10)]
    );
    let (st, b) = s.get("/v1/availability?sku=NOPE&channel=web");
    assert_eq!((st, b["errors"][0]["field"].as_str()), (422, Some("sku")));
    let (st, b) = s.get("/v1/availability?sku=A");
    assert_refused(st, &b, "channel");
}

#[test]
fn an_excluded_node_is_not_sourced_and_the_order_explains_it() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("DC1", "dc", 1, "07102"),
            node_at("DC2", "dc", 2, "60601"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DC1", "A", 5);
    s.receive("DC2", "A", 5);
    let (st, _) = put(
        &s,
        "/v1/sourcing/channels/web",
        &json!({"rules": {"exclude": ["DC1"]}}),
    );
    assert_eq!(st, 200);
    let (_, o) = s.post("/v1/orders", &order_body("1", &[("A", 1)]));
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "DC2");
    assert_eq!(o["sourcing"]["rejected"][0]["node"], "DC1");
    assert_eq!(
        o["sourcing"]["rejected"][0]["reason"],
        "excluded by the channel's rules"
    );
}

#[test]
fn backorders_are_filled_on_receipt_by_channel_priority_then_order_time() {
    let s = Server::start();
    add_nodes(&s, &[node_at("DC1", "dc", 1, "07102")]);
    s.post("/v1/skus", &sku_body("A"));
    let (st, _) = put(
        &s,
        "/v1/sourcing/channels/wholesale",
        &json!({"priority": 5}),
    );
    assert_eq!(st, 200);
    let mut wholesale = order_body("W1", &[("A", 2)]);
    wholesale["channel"] = json!("wholesale");
    let (_, w) = s.post("/v1/orders", &wholesale);
    let (_, a) = s.post("/v1/orders", &order_body("1", &[("A", 2)]));
    let (_, b) = s.post("/v1/orders", &order_body("2", &[("A", 2)]));
    for o in [&w, &a, &b] {
        assert_eq!(o["status"], "backordered", "{o}");
    }
    // 3 units: web order 1 (2), then web order 2 (1); wholesale waits.
    s.receive("DC1", "A", 3);
    let status = |id: &Value| {
        let (_, o) = s.get(&format!("/v1/orders/{}", id.as_str().unwrap()));
        (
            o["status"].as_str().unwrap().to_owned(),
            o["lines"][0]["backordered"].as_i64().unwrap(),
        )
    };
    assert_eq!(status(&a["id"]), ("allocated".into(), 0));
    assert_eq!(status(&b["id"]), ("partially_allocated".into(), 1));
    assert_eq!(status(&w["id"]), ("backordered".into(), 2));
    assert_eq!(s.stock("A"), vec![("DC1".into(), 3, 3, 0)]);
    s.receive("DC1", "A", 10);
    assert_eq!(status(&b["id"]), ("allocated".into(), 0));
    assert_eq!(status(&w["id"]), ("allocated".into(), 0));
    assert_eq!(s.stock("A"), vec![("DC1".into(), 13, 6, 7)]);
    // Cancelling a filled backorder releases every unit it now holds.
    let (st, _) = s.post(
        &format!("/v1/orders/{}/cancel", w["id"].as_str().unwrap()),
        &json!({}),
    );
    assert_eq!(st, 200);
    assert_eq!(s.stock("A"), vec![("DC1".into(), 13, 4, 9)]);
}

#[test]
fn promise_gives_the_earliest_date_per_service_with_its_cost() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("DCE", "dc", 1, "07102"),
            node_at("DCW", "dc", 1, "90001"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DCE", "A", 1);
    s.receive("DCW", "A", 5);
    let (st, p) = s.get("/v1/promise?sku=A&qty=1&postal_code=02101&country=US&channel=web");
    assert_eq!(st, 200, "{p}");
    let options = p["options"].as_array().unwrap();
    assert!(!options.is_empty(), "{p}");
    for o in options {
        assert!(o["deliver_on"].as_str() >= o["ship_on"].as_str(), "{o}");
        assert!(o["cost"].as_str().unwrap().parse::<f64>().unwrap() > 0.0);
    }
    let ground = options
        .iter()
        .find(|o| o["service"] == "parcelo/ground")
        .expect("ground");
    assert_eq!(ground["node"], "DCE", "the nearer node delivers first");
    // Two units: only the west DC has them.
    let (_, p2) = s.get("/v1/promise?sku=A&qty=2&postal_code=02101&country=US&channel=web");
    let ground2 = p2["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["service"] == "parcelo/ground")
        .expect("ground");
    assert_eq!(ground2["node"], "DCW");
    assert!(ground2["deliver_on"].as_str() >= ground["deliver_on"].as_str());
    for (query, field) in [
        (
            "sku=A&qty=0&postal_code=02101&country=US&channel=web",
            "qty",
        ),
        (
            "sku=A&qty=1&postal_code=02101&country=USA&channel=web",
            "country",
        ),
        ("sku=A&qty=1&postal_code=02101&country=US", "channel"),
    ] {
        let (st, b) = s.get(&format!("/v1/promise?{query}"));
        assert_refused(st, &b, field);
    }
}

#[test]
fn sourcing_settings_survive_a_restart() {
    let s = Server::start();
    add_nodes(&s, &[node_at("DC1", "dc", 1, "07102")]);
    s.post("/v1/skus", &sku_body("A"));
    s.receive("DC1", "A", 10);
    let (st, _) = put(
        &s,
        "/v1/sourcing/channels/market",
        &json!({"share_pct": 50}),
    );
    assert_eq!(st, 200);
    let (st, _) = put(
        &s,
        "/v1/sourcing/nodes/DC1",
        &json!({"handling_order_cents": 150}),
    );
    assert_eq!(st, 200);
    let (data, dir) = s.kill();
    let s = Server::start_on(&data);
    assert_eq!(availability(&s, "A", "market"), vec![("DC1".into(), 10, 5)]);
    let (st, p) = s.get("/v1/sourcing/channels/market");
    assert_eq!((st, &p["policy"]["share_pct"]), (200, &json!(50)));
    assert_eq!(
        p["policy"]["rules"]["split_penalty_cents"], 200,
        "defaults fill the rest"
    );
    let (_, n) = s.get("/v1/sourcing/nodes/DC1");
    assert_eq!(n["profile"]["handling_order_cents"], 150);
    assert_eq!(n["profile"]["caps"]["ship"], true);
    let (st, _) = s.get("/v1/sourcing/nodes/NOPE");
    assert_eq!(st, 404);
    drop(s);
    drop(dir);
}

#[test]
fn bench_sourcing_reports_every_policy_and_refuses_bad_flags() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tote"))
            .args(["bench", "sourcing"])
            .args(args)
            .output()
            .expect("run tote bench sourcing")
    };
    let out = run(&["--days", "3", "--orders-per-day", "20", "--skus", "2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["myopic", "look-ahead", "clairvoyant LP", "closes"] {
        assert!(text.contains(word), "{text}");
    }
    let out = run(&["--stock-ratio", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_store_rejection_re_sources_the_line_at_once() {
    let s = Server::start();
    add_nodes(
        &s,
        &[
            node_at("S1", "store", 1, "02139"),
            node_at("DC1", "dc", 1, "60601"),
        ],
    );
    s.post("/v1/skus", &sku_body("A"));
    s.receive("S1", "A", 3);
    s.receive("DC1", "A", 1);
    let (_, o) = s.post("/v1/orders", &order_body("1", &[("A", 2)]));
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "S1", "{o}");
    let id = o["id"].as_str().unwrap();
    // The store did not find them: DC1 takes what it has, the rest waits.
    let (st, r) = s.post(
        &format!("/v1/orders/{id}/reject"),
        &json!({"node": "S1", "sku": "A", "note": "not on the shelf"}),
    );
    assert_eq!(st, 200, "{r}");
    let allocations = r["lines"][0]["allocations"].as_array().unwrap();
    assert_eq!(allocations.len(), 1, "{r}");
    assert_eq!(allocations[0]["node"], "DC1");
    assert_eq!(allocations[0]["qty"], 1);
    assert_eq!(r["lines"][0]["backordered"], 1);
    assert_eq!(r["status"], "partially_allocated");
    let (_, events) = s.get("/v1/events?after=0");
    let rejected = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "order.line_rejected")
        .expect("a line_rejected event");
    assert_eq!(rejected["data"]["node"], "S1");
    assert_eq!(rejected["data"]["sourcing"]["rejected"][0]["node"], "S1");
    // Rejecting at a node that holds nothing of the line changes nothing.
    let (st, b) = s.post(
        &format!("/v1/orders/{id}/reject"),
        &json!({"node": "S1", "sku": "A"}),
    );
    assert_refused(st, &b, "node");
    let (_, again) = s.get(&format!("/v1/orders/{id}"));
    assert_eq!(again["lines"], r["lines"]);
    let (st, _) = s.post("/v1/orders/O99/reject", &json!({"node": "S1", "sku": "A"}));
    assert_eq!(st, 404);
}
