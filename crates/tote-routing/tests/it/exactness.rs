//! The router is exact on one to four blocks. Method: thousands of random
//! small instances (up to 6 aisles, picks often on cross aisles and sharing
//! spots, the depot on or between aisles), each routed by the aisle program
//! and by exhaustive search over the orders of the distinct spots.

use crate::support::{instance, is_permutation};
use proptest::prelude::*;
use tote_routing::{Method, exhaustive_route, route, sequence_distance_m};

fn assert_exact(layout: &tote_routing::Layout, picks: &[tote_routing::Pick]) {
    let best = exhaustive_route(layout, picks);
    let got = route(layout, picks, Method::Optimal);
    assert!(
        is_permutation(&got.sequence, picks.len()),
        "{:?}",
        got.sequence
    );
    let walked = sequence_distance_m(layout, picks, &got.sequence);
    assert!(
        (walked - got.distance_m).abs() < 1e-9,
        "{walked} vs {}",
        got.distance_m
    );
    assert!(
        (got.distance_m - best.distance_m).abs() < 1e-6,
        "router {} m, exhaustive {} m, layout {layout:?}, picks {picks:?}",
        got.distance_m,
        best.distance_m
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
    #[test]
    fn optimal_equals_exhaustive_on_one_block((layout, picks) in instance(2..=2, 10)) {
        assert_exact(&layout, &picks);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
    #[test]
    fn optimal_equals_exhaustive_on_two_blocks((layout, picks) in instance(3..=3, 10)) {
        assert_exact(&layout, &picks);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
    #[test]
    fn optimal_equals_exhaustive_on_three_and_four_blocks((layout, picks) in instance(4..=5, 10)) {
        assert_exact(&layout, &picks);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn heuristics_never_beat_the_optimum((layout, picks) in instance(2..=6, 7)) {
        let best = exhaustive_route(&layout, &picks);
        for m in Method::ALL {
            let r = route(&layout, &picks, m);
            prop_assert!(is_permutation(&r.sequence, picks.len()), "{m}: {:?}", r.sequence);
            let stops = sequence_distance_m(&layout, &picks, &r.sequence);
            // A heuristic's walk is at least the shortest walk between its stops.
            prop_assert!(r.distance_m >= stops - 1e-6, "{m}: walk {} < stops {stops}", r.distance_m);
            prop_assert!(stops >= best.distance_m - 1e-6, "{m}: {stops} beats optimum {}", best.distance_m);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn exact_program_equals_exhaustive_on_five_blocks((layout, picks) in instance(6..=6, 8)) {
        let best = exhaustive_route(&layout, &picks);
        let got = tote_routing::exact_route(&layout, &picks);
        prop_assert!(is_permutation(&got.sequence, picks.len()));
        prop_assert!((got.distance_m - best.distance_m).abs() < 1e-6, "{} vs {}", got.distance_m, best.distance_m);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]
    #[test]
    fn one_router_reused_across_layouts_stays_exact(
        instances in prop::collection::vec(instance(2..=5, 8), 1..=12)
    ) {
        // The router keeps frontier transitions between routes; switching the
        // number of cross aisles must not carry stale ones over.
        let mut router = tote_routing::Router::new();
        for (layout, picks) in &instances {
            let got = router.route(layout, picks, Method::Optimal);
            let best = exhaustive_route(layout, picks);
            prop_assert!((got.distance_m - best.distance_m).abs() < 1e-6, "{} vs {}", got.distance_m, best.distance_m);
        }
    }
}
