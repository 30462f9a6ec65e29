//! The carton-set study: which k carton sizes, out of the candidates, minimise
//! carton cost plus shipping over an order history. Each order's cost under a
//! set is its cheapest single carton in the set (precomputed per candidate), or
//! else the cost of a multi-carton plan over the set (computed once per order
//! and set). The set is grown greedily, one carton at a time, then improved by
//! swapping one chosen carton for one left out while that lowers the total.

use std::collections::HashMap;

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cartonize::{Objective, plan_order};
use crate::cost::{RateTable, ShippingCost, carton_total_cost};
use crate::dim_weight::billable_weight;
use crate::extreme_points::pack_all;
use crate::model::{Carton, CartonId, ItemLine, Unit, units_of};

/// Rounds of swap search after the greedy start; each round tries every swap.
pub const SWAP_ROUNDS_MAX: usize = 32;

/// One order of ORDERS.json.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyOrder {
    #[serde(default)]
    pub order: String,
    pub items: Vec<ItemLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CartonUsage {
    pub carton: CartonId,
    /// Cartons of this size the order history would use.
    pub cartons: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SetCost {
    pub cartons: Vec<CartonId>,
    pub total_cost: Decimal,
    /// Orders the set cannot ship (some unit fits none of its cartons); not in the total.
    pub orders_unshippable: usize,
    pub usage: Vec<CartonUsage>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StudyReport {
    pub k: usize,
    pub orders: usize,
    pub currency: String,
    pub rates: String,
    pub chosen: SetCost,
    pub current: Option<SetCost>,
    /// Current total minus chosen total; positive is money saved.
    pub saving: Option<Decimal>,
    pub saving_pct: Option<f64>,
}

/// (orders unshippable, total cost): lower is better, unshippable first.
type Total = (usize, Decimal);

struct Prepared {
    /// Units that ship alone: their parcel prices, the same under every set.
    own_cost: Option<Decimal>,
    /// The units that go in cartons (all but the ships-alone ones).
    packable: Vec<Unit>,
    /// Cost of the whole order in one carton of each candidate, when it fits.
    single: Vec<Option<Decimal>>,
}

fn prepare(order: &StudyOrder, candidates: &[Carton], rates: &dyn ShippingCost) -> Prepared {
    let units = units_of(&order.items);
    let mut own_cost = Some(Decimal::ZERO);
    for u in units.iter().filter(|u| u.ships_alone) {
        let b = billable_weight(u.dims_mm, u64::from(u.weight_g), rates.dim_rule());
        own_cost = own_cost.zip(rates.parcel_price(b)).map(|(a, p)| a + p);
    }
    let packable: Vec<Unit> = units.iter().filter(|u| !u.ships_alone).copied().collect();
    let weight: u64 = packable.iter().map(|u| u64::from(u.weight_g)).sum();
    let single = candidates
        .iter()
        .map(|c| {
            if packable.is_empty() {
                return Some(Decimal::ZERO);
            }
            pack_all(c.inner_mm, c.payload_max_g(), &packable)?;
            carton_total_cost(c, weight, rates)
        })
        .collect();
    Prepared {
        own_cost,
        packable,
        single,
    }
}

/// Cost of one order under the cartons in `mask` when no single carton holds it.
fn multi_cost(
    p: &Prepared,
    candidates: &[Carton],
    mask: u64,
    rates: &dyn ShippingCost,
) -> Option<Decimal> {
    let subset = members(candidates, mask);
    let plan = plan_order(&subset, &p.packable, &Objective::LeastCost(rates));
    if !plan.unpacked.is_empty() {
        return None;
    }
    let mut total = Decimal::ZERO;
    for c in &plan.cartons {
        let w = c
            .placed
            .iter()
            .map(|x| u64::from(p.packable[x.unit].weight_g))
            .sum();
        total += carton_total_cost(&subset[c.carton], w, rates)?;
    }
    Some(total)
}

fn members(candidates: &[Carton], mask: u64) -> Vec<Carton> {
    candidates
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, c)| c.clone())
        .collect()
}

fn cheapest_single(p: &Prepared, mask: u64) -> Option<Decimal> {
    p.single
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .filter_map(|(_, c)| *c)
        .min()
}

struct Evaluator<'a> {
    orders: Vec<Prepared>,
    candidates: &'a [Carton],
    rates: &'a dyn ShippingCost,
    multi: HashMap<(usize, u64), Option<Decimal>>,
}

impl Evaluator<'_> {
    fn total(&mut self, mask: u64) -> Total {
        let missing: Vec<usize> = (0..self.orders.len())
            .filter(|&o| {
                cheapest_single(&self.orders[o], mask).is_none()
                    && !self.multi.contains_key(&(o, mask))
            })
            .collect();
        let (orders, candidates, rates) = (&self.orders, self.candidates, self.rates);
        let computed: Vec<(usize, Option<Decimal>)> = missing
            .par_iter()
            .map(|&o| (o, multi_cost(&orders[o], candidates, mask, rates)))
            .collect();
        for (o, c) in computed {
            self.multi.insert((o, mask), c);
        }
        let mut total: Total = (0, Decimal::ZERO);
        for (o, p) in self.orders.iter().enumerate() {
            let cost = cheapest_single(p, mask).or_else(|| self.multi[&(o, mask)]);
            match cost.zip(p.own_cost) {
                Some((c, own)) => total.1 += c + own,
                None => total.0 += 1,
            }
        }
        total
    }
}

