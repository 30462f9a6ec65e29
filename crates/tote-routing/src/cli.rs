//! The JSON layer behind `tote route` and `tote batch`: file contents in,
//! the text to print out. Everything here is parsing and printing; the work
//! is done by the typed functions of the crate.

use crate::{
    BatchParams, InputError, Layout, Method, OrderPicks, Pick, batch_orders, route as route_picks,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The most picks in one PICKS.json: far beyond a picker's trip, it bounds
/// the work one command can ask for.
pub const PICK_LIST_PICKS_MAX: usize = 10_000;
/// The most orders in one ORDERS.json (one wave).
pub const WAVE_ORDERS_MAX: usize = 10_000;

/// LAYOUT.json as written by the user.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutFile {
    aisles: usize,
    aisle_length_m: f64,
    aisle_spacing_m: f64,
    cross_aisles: usize,
    depot_x_m: f64,
}

#[derive(Serialize)]
struct RouteOut<'a> {
    distance_m: f64,
    sequence: &'a [usize],
}

/// Parses and checks LAYOUT.json.
pub fn parse_layout(layout_json: &str) -> Result<Layout, InputError> {
    let f: LayoutFile = serde_json::from_str(layout_json).map_err(|e| InputError::Json {
        file: "layout",
        message: e.to_string(),
    })?;
    Layout::new(
        f.aisles,
        f.aisle_length_m,
        f.aisle_spacing_m,
        f.cross_aisles,
        f.depot_x_m,
    )
}

/// Parses PICKS.json and checks every pick against the layout.
pub fn parse_picks(layout: &Layout, picks_json: &str) -> Result<Vec<Pick>, InputError> {
    let picks: Vec<Pick> = serde_json::from_str(picks_json).map_err(|e| InputError::Json {
        file: "picks",
        message: e.to_string(),
    })?;
    if picks.len() > PICK_LIST_PICKS_MAX {
        return Err(InputError::TooMany {
            file: "picks",
            count: picks.len(),
            max: PICK_LIST_PICKS_MAX,
        });
    }
    layout.check_picks(&picks)?;
    Ok(picks)
}

/// Distances print to the centimetre: enough for walking, stable to read.
pub(crate) fn round_m(m: f64) -> f64 {
    (m * 100.0).round() / 100.0
}

/// `tote route --layout L --picks P [--method NAME]`: returns the JSON text {"distance_m":..,"sequence":[..]}.
pub fn route(layout_json: &str, picks_json: &str, method: &str) -> Result<String, InputError> {
    let method: Method = method.parse()?;
    let layout = parse_layout(layout_json)?;
    let picks = parse_picks(&layout, picks_json)?;
    let r = route_picks(&layout, &picks, method);
    let out = RouteOut {
        distance_m: round_m(r.distance_m),
        sequence: &r.sequence,
    };
    Ok(serde_json::to_string(&out).expect("a route serializes"))
}

/// One order of ORDERS.json.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderFile {
    id: String,
    picks: Vec<Pick>,
}

#[derive(Serialize)]
struct BatchOut<'a> {
    orders: Vec<&'a str>,
    distance_m: f64,
    sequence: Vec<(&'a str, usize)>,
}

#[derive(Serialize)]
struct PlanOut<'a> {
    batches: Vec<BatchOut<'a>>,
    total_distance_m: f64,
    fcfs_total_distance_m: f64,
}

/// Parses ORDERS.json, checking ids are unique and picks lie in the layout.
pub fn parse_orders(layout: &Layout, orders_json: &str) -> Result<Vec<OrderPicks>, InputError> {
    let files: Vec<OrderFile> =
        serde_json::from_str(orders_json).map_err(|e| InputError::Json {
            file: "orders",
            message: e.to_string(),
        })?;
    if files.len() > WAVE_ORDERS_MAX {
        return Err(InputError::TooMany {
            file: "orders",
            count: files.len(),
            max: WAVE_ORDERS_MAX,
        });
    }
    let mut seen = HashSet::with_capacity(files.len());
    let mut orders = Vec::with_capacity(files.len());
    for (row, f) in files.into_iter().enumerate() {
        if !seen.insert(f.id.clone()) {
            return Err(InputError::Order {
                row,
                order: f.id,
                problem: "the id appears more than once".into(),
            });
        }
        for (index, pick) in f.picks.iter().enumerate() {
            if let Err(InputError::Pick { field, problem, .. }) = layout.check_pick(index, pick) {
                return Err(InputError::OrderPick {
                    row,
                    order: f.id,
                    index,
                    field,
                    problem,
                });
            }
        }
        orders.push(OrderPicks {
            id: f.id,
            picks: f.picks,
        });
    }
    Ok(orders)
}

/// `tote batch --layout L --orders O --capacity N`: returns the JSON text described in the issue.
pub fn batch(layout_json: &str, orders_json: &str, capacity: usize) -> Result<String, InputError> {
    if capacity == 0 {
        return Err(InputError::Capacity(capacity));
    }
    let layout = parse_layout(layout_json)?;
    let orders = parse_orders(&layout, orders_json)?;
    let plan = batch_orders(&layout, &orders, capacity, &BatchParams::default());
    let id = |o: usize| orders[o].id.as_str();
    let out = PlanOut {
        batches: plan
            .batches
            .iter()
            .map(|b| BatchOut {
                orders: b.orders.iter().map(|&o| id(o)).collect(),
                distance_m: round_m(b.distance_m),
                sequence: b.sequence.iter().map(|&(o, p)| (id(o), p)).collect(),
            })
            .collect(),
        // The sum of the printed batch distances, so the file adds up.
        total_distance_m: round_m(plan.batches.iter().map(|b| round_m(b.distance_m)).sum()),
        fcfs_total_distance_m: round_m(plan.fcfs_total_distance_m),
    };
    Ok(serde_json::to_string(&out).expect("a batch plan serializes"))
}
