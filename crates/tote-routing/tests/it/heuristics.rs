//! The classic heuristics walk as their definitions prescribe, on small
//! single-block layouts worked out by hand (4 aisles 2 m apart, 10 m long,
//! depot at aisle 0).

use tote_routing::{Layout, Method, Pick, route};

fn four_aisles() -> Layout {
    Layout::new(4, 10.0, 2.0, 2, 0.0).expect("a valid layout")
}

#[track_caller]
fn check(method: Method, picks: &[(usize, f64)], sequence: &[usize], distance_m: f64) {
    let picks: Vec<Pick> = picks.iter().map(|&(a, y)| Pick::new(a, y)).collect();
    let r = route(&four_aisles(), &picks, method);
    assert_eq!(r.sequence, sequence, "{method} sequence");
    assert!(
        (r.distance_m - distance_m).abs() < 1e-9,
        "{method}: {} m, expected {distance_m} m",
        r.distance_m
    );
}

#[test]
fn s_shape_traverses_aisles_with_picks_and_skips_the_others() {
    // Up aisle 0 (10), across the back (4), down aisle 2 (10), home (4).
    check(Method::SShape, &[(0, 3.0), (2, 4.0)], &[0, 1], 28.0);
}

#[test]
fn s_shape_returns_from_the_last_aisle_when_the_count_is_odd() {
    // Up 0 (10), back to 1 (2), down 1 (10), front to 3 (4), in and out (4), home (6).
    check(
        Method::SShape,
        &[(0, 3.0), (1, 8.0), (3, 2.0)],
        &[0, 1, 2],
        36.0,
    );
}

#[test]
fn return_enters_and_leaves_every_aisle_from_the_front() {
    // Aisle 0 in and out (6), to aisle 2 (4), in and out (8), home (4).
    check(Method::Return, &[(0, 3.0), (2, 4.0)], &[0, 1], 22.0);
}

#[test]
fn largest_gap_leaves_the_largest_gap_of_middle_aisles_unwalked() {
    // Up 0 (10), to 1 at the back (2), down to 9 and back (2), to 2 (2), down 2
    // (10), to 1 at the front (2), up to 1 and back (2), home (2).
    check(
        Method::LargestGap,
        &[(0, 5.0), (1, 1.0), (1, 9.0), (2, 5.0)],
        &[0, 2, 3, 1],
        32.0,
    );
}

#[test]
fn midpoint_takes_front_half_picks_from_the_front() {
    check(
        Method::Midpoint,
        &[(0, 5.0), (1, 1.0), (1, 9.0), (2, 5.0)],
        &[0, 2, 3, 1],
        32.0,
    );
}

#[test]
fn combined_chooses_return_visits_when_they_walk_less() {
    check(Method::Combined, &[(0, 3.0), (2, 4.0)], &[0, 1], 22.0);
}

#[test]
fn optimal_is_never_longer_than_any_heuristic_here() {
    let picks = [(0, 5.0), (1, 1.0), (1, 9.0), (2, 5.0), (3, 7.5)].map(|(a, y)| Pick::new(a, y));
    let best = route(&four_aisles(), &picks, Method::Optimal).distance_m;
    for m in Method::HEURISTICS {
        assert!(
            best <= route(&four_aisles(), &picks, m).distance_m + 1e-9,
            "{m}"
        );
    }
}

#[test]
fn picks_sharing_a_spot_each_appear_once() {
    let picks = [(1, 4.0), (3, 2.0), (1, 4.0), (1, 4.0)].map(|(a, y)| Pick::new(a, y));
    for m in Method::ALL {
        let mut seq = route(&four_aisles(), &picks, m).sequence;
        seq.sort_unstable();
        assert_eq!(seq, [0, 1, 2, 3], "{m}");
    }
}

#[test]
fn depot_between_aisles_is_left_and_reached_along_the_front() {
    // Depot at x = 3, between aisles 1 and 2: to aisle 2 (1), in and out (8), back (1).
    let l = Layout::new(4, 10.0, 2.0, 2, 3.0).expect("a valid layout");
    let r = route(&l, &[Pick::new(2, 4.0)], Method::Optimal);
    assert!((r.distance_m - 10.0).abs() < 1e-9, "{}", r.distance_m);
}

#[test]
fn large_layouts_route_within_the_stated_bounds() {
    // 100 aisles and 500 picks: exactly on 4 blocks, near-optimally on 5.
    let mut state = 7u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    for cross in [5, 6] {
        let l = Layout::new(100, 40.0, 2.5, cross, 120.0).expect("a valid layout");
        let picks: Vec<Pick> = (0..500)
            .map(|_| Pick::new(next() % 100, (next() % 81) as f64 * 0.5))
            .collect();
        let r = route(&l, &picks, Method::Optimal);
        let s = route(&l, &picks, Method::SShape);
        let mut seq = r.sequence.clone();
        seq.sort_unstable();
        assert!(
            seq.iter().copied().eq(0..500),
            "{cross} cross aisles: not a permutation"
        );
        assert!(
            r.distance_m <= s.distance_m,
            "{cross} cross aisles: {} > S-shape {}",
            r.distance_m,
            s.distance_m
        );
    }
}
