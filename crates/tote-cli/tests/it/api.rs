//! The API contract, as other tools call it.

use crate::server::{Server, assert_refused, order_body};
use serde_json::json;

#[test]
fn contract_example_receive_order_cancel() {
    let s = Server::start();
    let (st, b) = s.post(
        "/v1/skus",
        &json!({"sku":"TEE-M","name":"Tee M","weight_g":180,"dims_mm":[300,220,20],"unit_cost":"4.10","price":"19.00"}),
    );
    assert_eq!(st, 201, "{b}");
    assert_eq!(b["unit_cost"], "4.10");
    let (st, b) = s.post(
        "/v1/nodes",
        &json!({"code":"DC1","kind":"dc","name":"East DC","priority":1,"address":{"line1":"1 Main St","city":"Newark","region":"NJ","postal_code":"07102","country":"US"}}),
    );
    assert_eq!(st, 201, "{b}");
    let (st, b) = s.post(
        "/v1/inventory/receipts",
        &json!({"node":"DC1","lines":[{"sku":"TEE-M","qty":100}]}),
    );
    assert_eq!(st, 201, "{b}");
    assert_eq!(b["lines"][0]["location"], "RECEIVING");

    let (st, b) = s.get("/v1/inventory?sku=TEE-M");
    assert_eq!(st, 200);
    assert_eq!(
        b["items"],
        json!([{"node":"DC1","sku":"TEE-M","on_hand":100,"reserved":0,"available":100,"damaged":0,"quarantine":0,
                "returns_pending":0,"refurbish":0,"liquidation":0}])
    );

    let (st, order) = s.post("/v1/orders", &order_body("1001", &[("TEE-M", 1)]));
    assert_eq!(st, 201, "{order}");
    assert_eq!(order["status"], "allocated");
    assert_eq!(order["lines"][0]["sku"], "TEE-M");
    assert_eq!(order["lines"][0]["qty"], 1);
    assert_eq!(order["lines"][0]["allocations"][0]["node"], "DC1");
    assert_eq!(order["lines"][0]["allocations"][0]["qty"], 1);
    assert_eq!(order["lines"][0]["backordered"], 0);
    assert_eq!(s.stock("TEE-M"), vec![("DC1".into(), 100, 1, 99)]);

    let id = order["id"].as_str().unwrap();
    let (st, got) = s.get(&format!("/v1/orders/{id}"));
    assert_eq!((st, &got), (200, &order));

    let (st, cancelled) = s.post(&format!("/v1/orders/{id}/cancel"), &json!({}));
    assert_eq!(st, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["lines"][0]["allocations"], json!([]));
    assert_eq!(s.stock("TEE-M"), vec![("DC1".into(), 100, 0, 100)]);
    // Cancelling again is harmless.
    let (st, again) = s.post(&format!("/v1/orders/{id}/cancel"), &json!({}));
    assert_eq!((st, again["status"].as_str()), (200, Some("cancelled")));
}

#[test]
fn lines_no_node_can_fill_are_backordered_partly_or_whole() {
    let s = Server::start();
    s.setup(&["A", "B"]);
    s.receive("DC1", "A", 2);
    s.receive("DC2", "A", 1);
    let (st, o) = s.post("/v1/orders", &order_body("1", &[("A", 5), ("B", 1)]));
    assert_eq!(st, 201, "{o}");
    assert_eq!(o["status"], "partially_allocated");
    // Split in priority order: DC1 first, then DC2; the rest waits.
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "DC1");
    assert_eq!(o["lines"][0]["allocations"][0]["qty"], 2);
    assert_eq!(o["lines"][0]["allocations"][1]["node"], "DC2");
    assert_eq!(o["lines"][0]["backordered"], 2);
    assert_eq!(o["lines"][1]["backordered"], 1);
    let (_, o2) = s.post("/v1/orders", &order_body("2", &[("B", 1)]));
    assert_eq!(o2["status"], "backordered");
}

