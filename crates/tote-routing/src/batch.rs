//! Order batching: grouping orders into picker trips of at most `capacity`
//! orders so that the trips' routes are short in total.
//!
//! Two constructions, the better kept: seed (start a batch with the unbatched
//! order that walks farthest alone, then add the order whose picks add the
//! least route, tried on a shortlist of orders near the batch) and savings
//! (Clarke and Wright: merge pairs of orders in order of the walk saved by
//! picking them together, while batches fit). Then local search moves an
//! order to another batch or swaps two orders between batches while the
//! total shrinks. Every distance is an optimal route of the batch's picks.

use crate::{Layout, Pick, Route, Router as PickRouter};
use std::collections::HashMap;

/// An order's picks, as batching sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderPicks {
    pub id: String,
    pub picks: Vec<Pick>,
}

/// Knobs of the search; the defaults suit waves of a few hundred orders.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchParams {
    /// Orders tried exactly, among those nearest a batch, at each step.
    pub shortlist: usize,
    /// Nearby batches each batch tries moves and swaps with.
    pub neighbour_batches: usize,
    /// Rounds of local search at most.
    pub rounds_max: usize,
}

impl Default for BatchParams {
    fn default() -> BatchParams {
        BatchParams {
            shortlist: 8,
            neighbour_batches: 6,
            rounds_max: 20,
        }
    }
}

/// One picker trip: orders (indices into the input), their route, and the
/// route's stops as (order index, pick index within the order).
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub orders: Vec<usize>,
    pub distance_m: f64,
    pub sequence: Vec<(usize, usize)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BatchPlan {
    pub batches: Vec<Batch>,
    pub total_distance_m: f64,
    /// The total when orders are taken in input order, `capacity` at a time.
    pub fcfs_total_distance_m: f64,
}

/// Routes trips (sets of orders), remembering the distances it has found.
struct Trips<'a> {
    layout: &'a Layout,
    orders: &'a [OrderPicks],
    picks: Vec<Pick>,
    cache: HashMap<Vec<u32>, f64>,
    router: PickRouter,
}

impl<'a> Trips<'a> {
    fn new(layout: &'a Layout, orders: &'a [OrderPicks]) -> Trips<'a> {
        Trips {
            layout,
            orders,
            picks: Vec::new(),
            cache: HashMap::new(),
            router: PickRouter::new(),
        }
    }

    fn gather(&mut self, set: &[usize]) {
        self.picks.clear();
        for &o in set {
            self.picks.extend_from_slice(&self.orders[o].picks);
        }
    }

    fn distance_m(&mut self, set: &[usize]) -> f64 {
        let mut key: Vec<u32> = set.iter().map(|&o| o as u32).collect();
        key.sort_unstable();
        if let Some(&d) = self.cache.get(&key) {
            return d;
        }
        self.gather(set);
        let d = self
            .router
            .optimal_route(self.layout, &self.picks)
            .distance_m;
        self.cache.insert(key, d);
        d
    }

    fn batch(&mut self, mut set: Vec<usize>) -> Batch {
        set.sort_unstable();
        self.gather(&set);
        let Route {
            distance_m,
            sequence,
        } = self.router.optimal_route(self.layout, &self.picks);
        // Map positions in the gathered list back to (order, pick).
        let mut owner = Vec::with_capacity(self.picks.len());
        for &o in &set {
            owner.extend((0..self.orders[o].picks.len()).map(|p| (o, p)));
        }
        Batch {
            orders: set,
            distance_m,
            sequence: sequence.iter().map(|&i| owner[i]).collect(),
        }
    }
}

/// Takes orders in input order, `capacity` at a time, each batch routed
/// optimally: the first-come-first-served baseline.
///
/// # Panics
/// If `capacity` is 0 or a pick lies outside the layout.
pub fn fcfs_batches(layout: &Layout, orders: &[OrderPicks], capacity: usize) -> Vec<Batch> {
    assert!(capacity > 0, "a batch holds at least one order");
    let mut trips = Trips::new(layout, orders);
    (0..orders.len())
        .collect::<Vec<_>>()
        .chunks(capacity)
        .map(|c| trips.batch(c.to_vec()))
        .collect()
}

