//! The single-order search: which nodes ship which units, at the lowest cost.
//!
//! Nodes are first screened (rules, channel, capability, capacity, stock); each
//! rejection is recorded. Then every subset of the eligible nodes is tried,
//! one node first, then pairs, and so on up to the order's shipment limit. For
//! a subset, every assignment of whole SKUs to its nodes is priced; a SKU no
//! node of the subset holds in full is split across them, largest stock first.
//! Plans rank by: fewest units backordered, fewest late shipments, lowest cost
//! (shipping + handling + look-ahead price of the units - preference credit +
//! split penalty per extra shipment), fewest shipments, most preferred
//! nodes, then node rank (on-time, priority number, code). A subset is skipped
//! when even its cheapest conceivable plan cannot beat the best one found, which
//! keeps the search exact: the plan returned is the best of all plans of the
//! shape above unless `exhaustive` is false (the subset budget ran out).

use crate::model::{ChannelPolicy, NodeProfile, channel_available};
use crate::ship::ShipCost;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The most shipments one order is searched for, whatever the rules allow.
pub const SEARCH_NODES_MAX: usize = 4;
/// Subsets priced per order before the search gives up on exactness.
pub const SEARCH_SUBSETS_MAX: u32 = 20_000;
/// Distinct SKUs up to which every assignment to a subset's nodes is tried.
pub const ASSIGN_SKUS_EXACT_MAX: usize = 8;
/// Runner-up plans kept in a decision's explanation.
pub const CANDIDATES_SHOWN_MAX: usize = 5;

/// One line of the order. `sku` is the caller's key; equal keys share stock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineInput {
    pub sku: u32,
    pub qty: i64,
    pub weight_g: u32,
    /// Price of one unit, for the low-value split rule.
    pub value_cents: i64,
}

/// A node as one decision sees it.
#[derive(Clone, Debug)]
pub struct NodeInput<'a> {
    pub code: &'a str,
    /// Lower first among equal plans.
    pub priority: u32,
    pub is_store: bool,
    pub profile: &'a NodeProfile,
    /// Shipments and units already taken today, against the daily capacity.
    pub orders_today: u32,
    pub units_today: u32,
    /// The ledger's available units of each line's SKU here, before channel policy.
    pub available: Vec<i64>,
    /// Look-ahead price of one unit of each line's SKU here, in cents; empty for none.
    pub unit_dual_cents: Vec<i64>,
    /// A parcel from here would miss the order's promise.
    pub late: bool,
}

impl<'a> NodeInput<'a> {
    pub fn new(code: &'a str, profile: &'a NodeProfile, available: Vec<i64>) -> NodeInput<'a> {
        NodeInput {
            code,
            priority: 0,
            is_store: false,
            profile,
            orders_today: 0,
            units_today: 0,
            available,
            unit_dual_cents: Vec::new(),
            late: false,
        }
    }
}

pub struct Request<'a> {
    pub lines: &'a [LineInput],
    pub nodes: &'a [NodeInput<'a>],
    pub policy: &'a ChannelPolicy,
}

/// Units of the order leaving one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipment {
    pub node: String,
    /// `(line index, units)`.
    pub lines: Vec<(usize, i64)>,
    pub units: i64,
    pub weight_g: u64,
    pub shipping_cents: i64,
    pub handling_cents: i64,
    /// The look-ahead price of the units taken (0 when the channel is myopic).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub dual_cents: i64,
    #[serde(default, skip_serializing_if = "is_false")]
    pub late: bool,
    /// The earliest delivery from this node, where the caller dated it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deliver_on: Option<chrono::NaiveDate>,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}
fn is_false(v: &bool) -> bool {
    !v
}

/// A plan the search priced, shown beside the winner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Considered {
    pub nodes: Vec<String>,
    /// Cost as ranked: shipping + handling + look-ahead - credit + split penalty.
    pub cost_cents: i64,
    pub backordered_units: i64,
    pub late_shipments: u32,
}

