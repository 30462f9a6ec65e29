//! The sourcing benchmark's world and its three policies.
//!
//! A country of ten ZIP regions (first digit), two destination metros in each,
//! three DCs (east 071, central 462, west 900) and three ship-from-store stores
//! per region. Orders arrive for `days` days with regional demand: each SKU
//! sells three times as much in two regions of its own. Stock is set once at
//! the start at `stock_ratio` of the demand to come (70% spread evenly over
//! the DCs, 30% over the stores) and is never replenished, so it runs low and
//! where a unit is spent matters. By default stock is 2% above the demand in
//! total, so every policy serves every order and nodes run out locally; below
//! 1.0 the clairvoyant LP may also choose which orders go unserved (it drops
//! the dearest), an advantage no online policy has, so the gap it reports is
//! wider than any policy could close. Shipping is the example carriers' ground
//! service, rated by tote-transport per node, metro and pound; a shipment is
//! late when a day of handling plus the ground transit exceeds the promise.
//!
//! Policies: myopic (the cheapest plan for each order alone); look-ahead (the
//! same search with each unit priced by its dual price from a transportation
//! LP over the forecast demand still to come, re-solved every `replan_days`);
//! clairvoyant (every order known in advance, solved as one LP over order
//! classes, a lower bound on what any policy can cost).

use crate::lookahead::dual_prices;
use crate::model::{ChannelPolicy, NodeProfile};
use crate::search::{LineInput, NodeInput, Request, decide};
use crate::ship::{ShipCost, TransportRater};
use chrono::NaiveDate;
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, microlp, variable};
use std::collections::HashMap;
use std::time::Instant;
use tote_transport::{Country, Place, PostalCode};

/// Heaviest parcel the cost table holds, in pounds; heavier ones cost as much.
pub const TABLE_LB_MAX: usize = 30;
/// Days a parcel may take, order to door.
pub const PROMISE_DAYS: u32 = 5;
/// What an unserved unit costs the LPs (a lost sale), in cents.
pub const LOST_UNIT_CENTS: i64 = 5_000;
/// What a late shipment costs the LPs, in cents: late is avoided before cost,
/// as the single-order search ranks it.
pub const LATE_CENTS: i64 = 2_000;

const REGION_WEIGHT: [u32; 10] = [9, 7, 12, 10, 8, 6, 9, 8, 11, 20];
const DC_POSTAL: [&str; 3] = ["07102", "46201", "90001"];

#[derive(Clone, Debug)]
pub struct SimParams {
    pub days: u32,
    pub orders_per_day: u32,
    pub skus: usize,
    /// Stock at the start over all the units the orders will ask for.
    pub stock_ratio: f64,
    pub replan_days: u32,
    /// Multiplies the dual prices (1.0 is the LP's own price).
    pub dual_weight: f64,
    pub seed: u64,
}

