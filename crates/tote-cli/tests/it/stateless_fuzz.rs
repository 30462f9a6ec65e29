//! Goal: no body sent to the stateless transport and planning endpoints gets
//! a server error. The planning crate asserts its preconditions, so a value
//! the server forgot to check would panic there. Method: take a valid request
//! per endpoint and, with a seeded generator, replace a few of its values
//! (anywhere in the tree) with hostile ones: zero, negatives, huge numbers,
//! wrong types, empty arrays, null. Every answer must be below 500, and the
//! server must log no error.

use crate::server::Server;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use std::path::Path;

fn hostile(rng: &mut ChaCha8Rng) -> Value {
    let choices = [
        json!(0),
        json!(-1),
        json!(0.5),
        json!(1e300),
        json!(-1e300),
        json!(4_294_967_295u64),
        json!(18_446_744_073_709_551_615u64),
        json!(10_000),
        json!(400),
        json!(""),
        json!("25:99"),
        json!("ZZ"),
        json!("not a value"),
        json!([]),
        json!({}),
        json!(null),
        json!(true),
    ];
    choices[rng.random_range(0..choices.len())].clone()
}

/// Every path to a leaf or container in `v`, as pointer strings.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = format!("{at}/{k}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(a) => {
            // A few elements are enough; long arrays would swamp the choice.
            for (i, child) in a.iter().enumerate().take(3) {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

fn mutate(base: &Value, rng: &mut ChaCha8Rng) -> Value {
    let mut v = base.clone();
    for _ in 0..rng.random_range(1..4) {
        let mut all = Vec::new();
        pointers(&v, String::new(), &mut all);
        if all.is_empty() {
            break;
        }
        let at = all[rng.random_range(0..all.len())].clone();
        if let Some(slot) = v.pointer_mut(&at) {
            *slot = hostile(rng);
        }
    }
    v
}

fn example(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tote-transport/requests")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn valid_requests() -> Vec<(&'static str, Value)> {
    let history: Vec<Value> = (0..30)
        .map(|i| json!({"series": "A", "period": format!("{}-{:02}", 2022 + i / 12, i % 12 + 1), "value": 100 + (i * 7) % 23}))
        .collect();
    let day = |on: u32| -> Vec<u32> {
        (0..24)
            .map(|h| if (8..20).contains(&h) { on } else { 0 })
            .collect()
    };
    vec![
        ("/v1/rates/quote", example("rate.json")),
        ("/v1/rates/shop", example("shop.json")),
        ("/v1/labels", example("label.json")),
        ("/v1/documents/manifests", example("manifest.json")),
        ("/v1/customs/estimate", example("customs.json")),
        (
            "/v1/planning/forecast",
            json!({"history": history.clone(), "horizon": 6, "season": 12, "quantiles": [0.1, 0.9]}),
        ),
        (
            "/v1/planning/inventory-policy",
            json!({"demand_per_day_mean": 100, "demand_per_day_sd": 20, "lead_time_days_mean": 9,
                   "lead_time_days_sd": 2, "unit_cost": 12.5, "order_cost": 50, "case_pack": 12,
                   "moq": 100, "fill_rate": 0.98, "review_period_days": 7, "on_hand": 500,
                   "curve_levels": [0.9, 0.95]}),
        ),
        (
            "/v1/planning/labor",
            json!({"periods": [{"name": "a", "units": {"pick": 1000, "pack": 800}}, {"name": "b", "units": {"pick": 500}}],
                   "standards": [{"process": "pick", "units_per_hour": 120, "productive_hours_per_shift": 7.5, "utilization": 0.85},
                                 {"process": "pack", "units_per_hour": 90, "productive_hours_per_shift": 7.5, "utilization": 0.85}],
                   "shrinkage": 0.1, "new_hires": [0, 2], "ramp_up": [0.5, 0.8],
                   "patterns": [{"name": "both", "covers": [0, 1], "cost_per_head": 10}, {"name": "a", "covers": [0], "cost_per_head": 6}]}),
        ),
        (
            "/v1/planning/peak",
            json!({"orders_by_hour": day(50),
                   "stations": [{"name": "pick", "minutes_per_order": 2, "heads_by_hour": day(4)},
                                {"name": "pack", "minutes_per_order": 1.5, "heads_by_hour": [2], "positions": 2}],
                   "pickups": [{"at": "17:00", "capacity_orders": 500}], "order_cutoff": "15:00"}),
        ),
        (
            "/v1/planning/newsvendor",
            json!({"demand_mean": 50, "demand_sd": 8, "holding_cost": 0.18, "stockout_cost": 0.7}),
        ),
        (
            "/v1/planning/erlang-c",
            json!({"arrivals": 120, "interval_s": 3600, "handle_time_s": 180, "answer_target_s": 60,
                   "service_level": 0.8, "servers": 8, "shrinkage": 0.2}),
        ),
        (
            "/v1/planning/reconcile",
            json!({"nodes": [{"id": "total", "forecast": [100, 110]},
                             {"id": "A", "parent": "total", "forecast": [60, 58]},
                             {"id": "B", "parent": "total", "forecast": [45, 47]}]}),
        ),
        (
            "/v1/planning/backtest",
            json!({"history": history.clone(), "horizon": 3, "season": 12, "origins": 2}),
        ),
        (
            "/v1/planning/service-curve",
            json!({"items": [{"sku": "A", "demand_per_day_mean": 100, "demand_per_day_sd": 20,
                              "lead_time_days_mean": 9, "lead_time_days_sd": 2, "unit_cost": 12.5}],
                   "levels": [0.9, 0.95], "annual_carrying_rate": 0.25}),
        ),
        (
            "/v1/planning/forecast",
            json!({"history": history.clone(), "horizon": 4, "quantiles": [0.1, 0.9], "holidays": true,
                   "events": [{"period": "2024-03", "event": "promo"}, {"series": "A", "period": "2023-11-24", "event": "bf"}]}),
        ),
    ]
}

#[test]
fn hostile_values_in_stateless_requests_never_get_a_server_error() {
    let s = Server::start();
    // TOTE_FUZZ_ROUNDS and TOTE_FUZZ_SEED run a longer or another search.
    let rounds: usize = std::env::var("TOTE_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let seed: u64 = std::env::var("TOTE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for (path, valid) in valid_requests() {
        let (st, body) = s.post(path, &valid);
        assert_eq!(st, 200, "{path}: the valid request is refused: {body}");
        for round in 0..rounds {
            let req = mutate(&valid, &mut rng);
            let r = s
                .client
                .post(s.url(path))
                .json(&req)
                .send()
                .unwrap_or_else(|e| panic!("{path} round {round}: no answer ({e}) to {req}"));
            let status = r.status().as_u16();
            assert!(
                status < 500,
                "{path} round {round}: {status} for {req}: {}",
                r.text().unwrap_or_default()
            );
        }
    }
}