/// A node left out before the search, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub node: String,
    pub reason: String,
}

/// What was chosen, what else was priced, and why the winner won.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub shipments: Vec<Shipment>,
    /// Units of each line no node reserves.
    pub backordered: Vec<i64>,
    pub split_penalty_cents: i64,
    /// Shipping + handling + split penalty of the chosen plan (no look-ahead prices).
    pub total_cents: i64,
    /// The best plans priced, the winner first.
    pub candidates: Vec<Considered>,
    pub rejected: Vec<Rejected>,
    pub why: String,
    pub subsets_searched: u32,
    pub exhaustive: bool,
    /// The look-ahead prices the decision weighed (filled by the caller).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub look_ahead: Vec<UnitPrice>,
}

/// The look-ahead price of one unit of an order line's SKU at a node, in cents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPrice {
    pub node: String,
    pub sku: String,
    pub cents: i64,
}

impl Decision {
    /// Units of `line` reserved at each node, in shipment order.
    pub fn allocations(&self, line: usize) -> impl Iterator<Item = (&str, i64)> {
        self.shipments.iter().flat_map(move |s| {
            s.lines
                .iter()
                .filter(move |(l, _)| *l == line)
                .map(move |(_, q)| (s.node.as_str(), *q))
        })
    }
}

/// A distinct SKU of the order.
struct Item {
    qty: i64,
    weight_g: u64,
    lines: Vec<usize>,
}

/// A priced plan over eligible-node slots.
#[derive(Clone)]
struct Plan {
    /// Eligible indices, ascending (so node rank order).
    nodes: Vec<usize>,
    /// Per item: (eligible index, units).
    take: Vec<Vec<(usize, i64)>>,
    backordered: i64,
    late: u32,
    cost: i64,
    preferred: u32,
}

impl Plan {
    fn key(&self) -> (i64, u32, i64, usize, u32) {
        (
            self.backordered,
            self.late,
            self.cost,
            self.nodes.len(),
            u32::MAX - self.preferred,
        )
    }
    fn cmp(&self, other: &Plan) -> Ordering {
        self.key()
            .cmp(&other.key())
            .then_with(|| self.nodes.cmp(&other.nodes))
    }
}

struct Search<'r, 'a> {
    req: &'r Request<'a>,
    items: Vec<Item>,
    /// Eligible nodes, in rank order, as indices into `req.nodes`.
    eligible: Vec<usize>,
    /// `avail[e][i]`: units of item `i` the channel may take at eligible node `e`.
    avail: Vec<Vec<i64>>,
    /// `dual[e][i]`.
    dual: Vec<Vec<i64>>,
    unit_room: Vec<i64>,
    preferred: Vec<bool>,
    /// Cheapest conceivable cost of a shipment from each eligible node.
    floor: Vec<i64>,
    best: Option<Plan>,
    shown: Vec<Plan>,
    subsets: u32,
}