/// Groups orders into batches of at most `capacity` orders, short in total.
///
/// # Panics
/// If `capacity` is 0 or a pick lies outside the layout.
pub fn batch_orders(
    layout: &Layout,
    orders: &[OrderPicks],
    capacity: usize,
    params: &BatchParams,
) -> BatchPlan {
    assert!(capacity > 0, "a batch holds at least one order");
    let fcfs = fcfs_batches(layout, orders, capacity);
    let fcfs_total_distance_m = fcfs.iter().map(|b| b.distance_m).sum();
    let mut trips = Trips::new(layout, orders);
    // Start from the best of both constructions and the baseline itself, so
    // the plan is never longer than first-come-first-served.
    let starts = [
        seed_construction(&mut trips, capacity, params),
        savings_construction(&mut trips, capacity, params),
        fcfs.iter().map(|b| b.orders.clone()).collect(),
    ];
    let mut sets = Vec::new();
    let mut sets_m = f64::INFINITY;
    for start in starts {
        let total_m: f64 = start.iter().map(|s| trips.distance_m(s)).sum();
        if total_m < sets_m {
            (sets, sets_m) = (start, total_m);
        }
    }
    local_search(&mut trips, &mut sets, capacity, params);
    let mut batches: Vec<Batch> = sets
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(|s| trips.batch(s))
        .collect();
    batches.sort_by_key(|b| b.orders[0]);
    let total_distance_m = batches.iter().map(|b| b.distance_m).sum();
    assert_eq!(
        batches.iter().map(|b| b.orders.len()).sum::<usize>(),
        orders.len(),
        "every order is batched once"
    );
    BatchPlan {
        batches,
        total_distance_m,
        fcfs_total_distance_m,
    }
}

/// How far an order's picks lie from a set of picks: the mean walk from each
/// of its picks to the nearest of the set. A cheap guide to which orders are
/// worth routing together.
fn nearness_m(layout: &Layout, order: &[Pick], set: &[Pick]) -> f64 {
    if order.is_empty() || set.is_empty() {
        return 0.0;
    }
    let near: f64 = order
        .iter()
        .map(|p| {
            set.iter()
                .map(|q| layout.pick_walk_m(p, q))
                .fold(f64::INFINITY, f64::min)
        })
        .sum();
    near / order.len() as f64
}

fn seed_construction(trips: &mut Trips, capacity: usize, params: &BatchParams) -> Vec<Vec<usize>> {
    let n = trips.orders.len();
    let alone: Vec<f64> = (0..n).map(|o| trips.distance_m(&[o])).collect();
    let mut free: Vec<usize> = (0..n).collect();
    let mut sets = Vec::with_capacity(n.div_ceil(capacity));
    let mut near: Vec<(f64, usize)> = Vec::with_capacity(n);
    while !free.is_empty() {
        let (at, _) = free
            .iter()
            .enumerate()
            .max_by(|a, b| alone[*a.1].total_cmp(&alone[*b.1]).then(b.1.cmp(a.1)))
            .expect("free orders remain");
        let mut set = vec![free.swap_remove(at)];
        let mut set_m = alone[set[0]];
        while set.len() < capacity && !free.is_empty() {
            trips.gather(&set);
            near.clear();
            for (i, &o) in free.iter().enumerate() {
                near.push((
                    nearness_m(trips.layout, &trips.orders[o].picks, &trips.picks),
                    i,
                ));
            }
            near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut best: Option<(f64, usize)> = None;
            for &(_, i) in near.iter().take(params.shortlist.max(1)) {
                set.push(free[i]);
                let added_m = trips.distance_m(&set) - set_m;
                set.pop();
                if best.is_none_or(|(b, _)| added_m < b) {
                    best = Some((added_m, i));
                }
            }
            let (added_m, i) = best.expect("the shortlist is not empty");
            set.push(free.swap_remove(i));
            set_m += added_m;
        }
        sets.push(set);
    }
    sets
}