#[test]
fn a_node_that_ships_the_whole_order_is_preferred_over_a_split() {
    let s = Server::start();
    s.setup(&["A", "B"]);
    s.receive("DC1", "A", 5);
    s.receive("DC2", "A", 5);
    s.receive("DC2", "B", 5);
    let (_, o) = s.post("/v1/orders", &order_body("1", &[("A", 1), ("B", 1)]));
    assert_eq!(o["lines"][0]["allocations"][0]["node"], "DC2");
    assert_eq!(o["lines"][1]["allocations"][0]["node"], "DC2");
}

#[test]
fn retried_idempotency_key_returns_first_answer() {
    let s = Server::start();
    s.setup(&["A"]);
    s.receive("DC1", "A", 5);
    let send = |body: &serde_json::Value| {
        let r = s
            .client
            .post(s.url("/v1/orders"))
            .header("Idempotency-Key", "order-1001")
            .json(body)
            .send()
            .unwrap();
        let replayed = r.headers().get("idempotent-replayed").is_some();
        let (st, b) = Server::read(r);
        (st, b, replayed)
    };
    let body = order_body("1001", &[("A", 1)]);
    let (st1, first, replayed1) = send(&body);
    let (st2, second, replayed2) = send(&body);
    assert_eq!((st1, replayed1), (201, false));
    assert_eq!((st2, replayed2), (201, true));
    assert_eq!(first, second);
    assert_eq!(s.stock("A"), vec![("DC1".into(), 5, 1, 4)]);
    let (st3, problem, _) = send(&order_body("1002", &[("A", 1)]));
    assert_refused(st3, &problem, "Idempotency-Key");
    assert_eq!(s.stock("A"), vec![("DC1".into(), 5, 1, 4)]);
}

#[test]
fn adjustments_move_units_with_their_reason() {
    let s = Server::start();
    s.setup(&["A"]);
    s.receive("DC1", "A", 10);
    let (st, b) = s.post(
        "/v1/inventory/adjustments",
        &json!({"node": "DC1", "lines": [
            {"sku": "A", "qty": -2, "reason": "damage"},
            {"sku": "A", "qty": -1, "reason": "shrink"},
            {"sku": "A", "qty": 3, "reason": "found"},
            {"sku": "A", "qty": -1, "reason": "count_variance"}]}),
    );
    assert_eq!(st, 201, "{b}");
    let (_, inv) = s.get("/v1/inventory?sku=A");
    assert_eq!(inv["items"][0]["on_hand"], 9);
    assert_eq!(inv["items"][0]["damaged"], 2);
    let (st, b) = s.post(
        "/v1/inventory/adjustments",
        &json!({"node": "DC1", "lines": [{"sku": "A", "qty": 1, "reason": "shrink"}]}),
    );
    assert_eq!(st, 422);
    assert_eq!(b["errors"][0]["field"], "lines[0].qty");
}

#[test]
fn events_page_through_every_change_in_commit_order() {
    let s = Server::start();
    s.setup(&["A"]);
    s.receive("DC1", "A", 1);
    let (_, o) = s.post("/v1/orders", &order_body("1", &[("A", 2)]));
    let id = o["id"].as_str().unwrap();
    s.post(&format!("/v1/orders/{id}/cancel"), &json!({}));
    let mut kinds = Vec::new();
    let mut seqs = Vec::new();
    let mut after = "0".to_owned();
    loop {
        let (st, page) = s.get(&format!("/v1/events?after={after}&limit=2"));
        assert_eq!(st, 200);
        let items = page["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for e in items {
            kinds.push(e["kind"].as_str().unwrap().to_owned());
            seqs.push(e["seq"].as_u64().unwrap());
        }
        after = page["next_cursor"].as_str().unwrap().to_owned();
    }
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_eq!(
        kinds,
        [
            "node.created",
            "node.created",
            "sku.created",
            "inventory.received",
            "order.placed",
            "order.allocated",
            "order.backordered",
            "order.cancelled"
        ]
    );
}