/// Sources one order. Pure: the same request gives the same decision.
pub fn decide(req: &Request<'_>, ship: &mut dyn ShipCost) -> Decision {
    for n in req.nodes {
        assert_eq!(
            n.available.len(),
            req.lines.len(),
            "{}: available per line",
            n.code
        );
    }
    let rules = &req.policy.rules;
    let mut items: Vec<Item> = Vec::new();
    let mut item_of_line = Vec::with_capacity(req.lines.len());
    let mut sku_of_item: Vec<u32> = Vec::new();
    for (l, line) in req.lines.iter().enumerate() {
        match sku_of_item.iter().position(|&s| s == line.sku) {
            Some(i) => {
                items[i].qty += line.qty;
                items[i].lines.push(l);
                item_of_line.push(i);
            }
            None => {
                sku_of_item.push(line.sku);
                item_of_line.push(items.len());
                items.push(Item {
                    qty: line.qty,
                    weight_g: u64::from(line.weight_g),
                    lines: vec![l],
                });
            }
        }
    }
    let first_line: Vec<usize> = items.iter().map(|it| it.lines[0]).collect();
    let units: i64 = items.iter().map(|i| i.qty).sum();

    // Screening: every node not eligible is named with its reason.
    let mut rejected = Vec::new();
    let mut eligible: Vec<usize> = Vec::new();
    let mut avail = Vec::new();
    for (n, node) in req.nodes.iter().enumerate() {
        let p = node.profile;
        let reason = if rules.exclude.iter().any(|c| c == node.code) {
            Some("excluded by the channel's rules".to_string())
        } else if !req.policy.serves(node.code) {
            Some("does not serve this channel".to_string())
        } else if !(if node.is_store {
            p.caps.ship_from_store
        } else {
            p.caps.ship
        }) {
            Some(if node.is_store {
                "does not ship from store".to_string()
            } else {
                "does not ship parcels".to_string()
            })
        } else if p
            .capacity_orders_day
            .is_some_and(|c| node.orders_today >= c)
        {
            Some(format!(
                "daily capacity of {} shipments reached",
                p.capacity_orders_day.unwrap_or(0)
            ))
        } else if p.capacity_units_day.is_some_and(|c| node.units_today >= c) {
            Some(format!(
                "daily capacity of {} units reached",
                p.capacity_units_day.unwrap_or(0)
            ))
        } else {
            let a: Vec<i64> = first_line
                .iter()
                .map(|&l| {
                    channel_available(node.available[l], node.code, node.is_store, p, req.policy)
                })
                .collect();
            if a.iter().all(|&q| q <= 0) {
                Some(if node.available.iter().any(|&q| q > 0) {
                    "stock held back by store buffer or channel share".to_string()
                } else {
                    "holds none of the order's SKUs".to_string()
                })
            } else {
                avail.push(a);
                eligible.push(n);
                None
            }
        };
        if let Some(reason) = reason {
            rejected.push(Rejected {
                node: node.code.to_string(),
                reason,
            });
        }
    }
    // Rank order for ties: on-time first, then priority number, then code.
    let mut order: Vec<usize> = (0..eligible.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&req.nodes[eligible[a]], &req.nodes[eligible[b]]);
        (x.late, x.priority, x.code).cmp(&(y.late, y.priority, y.code))
    });
    let eligible: Vec<usize> = order.iter().map(|&i| eligible[i]).collect();
    let avail: Vec<Vec<i64>> = order.iter().map(|&i| avail[i].clone()).collect();

    let look_ahead = req.policy.look_ahead;
    let dual: Vec<Vec<i64>> = eligible
        .iter()
        .map(|&n| {
            first_line
                .iter()
                .map(|&l| {
                    if look_ahead {
                        req.nodes[n]
                            .unit_dual_cents
                            .get(l)
                            .copied()
                            .unwrap_or(0)
                            .max(0)
                    } else {
                        0
                    }
                })
                .collect()
        })
        .collect();
    let unit_room: Vec<i64> = eligible
        .iter()
        .map(|&n| {
            let node = &req.nodes[n];
            node.profile
                .capacity_units_day
                .map_or(i64::MAX, |c| i64::from(c) - i64::from(node.units_today))
        })
        .collect();
    let preferred: Vec<bool> = eligible
        .iter()
        .map(|&n| rules.prefer.iter().any(|c| c == req.nodes[n].code))
        .collect();
    let weight_min = items.iter().map(|i| i.weight_g).min().unwrap_or(0);
    let floor: Vec<i64> = eligible
        .iter()
        .enumerate()
        .map(|(e, &n)| {
            let p = req.nodes[n].profile;
            let credit = if preferred[e] {
                rules.prefer_credit_cents
            } else {
                0
            };
            p.handling_order_cents + p.handling_unit_cents + ship.parcel_cents(n, weight_min)
                - credit
        })
        .collect();

    let value: i64 = req.lines.iter().map(|l| l.value_cents * l.qty).sum();
    let single = rules.ship_complete || value < rules.low_value_split_threshold_cents;
    let max_nodes = if single {
        1
    } else {
        (rules.max_splits as usize + 1).min(SEARCH_NODES_MAX)
    }
    .min(usize::try_from(units).unwrap_or(usize::MAX))
    .min(eligible.len());

    let mut s = Search {
        req,
        items,
        eligible,
        avail,
        dual,
        unit_room,
        preferred,
        floor,
        best: None,
        shown: Vec::new(),
        subsets: 0,
    };
    let mut exhaustive = true;
    let mut sorted_floor = s.floor.clone();
    sorted_floor.sort_unstable();
    'sizes: for k in 1..=max_nodes {
        if let Some(b) = &s.best
            && k > 1
            && b.backordered == 0
            && b.late == 0
        {
            let lb: i64 =
                sorted_floor[..k].iter().sum::<i64>() + (k as i64 - 1) * rules.split_penalty_cents;
            if lb >= b.cost {
                break;
            }
        }
        let mut subset: Vec<usize> = (0..k).collect();
        loop {
            if s.subsets >= SEARCH_SUBSETS_MAX {
                exhaustive = false;
                break 'sizes;
            }
            s.try_subset(&subset, ship);
            // Next combination in lexicographic order.
            let e = s.eligible.len();
            let mut i = k;
            while i > 0 && subset[i - 1] == e - k + i - 1 {
                i -= 1;
            }
            if i == 0 {
                break;
            }
            subset[i - 1] += 1;
            for j in i..k {
                subset[j] = subset[j - 1] + 1;
            }
        }
    }
    s.finish(
        item_of_line,
        single && rules.ship_complete,
        exhaustive,
        rejected,
        ship,
    )
}

