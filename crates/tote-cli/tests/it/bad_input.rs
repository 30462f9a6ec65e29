//! Every bad input gets a 4xx problem+json naming the field, and changes nothing.

use crate::server::{Server, order_body, sku_body};
use serde_json::{Value, json};

/// The events so far and every balance: what "changes nothing" compares.
fn snapshot(s: &Server) -> (Value, Value) {
    (
        s.get("/v1/events?limit=1000").1["items"].clone(),
        s.get("/v1/inventory").1,
    )
}

fn raw(
    s: &Server,
    method: reqwest::Method,
    path: &str,
    ctype: Option<&str>,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut r = s.client.request(method, s.url(path)).body(body);
    if let Some(c) = ctype {
        r = r.header("content-type", c);
    }
    Server::read(r.send().unwrap())
}

#[track_caller]
fn check(s: &Server, path: &str, body: &Value, status: u16, field: &str) {
    let before = snapshot(s);
    let (st, problem) = s.post(path, body);
    assert_eq!(st, status, "{problem}");
    let fields: Vec<_> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert!(
        fields.contains(&json!(field)),
        "expected {field} in {problem}"
    );
    assert_eq!(snapshot(s), before, "a refused request changed something");
}

#[test]
fn invalid_fields_are_named_and_change_nothing() {
    let s = Server::start();
    s.setup(&["A"]);
    s.receive("DC1", "A", 5);
    let mut colour = sku_body("B");
    colour["colour"] = json!("red");
    check(&s, "/v1/skus", &colour, 422, "colour");
    let mut gtin = sku_body("B");
    gtin["gtin"] = json!("4006381333932");
    check(&s, "/v1/skus", &gtin, 422, "gtin");
    let mut cost = sku_body("B");
    cost["unit_cost"] = json!("abc");
    check(&s, "/v1/skus", &cost, 422, "unit_cost");
    check(
        &s,
        "/v1/orders",
        &order_body("1", &[("NOPE", 1)]),
        422,
        "lines[0].sku",
    );
    check(
        &s,
        "/v1/orders",
        &order_body("1", &[("A", 0)]),
        422,
        "lines[0].qty",
    );
    check(
        &s,
        "/v1/orders",
        &order_body("1", &[("A", -3)]),
        422,
        "lines[0].qty",
    );
    let mut typed = order_body("1", &[("A", 1)]);
    typed["lines"][0]["qty"] = json!("one");
    check(&s, "/v1/orders", &typed, 422, "lines[0].qty");
    let mut missing = order_body("1", &[("A", 1)]);
    missing.as_object_mut().unwrap().remove("ship_to");
    check(&s, "/v1/orders", &missing, 422, "ship_to");
    check(&s, "/v1/orders", &order_body("1", &[]), 422, "lines");
    check(
        &s,
        "/v1/inventory/receipts",
        &json!({"node": "DC9", "lines": [{"sku": "A", "qty": 1}]}),
        422,
        "node",
    );
    check(
        &s,
        "/v1/inventory/receipts",
        &json!({"node": "DC1", "lines": [{"sku": "A", "qty": 1, "location": "Z-9"}]}),
        422,
        "lines[0].location",
    );
    let dup = s.post("/v1/skus", &sku_body("A"));
    assert_eq!(dup.0, 409, "{}", dup.1);
}

