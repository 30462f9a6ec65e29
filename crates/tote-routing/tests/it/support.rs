//! Random small instances shared by the tests.

use proptest::prelude::*;
use tote_routing::{Layout, Pick};

/// A small layout: 1 to 6 aisles, 1 to 4 blocks, the depot at an aisle or
/// between two.
pub fn small_layout(
    cross_aisles: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = Layout> {
    (
        1usize..=6,
        cross_aisles,
        prop::sample::select(vec![10.0, 12.0, 30.0]),
        prop::sample::select(vec![2.0, 3.5]),
    )
        .prop_flat_map(|(aisles, cross, length, spacing)| {
            let last = (aisles - 1) as f64 * spacing;
            (
                Just((aisles, cross, length, spacing)),
                0.0..=1.0f64,
                any::<bool>(),
            )
                .prop_map(move |((aisles, cross, length, spacing), f, on_aisle)| {
                    let depot = if on_aisle {
                        (f * (aisles - 1) as f64).round() * spacing
                    } else {
                        f * last
                    };
                    Layout::new(aisles, length, spacing, cross, depot).expect("a valid layout")
                })
        })
}

/// Up to `max` picks; y is often on a cross aisle or the aisle's ends, where
/// the edge cases live, and picks often share a spot.
pub fn picks_in(layout: &Layout, max: usize) -> impl Strategy<Value = Vec<Pick>> + use<> {
    let aisles = layout.aisles();
    let length = layout.aisle_length_m();
    let crosses: Vec<f64> = (0..layout.cross_aisles())
        .map(|j| layout.cross_aisle_y_m(j))
        .collect();
    let y = prop_oneof![
        3 => 0.0..=length,
        1 => prop::sample::select(crosses),
        1 => (0u32..=4).prop_map(move |q| q as f64 * length / 4.0),
    ];
    prop::collection::vec((0..aisles, y).prop_map(|(a, y)| Pick::new(a, y)), 0..=max)
}

pub fn instance(
    cross_aisles: std::ops::RangeInclusive<usize>,
    max_picks: usize,
) -> impl Strategy<Value = (Layout, Vec<Pick>)> {
    small_layout(cross_aisles).prop_flat_map(move |l| {
        let picks = picks_in(&l, max_picks);
        (Just(l), picks)
    })
}

/// Each pick index exactly once.
pub fn is_permutation(sequence: &[usize], n: usize) -> bool {
    let mut seen = vec![false; n];
    sequence.len() == n
        && sequence
            .iter()
            .all(|&i| i < n && !std::mem::replace(&mut seen[i], true))
}
