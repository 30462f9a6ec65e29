//! The JSON layer: what `tote route` and `tote batch` print, and the errors
//! they name.

use tote_routing::cli::{batch, route};

const LAYOUT: &str = r#"{"aisles": 10, "aisle_length_m": 30.0, "aisle_spacing_m": 3.0, "cross_aisles": 2, "depot_x_m": 0.0}"#;

#[test]
fn route_prints_distance_and_sequence() {
    let out = route(
        LAYOUT,
        r#"[{"aisle": 3, "y_m": 12.5}, {"aisle": 7, "y_m": 2.0}]"#,
        "optimal",
    )
    .unwrap();
    // To aisle 3 (9), in and out (25), on to aisle 7 (12), in and out (4), home (21).
    assert_eq!(out, r#"{"distance_m":71.0,"sequence":[0,1]}"#);
}

#[test]
fn route_by_a_named_heuristic() {
    let out = route(
        LAYOUT,
        r#"[{"aisle": 3, "y_m": 12.5}, {"aisle": 7, "y_m": 2.0}]"#,
        "s-shape",
    )
    .unwrap();
    // Up aisle 3 (30), across (12), down aisle 7 (30), home (21), to aisle 3 first (9).
    assert_eq!(out, r#"{"distance_m":102.0,"sequence":[0,1]}"#);
}

#[test]
fn empty_pick_list_walks_nowhere() {
    assert_eq!(
        route(LAYOUT, "[]", "optimal").unwrap(),
        r#"{"distance_m":0.0,"sequence":[]}"#
    );
}

#[test]
fn unknown_method_is_named() {
    let err = route(LAYOUT, "[]", "zigzag").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown routing method `zigzag` (expected one of: optimal, s-shape, return, midpoint, largest-gap, combined)"
    );
}

#[test]
fn pick_outside_the_layout_is_named_by_index_and_field() {
    let err = route(
        LAYOUT,
        r#"[{"aisle": 3, "y_m": 1.0}, {"aisle": 12, "y_m": 1.0}]"#,
        "optimal",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "pick 1, `aisle`: aisle 12 is outside the layout's 10 aisles (0 to 9)"
    );
    let err = route(LAYOUT, r#"[{"aisle": 3, "y_m": 31.0}]"#, "optimal").unwrap_err();
    assert_eq!(
        err.to_string(),
        "pick 0, `y_m`: 31 is outside the aisle (0 to 30 m)"
    );
}

#[test]
fn bad_layouts_are_named_by_field() {
    let cases = [
        (
            r#"{"aisles": 0, "aisle_length_m": 30.0, "aisle_spacing_m": 3.0, "cross_aisles": 2, "depot_x_m": 0.0}"#,
            "layout `aisles`: must be at least 1",
        ),
        (
            r#"{"aisles": 4, "aisle_length_m": -3.0, "aisle_spacing_m": 3.0, "cross_aisles": 2, "depot_x_m": 0.0}"#,
            "layout `aisle_length_m`: must be a positive length, got -3",
        ),
        (
            r#"{"aisles": 4, "aisle_length_m": 30.0, "aisle_spacing_m": 3.0, "cross_aisles": 1, "depot_x_m": 0.0}"#,
            "layout `cross_aisles`: must be at least 2 (front and back), got 1",
        ),
    ];
    for (layout, message) in cases {
        assert_eq!(
            route(layout, "[]", "optimal").unwrap_err().to_string(),
            message
        );
    }
}

#[test]
fn malformed_json_names_the_file() {
    let err = route(r#"{"aisles": 4}"#, "[]", "optimal")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("layout: not valid JSON for this file: missing field"),
        "{err}"
    );
    let err = route(LAYOUT, r#"[{"aisle": 1}]"#, "optimal")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("picks: not valid JSON for this file:"),
        "{err}"
    );
}

const ORDERS: &str = r#"[
    {"id": "o1", "picks": [{"aisle": 1, "y_m": 5.0}]},
    {"id": "o2", "picks": [{"aisle": 8, "y_m": 20.0}, {"aisle": 9, "y_m": 22.0}]},
    {"id": "o3", "picks": [{"aisle": 1, "y_m": 6.0}, {"aisle": 0, "y_m": 2.0}]},
    {"id": "o4", "picks": [{"aisle": 9, "y_m": 25.0}]}
]"#;

#[test]
fn batch_groups_near_orders_and_reports_fcfs() {
    let out: serde_json::Value = serde_json::from_str(&batch(LAYOUT, ORDERS, 2).unwrap()).unwrap();
    let batches = out["batches"].as_array().unwrap();
    let groups: Vec<Vec<&str>> = batches
        .iter()
        .map(|b| {
            b["orders"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(groups, [vec!["o1", "o3"], vec!["o2", "o4"]]);
    let sum: f64 = batches
        .iter()
        .map(|b| b["distance_m"].as_f64().unwrap())
        .sum();
    assert!((out["total_distance_m"].as_f64().unwrap() - sum).abs() < 1e-9);
    assert!(
        out["total_distance_m"].as_f64().unwrap() < out["fcfs_total_distance_m"].as_f64().unwrap()
    );
    // Every pick of o2 and o4 appears as [order id, pick index].
    let mut seq: Vec<(String, u64)> = batches[1]["sequence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s[0].as_str().unwrap().to_string(), s[1].as_u64().unwrap()))
        .collect();
    seq.sort();
    assert_eq!(
        seq,
        [
            ("o2".to_string(), 0),
            ("o2".to_string(), 1),
            ("o4".to_string(), 0)
        ]
    );
}

#[test]
fn batch_errors_name_the_order_and_pick() {
    let err = batch(LAYOUT, ORDERS, 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "capacity: must be at least 1 order per batch, got 0"
    );
    let dup = r#"[{"id": "a", "picks": []}, {"id": "a", "picks": []}]"#;
    assert_eq!(
        batch(LAYOUT, dup, 2).unwrap_err().to_string(),
        "order a (row 1): the id appears more than once"
    );
    let bad = r#"[{"id": "a", "picks": [{"aisle": 2, "y_m": 1.0}, {"aisle": 2, "y_m": -1.0}]}]"#;
    assert_eq!(
        batch(LAYOUT, bad, 2).unwrap_err().to_string(),
        "order a (row 0), pick 1, `y_m`: -1 is outside the aisle (0 to 30 m)"
    );
}

#[test]
fn oversized_files_are_refused_with_their_bound() {
    let picks = format!(
        "[{}]",
        vec![r#"{"aisle": 1, "y_m": 1.0}"#; 10_001].join(",")
    );
    let err = route(LAYOUT, &picks, "optimal").unwrap_err();
    assert_eq!(
        err.to_string(),
        "picks: 10001 entries is more than the 10000 one file may hold"
    );
}