/// Cost of shipping every order with exactly these cartons, planned in full.
pub fn set_cost(orders: &[StudyOrder], cartons: &[Carton], rates: &dyn ShippingCost) -> SetCost {
    let per_order: Vec<Option<(Decimal, Vec<usize>)>> = orders
        .par_iter()
        .map(|o| {
            let units = units_of(&o.items);
            let plan = plan_order(cartons, &units, &Objective::LeastCost(rates));
            if !plan.unpacked.is_empty() {
                return None;
            }
            let mut total = Decimal::ZERO;
            for &i in &plan.own {
                let u = &units[i];
                total += rates.parcel_price(billable_weight(
                    u.dims_mm,
                    u64::from(u.weight_g),
                    rates.dim_rule(),
                ))?;
            }
            for c in &plan.cartons {
                let w = c
                    .placed
                    .iter()
                    .map(|x| u64::from(units[x.unit].weight_g))
                    .sum();
                total += carton_total_cost(&cartons[c.carton], w, rates)?;
            }
            Some((total, plan.cartons.iter().map(|c| c.carton).collect()))
        })
        .collect();
    let mut used = vec![0usize; cartons.len()];
    let mut total = Decimal::ZERO;
    let mut unshippable = 0;
    for o in per_order {
        match o {
            Some((cost, cs)) => {
                total += cost;
                cs.iter().for_each(|&c| used[c] += 1);
            }
            None => unshippable += 1,
        }
    }
    SetCost {
        cartons: cartons.iter().map(|c| c.id.clone()).collect(),
        total_cost: total,
        orders_unshippable: unshippable,
        usage: cartons
            .iter()
            .zip(used)
            .map(|(c, n)| CartonUsage {
                carton: c.id.clone(),
                cartons: n,
            })
            .collect(),
    }
}

/// Chooses `k` of `candidates` for least total cost over `orders`, and compares
/// with `current` when given. `k` must be between 1 and the candidate count.
pub fn study(
    orders: &[StudyOrder],
    candidates: &[Carton],
    k: usize,
    current: Option<&[Carton]>,
    rates: &RateTable,
    rates_note: &str,
) -> StudyReport {
    assert!(candidates.len() <= 64, "candidates fit a u64 mask");
    assert!(
        (1..=candidates.len()).contains(&k),
        "k {k} out of 1..={}",
        candidates.len()
    );
    let prepared: Vec<Prepared> = orders
        .par_iter()
        .map(|o| prepare(o, candidates, rates))
        .collect();
    let mut eval = Evaluator {
        orders: prepared,
        candidates,
        rates,
        multi: HashMap::new(),
    };

    // Greedy start: add the carton that lowers the total most.
    let mut mask = 0u64;
    let mut best: Total = (usize::MAX, Decimal::MAX);
    for _ in 0..k {
        let mut step: Option<(Total, usize)> = None;
        for c in (0..candidates.len()).filter(|c| mask & (1 << c) == 0) {
            let t = eval.total(mask | (1 << c));
            if step.is_none_or(|(s, _)| t < s) {
                step = Some((t, c));
            }
        }
        let (t, c) = step.expect("k is at most the candidate count");
        mask |= 1 << c;
        best = t;
    }
    // Swap search: best single swap per round while it improves.
    for _ in 0..SWAP_ROUNDS_MAX {
        let mut improved: Option<(Total, u64)> = None;
        for out in (0..candidates.len()).filter(|c| mask & (1 << c) != 0) {
            for inn in (0..candidates.len()).filter(|c| mask & (1 << c) == 0) {
                let m = (mask & !(1 << out)) | (1 << inn);
                let t = eval.total(m);
                if t < improved.map_or(best, |(s, _)| s) {
                    improved = Some((t, m));
                }
            }
        }
        match improved {
            Some((t, m)) => {
                best = t;
                mask = m;
            }
            None => break,
        }
    }
    let chosen = set_cost(orders, &members(candidates, mask), rates);
    let current = current.map(|c| set_cost(orders, c, rates));
    let saving = current.as_ref().map(|c| c.total_cost - chosen.total_cost);
    let saving_pct = current.as_ref().zip(saving).and_then(|(c, s)| {
        let base = f64::try_from(c.total_cost).ok().filter(|b| *b > 0.0)?;
        Some((f64::try_from(s).unwrap_or(0.0) / base * 1000.0).round() / 10.0)
    });
    StudyReport {
        k,
        orders: orders.len(),
        currency: rates.currency.clone(),
        rates: rates_note.to_string(),
        chosen,
        current,
        saving,
        saving_pct,
    }
}