impl Search<'_, '_> {
    fn try_subset(&mut self, subset: &[usize], ship: &mut dyn ShipCost) {
        let rules = &self.req.policy.rules;
        let k = subset.len();
        // Single nodes are always priced: they are the alternatives a reader
        // of the decision expects to see.
        if let Some(b) = &self.best
            && k > 1
            && b.backordered == 0
            && b.late == 0
        {
            let lb: i64 = subset.iter().map(|&e| self.floor[e]).sum::<i64>()
                + (k as i64 - 1) * rules.split_penalty_cents;
            if lb > b.cost || (lb == b.cost && k > b.nodes.len()) {
                return;
            }
        }
        self.subsets += 1;
        // SKUs no node of the subset holds in full are split, largest stock first.
        let m = self.items.len();
        let mut fixed: Vec<Vec<(usize, i64)>> = vec![Vec::new(); m];
        let mut whole: Vec<Vec<usize>> = vec![Vec::new(); m];
        let mut backordered = 0;
        for (i, item) in self.items.iter().enumerate() {
            whole[i] = subset
                .iter()
                .copied()
                .filter(|&e| self.avail[e][i] >= item.qty)
                .collect();
            if whole[i].is_empty() {
                let mut by_stock: Vec<usize> = subset.to_vec();
                by_stock.sort_by_key(|&e| std::cmp::Reverse(self.avail[e][i]));
                let mut want = item.qty;
                for e in by_stock {
                    let q = self.avail[e][i].min(want);
                    if q > 0 {
                        fixed[i].push((e, q));
                        want -= q;
                    }
                }
                backordered += want;
            }
        }
        let free: Vec<usize> = (0..m).filter(|&i| !whole[i].is_empty()).collect();
        let mut choice = vec![0usize; free.len()];
        if free.len() > ASSIGN_SKUS_EXACT_MAX {
            // Too many SKUs to try every assignment: each to its first whole
            // holder in rank order, which favours fewer, better-ranked nodes.
            let take = self.assemble(&fixed, &free, &whole, &choice);
            self.price(subset, take, backordered, ship);
            return;
        }
        loop {
            let take = self.assemble(&fixed, &free, &whole, &choice);
            self.price(subset, take, backordered, ship);
            let mut j = 0;
            loop {
                if j == free.len() {
                    return;
                }
                choice[j] += 1;
                if choice[j] < whole[free[j]].len() {
                    break;
                }
                choice[j] = 0;
                j += 1;
            }
        }
    }