#[test]
fn malformed_and_oversized_bodies_are_refused() {
    let s = Server::start();
    s.setup(&["A"]);
    let before = snapshot(&s);
    let json_ct = Some("application/json");
    let (st, p) = raw(
        &s,
        reqwest::Method::POST,
        "/v1/orders",
        json_ct,
        b"{\"external_id\": ".to_vec(),
    );
    assert_eq!(st, 400, "{p}");
    let (st, _) = raw(
        &s,
        reqwest::Method::POST,
        "/v1/orders",
        json_ct,
        b"{\"external_id\":\"1\",,}".to_vec(),
    );
    assert_eq!(st, 400);
    let (st, _) = raw(
        &s,
        reqwest::Method::POST,
        "/v1/orders",
        json_ct,
        b"{} trailing".to_vec(),
    );
    assert_eq!(st, 400);
    let (st, _) = raw(
        &s,
        reqwest::Method::POST,
        "/v1/orders",
        None,
        b"{}".to_vec(),
    );
    assert_eq!(st, 415);
    // The server answers 413 as soon as the body passes the limit and then closes the
    // connection, which a client still sending may see as a reset instead of the
    // answer: try a few times and require that every answer that arrives is a 413.
    let huge = format!("{{\"external_id\": \"{}\"}}", "x".repeat(2 << 20));
    let answered: Vec<u16> = (0..5)
        .filter_map(|_| {
            let r = reqwest::blocking::Client::new()
                .post(s.url("/v1/orders"))
                .header("content-type", "application/json")
                .body(huge.clone())
                .send();
            r.ok().map(|r| r.status().as_u16())
        })
        .collect();
    assert!(
        !answered.is_empty() && answered.iter().all(|&st| st == 413),
        "{answered:?}"
    );
    let (st, _) = raw(
        &s,
        reqwest::Method::POST,
        "/v1/orders",
        json_ct,
        vec![0xff, 0xfe, 0x00],
    );
    assert_eq!(st, 400);
    assert_eq!(s.get("/v1/nowhere").0, 404);
    assert_eq!(
        raw(&s, reqwest::Method::DELETE, "/v1/orders", None, vec![]).0,
        405
    );
    assert_eq!(s.get("/v1/orders/O999").0, 404);
    assert_eq!(s.get("/v1/orders/garbage").0, 404);
    assert_eq!(s.get("/v1/orders?limit=0").0, 422);
    assert_eq!(s.get("/v1/orders?colour=red").0, 422);
    assert_eq!(s.get("/v1/orders?cursor=%%%").0, 422);
    assert_eq!(s.get("/v1/events?after=x").0, 422);
    assert_eq!(snapshot(&s), before);
}

/// Random damage to a valid order body: whatever arrives, the answer is never a 5xx.
#[test]
fn no_input_makes_the_server_fail() {
    let s = Server::start();
    s.setup(&["A"]);
    s.receive("DC1", "A", 1_000);
    let valid = serde_json::to_vec(&order_body("1", &[("A", 1)])).unwrap();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let replacements: [&[u8]; 8] = [
        b"-1",
        b"null",
        b"\"\"",
        b"[]",
        b"{}",
        b"1e309",
        b"9999999999999999999999",
        b"\"\\u0000\"",
    ];
    for i in 0..300 {
        let mut body = valid.clone();
        match next() % 3 {
            0 => {
                let at = (next() as usize) % body.len();
                body[at] = (next() % 256) as u8;
            }
            1 => {
                let at = (next() as usize) % body.len();
                body.truncate(at);
            }
            _ => {
                let text = String::from_utf8_lossy(&body).into_owned();
                let r = replacements[(next() as usize) % replacements.len()];
                let text = text.replacen(
                    "1",
                    std::str::from_utf8(r).unwrap(),
                    1 + (next() % 3) as usize,
                );
                body = text.replace("\"1\"", &format!("\"{i}\"")).into_bytes();
            }
        }
        let (st, b) = raw(
            &s,
            reqwest::Method::POST,
            "/v1/orders",
            Some("application/json"),
            body.clone(),
        );
        assert!(
            st < 500,
            "{st} for {:?}: {b}",
            String::from_utf8_lossy(&body)
        );
    }
    let stock = s.stock("A");
    assert!(stock.iter().all(
        |(_, on_hand, reserved, available)| *available >= 0 && on_hand - reserved == *available
    ));
}

/// Quantities at the edges of what JSON integers can say: refused by name, never a crash.
#[test]
fn extreme_quantities_are_refused_by_name() {
    let s = Server::start();
    s.setup(&["A"]);
    s.receive("DC1", "A", 5);
    for qty in [
        i64::MIN,
        i64::MIN + 1,
        -1_000_000_001,
        1_000_000_001,
        i64::MAX,
    ] {
        for (path, body) in [
            (
                "/v1/inventory/adjustments",
                json!({"node": "DC1", "lines": [{"sku": "A", "qty": qty, "reason": "count_variance"}]}),
            ),
            (
                "/v1/inventory/receipts",
                json!({"node": "DC1", "lines": [{"sku": "A", "qty": qty}]}),
            ),
            ("/v1/orders", order_body("1", &[("A", qty)])),
        ] {
            check(&s, path, &body, 422, "lines[0].qty");
        }
    }
    let (st, big) = s.post("/v1/orders", &json!({"external_id": "1", "channel": "web", "ship_to": {}, "lines": [{"sku": "A", "qty": 1e300}]}));
    assert_eq!(st, 422, "{big}");
    assert_eq!(s.get("/healthz").0, 200);
}
