//! Goal: reproduce every reference answer printed in
//! shared/benchmarks/inventory-policy/README.md, to the printed precision.
//! The newsvendor, (r,Q) and EOQ inputs are read from the textbook instance
//! file itself when it is present, so the test checks the data as shipped.

use tote_planning::inventory::*;
use tote_planning::normal;

const INSTANCES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/benchmarks/inventory-policy/stockpyl_instances.json"
);

/// The `data` object of a named instance, or None when the file is absent.
fn instance(name: &str) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(INSTANCES).ok()?;
    let all: serde_json::Value = serde_json::from_str(&text).expect("instance file is JSON");
    let found = all["instances"]
        .as_array()?
        .iter()
        .find(|i| i["name"] == name)?;
    Some(found["data"].clone())
}

fn field(data: &Option<serde_json::Value>, key: &str, fallback: f64) -> f64 {
    match data {
        Some(d) => d[key]
            .as_f64()
            .unwrap_or_else(|| panic!("instance lacks {key}")),
        None => fallback,
    }
}

#[test]
fn newsvendor_example_4_1_orders_up_to_56_604_at_cost_1_9976() {
    let data = instance("example_4_1");
    let demand = NormalDemand {
        mean: field(&data, "demand_mean", 50.0),
        sd: field(&data, "demand_sd", 8.0),
    };
    let result = newsvendor(
        field(&data, "holding_cost", 0.18),
        field(&data, "stockout_cost", 0.70),
        demand,
    );
    assert_eq!(format!("{:.3}", result.order_up_to), "56.604");
    assert_eq!(format!("{:.4}", result.expected_cost), "1.9976");
}

#[test]
fn rq_example_5_1_eil_gives_r_213_97_q_318_59_cost_95_45() {
    let data = instance("example_5_1");
    let demand = NormalDemand {
        mean: field(&data, "demand_mean", 1300.0),
        sd: field(&data, "demand_sd", 150.0),
    };
    let policy = rq_eil(
        field(&data, "fixed_cost", 8.0),
        field(&data, "holding_cost", 0.225),
        field(&data, "stockout_cost", 7.5),
        demand,
        field(&data, "lead_time", 1.0 / 12.0),
    );
    assert_eq!(format!("{:.2}", policy.reorder_point), "213.97");
    assert_eq!(format!("{:.2}", policy.order_quantity), "318.59");
    assert_eq!(format!("{:.2}", policy.expected_cost), "95.45");
}

#[test]
fn eoq_example_3_1_orders_304_0_at_cost_68_4() {
    let data = instance("example_3_1");
    let (rate, k, h) = (
        field(&data, "demand_rate", 1300.0),
        field(&data, "fixed_cost", 8.0),
        field(&data, "holding_cost", 0.225),
    );
    let q = eoq(rate, k, h);
    assert_eq!(format!("{q:.1}"), "304.0");
    assert_eq!(format!("{:.1}", eoq_cost(q, rate, k, h)), "68.4");
}

#[test]
fn standard_normal_loss_at_one_is_0_083315() {
    assert_eq!(format!("{:.6}", normal::loss(1.0)), "0.083315");
}

#[test]
fn uncertain_lead_time_gives_sigma_208_8_and_safety_stock_343_5() {
    let sigma = lead_time_demand_sd(100.0, 20.0, 9.0, 2.0);
    assert_eq!(format!("{sigma:.1}"), "208.8");
    assert_eq!(format!("{:.1}", safety_stock(0.95, sigma)), "343.5");
    assert_eq!(
        format!("{:.1}", reorder_point(100.0, 20.0, 9.0, 2.0, 0.95)),
        "1243.5"
    );
}

#[test]
fn fill_rate_98_percent_needs_k_0_902_not_z_2_054() {
    assert_eq!(
        format!("{:.3}", fill_rate_safety_factor(0.98, 500.0, 100.0)),
        "0.902"
    );
    assert_eq!(format!("{:.3}", normal::quantile(0.98)), "2.054");
}

#[test]
fn erlang_c_ten_erlangs_on_14_and_15_servers() {
    // 100 arrivals per 30 minutes, 3 minutes each, 20-second answer target.
    let q14 = erlang_c(100.0, 1800.0, 180.0, 14, 20.0).expect("14 servers exceed 10 Erlangs");
    assert_eq!(format!("{:.0}", q14.load_erlangs), "10");
    assert_eq!(
        format!(
            "{:.3} {:.3} {:.3}",
            q14.wait_probability, q14.service_level, q14.occupancy
        ),
        "0.174 0.888 0.714"
    );
    let q15 = erlang_c(100.0, 1800.0, 180.0, 15, 20.0).expect("15 servers exceed 10 Erlangs");
    assert_eq!(
        format!(
            "{:.3} {:.3} {:.3}",
            q15.wait_probability, q15.service_level, q15.occupancy
        ),
        "0.102 0.941 0.667"
    );
    assert_eq!(
        servers_for_service_level(100.0, 1800.0, 180.0, 20.0, 0.85),
        14
    );
    assert_eq!(
        servers_for_service_level(100.0, 1800.0, 180.0, 20.0, 0.9),
        15
    );
}

#[test]
fn fourteen_on_duty_with_30_percent_shrinkage_rosters_20() {
    assert_eq!(rostered_heads(14, 0.30), 20);
}

#[test]
fn periodic_review_covers_review_period_plus_lead_time() {
    // (R,S) with R = 7, L = 9 (sd 2): exposure 16 days, sigma sqrt(16*400 + 10000*4).
    let s = order_up_to_level(100.0, 20.0, 7.0, 9.0, 2.0, 0.95);
    let sigma = (16.0_f64 * 400.0 + 40_000.0).sqrt();
    assert!((s - (1_600.0 + normal::quantile(0.95) * sigma)).abs() < 1e-9);
}