#[test]
fn orders_list_filters_and_pages_newest_first() {
    let s = Server::start();
    s.setup(&["A"]);
    s.receive("DC1", "A", 3);
    for i in 0..5 {
        s.post("/v1/orders", &order_body(&i.to_string(), &[("A", 1)]));
    }
    let (_, p1) = s.get("/v1/orders?limit=2");
    let ids: Vec<_> = p1["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["external_id"].clone())
        .collect();
    assert_eq!(ids, [json!("4"), json!("3")]);
    let cursor = p1["next_cursor"].as_str().unwrap();
    let (_, p2) = s.get(&format!("/v1/orders?limit=2&cursor={cursor}"));
    assert_eq!(p2["items"][0]["external_id"], "2");
    let (_, back) = s.get("/v1/orders?status=backordered");
    assert_eq!(back["items"].as_array().unwrap().len(), 2);
    assert!(back.get("next_cursor").is_none());
}

#[test]
fn openapi_health_and_metrics_are_served() {
    let s = Server::start();
    let (st, doc) = s.get("/openapi.json");
    assert_eq!(st, 200);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/v1/orders",
        "/v1/orders/{id}/cancel",
        "/v1/inventory",
        "/v1/skus",
        "/v1/events",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert_eq!(s.get("/healthz"), (200, json!({"status": "ok"})));
    s.setup(&["A"]);
    let text = s
        .client
        .get(s.url("/metrics"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    for metric in [
        "tote_http_requests_total",
        "tote_http_request_duration_seconds_bucket",
        "tote_writer_commit_group_commands_bucket",
        "tote_writer_commit_duration_seconds_bucket",
    ] {
        assert!(
            text.contains(metric),
            "{metric} missing from /metrics:\n{text}"
        );
    }
}

#[test]
fn an_order_keeps_its_promise_dates_and_what_the_customer_paid() {
    let s = Server::start();
    s.setup(&["TEE-M", "CAP"]);
    s.receive("DC1", "TEE-M", 5);
    s.receive("DC1", "CAP", 5);
    let mut body = order_body("2001", &[("TEE-M", 2), ("CAP", 1)]);
    body["email"] = json!("ana@example.com");
    body["ship_by"] = json!("2026-11-26T17:00:00Z");
    body["deliver_by"] = json!("2026-11-30");
    body["shipping_charge"] = json!("5.95");
    body["discount"] = json!("3.00");
    body["lines"][0]["unit_price"] = json!("15.00");
    body["lines"][0]["discount"] = json!("1.50");
    let (st, order) = s.post("/v1/orders", &body);
    assert_eq!(st, 201, "{order}");
    assert_eq!(order["email"], "ana@example.com");
    assert_eq!(order["ship_by"], "2026-11-26T17:00:00Z");
    assert_eq!(order["deliver_by"], "2026-11-30");
    assert_eq!(order["shipping_charge"], "5.95");
    assert_eq!(order["discount"], "3.00");
    assert_eq!(order["lines"][0]["unit_price"], "15.00");
    assert_eq!(order["lines"][0]["discount"], "1.50");
    // A line without a price was sold at the SKU's price at placement.
    assert_eq!(order["lines"][1]["unit_price"], "19.00");
    assert!(order["lines"][1].get("discount").is_none());
}

#[test]
fn malformed_promise_and_payment_fields_are_named_and_change_nothing() {
    let s = Server::start();
    s.setup(&["TEE-M"]);
    s.receive("DC1", "TEE-M", 5);
    for (field, value, named) in [
        ("email", json!("not-an-address"), "email"),
        ("ship_by", json!("tomorrow"), "ship_by"),
        ("shipping_charge", json!("-1.00"), "shipping_charge"),
        ("discount", json!("1.00001"), "discount"),
    ] {
        let mut body = order_body("3001", &[("TEE-M", 1)]);
        body[field] = value;
        let (st, b) = s.post("/v1/orders", &body);
        assert_eq!(st, 422, "{field}: {b}");
        assert!(b.to_string().contains(named), "{field}: {b}");
    }
    let mut body = order_body("3001", &[("TEE-M", 1)]);
    body["lines"][0]["unit_price"] = json!("-2");
    let (st, b) = s.post("/v1/orders", &body);
    assert_eq!(st, 422, "{b}");
    assert!(b.to_string().contains("lines[0].unit_price"), "{b}");
    assert_eq!(s.stock("TEE-M"), vec![("DC1".into(), 5, 0, 5)]);
}
