//! The planning API (`/v1/planning/...`) against the real binary: forecasts
//! from JSON rows or CSV, inventory policy reproducing the textbook figures,
//! a labor plan at its known optimum, a peak simulation finding the known
//! bottleneck, and bad input named field by field.

use crate::server::Server;
use serde_json::{Value, json};

#[track_caller]
fn assert_field(answer: &(u16, Value), field: &str) {
    let (st, body) = answer;
    assert_eq!(*st, 422, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert!(fields.contains(&field), "expected `{field}` in {body}");
}

/// Two monthly series, three years each, with a season.
fn history_rows() -> Vec<Value> {
    let mut rows = Vec::new();
    for (series, base) in [("TEE-M@DC1", 400.0), ("MUG, large@DC2", 90.0)] {
        for i in 0..36 {
            let month = i % 12;
            let season = 1.0 + 0.3 * (2.0 * std::f64::consts::PI * month as f64 / 12.0).cos();
            let value: f64 = ((base + 2.0 * i as f64) * season).round();
            rows.push(json!({"series": series, "period": format!("{}-{:02}", 2022 + i / 12, month + 1), "value": value}));
        }
    }
    rows
}

fn rows_as_csv(rows: &[Value]) -> String {
    let mut out = String::from("series,period,value\n");
    for r in rows {
        let series = r["series"].as_str().unwrap();
        let series = if series.contains(',') {
            format!("\"{series}\"")
        } else {
            series.to_owned()
        };
        out.push_str(&format!(
            "{series},{},{}\n",
            r["period"].as_str().unwrap(),
            r["value"]
        ));
    }
    out
}

#[test]
fn forecast_answers_each_series_with_ordered_quantiles_over_the_horizon() {
    let s = Server::start();
    let (st, f) = s.post(
        "/v1/planning/forecast",
        &json!({"history": history_rows(), "horizon": 6, "quantiles": [0.1, 0.5, 0.9]}),
    );
    assert_eq!(st, 200, "{f}");
    assert_eq!(f["quantiles"], json!([0.1, 0.5, 0.9]));
    let series = f["series"].as_array().unwrap();
    assert_eq!(series.len(), 2);
    assert_eq!(series[1]["series"], "MUG, large@DC2");
    for s in series {
        assert_eq!(s["season"], 12);
        assert_eq!(s["history_periods"], 36);
        let points = s["forecast"].as_array().unwrap();
        assert_eq!(points.len(), 6);
        assert_eq!(points[0]["period"], "2025-01");
        assert_eq!(points[5]["period"], "2025-06");
        for p in points {
            let q: Vec<f64> = p["quantiles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            let mean = p["forecast"].as_f64().unwrap();
            assert!(0.0 <= q[0] && q[0] <= mean && mean <= q[2], "{p}");
        }
    }
}

#[test]
fn forecast_from_csv_body_equals_forecast_from_json_rows() {
    let s = Server::start();
    let rows = history_rows();
    let (st, from_rows) = s.post(
        "/v1/planning/forecast",
        &json!({"history": rows, "horizon": 4, "quantiles": [0.05, 0.95]}),
    );
    assert_eq!(st, 200, "{from_rows}");
    let csv = rows_as_csv(&rows);
    let r = s
        .client
        .post(s.url("/v1/planning/forecast?horizon=4&quantiles=0.05,0.95"))
        .header("content-type", "text/csv")
        .body(csv.clone())
        .send()
        .unwrap();
    let (st, from_csv) = Server::read(r);
    assert_eq!(st, 200, "{from_csv}");
    assert_eq!(from_rows, from_csv);
    let (st, from_field) = s.post(
        "/v1/planning/forecast",
        &json!({"history_csv": csv, "horizon": 4, "quantiles": [0.05, 0.95]}),
    );
    assert_eq!((st, &from_field), (200, &from_rows));
}

#[test]
fn bad_forecast_input_names_the_row_or_field() {
    let s = Server::start();
    let gap = json!({"history": [
        {"series": "A", "period": "2024-01", "value": 1},
        {"series": "A", "period": "2024-03", "value": 2}], "horizon": 3});
    assert_field(&s.post("/v1/planning/forecast", &gap), "history[1].period");
    let bad_period =
        json!({"history": [{"series": "A", "period": "Jan 2024", "value": 1}], "horizon": 3});
    assert_field(
        &s.post("/v1/planning/forecast", &bad_period),
        "history[0].period",
    );
    let rows = history_rows();
    assert_field(
        &s.post(
            "/v1/planning/forecast",
            &json!({"history": rows, "horizon": 0}),
        ),
        "horizon",
    );
    assert_field(
        &s.post(
            "/v1/planning/forecast",
            &json!({"history": rows, "horizon": 3, "quantiles": [0.5, 1.0]}),
        ),
        "quantiles[1]",
    );
    assert_field(
        &s.post(
            "/v1/planning/forecast",
            &json!({"history": rows, "horizon": 3, "season": 0}),
        ),
        "season",
    );
    assert_field(
        &s.post("/v1/planning/forecast", &json!({"horizon": 3})),
        "history",
    );
    assert_field(
        &s.post(
            "/v1/planning/forecast",
            &json!({"history_csv": "when,what\n", "horizon": 3}),
        ),
        "history_csv",
    );
    assert_field(
        &s.post(
            "/v1/planning/forecast",
            &json!({"history": rows, "horizon": 3, "model": "magic"}),
        ),
        "model",
    );
    // A CSV body takes its parameters from the query; the horizon is required.
    let r = s
        .client
        .post(s.url("/v1/planning/forecast"))
        .header("content-type", "text/csv")
        .body(rows_as_csv(&rows))
        .send()
        .unwrap();
    assert_field(&Server::read(r), "horizon");
    let r = s
        .client
        .post(s.url("/v1/planning/forecast?horizon=3"))
        .header("content-type", "text/plain")
        .body("series,period,value\n")
        .send()
        .unwrap();
    assert_eq!(Server::read(r).0, 415);
}

#[test]
fn inventory_policy_reproduces_the_textbook_safety_stock_and_reorder_point() {
    let s = Server::start();
    // 100 a day (sd 20), lead time 9 days (sd 2), 95% cycle service:
    // sigma_L = sqrt(9 x 20^2 + 100^2 x 2^2) = 208.8, SS = 1.645 x 208.8 = 343.5,
    // ROP = 900 + 343.5 = 1,243.5.
    let (st, p) = s.post(
        "/v1/planning/inventory-policy",
        &json!({"demand_per_day_mean": 100, "demand_per_day_sd": 20, "lead_time_days_mean": 9,
                "lead_time_days_sd": 2, "service_level": 0.95, "unit_cost": 12.5, "order_cost": 50,
                "case_pack": 12, "fill_rate": 0.98, "review_period_days": 7, "on_hand": 900}),
    );
    assert_eq!(st, 200, "{p}");
    let f = |k: &str| p[k].as_f64().unwrap_or_else(|| panic!("{k} in {p}"));
    assert_eq!(format!("{:.1}", f("lead_time_demand_sd")), "208.8");
    assert_eq!(format!("{:.1}", f("safety_stock")), "343.5");
    assert_eq!(format!("{:.1}", f("reorder_point")), "1243.5");
    // EOQ = sqrt(2 x 50 x 36,500 / (12.5 x 0.25)) = 1,080.7; in cases of 12: 1,080.
    assert_eq!(format!("{:.1}", f("eoq")), "1080.7");
    assert_eq!(f("order_quantity"), 1080.0);
    assert_eq!(f("order_quantity") % 12.0, 0.0);
    // A fill rate asks for less safety stock than the same cycle service level.
    assert!(p["fill_rate_policy"]["safety_stock"].as_f64().unwrap() < f("safety_stock"));
    assert!(f("order_up_to") > f("reorder_point"));
    assert_eq!(f("order_now") % 12.0, 0.0);
    let curve = p["service_curve"].as_array().unwrap();
    assert!(curve.len() >= 10);
    let investments: Vec<f64> = curve
        .iter()
        .map(|c| c["investment"].as_f64().unwrap())
        .collect();
    assert!(
        investments.windows(2).all(|w| w[0] <= w[1]),
        "{investments:?}"
    );
}

#[test]
fn inventory_policy_names_every_out_of_range_input() {
    let s = Server::start();
    let answer = s.post(
        "/v1/planning/inventory-policy",
        &json!({"demand_per_day_mean": -5, "demand_per_day_sd": 20, "lead_time_days_mean": 9,
                "service_level": 1.0, "unit_cost": 0, "order_cost": 50, "fill_rate": 0,
                "curve_levels": [0.5, 2]}),
    );
    for field in [
        "demand_per_day_mean",
        "service_level",
        "unit_cost",
        "fill_rate",
        "curve_levels[1]",
    ] {
        assert_field(&answer, field);
    }
}

#[test]
fn labor_plan_staffs_the_post_office_week_with_23_heads() {
    let s = Server::start();
    // One unit an hour, one productive hour, full utilization, no shrinkage:
    // heads needed = units, so the week needs 17, 13, 15, 19, 14, 16, 11; five
    // days on and two off covers it with 23 heads at best.
    let needs = [17, 13, 15, 19, 14, 16, 11];
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let periods: Vec<Value> = days
        .iter()
        .zip(needs)
        .map(|(d, n)| json!({"name": d, "units": {"pick": n}}))
        .collect();
    let (st, plan) = s.post(
        "/v1/planning/labor",
        &json!({"periods": periods, "cost_per_head": 1,
                "standards": [{"process": "pick", "units_per_hour": 1, "productive_hours_per_shift": 1, "utilization": 1}]}),
    );
    assert_eq!(st, 200, "{plan}");
    assert_eq!(plan["heads_total"], 23);
    assert_eq!(plan["cost"], 23.0);
    for (p, need) in plan["periods"].as_array().unwrap().iter().zip(needs) {
        assert_eq!(p["heads_rostered"], need, "{p}");
        assert!(p["heads_planned"].as_u64().unwrap() >= need, "{p}");
    }
}

#[test]
fn labor_plan_grosses_up_for_shrinkage_and_names_bad_input() {
    let s = Server::start();
    let standard = json!({"process": "pick", "units_per_hour": 120, "productive_hours_per_shift": 7.5, "utilization": 0.85});
    // 12,000 units / (120 x 7.5 x 0.85) = 15.69 heads; / (1 - 0.3) = 22.4 -> 23.
    let (st, plan) = s.post(
        "/v1/planning/labor",
        &json!({"periods": [{"name": "early", "units": {"pick": 12000}}], "standards": [standard],
                "shrinkage": 0.3, "patterns": [{"name": "early", "covers": [0], "cost_per_head": 150}]}),
    );
    assert_eq!(st, 200, "{plan}");
    assert_eq!(plan["periods"][0]["heads_rostered"], 23);
    assert_eq!(plan["periods"][0]["workload"][0]["hours"], 100.0);
    assert_eq!(plan["cost"], 3450.0);

    let answer = s.post(
        "/v1/planning/labor",
        &json!({"periods": [{"name": "early", "units": {"pik": 10, "pack": 5}}], "standards": [standard],
                "shrinkage": 1.0}),
    );
    for field in [
        "periods[0].units.pik",
        "periods[0].units.pack",
        "shrinkage",
        "patterns",
    ] {
        assert_field(&answer, field);
    }
    assert_field(
        &s.post(
            "/v1/planning/labor",
            &json!({"periods": [{"name": "early", "units": {"pick": 10}}], "standards": [standard],
                    "patterns": [{"name": "late", "covers": [1], "cost_per_head": 1}]}),
        ),
        "patterns[0].covers",
    );
}

/// One day: 400 orders an hour from 08:00 to 20:00; pickers ample, packers not.
fn peak_day(packers: u32, benches: u32) -> Value {
    let orders: Vec<u32> = (0..24)
        .map(|h| if (8..20).contains(&h) { 400 } else { 0 })
        .collect();
    let shift = |heads: u32| -> Vec<u32> {
        (0..24)
            .map(|h| if (7..23).contains(&h) { heads } else { 0 })
            .collect()
    };
    json!({
        "orders_by_hour": orders,
        "stations": [
            {"name": "pick", "minutes_per_order": 2, "heads_by_hour": shift(20)},
            {"name": "pack", "minutes_per_order": 1.5, "heads_by_hour": shift(packers), "positions": benches}
        ],
        "pickups": [{"at": "17:00", "capacity_orders": 20000}, {"at": "22:00", "capacity_orders": 20000}],
        "order_cutoff": "15:00",
        "seed": 42
    })
}

#[test]
fn peak_simulation_reports_too_few_packers_as_the_bottleneck() {
    let s = Server::start();
    let (st, short) = s.post("/v1/planning/peak", &peak_day(6, 6));
    assert_eq!(st, 200, "{short}");
    assert_eq!(short["orders"], 4800);
    assert_eq!(short["bottleneck"], "pack");
    assert_eq!(short["backlog_by_hour"].as_array().unwrap().len(), 24);
    assert!(
        short["stations"][1]["wait_minutes_mean"].as_f64().unwrap() > 60.0,
        "{short}"
    );
    // More packers on more benches: every order ships the same day and no
    // order waits for pack.
    let (st, relieved) = s.post("/v1/planning/peak", &peak_day(14, 14));
    assert_eq!(st, 200, "{relieved}");
    assert_eq!(relieved["shipped"], 4800, "{relieved}");
    assert!(short["shipped"].as_u64().unwrap() < 4800, "{short}");
    assert!(
        relieved["stations"][1]["wait_minutes_mean"]
            .as_f64()
            .unwrap()
            < 1.0,
        "{relieved}"
    );
}

#[test]
fn bad_peak_input_names_the_field() {
    let s = Server::start();
    let mut r = peak_day(6, 6);
    r["order_cutoff"] = json!("25:00");
    r["pickups"][1]["at"] = json!("late");
    r["stations"][0]["heads_by_hour"] = json!([]);
    r["stations"][1]["minutes_per_order"] = json!(0);
    r["service_jitter"] = json!(1.5);
    let answer = s.post("/v1/planning/peak", &r);
    for field in [
        "order_cutoff",
        "pickups[1].at",
        "stations[0].heads_by_hour",
        "stations[1].minutes_per_order",
        "service_jitter",
    ] {
        assert_field(&answer, field);
    }
    let mut r = peak_day(6, 6);
    r["stations"] = json!([]);
    assert_field(&s.post("/v1/planning/peak", &r), "stations");
    let mut r = peak_day(6, 6);
    r["orders_by_hour"] = json!(vec![4_000_000u32; 2]);
    assert_field(&s.post("/v1/planning/peak", &r), "orders_by_hour");
}

#[test]
fn openapi_describes_the_planning_endpoints() {
    let s = Server::start();
    let (_, doc) = s.get("/openapi.json");
    for path in [
        "/v1/planning/forecast",
        "/v1/planning/inventory-policy",
        "/v1/planning/labor",
        "/v1/planning/peak",
    ] {
        assert!(doc["paths"][path]["post"].is_object(), "{path} missing");
    }
    let body = &doc["paths"]["/v1/planning/forecast"]["post"]["requestBody"]["content"];
    assert!(body["application/json"].is_object() && body["text/csv"].is_object());
}

#[test]
fn forecast_with_accept_csv_answers_what_tote_forecast_prints() {
    let s = Server::start();
    let csv = rows_as_csv(&history_rows());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    std::fs::write(&file, &csv).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tote"))
        .args([
            "forecast",
            "--horizon",
            "4",
            "--quantiles",
            "0.1,0.9",
            "--history",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = s
        .client
        .post(s.url("/v1/planning/forecast?horizon=4&quantiles=0.1,0.9"))
        .header("content-type", "text/csv")
        .header("accept", "text/csv")
        .body(csv)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv");
    let api = r.text().unwrap();
    assert_eq!(api, String::from_utf8(out.stdout).unwrap());
    assert!(
        api.starts_with("series,period,forecast,q0.1,q0.9\n"),
        "{api}"
    );
}
