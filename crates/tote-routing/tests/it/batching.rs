//! Batching keeps every order exactly once, within capacity, and never walks
//! more than first-come-first-served. Method: random small waves, checked
//! against the plan's own invariants.

use crate::support::small_layout;
use proptest::prelude::*;
use tote_routing::{BatchParams, Layout, OrderPicks, Pick, batch_orders, optimal_route};

fn wave(layout: &Layout) -> impl Strategy<Value = Vec<OrderPicks>> + use<> {
    let (aisles, length) = (layout.aisles(), layout.aisle_length_m());
    let pick = (0..aisles, 0.0..=length).prop_map(|(a, y)| Pick::new(a, y));
    prop::collection::vec(prop::collection::vec(pick, 0..=3), 1..=9).prop_map(|orders| {
        orders
            .into_iter()
            .enumerate()
            .map(|(i, picks)| OrderPicks {
                id: format!("o{i}"),
                picks,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]
    #[test]
    fn batches_cover_each_order_once_within_capacity(
        (layout, orders, capacity) in small_layout(2..=3)
            .prop_flat_map(|l| { let w = wave(&l); (Just(l), w, 1usize..=4) })
    ) {
        let plan = batch_orders(&layout, &orders, capacity, &BatchParams::default());
        let mut seen = vec![0; orders.len()];
        for b in &plan.batches {
            prop_assert!(!b.orders.is_empty() && b.orders.len() <= capacity);
            b.orders.iter().for_each(|&o| seen[o] += 1);
            // The batch's sequence lists each of its picks once.
            let mut stops: Vec<(usize, usize)> = b.sequence.clone();
            stops.sort_unstable();
            let expected: Vec<(usize, usize)> =
                b.orders.iter().flat_map(|&o| (0..orders[o].picks.len()).map(move |p| (o, p))).collect();
            prop_assert_eq!(stops, expected);
            let picks: Vec<Pick> = b.orders.iter().flat_map(|&o| orders[o].picks.clone()).collect();
            prop_assert!((optimal_route(&layout, &picks).distance_m - b.distance_m).abs() < 1e-6);
        }
        prop_assert!(seen.iter().all(|&s| s == 1), "{:?}", seen);
        let sum: f64 = plan.batches.iter().map(|b| b.distance_m).sum();
        prop_assert!((sum - plan.total_distance_m).abs() < 1e-6);
        prop_assert!(plan.total_distance_m <= plan.fcfs_total_distance_m + 1e-6);
    }
}