impl Default for SimParams {
    fn default() -> SimParams {
        SimParams {
            days: 90,
            orders_per_day: 120,
            skus: 8,
            stock_ratio: 1.02,
            replan_days: 1,
            dual_weight: 1.0,
            seed: 7,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct PolicyReport {
    pub name: &'static str,
    pub orders: u64,
    pub cost_cents: i64,
    pub splits_per_order: f64,
    pub late_orders: f64,
    pub unfilled_units: f64,
    /// Single-order decisions per second of decision time (one core).
    pub decisions_per_s: f64,
    pub decision_us_p50: f64,
    pub decision_us_p99: f64,
    /// Time spent outside single decisions (dual LPs, the clairvoyant LP), seconds.
    pub solve_s: f64,
}

#[derive(Clone, Debug)]
pub struct SimReport {
    pub nodes: usize,
    pub orders: usize,
    pub units: i64,
    pub stock_units: i64,
    pub myopic: PolicyReport,
    pub look_ahead: PolicyReport,
    pub clairvoyant: PolicyReport,
    /// (myopic - look-ahead) / (myopic - clairvoyant), in percent.
    pub gap_closed_pct: f64,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = (self.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

struct SimNode {
    code: String,
    is_store: bool,
}

struct SimOrder {
    day: u32,
    metro: usize,
    skus: Vec<usize>,
}

pub struct World {
    nodes: Vec<SimNode>,
    dc: NodeProfile,
    store: NodeProfile,
    metros: usize,
    weight_g: Vec<u32>,
    /// `[node][metro][pounds]`, cents.
    table: Vec<Vec<Vec<i64>>>,
    late: Vec<Vec<bool>>,
    orders: Vec<SimOrder>,
    /// Expected units per day, `[metro][sku]`.
    rate: Vec<Vec<f64>>,
    stock0: Vec<Vec<i64>>,
    days: u32,
    split_penalty_cents: i64,
}

fn place(postal: &str) -> Place {
    Place {
        country: Country::parse("US").expect("US"),
        postal: PostalCode::parse(postal).expect("a five-digit ZIP"),
    }
}

impl World {
    pub fn new(p: &SimParams) -> World {
        let mut rng = Rng(p.seed);
        let mut nodes = Vec::new();
        let mut postals = Vec::new();
        for (i, z) in DC_POSTAL.iter().enumerate() {
            nodes.push(SimNode {
                code: format!("DC{}", i + 1),
                is_store: false,
            });
            postals.push(z.to_string());
        }
        for r in 0..10 {
            for (i, off) in [15, 45, 75].iter().enumerate() {
                nodes.push(SimNode {
                    code: format!("S{r}{}", i + 1),
                    is_store: true,
                });
                postals.push(format!("{:03}10", r * 100 + off));
            }
        }
        let metro_postals: Vec<String> = (0..10)
            .flat_map(|r| [20, 70].map(|off| format!("{:03}01", r * 100 + off)))
            .collect();
        let metros = metro_postals.len();
        let dc = NodeProfile {
            handling_order_cents: 150,
            handling_unit_cents: 30,
            handling_days: 1,
            ..NodeProfile::default()
        };
        let mut store = NodeProfile {
            handling_order_cents: 350,
            handling_unit_cents: 100,
            safety_buffer_units: 1,
            handling_days: 1,
            ..NodeProfile::default()
        };
        store.caps.ship = false;
        store.caps.ship_from_store = true;

        let set = tote_transport::cli::example_carriers();
        let ground = set.service("parcelo/ground").expect("example ground");
        let ship_on = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let mut table = Vec::with_capacity(nodes.len());
        let mut late = Vec::with_capacity(nodes.len());
        for origin in &postals {
            let mut rows = Vec::with_capacity(metros);
            let mut lates = Vec::with_capacity(metros);
            for dest in &metro_postals {
                let mut r = TransportRater::new(
                    ground,
                    &[Some(place(origin))],
                    Some(&place(dest)),
                    true,
                    ship_on,
                );
                let row: Vec<i64> = (0..=TABLE_LB_MAX)
                    .map(|lb| r.parcel_cents(0, (lb.max(1) * 453) as u64))
                    .collect();
                let transit = r
                    .zone(0)
                    .and_then(|z| ground.transit(z))
                    .unwrap_or(PROMISE_DAYS);
                lates.push(1 + transit > PROMISE_DAYS);
                rows.push(row);
            }
            table.push(rows);
            late.push(lates);
        }

        let weight_g: Vec<u32> = (0..p.skus).map(|_| 300 + rng.below(2_200) as u32).collect();
        // Each SKU sells three times as much in two regions of its own.
        let tilt: Vec<Vec<f64>> = (0..p.skus)
            .map(|_| {
                let (a, b) = (rng.below(10) as usize, rng.below(10) as usize);
                (0..10)
                    .map(|r| if r == a || r == b { 3.0 } else { 1.0 })
                    .collect()
            })
            .collect();
        let region_w: Vec<f64> = REGION_WEIGHT.iter().map(|&w| f64::from(w)).collect();
        let region_total: f64 = region_w.iter().sum();
        let second_line = 0.2;
        let mut orders = Vec::new();
        for day in 0..p.days {
            let jitter = rng.below(u64::from(p.orders_per_day / 5 + 1)) as u32;
            let n = p.orders_per_day - p.orders_per_day / 10 + jitter;
            for _ in 0..n {
                let r = rng.pick(&region_w);
                let metro = 2 * r + rng.below(2) as usize;
                let w: Vec<f64> = (0..p.skus).map(|k| tilt[k][r]).collect();
                let first = rng.pick(&w);
                let mut skus = vec![first];
                if p.skus > 1 && rng.below(1000) < (second_line * 1000.0) as u64 {
                    let mut w2 = w.clone();
                    w2[first] = 0.0;
                    skus.push(rng.pick(&w2));
                }
                orders.push(SimOrder { day, metro, skus });
            }
        }
        let mut rate = vec![vec![0.0; p.skus]; metros];
        let per_day = f64::from(p.orders_per_day);
        for (m, row) in rate.iter_mut().enumerate() {
            let r = m / 2;
            let pm = region_w[r] / region_total / 2.0;
            let tw: f64 = (0..p.skus).map(|k| tilt[k][r]).sum();
            for (k, v) in row.iter_mut().enumerate() {
                *v = per_day * pm * tilt[k][r] / tw * (1.0 + second_line);
            }
        }
        let mut demand = vec![0i64; p.skus];
        for o in &orders {
            for &k in &o.skus {
                demand[k] += 1;
            }
        }
        let n_nodes = nodes.len();
        let stores = n_nodes - DC_POSTAL.len();
        let mut stock0 = vec![vec![0i64; p.skus]; n_nodes];
        for k in 0..p.skus {
            let total = (demand[k] as f64 * p.stock_ratio).round() as i64;
            let dc_each = total * 70 / 100 / DC_POSTAL.len() as i64;
            let store_each = (total - dc_each * DC_POSTAL.len() as i64) / stores as i64;
            for (j, row) in stock0.iter_mut().enumerate() {
                // Stores also hold their one-unit walk-in buffer.
                row[k] = if j < DC_POSTAL.len() {
                    dc_each
                } else {
                    store_each + store.safety_buffer_units
                };
            }
        }
        World {
            nodes,
            dc,
            store,
            metros,
            weight_g,
            table,
            late,
            orders,
            rate,
            stock0,
            days: p.days,
            split_penalty_cents: crate::model::Rules::default().split_penalty_cents,
        }
    }

    fn profile(&self, j: usize) -> &NodeProfile {
        if self.nodes[j].is_store {
            &self.store
        } else {
            &self.dc
        }
    }

    fn ship(&self, j: usize, metro: usize, weight_g: u64) -> i64 {
        let lb = (weight_g.div_ceil(453) as usize).clamp(1, TABLE_LB_MAX);
        self.table[j][metro][lb]
    }

    fn sellable(&self, j: usize, stock: i64) -> i64 {
        if self.nodes[j].is_store {
            (stock - self.store.safety_buffer_units).max(0)
        } else {
            stock.max(0)
        }
    }

    /// One unit of `sku` from `j` to `metro` as its own shipment, with the late cost.
    fn unit_cost(&self, j: usize, metro: usize, sku: usize) -> i64 {
        let p = self.profile(j);
        p.handling_order_cents
            + p.handling_unit_cents
            + self.ship(j, metro, u64::from(self.weight_g[sku]))
            + if self.late[j][metro] { LATE_CENTS } else { 0 }
    }
}

struct TableRate<'w> {
    world: &'w World,
    metro: usize,
}

impl ShipCost for TableRate<'_> {
    fn parcel_cents(&mut self, node: usize, weight_g: u64) -> i64 {
        self.world.ship(node, self.metro, weight_g)
    }
}

/// Runs one online policy over the orders in time order.
pub fn online(world: &World, p: &SimParams, look_ahead: bool) -> PolicyReport {
    let skus = world.weight_g.len();
    let mut stock = world.stock0.clone();
    let mut duals = vec![vec![0i64; skus]; world.nodes.len()];
    let policy = ChannelPolicy {
        look_ahead,
        ..ChannelPolicy::default()
    };
    let mut rep = PolicyReport {
        name: if look_ahead { "look-ahead" } else { "myopic" },
        ..PolicyReport::default()
    };
    let mut times_ns: Vec<u64> = Vec::with_capacity(world.orders.len());
    let mut splits = 0u64;
    let mut last_plan = None;
    for o in &world.orders {
        if look_ahead && last_plan.is_none_or(|d| o.day >= d + p.replan_days) {
            let t = Instant::now();
            last_plan = Some(o.day);
            let left = f64::from(world.days - o.day);
            for k in 0..skus {
                let supply: Vec<i64> = (0..world.nodes.len())
                    .map(|j| world.sellable(j, stock[j][k]))
                    .collect();
                let mut demand: Vec<f64> =
                    (0..world.metros).map(|m| world.rate[m][k] * left).collect();
                // Stock short of the forecast runs out at the end whatever is
                // chosen now, so the LP plans to serve its share of every metro
                // rather than choosing which metros go without.
                let (have, want) = (
                    supply.iter().sum::<i64>() as f64,
                    demand.iter().sum::<f64>(),
                );
                if want > have && want > 0.0 {
                    demand.iter_mut().for_each(|d| *d *= have / want);
                }
                let cost: Vec<Vec<i64>> = (0..world.nodes.len())
                    .map(|j| {
                        (0..world.metros)
                            .map(|m| world.unit_cost(j, m, k))
                            .collect()
                    })
                    .collect();
                let a = dual_prices(&supply, &demand, &cost, LOST_UNIT_CENTS)
                    .expect("the dual LP is always feasible and bounded");
                for j in 0..world.nodes.len() {
                    duals[j][k] = (a[j] as f64 * p.dual_weight).round() as i64;
                }
            }
            rep.solve_s += t.elapsed().as_secs_f64();
        }
        let lines: Vec<LineInput> = o
            .skus
            .iter()
            .map(|&k| LineInput {
                sku: k as u32,
                qty: 1,
                weight_g: world.weight_g[k],
                value_cents: 5_000,
            })
            .collect();
        let t = Instant::now();
        let inputs: Vec<NodeInput<'_>> = world
            .nodes
            .iter()
            .enumerate()
            .map(|(j, n)| NodeInput {
                code: &n.code,
                priority: 0,
                is_store: n.is_store,
                profile: world.profile(j),
                orders_today: 0,
                units_today: 0,
                available: o.skus.iter().map(|&k| stock[j][k]).collect(),
                unit_dual_cents: o.skus.iter().map(|&k| duals[j][k]).collect(),
                late: world.late[j][o.metro],
            })
            .collect();
        let d = decide(
            &Request {
                lines: &lines,
                nodes: &inputs,
                policy: &policy,
            },
            &mut TableRate {
                world,
                metro: o.metro,
            },
        );
        times_ns.push(t.elapsed().as_nanos() as u64);
        drop(inputs);
        rep.orders += 1;
        rep.cost_cents += d.total_cents;
        rep.unfilled_units += d.backordered.iter().sum::<i64>() as f64;
        if d.shipments.iter().any(|s| s.late) {
            rep.late_orders += 1.0;
        }
        splits += d.shipments.len().saturating_sub(1) as u64;
        for s in &d.shipments {
            let j = world
                .nodes
                .iter()
                .position(|n| n.code == s.node)
                .expect("a node of the world");
            for &(l, q) in &s.lines {
                stock[j][o.skus[l]] -= q;
                assert!(stock[j][o.skus[l]] >= 0, "{} oversold", s.node);
            }
        }
    }
    rep.splits_per_order = splits as f64 / rep.orders.max(1) as f64;
    let total_ns: u64 = times_ns.iter().sum();
    rep.decisions_per_s = rep.orders as f64 / (total_ns as f64 / 1e9);
    times_ns.sort_unstable();
    let at = |q: f64| times_ns[((times_ns.len() - 1) as f64 * q) as usize] as f64 / 1e3;
    rep.decision_us_p50 = at(0.5);
    rep.decision_us_p99 = at(0.99);
    rep
}

/// Every order known in advance: one LP over order classes (metro and SKU
/// set). A class's orders ship whole from a node, or (two-line classes) each
/// line from its own node with the split penalty; what stock cannot serve is lost.
pub fn clairvoyant(world: &World) -> PolicyReport {
    let t = Instant::now();
    let mut classes: HashMap<(usize, Vec<usize>), u32> = HashMap::new();
    for o in &world.orders {
        *classes.entry((o.metro, o.skus.clone())).or_default() += 1;
    }
    let mut classes: Vec<((usize, Vec<usize>), u32)> = classes.into_iter().collect();
    classes.sort();
    let nodes = world.nodes.len();
    let skus = world.weight_g.len();
    let mut vars = ProblemVariables::new();
    let mut objective = Expression::from(0.0);
    // Per (node, sku): the units taken, as an expression.
    let mut taken: Vec<Vec<Expression>> = (0..nodes)
        .map(|_| (0..skus).map(|_| Expression::from(0.0)).collect())
        .collect();
    let mut rows: Vec<(Expression, f64)> = Vec::new();
    // (variable, pure cost, late orders per unit of it, shipments per unit, lost units)
    let mut parts: Vec<(Variable, f64, f64, f64, f64)> = Vec::new();
    for ((metro, set), n) in &classes {
        let lines = set.len();
        let weight: u64 = set.iter().map(|&k| u64::from(world.weight_g[k])).sum();
        let mut served: Vec<Expression> = (0..lines).map(|_| Expression::from(0.0)).collect();
        for (j, taken_j) in taken.iter_mut().enumerate() {
            let p = world.profile(j);
            let late = world.late[j][*metro];
            let y = vars.add(variable().min(0.0));
            let cost = (p.handling_order_cents
                + p.handling_unit_cents * lines as i64
                + world.ship(j, *metro, weight)) as f64;
            let pen = if late { LATE_CENTS as f64 } else { 0.0 };
            objective += (cost + pen) * y;
            parts.push((y, cost, if late { 1.0 } else { 0.0 }, 1.0, 0.0));
            for (l, &k) in set.iter().enumerate() {
                served[l] += y;
                taken_j[k] += y;
            }
            if lines > 1 {
                for (l, &k) in set.iter().enumerate() {
                    let z = vars.add(variable().min(0.0));
                    let cost = (p.handling_order_cents
                        + p.handling_unit_cents
                        + world.ship(j, *metro, u64::from(world.weight_g[k])))
                        as f64
                        + world.split_penalty_cents as f64 / lines as f64;
                    objective += (cost + pen) * z;
                    let late_share = if late { 1.0 / lines as f64 } else { 0.0 };
                    parts.push((z, cost, late_share, 1.0 / lines as f64, 0.0));
                    served[l] += z;
                    taken_j[k] += z;
                }
            }
        }
        for s in served {
            let u = vars.add(variable().min(0.0));
            objective += LOST_UNIT_CENTS as f64 * u;
            parts.push((u, 0.0, 0.0, 0.0, 1.0));
            rows.push((s + u, f64::from(*n)));
        }
    }
    let mut problem = vars.minimise(objective).using(microlp);
    for (e, n) in rows {
        problem.add_constraint(e.eq(n));
    }
    for (j, row) in taken.into_iter().enumerate() {
        for (k, e) in row.into_iter().enumerate() {
            let cap = world.sellable(j, world.stock0[j][k]) as f64;
            problem.add_constraint(e.leq(cap));
        }
    }
    let sol = problem
        .solve()
        .expect("the clairvoyant LP is feasible (all may be lost)");
    let mut rep = PolicyReport {
        name: "clairvoyant LP",
        orders: world.orders.len() as u64,
        ..PolicyReport::default()
    };
    let mut cost = 0.0;
    let mut shipments = 0.0;
    for (v, c, late, ships, lost) in parts {
        let x = sol.value(v);
        cost += c * x;
        rep.late_orders += late * x;
        shipments += ships * x;
        rep.unfilled_units += lost * x;
    }
    rep.cost_cents = cost.round() as i64;
    // A split order counts one shipment per line: shipments beyond one per order served.
    let served_orders = rep.orders as f64 - 0.0;
    rep.splits_per_order = ((shipments - served_orders) / served_orders).max(0.0);
    rep.solve_s = t.elapsed().as_secs_f64();
    rep
}

/// The whole benchmark: world, the three policies, and the gap closed.
pub fn run(p: &SimParams) -> SimReport {
    let world = World::new(p);
    let myopic = online(&world, p, false);
    let look_ahead = online(&world, p, true);
    let clairvoyant = clairvoyant(&world);
    let gap = (myopic.cost_cents - clairvoyant.cost_cents) as f64;
    let closed = (myopic.cost_cents - look_ahead.cost_cents) as f64;
    SimReport {
        nodes: world.nodes.len(),
        orders: world.orders.len(),
        units: world.orders.iter().map(|o| o.skus.len() as i64).sum(),
        stock_units: world.stock0.iter().flatten().sum(),
        gap_closed_pct: if gap > 0.0 { 100.0 * closed / gap } else { 0.0 },
        myopic,
        look_ahead,
        clairvoyant,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_network_runs_every_policy_and_the_lp_bounds_them() {
        let p = SimParams {
            days: 6,
            orders_per_day: 30,
            skus: 3,
            ..SimParams::default()
        };
        let r = run(&p);
        assert_eq!(r.nodes, 33);
        assert_eq!(r.myopic.orders as usize, r.orders);
        assert!(r.clairvoyant.cost_cents <= r.myopic.cost_cents, "{r:?}");
        assert!(r.clairvoyant.cost_cents <= r.look_ahead.cost_cents, "{r:?}");
    }
}
