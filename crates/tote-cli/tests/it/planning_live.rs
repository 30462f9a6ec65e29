//! Planning from the books, through the API of the real binary.
//!
//! Goal: two weeks of orders placed through the service become a demand
//! forecast that adds up (SKU-node to node to total) and replenishment that
//! a buyer approves into a real PO (an ASN) and a real transfer order, and
//! receiving both keeps the books true.
//!
//! Method: the same data directory is served fourteen times, each time with
//! the clock set back one day less (`TOTE_CLOCK_OFFSET_DAYS`), and that day's
//! orders placed. TEE sells from DC2 (stocked only there at first), MUG from
//! DC1; on the last day DC1 receives 1,000 TEE it has no demand for. The plan
//! must move TEE from DC1 to DC2 and buy MUG for DC1. A restart at the end
//! checks every ledger invariant while loading.

use crate::server::{Server, node, ok, order_body, sku_body};
use serde_json::{Value, json};

const DAYS: i64 = 14;

/// TEE units ordered on day d (a Friday-like peak every seventh day).
fn tee(d: i64) -> i64 {
    10 + if d % 7 == 4 { 8 } else { 0 }
}

fn mug(_d: i64) -> i64 {
    5
}

fn on_hand(s: &Server, sku: &str, node: &str) -> i64 {
    s.stock(sku)
        .into_iter()
        .find(|r| r.0 == node)
        .map_or(0, |r| r.1)
}

fn all_events(s: &Server) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = "0".to_owned();
    loop {
        let (st, b) = s.get(&format!("/v1/events?after={after}&limit=1000"));
        ok(st, 200, &b);
        let items = b["items"].as_array().unwrap();
        if items.is_empty() {
            return out;
        }
        out.extend(items.iter().cloned());
        after = b["next_cursor"].as_str().unwrap().to_owned();
    }
}

fn suggestions(s: &Server) -> Vec<Value> {
    let (st, b) = s.get(&format!("/v1/planning/replenishment?{PLAN}"));
    ok(st, 200, &b);
    b["suggestions"].as_array().unwrap().clone()
}

const PLAN: &str = "service_level=0.95&lead_time_days=7&review_days=7&case_pack=10";