fn savings_construction(
    trips: &mut Trips,
    capacity: usize,
    params: &BatchParams,
) -> Vec<Vec<usize>> {
    let n = trips.orders.len();
    let alone: Vec<f64> = (0..n).map(|o| trips.distance_m(&[o])).collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    let mut near: Vec<(f64, usize)> = Vec::with_capacity(n);
    for i in 0..n {
        near.clear();
        for j in (0..n).filter(|&j| j != i) {
            near.push((
                nearness_m(trips.layout, &trips.orders[i].picks, &trips.orders[j].picks),
                j,
            ));
        }
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, j) in near.iter().take(params.shortlist.max(1)) {
            let (a, b) = (i.min(j), i.max(j));
            pairs.push((alone[a] + alone[b] - trips.distance_m(&[a, b]), a, b));
        }
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    pairs.dedup_by(|x, y| (x.1, x.2) == (y.1, y.2));
    // Batches as a union-find over orders, with sizes at the roots.
    let mut parent: Vec<usize> = (0..n).collect();
    let mut size = vec![1usize; n];
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for &(saving_m, a, b) in &pairs {
        if saving_m <= 0.0 {
            break;
        }
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb && size[ra] + size[rb] <= capacity {
            parent[rb] = ra;
            size[ra] += size[rb];
        }
    }
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    for o in 0..n {
        let r = root(&mut parent, o);
        by_root.entry(r).or_default().push(o);
    }
    let mut sets: Vec<Vec<usize>> = by_root.into_values().collect();
    sets.sort_by_key(|s| s[0]);
    sets
}

/// The mean spot of a batch's picks, to find neighbouring batches.
fn centre(trips: &Trips, set: &[usize]) -> (f64, f64) {
    let (mut x, mut y, mut n) = (0.0, 0.0, 0usize);
    for &o in set {
        for p in &trips.orders[o].picks {
            x += trips.layout.aisle_x_m(p.aisle);
            y += p.y_m;
            n += 1;
        }
    }
    if n == 0 {
        (0.0, 0.0)
    } else {
        (x / n as f64, y / n as f64)
    }
}

fn local_search(
    trips: &mut Trips,
    sets: &mut Vec<Vec<usize>>,
    capacity: usize,
    params: &BatchParams,
) {
    const EPS_M: f64 = 1e-6;
    for _ in 0..params.rounds_max {
        let mut better = false;
        let centres: Vec<(f64, f64)> = sets.iter().map(|s| centre(trips, s)).collect();
        for a in 0..sets.len() {
            let mut others: Vec<(f64, usize)> = (0..sets.len())
                .filter(|&b| b != a)
                .map(|b| {
                    (
                        (centres[a].0 - centres[b].0).abs() + (centres[a].1 - centres[b].1).abs(),
                        b,
                    )
                })
                .collect();
            others.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            for &(_, b) in others.iter().take(params.neighbour_batches) {
                better |= improve_pair(trips, sets, a, b, capacity, EPS_M);
            }
        }
        sets.retain(|s| !s.is_empty());
        if !better {
            break;
        }
    }
}

/// Tries every move of an order from batch `a` to `b` and every swap between
/// them, applying each one that shortens the pair's total.
fn improve_pair(
    trips: &mut Trips,
    sets: &mut [Vec<usize>],
    a: usize,
    b: usize,
    capacity: usize,
    eps_m: f64,
) -> bool {
    let mut better = false;
    let mut now_m = trips.distance_m(&sets[a]) + trips.distance_m(&sets[b]);
    let mut i = 0;
    while i < sets[a].len() {
        let mut done = false;
        if sets[b].len() < capacity {
            let mut ta = sets[a].clone();
            let o = ta.swap_remove(i);
            let mut tb = sets[b].clone();
            tb.push(o);
            let new_m = trips.distance_m(&ta) + trips.distance_m(&tb);
            if new_m < now_m - eps_m {
                (sets[a], sets[b], now_m, done) = (ta, tb, new_m, true);
            }
        }
        if !done {
            for j in 0..sets[b].len() {
                let (mut ta, mut tb) = (sets[a].clone(), sets[b].clone());
                std::mem::swap(&mut ta[i], &mut tb[j]);
                let new_m = trips.distance_m(&ta) + trips.distance_m(&tb);
                if new_m < now_m - eps_m {
                    (sets[a], sets[b], now_m, done) = (ta, tb, new_m, true);
                    break;
                }
            }
        }
        better |= done;
        // After a move, position i holds another order: look at it too.
        if !done || i >= sets[a].len() {
            i += 1;
        }
    }
    better
}
