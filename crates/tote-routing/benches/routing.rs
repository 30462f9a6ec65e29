//! Routing and batching benchmark: `cargo bench -p tote-routing --bench routing`.
//!
//! Generated instances (seeded, so every run sees the same ones) across pick
//! lists of 5 to 100 picks and layouts of 1 to 5 blocks. Each route's length
//! is compared with the best known route of its instance: the exact aisle
//! program's (run on five blocks too, where the router does not use it),
//! cross-checked by exhaustive search on lists of at most 12 spots. Times are wall clock on
//! this machine; gaps and savings are ratios within the same run.

use std::hint::black_box;
use std::time::Instant;
use tote_routing::{
    BatchParams, Layout, Method, OrderPicks, Pick, Route, Router, batch_orders, exact_route,
    exhaustive_route, route, sequence_distance_m,
};

/// SplitMix64: a tiny seeded generator, enough for instances.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn layout(aisles: usize, blocks: usize) -> Layout {
    Layout::new(aisles, 30.0, 3.0, blocks + 1, 0.0).expect("a valid layout")
}

/// Picks spread uniformly, at 0.5 m slots.
fn random_picks(rng: &mut Rng, layout: &Layout, n: usize) -> Vec<Pick> {
    (0..n)
        .map(|_| {
            Pick::new(
                rng.below(layout.aisles()),
                (rng.unit() * 60.0).floor() * 0.5,
            )
        })
        .collect()
}

const SIZES: [usize; 6] = [5, 10, 20, 30, 50, 100];
const BLOCKS: [usize; 5] = [1, 2, 3, 4, 5];
const INSTANCES_PER_CELL: usize = 12;

/// The best known route length: the exact program (it also runs on five
/// blocks, slowly), checked against exhaustive search on short lists.
fn best_known(layout: &Layout, picks: &[Pick], found: f64) -> f64 {
    let mut best = found.min(exact_route(layout, picks).distance_m);
    let mut spots: Vec<(usize, u64)> = picks.iter().map(|p| (p.aisle, p.y_m.to_bits())).collect();
    spots.sort_unstable();
    spots.dedup();
    if spots.len() <= 12 {
        let exhaustive_m = exhaustive_route(layout, picks).distance_m;
        assert!(
            exhaustive_m >= best - 1e-6,
            "exhaustive search beat the exact program"
        );
        best = best.min(exhaustive_m);
    }
    best
}