    fn assemble(
        &self,
        fixed: &[Vec<(usize, i64)>],
        free: &[usize],
        whole: &[Vec<usize>],
        choice: &[usize],
    ) -> Vec<Vec<(usize, i64)>> {
        let mut take = fixed.to_vec();
        for (j, &i) in free.iter().enumerate() {
            take[i] = vec![(whole[i][choice[j]], self.items[i].qty)];
        }
        take
    }

    fn price(
        &mut self,
        subset: &[usize],
        take: Vec<Vec<(usize, i64)>>,
        backordered: i64,
        ship: &mut dyn ShipCost,
    ) {
        let rules = &self.req.policy.rules;
        let mut cost = (subset.len() as i64 - 1) * rules.split_penalty_cents;
        let mut late = 0;
        let mut preferred = 0;
        for &e in subset {
            let mut units = 0;
            let mut weight = 0u64;
            let mut dual = 0;
            for (i, t) in take.iter().enumerate() {
                for &(te, q) in t {
                    if te == e {
                        units += q;
                        weight += self.items[i].weight_g * q as u64;
                        dual += self.dual[e][i] * q;
                    }
                }
            }
            // Every node of the subset ships something, else it is a smaller subset.
            if units == 0 || units > self.unit_room[e] {
                return;
            }
            let n = self.eligible[e];
            let node = &self.req.nodes[n];
            let p = node.profile;
            cost += p.handling_order_cents + p.handling_unit_cents * units;
            cost += ship.parcel_cents(n, weight) + dual;
            if self.preferred[e] {
                cost -= rules.prefer_credit_cents;
                preferred += 1;
            }
            late += u32::from(node.late);
        }
        let plan = Plan {
            nodes: subset.to_vec(),
            take,
            backordered,
            late,
            cost,
            preferred,
        };
        if self
            .best
            .as_ref()
            .is_none_or(|b| plan.cmp(b) == Ordering::Less)
        {
            self.best = Some(plan.clone());
        }
        // Keep the best few distinct node sets for the explanation.
        if let Some(pos) = self.shown.iter().position(|p| p.nodes == plan.nodes) {
            if plan.cmp(&self.shown[pos]) == Ordering::Less {
                self.shown[pos] = plan;
            }
        } else {
            self.shown.push(plan);
        }
        self.shown.sort_by(|a, b| a.cmp(b));
        self.shown.truncate(CANDIDATES_SHOWN_MAX);
    }

    fn codes(&self, p: &Plan) -> Vec<String> {
        p.nodes
            .iter()
            .map(|&e| self.req.nodes[self.eligible[e]].code.to_string())
            .collect()
    }

    fn why(&self, win: &Plan) -> String {
        // The runner-up that fills as much, else the best other plan.
        let others = || self.shown.iter().filter(|p| p.nodes != win.nodes);
        let same_fill = others().find(|p| p.backordered == win.backordered);
        let Some(run) = same_fill.or_else(|| others().next()) else {
            return "the only plan any eligible node could fill".into();
        };
        let other = self.codes(run).join("+");
        if win.backordered < run.backordered {
            let more = run.backordered - win.backordered;
            let units = if more == 1 { "unit" } else { "units" };
            format!("fills {more} more {units} than {other}")
        } else if win.late < run.late {
            format!("meets the promise where {other} is late")
        } else if win.cost < run.cost {
            format!(
                "costs {} cents less than {other} ({} vs {})",
                run.cost - win.cost,
                win.cost,
                run.cost
            )
        } else if win.nodes.len() < run.nodes.len() {
            format!("same cost as {other}, fewer shipments")
        } else if win.preferred > run.preferred {
            format!("same cost as {other}, preferred node")
        } else {
            format!("same cost as {other}; wins on node priority, then code")
        }
    }

