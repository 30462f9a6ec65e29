//! The reference solver: exhaustive search over the orders of distinct pick
//! spots (Held and Karp's subset program, exact for any layout), for small
//! pick lists only. Tests and the benchmark check the router against it.

use crate::layout::Point;
use crate::{Layout, Pick, Route};

/// The most distinct spots the exhaustive solver accepts (2^n * n^2 work).
pub const EXHAUSTIVE_SPOTS_MAX: usize = 13;

/// The shortest route by exhaustive search.
///
/// # Panics
/// If the picks have more than [`EXHAUSTIVE_SPOTS_MAX`] distinct spots.
pub fn exhaustive_route(layout: &Layout, picks: &[Pick]) -> Route {
    if picks.is_empty() {
        return Route::empty();
    }
    // Picks sharing a spot are taken together.
    let mut order: Vec<usize> = (0..picks.len()).collect();
    order.sort_by(|&a, &b| {
        picks[a]
            .aisle
            .cmp(&picks[b].aisle)
            .then(picks[a].y_m.total_cmp(&picks[b].y_m))
    });
    let mut spots: Vec<(Point, Vec<usize>)> = Vec::new();
    for &i in &order {
        match spots.last_mut() {
            Some((_, group)) if picks[group[0]] == picks[i] => group.push(i),
            _ => spots.push((layout.pick_point(&picks[i]), vec![i])),
        }
    }
    let n = spots.len();
    assert!(
        n <= EXHAUSTIVE_SPOTS_MAX,
        "{n} spots is too many to search exhaustively"
    );
    let depot = layout.depot();
    let from_depot: Vec<f64> = spots
        .iter()
        .map(|(p, _)| layout.walk_m(&depot, p))
        .collect();
    let dist = |a: usize, b: usize| layout.walk_m(&spots[a].0, &spots[b].0);
    // best[mask * n + last]: shortest walk from the depot through `mask`, ending at `last`.
    let full = 1usize << n;
    let mut best = vec![f64::INFINITY; full * n];
    let mut prev = vec![usize::MAX; full * n];
    for (i, &d) in from_depot.iter().enumerate() {
        best[(1 << i) * n + i] = d;
    }
    for mask in 1..full {
        for last in 0..n {
            let here = best[mask * n + last];
            if mask & (1 << last) == 0 || here == f64::INFINITY {
                continue;
            }
            for next in 0..n {
                if mask & (1 << next) != 0 {
                    continue;
                }
                let m2 = mask | (1 << next);
                let d = here + dist(last, next);
                if d < best[m2 * n + next] {
                    best[m2 * n + next] = d;
                    prev[m2 * n + next] = last;
                }
            }
        }
    }
    let mask = full - 1;
    let (mut last, distance_m) = (0..n)
        .map(|i| (i, best[mask * n + i] + from_depot[i]))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("at least one spot");
    let mut spot_order = Vec::with_capacity(n);
    let mut m = mask;
    while last != usize::MAX {
        spot_order.push(last);
        let p = prev[m * n + last];
        m &= !(1 << last);
        last = p;
    }
    spot_order.reverse();
    let sequence = spot_order
        .iter()
        .flat_map(|&s| spots[s].1.iter().copied())
        .collect();
    Route {
        distance_m,
        sequence,
    }
}