fn main() {
    println!("tote-routing benchmark (cargo bench -p tote-routing --bench routing)");
    println!("layouts: 10 and 20 aisles, 30 m long, 3 m apart, depot at aisle 0; picks uniform\n");
    let mut rng = Rng(0x70_7E_20_26);
    let methods: Vec<Method> = Method::ALL.to_vec();
    // gaps[blocks][method] = (sum of gaps, count)
    let mut gaps = vec![vec![(0.0f64, 0usize); methods.len()]; BLOCKS.len()];
    let mut router_s = vec![(0.0f64, 0usize); BLOCKS.len()];
    let mut stops_gap = vec![(0.0f64, 0usize); BLOCKS.len()];
    let mut router = Router::new();
    for (bi, &blocks) in BLOCKS.iter().enumerate() {
        for aisles in [10, 20] {
            let l = layout(aisles, blocks);
            for &n in &SIZES {
                for _ in 0..INSTANCES_PER_CELL {
                    let picks = random_picks(&mut rng, &l, n);
                    let t = Instant::now();
                    let r = router.route(&l, &picks, Method::Optimal);
                    router_s[bi].0 += t.elapsed().as_secs_f64();
                    router_s[bi].1 += 1;
                    let routes: Vec<f64> = methods
                        .iter()
                        .map(|&m| route(&l, &picks, m).distance_m)
                        .collect();
                    let found = routes.iter().copied().fold(r.distance_m, f64::min);
                    let best = best_known(&l, &picks, found);
                    for (mi, d) in routes.iter().enumerate() {
                        gaps[bi][mi].0 += d / best - 1.0;
                        gaps[bi][mi].1 += 1;
                    }
                    let stops = sequence_distance_m(&l, &picks, &r.sequence);
                    stops_gap[bi].0 += (stops - r.distance_m).abs();
                    stops_gap[bi].1 += 1;
                }
            }
        }
    }
    println!(
        "Mean gap to the best known route, sizes 5-100 ({} instances per block count)",
        router_s[0].1
    );
    print!("{:<14}", "method");
    for b in BLOCKS {
        print!(
            "{:>12}",
            format!("{b} block{}", if b > 1 { "s" } else { "" })
        );
    }
    println!();
    for (mi, m) in methods.iter().enumerate() {
        let name = if *m == Method::Optimal {
            "router"
        } else {
            m.name()
        };
        print!("{name:<14}");
        for g in &gaps {
            print!("{:>11.2}%", 100.0 * g[mi].0 / g[mi].1 as f64);
        }
        println!();
    }
    print!("{:<14}", "routes/s");
    for t in &router_s {
        print!("{:>12.0}", t.1 as f64 / t.0);
    }
    println!(
        "\n(router: exact program on 1-4 blocks; on 5, best heuristic + 2-opt/or-opt with restarts,"
    );
    println!(" measured against the exact program run as a reference)\n");

    // S-shape against the router on the layout the target names.
    let l = layout(20, 1);
    let (mut saving, mut count) = (0.0, 0);
    for n in 10..=30 {
        for _ in 0..20 {
            let picks = random_picks(&mut rng, &l, n);
            let s = route(&l, &picks, Method::SShape).distance_m;
            let o = route(&l, &picks, Method::Optimal).distance_m;
            saving += 1.0 - o / s;
            count += 1;
        }
    }
    println!(
        "Router vs S-shape, 20 aisles, 1 block, 10-30 picks ({count} lists): {:.1}% shorter on average (target >= 15%)",
        100.0 * saving / count as f64
    );

    // The 30-pick route time.
    for blocks in [1, 2, 3, 4] {
        let l = layout(20, blocks);
        let lists: Vec<Vec<Pick>> = (0..200).map(|_| random_picks(&mut rng, &l, 30)).collect();
        let reps = 5;
        let time_us = |f: &mut dyn FnMut(&[Pick]) -> Route| {
            let t = Instant::now();
            for _ in 0..reps {
                for p in &lists {
                    black_box(f(black_box(p)));
                }
            }
            t.elapsed().as_secs_f64() * 1e6 / (reps * lists.len()) as f64
        };
        let fresh_us = time_us(&mut |p| route(&l, p, Method::Optimal));
        let mut router = Router::new();
        let kept_us = time_us(&mut |p| router.route(&l, p, Method::Optimal));
        let s_us = time_us(&mut |p| route(&l, p, Method::SShape));
        println!(
            "30-pick route, 20 aisles, {blocks} block(s): router {kept_us:.1} us kept, {fresh_us:.1} us fresh (S-shape {s_us:.1} us, {:.1}x) (target < 50 us)",
            kept_us / s_us
        );
    }
    println!();
    batching(&mut rng);
}

/// Orders with locality: each order lives in one of five zones of four
/// aisles; 80% of its picks fall in its zone, the rest anywhere.
fn local_orders(rng: &mut Rng, layout: &Layout, n: usize) -> Vec<OrderPicks> {
    let zones = 5;
    let zone_aisles = layout.aisles() / zones;
    (0..n)
        .map(|i| {
            let zone = rng.below(zones);
            let count = 1 + rng.below(4);
            let picks = (0..count)
                .map(|_| {
                    let aisle = if rng.unit() < 0.8 {
                        zone * zone_aisles + rng.below(zone_aisles)
                    } else {
                        rng.below(layout.aisles())
                    };
                    Pick::new(aisle, (rng.unit() * 60.0).floor() * 0.5)
                })
                .collect();
            OrderPicks {
                id: format!("o{i}"),
                picks,
            }
        })
        .collect()
}

fn batching(rng: &mut Rng) {
    println!(
        "Batching at capacity 10, orders of 1-4 picks with zone locality (5 zones of 4 aisles)"
    );
    for (blocks, orders_n) in [(1, 100), (1, 200), (2, 200)] {
        let l = layout(20, blocks);
        let orders = local_orders(rng, &l, orders_n);
        let t = Instant::now();
        let plan = batch_orders(&l, &orders, 10, &BatchParams::default());
        let secs = t.elapsed().as_secs_f64();
        println!(
            "  {orders_n} orders, {blocks} block(s): {} batches, {:.0} m vs FCFS {:.0} m: {:.1}% less (target >= 25%), {:.2} s",
            plan.batches.len(),
            plan.total_distance_m,
            plan.fcfs_total_distance_m,
            100.0 * (1.0 - plan.total_distance_m / plan.fcfs_total_distance_m),
            secs
        );
    }
}