    fn finish(
        self,
        item_of_line: Vec<usize>,
        ship_complete: bool,
        exhaustive: bool,
        rejected: Vec<Rejected>,
        ship: &mut dyn ShipCost,
    ) -> Decision {
        let lines = self.req.lines;
        let candidates = self
            .shown
            .iter()
            .map(|p| Considered {
                nodes: self.codes(p),
                cost_cents: p.cost,
                backordered_units: p.backordered,
                late_shipments: p.late,
            })
            .collect();
        let split_penalty = self.req.policy.rules.split_penalty_cents;
        let all_backordered = |why: String| Decision {
            shipments: Vec::new(),
            backordered: lines.iter().map(|l| l.qty).collect(),
            split_penalty_cents: 0,
            total_cents: 0,
            candidates: Vec::new(),
            rejected: rejected.clone(),
            why,
            subsets_searched: self.subsets,
            exhaustive,
            look_ahead: Vec::new(),
        };
        let Some(win) = self.best.clone() else {
            return all_backordered("no eligible node holds any of the order's units".into());
        };
        if ship_complete && win.backordered > 0 {
            return Decision {
                candidates,
                ..all_backordered(
                    "ship-complete: no single node holds every unit, so nothing is reserved".into(),
                )
            };
        }
        let why = self.why(&win);
        // Units of each item go to its lines in line order.
        let mut per_line: Vec<Vec<(usize, i64)>> = vec![Vec::new(); lines.len()];
        let mut backordered: Vec<i64> = lines.iter().map(|l| l.qty).collect();
        for (i, item) in self.items.iter().enumerate() {
            let mut li = 0;
            for &(e, mut q) in &win.take[i] {
                while q > 0 {
                    let l = item.lines[li];
                    let t = q.min(backordered[l]);
                    if t > 0 {
                        per_line[l].push((e, t));
                        backordered[l] -= t;
                        q -= t;
                    }
                    if backordered[l] == 0 {
                        li += 1;
                    }
                }
            }
        }
        debug_assert!(item_of_line.len() == lines.len());
        let mut shipments = Vec::with_capacity(win.nodes.len());
        for &e in &win.nodes {
            let n = self.eligible[e];
            let node = &self.req.nodes[n];
            let mut s = Shipment {
                node: node.code.to_string(),
                lines: Vec::new(),
                units: 0,
                weight_g: 0,
                shipping_cents: 0,
                handling_cents: node.profile.handling_order_cents,
                dual_cents: 0,
                late: node.late,
                deliver_on: None,
            };
            for (l, takes) in per_line.iter().enumerate() {
                for &(te, q) in takes {
                    if te == e {
                        s.lines.push((l, q));
                        s.units += q;
                        s.weight_g += u64::from(lines[l].weight_g) * q as u64;
                        s.dual_cents += self.dual[e][item_of_line[l]] * q;
                    }
                }
            }
            s.handling_cents += node.profile.handling_unit_cents * s.units;
            s.shipping_cents = ship.parcel_cents(n, s.weight_g);
            shipments.push(s);
        }
        let penalty = (shipments.len() as i64 - 1).max(0) * split_penalty;
        let total = shipments
            .iter()
            .map(|s| s.shipping_cents + s.handling_cents)
            .sum::<i64>()
            + penalty;
        let placed: i64 = shipments.iter().map(|s| s.units).sum();
        let wanted: i64 = lines.iter().map(|l| l.qty).sum();
        assert_eq!(
            placed + backordered.iter().sum::<i64>(),
            wanted,
            "every unit is shipped or backordered"
        );
        Decision {
            shipments,
            backordered,
            split_penalty_cents: penalty,
            total_cents: total,
            candidates,
            rejected,
            why,
            subsets_searched: self.subsets,
            exhaustive,
            look_ahead: Vec::new(),
        }
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