#[test]
fn two_weeks_of_orders_plan_a_po_and_a_transfer_that_keep_the_books() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut ordered = (0, 0);
    for d in 0..DAYS {
        let offset = (d - DAYS + 1).to_string();
        let s = Server::start_on_env(&data, &[], &[("TOTE_CLOCK_OFFSET_DAYS", &offset)]);
        if d == 0 {
            for (code, prio) in [("DC1", 1), ("DC2", 2)] {
                let (st, b) = s.post("/v1/nodes", &node(code, prio));
                ok(st, 201, &b);
            }
            for sku in ["TEE", "MUG"] {
                let (st, b) = s.post("/v1/skus", &sku_body(sku));
                ok(st, 201, &b);
            }
            s.receive("DC2", "TEE", 200);
            s.receive("DC1", "MUG", 100);
        }
        // Two orders a day per SKU.
        for (sku, units) in [("TEE", tee(d)), ("MUG", mug(d))] {
            for (i, q) in [units / 2, units - units / 2].into_iter().enumerate() {
                let (st, b) = s.post(
                    "/v1/orders",
                    &order_body(&format!("{sku}-{d}-{i}"), &[(sku, q)]),
                );
                ok(st, 201, &b);
            }
        }
        ordered.0 += tee(d);
        ordered.1 += mug(d);
        if d == DAYS - 1 {
            s.receive("DC1", "TEE", 1000);
        }
    }
    let s = Server::start_on(&data);

    // The demand forecast adds up, and its history is the orders placed.
    let (st, f) = s.get("/v1/planning/demand-forecast?horizon=7&grain=day");
    ok(st, 200, &f);
    let series = f["series"].as_array().unwrap();
    let find = |level: &str, key: &str| {
        series
            .iter()
            .find(|x| x["level"] == level && x["key"] == key)
            .unwrap_or_else(|| panic!("no {level} {key} in {f}"))
    };
    let total = find("total", "total");
    let history: Vec<f64> = total["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(history.len(), DAYS as usize, "{total}");
    assert_eq!(history.iter().sum::<f64>(), (ordered.0 + ordered.1) as f64);
    let tee_dc2 = find("sku_node", "TEE@DC2");
    let mug_dc1 = find("sku_node", "MUG@DC1");
    let dc1 = find("node", "DC1");
    let dc2 = find("node", "DC2");
    let web = find("channel", "web");
    for j in 0..7 {
        let at = |x: &Value| x["forecast"][j]["forecast"].as_f64().unwrap();
        assert!((at(total) - at(dc1) - at(dc2)).abs() < 1e-6, "{f}");
        assert!((at(dc1) - at(mug_dc1)).abs() < 1e-6, "{f}");
        assert!((at(dc2) - at(tee_dc2)).abs() < 1e-6, "{f}");
        assert!(at(tee_dc2) > 5.0 && at(tee_dc2) < 25.0, "{tee_dc2}");
        assert!(at(web) > 0.0);
        let (lo, hi) = (
            tee_dc2["forecast"][j]["q10"].as_f64().unwrap(),
            tee_dc2["forecast"][j]["q90"].as_f64().unwrap(),
        );
        assert!(lo <= at(tee_dc2) && at(tee_dc2) <= hi, "{tee_dc2}");
    }
    let (st, w) = s.get("/v1/planning/demand-forecast?horizon=2&grain=week");
    ok(st, 200, &w);
    // Every order falls in some week: the weekly total holds them all.
    let weekly: f64 = w["series"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["level"] == "node")
        .flat_map(|x| {
            x["history"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
        })
        .sum();
    assert_eq!(weekly, (ordered.0 + ordered.1) as f64, "{w}");
    let (st, w) = s.get("/v1/planning/demand-forecast?horizon=2&grain=week&sku=TEE");
    ok(st, 200, &w);
    assert!(
        w["series"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["level"] == "node" || x["sku"] == "TEE"),
        "{w}"
    );
    // With the holiday calendar the tree still adds up.
    let (st, hol) = s.get("/v1/planning/demand-forecast?horizon=7&holidays=true");
    ok(st, 200, &hol);
    let hs = hol["series"].as_array().unwrap();
    for j in 0..7 {
        let at = |level: &str| -> f64 {
            hs.iter()
                .filter(|x| x["level"] == level)
                .map(|x| x["forecast"][j]["forecast"].as_f64().unwrap())
                .sum()
        };
        assert!((at("total") - at("node")).abs() < 1e-6, "{hol}");
        assert!((at("node") - at("sku_node")).abs() < 1e-6, "{hol}");
    }
    for (query, field) in [
        ("horizon=0", "horizon"),
        ("grain=month", "grain"),
        ("as_of=2026-13-01", "as_of"),
        ("horizon=7&colour=red", "colour"),
    ] {
        let (st, b) = s.get(&format!("/v1/planning/demand-forecast?{query}"));
        assert_eq!(st, 422, "{query}: {b}");
        assert!(b.to_string().contains(field), "{query}: {b}");
    }

    // The page draws the same series and lists the plan.
    let r = s.client.get(s.url("/planning/demand")).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().unwrap();
    assert!(html.contains("<svg") && html.contains("TEE@DC2"), "{html}");
    assert!(
        html.contains("transfer") && html.contains("purchase"),
        "{html}"
    );
    let r = s
        .client
        .get(s.url("/planning/demand?grain=month"))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().unwrap();
    assert!(
        html.contains("role=\"alert\"") && html.contains("grain"),
        "{html}"
    );

    // The plan: TEE from DC1's surplus to DC2, MUG bought for DC1.
    let plan = suggestions(&s);
    let transfer = plan
        .iter()
        .find(|x| x["kind"] == "transfer")
        .unwrap_or_else(|| panic!("no transfer in {plan:?}"))
        .clone();
    assert_eq!(transfer["sku"], "TEE");
    assert_eq!(transfer["from"], "DC1");
    assert_eq!(transfer["node"], "DC2");
    let moved = transfer["units"].as_i64().unwrap();
    assert!(moved > 0 && moved % 10 == 0, "{transfer}");
    let purchase = plan
        .iter()
        .find(|x| x["kind"] == "purchase" && x["sku"] == "MUG")
        .unwrap_or_else(|| panic!("no purchase of MUG in {plan:?}"))
        .clone();
    assert_eq!(purchase["sku"], "MUG");
    assert_eq!(purchase["node"], "DC1");
    let bought = purchase["units"].as_i64().unwrap();
    assert!(bought > 0 && bought % 10 == 0, "{purchase}");
    assert_eq!(
        purchase["value"],
        format!("{:.2}", 4.10 * bought as f64),
        "{purchase}"
    );
    // With an order cost a purchase is at least the EOQ in whole cases:
    // sqrt(2 x 50 x 365 d / (4.10 x 0.25)), about 420 mugs at 5 a day.
    let (st, b) = s.get(&format!("/v1/planning/replenishment?{PLAN}&order_cost=50"));
    ok(st, 200, &b);
    let eoq_buy = b["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "purchase" && x["sku"] == "MUG")
        .unwrap()
        .clone();
    let d = eoq_buy["demand_per_day"].as_f64().unwrap();
    let eoq = (2.0 * 50.0 * 365.0 * d / (4.10 * 0.25)).sqrt();
    let units = eoq_buy["units"].as_i64().unwrap();
    assert!(
        (units as f64 - eoq).abs() <= 10.0 && units % 10 == 0,
        "{eoq} {eoq_buy}"
    );
    // A budget scales purchases down in whole cases.
    let (st, b) = s.get(&format!("/v1/planning/replenishment?{PLAN}&budget=41.00"));
    ok(st, 200, &b);
    let capped = b["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "purchase")
        .map_or(0, |x| x["units"].as_i64().unwrap());
    assert!(capped <= 10, "{b}");
    let (st, b) = s.get("/v1/planning/replenishment?service_level=1.5&case_pack=0&order_cost=x");
    assert_eq!(st, 422, "{b}");
    let text = b.to_string();
    assert!(
        text.contains("service_level") && text.contains("case_pack") && text.contains("order_cost"),
        "{b}"
    );

    let tee_before = (on_hand(&s, "TEE", "DC1"), on_hand(&s, "TEE", "DC2"));
    let mug_before = on_hand(&s, "MUG", "DC1");

    // Approve the PO: an ASN with the suggestion as its PO number.
    let id = purchase["id"].as_str().unwrap();
    let (st, a) = s.post(
        &format!("/v1/planning/replenishment/{id}/approve?{PLAN}"),
        &json!({}),
    );
    ok(st, 201, &a);
    let asn = a["asn"]["id"].as_str().unwrap().to_owned();
    assert_eq!(a["asn"]["po"], id);
    assert_eq!(a["approval"]["record"], asn.as_str());
    // Ordered units count as on order: the suggestion is gone.
    let (st, b) = s.post(
        &format!("/v1/planning/replenishment/{id}/approve?{PLAN}"),
        &json!({}),
    );
    assert_eq!(st, 404, "{b}");
    assert!(
        suggestions(&s)
            .iter()
            .all(|x| x["kind"] != "purchase" || x["sku"] != "MUG")
    );

    // Approve the transfer: the units leave DC1 now and are in transit.
    let id = transfer["id"].as_str().unwrap();
    let (st, a) = s.post(
        &format!("/v1/planning/replenishment/{id}/approve?{PLAN}"),
        &json!({}),
    );
    ok(st, 201, &a);
    let to = a["transfer"]["id"].as_str().unwrap().to_owned();
    assert_eq!(a["transfer"]["status"], "in_transit");
    assert_eq!(on_hand(&s, "TEE", "DC1"), tee_before.0 - moved);
    assert_eq!(on_hand(&s, "TEE", "DC2"), tee_before.1);
    assert!(suggestions(&s).iter().all(|x| x["kind"] != "transfer"));

    // Receive both.
    let (st, b) = s.post(
        &format!("/v1/asns/{asn}/receipts"),
        &json!({"lines": [{"sku": "MUG", "qty": bought}], "close": true}),
    );
    ok(st, 200, &b);
    assert_eq!(on_hand(&s, "MUG", "DC1"), mug_before + bought);
    let (st, b) = s.post(&format!("/v1/planning/transfers/{to}/receive"), &json!({}));
    ok(st, 200, &b);
    assert_eq!(b["status"], "received");
    assert_eq!(on_hand(&s, "TEE", "DC2"), tee_before.1 + moved);
    assert_eq!(on_hand(&s, "TEE", "DC1") + on_hand(&s, "TEE", "DC2"), 1200);
    let (st, b) = s.post(&format!("/v1/planning/transfers/{to}/receive"), &json!({}));
    assert_eq!(st, 409, "{b}");
    let (st, b) = s.post("/v1/planning/transfers/TO99/receive", &json!({}));
    assert_eq!(st, 404, "{b}");

    let events = all_events(&s);
    let count = |kind: &str| events.iter().filter(|e| e["kind"] == kind).count();
    assert_eq!(count("replenishment.approved"), 2);
    assert_eq!(count("transfer.shipped"), 1);
    assert_eq!(count("transfer.received"), 1);

    // A restart checks the ledger's invariants over the whole book.
    let (data, _keep) = s.kill();
    let s = Server::start_on(&data);
    let (st, t) = s.get(&format!("/v1/planning/transfers/{to}"));
    ok(st, 200, &t);
    assert_eq!(t["status"], "received");
    assert_eq!(on_hand(&s, "TEE", "DC1") + on_hand(&s, "TEE", "DC2"), 1200);
    drop(dir);
}

/// Goal: receiving against an ASN in a steady rhythm teaches the receive
/// standard; an edit replaces it; a labor plan without standards uses the
/// ones in effect.
#[test]
fn labor_standards_are_learned_from_receipts_and_editable() {
    let s = Server::start();
    s.setup(&["TEE"]);
    let (st, asn) = s.post(
        "/v1/asns",
        &json!({"node": "DC1", "po": "PO-1", "cartons": [{"id": "C1", "lines": [{"sku": "TEE", "qty": 300}]}]}),
    );
    ok(st, 201, &asn);
    let id = asn["id"].as_str().unwrap();
    let started = std::time::Instant::now();
    for i in 0..3 {
        if i > 0 {
            std::thread::sleep(std::time::Duration::from_millis(1100));
        }
        let (st, b) = s.post(
            &format!("/v1/asns/{id}/receipts"),
            &json!({"lines": [{"sku": "TEE", "qty": 100}]}),
        );
        ok(st, 200, &b);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let (st, b) = s.get("/v1/planning/labor-standards");
    ok(st, 200, &b);
    let receive = b["standards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["process"] == "receive")
        .unwrap_or_else(|| panic!("nothing learned: {b}"))
        .clone();
    assert_eq!(receive["source"], "learned");
    assert_eq!(receive["learned"]["sessions"], 1);
    // 200 units after the first receipt, over about two seconds (event times
    // are whole seconds): 200 / 2 s = 360,000 an hour, give or take a second.
    let rate = receive["units_per_hour"].as_f64().unwrap();
    assert!(
        rate >= 200.0 * 3600.0 / (elapsed + 1.0) && rate <= 200.0 * 3600.0,
        "{receive}"
    );

    let (st, b) = s.put(
        "/v1/planning/labor-standards/pick",
        &json!({"units_per_hour": 120}),
    );
    ok(st, 200, &b);
    assert_eq!(b["units_per_hour"], 120.0);
    for (path, body, field) in [
        (
            "/v1/planning/labor-standards/juggle",
            json!({"units_per_hour": 1}),
            "process",
        ),
        (
            "/v1/planning/labor-standards/pick",
            json!({"units_per_hour": -1}),
            "units_per_hour",
        ),
        (
            "/v1/planning/labor-standards/pick",
            json!({"units_per_hour": 1, "speed": 2}),
            "speed",
        ),
    ] {
        let (st, b) = s.put(path, &body);
        assert_eq!(st, 422, "{b}");
        assert!(b.to_string().contains(field), "{b}");
    }
    let (st, b) = s.get("/v1/planning/labor-standards");
    ok(st, 200, &b);
    let pick = b["standards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["process"] == "pick")
        .unwrap()
        .clone();
    assert_eq!(pick["source"], "edited");

    // 12,000 units / (120 x 7.5 x 0.85) = 15.69 heads.
    let (st, plan) = s.post(
        "/v1/planning/labor",
        &json!({"periods": [{"name": "mon", "units": {"pick": 12000}}],
                "patterns": [{"name": "day", "covers": [0], "cost_per_head": 100}]}),
    );
    ok(st, 200, &plan);
    assert!(plan.to_string().contains("15.68"), "{plan}");
    // Without a standard in effect for a process, the plan names it.
    let (st, b) = s.post(
        "/v1/planning/labor",
        &json!({"periods": [{"name": "mon", "units": {"pack": 100}}],
                "patterns": [{"name": "day", "covers": [0], "cost_per_head": 100}]}),
    );
    assert_eq!(st, 422, "{b}");
    assert!(b.to_string().contains("pack"), "{b}");
}

/// A daily history around 100 with a promotion every 17 days selling 1.6 times as much.
fn promo_files() -> (String, String) {
    let mut history = String::from("series,period,value\n");
    let mut events = String::from("series,period,event\n");
    for t in 0..200i64 {
        let day = tote_day(t);
        let base = 100.0 + [0.0, 5.0, -5.0, 10.0, 20.0, -10.0, -20.0][(t % 7) as usize];
        let promo = t % 17 == 5;
        history.push_str(&format!(
            "A,{day},{}\n",
            if promo { 1.6 * base } else { base }
        ));
        if promo {
            events.push_str(&format!("A,{day},promo\n"));
        }
    }
    // One promotion ahead, on the fourth forecast day, for every series.
    events.push_str(&format!(",{},promo\n", tote_day(203)));
    (history, events)
}

/// 2024-01-01 plus t days, as YYYY-MM-DD.
fn tote_day(t: i64) -> String {
    let d = chrono_like(19_723 + t);
    format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
}

fn chrono_like(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Goal: a promotion's uplift is learned from the history and lifts the
/// forecast on the promotion day, the same through the CLI and the API.
#[test]
fn a_promotion_in_the_events_lifts_its_day_in_cli_and_api() {
    let (history, events) = promo_files();
    let dir = tempfile::tempdir().unwrap();
    let h = dir.path().join("history.csv");
    let e = dir.path().join("events.csv");
    std::fs::write(&h, &history).unwrap();
    std::fs::write(&e, &events).unwrap();
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tote"))
            .args(["forecast", "--history"])
            .arg(&h)
            .args(["--horizon", "7"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let value = |csv: &str, row: usize| -> f64 {
        csv.lines()
            .nth(row)
            .unwrap()
            .split(',')
            .nth(2)
            .unwrap()
            .parse()
            .unwrap()
    };
    let plain = run(&[]);
    let lifted = run(&["--events", e.to_str().unwrap()]);
    assert_eq!(lifted.lines().count(), 8);
    // Row 4 is the fourth forecast day.
    let ratio = value(&lifted, 4) / value(&plain, 4);
    assert!(ratio > 1.35 && ratio < 1.8, "{plain}\n{lifted}");
    let ordinary = value(&lifted, 2) / value(&plain, 2);
    assert!(ordinary < 1.05, "{plain}\n{lifted}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tote"))
        .args(["forecast", "--history"])
        .arg(&h)
        .args(["--horizon", "7", "--events"])
        .arg(&h)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("series,period,event"));

    let s = Server::start();
    let (st, b) = s.post(
        "/v1/planning/forecast",
        &json!({"history_csv": history, "events_csv": events, "horizon": 7, "quantiles": [0.5]}),
    );
    ok(st, 200, &b);
    let uplift = &b["series"][0]["events"][0];
    assert_eq!(uplift["event"], "promo");
    let u = uplift["uplift"].as_f64().unwrap();
    assert!((u - 1.6).abs() < 0.1, "{uplift}");
    let api = b["series"][0]["forecast"][3]["forecast"].as_f64().unwrap();
    assert!((api - value(&lifted, 4)).abs() < 1e-3, "{api} {lifted}");
    let (st, b) = s.post(
        "/v1/planning/forecast",
        &json!({"history_csv": "series,period,value\nA,2024-01,1\n", "horizon": 2,
                "events": [{"period": "2024-13", "event": "promo"}, {"period": "2024-02", "event": ""}]}),
    );
    assert_eq!(st, 422, "{b}");
    let text = b.to_string();
    assert!(
        text.contains("events[0].period") && text.contains("events[1].event"),
        "{b}"
    );
}

/// Goal: the newsvendor, Erlang C, reconciliation, backtest and service
/// curve endpoints answer by their rules, name bad input, and are in the
/// OpenAPI document.
#[test]
fn the_remaining_planning_tools_answer_by_their_rules() {
    let s = Server::start();
    let (_, doc) = s.get("/openapi.json");
    for (path, method) in [
        ("/v1/planning/newsvendor", "post"),
        ("/v1/planning/erlang-c", "post"),
        ("/v1/planning/reconcile", "post"),
        ("/v1/planning/backtest", "post"),
        ("/v1/planning/service-curve", "post"),
        ("/v1/planning/demand-forecast", "get"),
        ("/v1/planning/replenishment", "get"),
        ("/v1/planning/replenishment/{id}/approve", "post"),
        ("/v1/planning/transfers/{id}", "get"),
        ("/v1/planning/transfers/{id}/receive", "post"),
        ("/v1/planning/labor-standards", "get"),
        ("/v1/planning/labor-standards/{process}", "put"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} missing");
        assert!(
            op["responses"]["422"].is_object() || op["responses"]["404"].is_object(),
            "{method} {path} documents no bad input"
        );
    }

    // Newsvendor: S = 50 + 8 z(0.7 / 0.88) = 56.6 (Snyder and Shen, ex. 4.1).
    let (st, b) = s.post(
        "/v1/planning/newsvendor",
        &json!({"demand_mean": 50, "demand_sd": 8, "holding_cost": 0.18, "stockout_cost": 0.7}),
    );
    ok(st, 200, &b);
    assert!(
        (b["order_up_to"].as_f64().unwrap() - 56.6).abs() < 0.05,
        "{b}"
    );
    let (st, b) = s.post(
        "/v1/planning/newsvendor",
        &json!({"demand_mean": 50, "demand_sd": 0, "holding_cost": -1, "stockout_cost": 0.7}),
    );
    assert_eq!(st, 422);
    assert!(b.to_string().contains("demand_sd") && b.to_string().contains("holding_cost"));

    // Erlang C: the servers found meet the target and one fewer does not.
    let ask = json!({"arrivals": 200, "interval_s": 1800, "handle_time_s": 180,
                     "answer_target_s": 20, "service_level": 0.8, "shrinkage": 0.3});
    let (st, b) = s.post("/v1/planning/erlang-c", &ask);
    ok(st, 200, &b);
    let n = b["servers_needed"].as_u64().unwrap();
    assert!(b["at_servers_needed"]["service_level"].as_f64().unwrap() >= 0.8);
    assert!(b["rostered_heads"].as_u64().unwrap() >= n);
    let mut fewer = ask.clone();
    fewer["servers"] = json!(n - 1);
    let (st, b) = s.post("/v1/planning/erlang-c", &fewer);
    ok(st, 200, &b);
    assert!(
        b["at_servers"]["service_level"].as_f64().unwrap() < 0.8,
        "{b}"
    );
    let (st, b) = s.post(
        "/v1/planning/erlang-c",
        &json!({"arrivals": 1e9, "handle_time_s": 1e9, "answer_target_s": 20, "service_level": 0.8}),
    );
    assert_eq!(st, 422, "{b}");

    // Reconciliation: children add up to the total after, and a cycle is named.
    let (st, b) = s.post(
        "/v1/planning/reconcile",
        &json!({"nodes": [{"id": "total", "forecast": [100, 110]},
                          {"id": "A", "parent": "total", "forecast": [60, 58]},
                          {"id": "B", "parent": "total", "forecast": [45, 47]}]}),
    );
    ok(st, 200, &b);
    for j in 0..2 {
        let v = |i: usize| b["nodes"][i]["forecast"][j].as_f64().unwrap();
        assert!((v(0) - v(1) - v(2)).abs() < 1e-6, "{b}");
    }
    let (st, b) = s.post(
        "/v1/planning/reconcile",
        &json!({"nodes": [{"id": "A", "parent": "B", "forecast": [1]},
                          {"id": "B", "parent": "A", "forecast": [1]},
                          {"id": "C", "parent": "Z", "forecast": [1, 2]}]}),
    );
    assert_eq!(st, 422, "{b}");
    assert!(
        b.to_string().contains("nodes[2].parent") && b.to_string().contains("nodes[2].forecast")
    );

    // Backtest: a series that repeats its season exactly is scored perfect
    // for the seasonal naive method.
    let season = [5, 7, 9, 14, 20, 26, 30, 28, 21, 15, 9, 6];
    let rows: Vec<Value> = (0..48)
        .map(|i| {
            json!({"series": "S", "period": format!("{}-{:02}", 2020 + i / 12, i % 12 + 1),
                        "value": season[i % 12]})
        })
        .collect();
    let (st, b) = s.post(
        "/v1/planning/backtest",
        &json!({"history": rows, "horizon": 6, "origins": 3}),
    );
    ok(st, 200, &b);
    let snaive = b["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["method"] == "seasonal naive")
        .unwrap();
    assert_eq!(snaive["cases"], 3);
    assert_eq!(snaive["mase"], 0.0);
    assert_eq!(b["methods"].as_array().unwrap().len(), 4);
    let (st, b) = s.post(
        "/v1/planning/backtest",
        &json!({"history": [], "horizon": 0, "origins": 0}),
    );
    assert_eq!(st, 422, "{b}");
    assert!(b.to_string().contains("horizon") && b.to_string().contains("origins"));

    // Service curve: more service ties up more money and leaves fewer short.
    let (st, b) = s.post(
        "/v1/planning/service-curve",
        &json!({"items": [{"sku": "A", "demand_per_day_mean": 100, "demand_per_day_sd": 20,
                           "lead_time_days_mean": 9, "lead_time_days_sd": 2, "unit_cost": 12.5},
                          {"sku": "B", "demand_per_day_mean": 10, "demand_per_day_sd": 5,
                           "lead_time_days_mean": 4, "unit_cost": 3}],
                "levels": [0.8, 0.9, 0.95, 0.99]}),
    );
    ok(st, 200, &b);
    let levels = b["levels"].as_array().unwrap();
    for w in levels.windows(2) {
        assert!(
            w[0]["investment"].as_f64() < w[1]["investment"].as_f64(),
            "{b}"
        );
        assert!(
            w[0]["expected_units_short_per_year"].as_f64()
                > w[1]["expected_units_short_per_year"].as_f64(),
            "{b}"
        );
    }
    let (st, b) = s.post(
        "/v1/planning/service-curve",
        &json!({"items": [{"sku": "A", "demand_per_day_mean": 1, "demand_per_day_sd": 1,
                           "lead_time_days_mean": 0, "unit_cost": 1}], "levels": [1.0]}),
    );
    assert_eq!(st, 422, "{b}");
    assert!(
        b.to_string().contains("items[0].lead_time_days_mean")
            && b.to_string().contains("levels[0]")
    );
}
