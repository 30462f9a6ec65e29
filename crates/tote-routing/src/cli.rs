//! The JSON layer behind `tote route` and `tote batch`: file contents in,
//! the text to print out. Everything here is parsing and printing; the work
//! is done by the typed functions of the crate.

use crate::{InputError, Layout, Method, Pick, route as route_picks};
use serde::{Deserialize, Serialize};

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
