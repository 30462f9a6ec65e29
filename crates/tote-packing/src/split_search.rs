//! Searching splits of an order over several cartons: a depth-first search
//! where each step fills one carton of some type as full as it goes (the most
//! promising few types first) and a branch ends when the rest fits one carton.
//! With the fewest-cartons objective, a branch that cannot beat the best count
//! by the typed lower bound is cut. A budget of packing calls keeps it fast.

use rust_decimal::Decimal;

use crate::cartonize::{Objective, PlannedCarton, Score, downsize, remap, score, single};
use crate::cost::carton_total_cost;
use crate::extreme_points::pack_most;
use crate::lower_bound;
use crate::model::{Carton, Unit, volume_mm3};

/// Packing calls (one carton type tried on a set of units) one order may spend.
pub const SPLIT_SEARCH_CALLS_MAX: usize = 96;

/// Packing calls left for lowering outer volume once the carton count meets
/// the order's lower bound.
pub const SPLIT_SEARCH_POLISH_CALLS_MAX: usize = 24;

/// Units up to which an order gets the full budget; past it the budget
/// shrinks in proportion, since each packing call costs more.
pub const SPLIT_SEARCH_FULL_UNITS_MAX: usize = 64;

/// Packing calls even the largest order may spend.
pub const SPLIT_SEARCH_CALLS_MIN: usize = 12;
const _: () = assert!(SPLIT_SEARCH_CALLS_MIN <= SPLIT_SEARCH_CALLS_MAX);

/// Carton fills tried at each step of the search.
pub const SPLIT_SEARCH_BRANCH_MAX: usize = 3;

pub(crate) struct SplitSearch<'a> {
    pub cartons: &'a [Carton],
    pub units: &'a [Unit],
    pub obj: &'a Objective<'a>,
    pub calls_left: usize,
    /// The typed lower bound on cartons of the order at the root of the
    /// search, worked out when first needed.
    pub cartons_floor: Option<usize>,
    pub best: Option<(Score, Vec<PlannedCarton>)>,
}

impl SplitSearch<'_> {
    /// The root order's typed lower bound; `plan` and `rest` are the current
    /// node's, which together hold every unit of the order.
    fn floor(&mut self, plan: &[PlannedCarton], rest: &[usize]) -> usize {
        if let Some(f) = self.cartons_floor {
            return f;
        }
        let all: Vec<Unit> = plan
            .iter()
            .flat_map(|c| c.placed.iter().map(|p| p.unit))
            .chain(rest.iter().copied())
            .map(|i| self.units[i])
            .collect();
        let f = lower_bound::typed(self.cartons, &all);
        self.cartons_floor = Some(f);
        f
    }

    /// Least cost only: whether `plan` plus `extra_parcels` of the cheapest
    /// possible parcels already costs at least the best plan. A cut, not a
    /// proof: a finished plan's cartons are still swapped for cheaper ones, so
    /// the rest's own parcels are left out of the count to leave room for that.
    fn dearer_than_best(&self, plan: &[PlannedCarton], extra_parcels: u32) -> bool {
        let (Objective::LeastCost(rates), Some((Score::Cost { total: best, .. }, _))) =
            (self.obj, &self.best)
        else {
            return false;
        };
        let Some(Score::Cost { total, .. }) = score(self.obj, self.cartons, self.units, plan)
        else {
            return true;
        };
        // The cheapest parcel: the cheapest carton shipped empty.
        let parcel_min = self
            .cartons
            .iter()
            .filter_map(|c| carton_total_cost(c, 0, *rates))
            .min()
            .unwrap_or_default();
        // Whatever swaps come, every parcel costs at least `parcel_min`, and the
        // rest needs `extra_parcels + 1` of them: a proof, unlike the cut above.
        let floor = parcel_min * Decimal::from(plan.len() as u64 + u64::from(extra_parcels) + 1);
        (total + parcel_min * Decimal::from(extra_parcels)).max(floor) >= *best
    }

    pub fn run(&mut self, rest: &[usize], plan: &mut Vec<PlannedCarton>) {
        // The budget only cuts search once a plan exists: the first descent
        // (the greedy plan) always completes, however large the order.
        let spent = self.calls_left == 0 && self.best.is_some();
        if spent || rest.is_empty() {
            return;
        }
        if self.dearer_than_best(plan, 0) {
            return;
        }
        if let (Objective::FewestCartons, Some((best, _))) = (self.obj, &self.best) {
            // Cut when even the bound (cartons, then outer volume: the plan's
            // cartons plus the rest's own volume) is no better than the best.
            let sub: Vec<Unit> = rest.iter().map(|&i| self.units[i]).collect();
            let bound = Score::Count {
                cartons: plan.len() + lower_bound::typed(self.cartons, &sub),
                outer_mm3: plan
                    .iter()
                    .map(|p| self.cartons[p.carton].outer_volume_mm3())
                    .sum::<u64>()
                    + sub.iter().map(Unit::volume_mm3).sum::<u64>(),
            };
            if bound >= *best {
                return;
            }
        }
        self.calls_left = self.calls_left.saturating_sub(1);
        if let Some(last) = single(self.cartons, self.units, rest, self.obj) {
            let mut candidate = plan.clone();
            candidate.push(last);
            downsize(self.cartons, self.units, &mut candidate, self.obj);
            if let Some(s) = score(self.obj, self.cartons, self.units, &candidate)
                && self.best.as_ref().is_none_or(|(b, _)| s < *b)
            {
                // Once the count meets the order's bound only the outer
                // volume can improve: a smaller budget polishes it.
                if let Score::Count { cartons, .. } = s
                    && cartons <= self.floor(plan, rest)
                {
                    self.calls_left = self.calls_left.min(SPLIT_SEARCH_POLISH_CALLS_MAX);
                }
                self.best = Some((s, candidate));
            }
            // Fewest cartons: one carton for the rest cannot be beaten. Least
            // cost: two small parcels may still undercut one large one.
            if matches!(self.obj, Objective::FewestCartons) {
                return;
            }
            // Splitting the rest takes at least two more parcels.
            if self.dearer_than_best(plan, 1) {
                return;
            }
        }
        let sub: Vec<Unit> = rest.iter().map(|&i| self.units[i]).collect();
        let mut fills: Vec<(f64, PlannedCarton)> = Vec::new();
        for (t, carton) in self.cartons.iter().enumerate() {
            if self.calls_left == 0 && self.best.is_some() {
                break;
            }
            self.calls_left = self.calls_left.saturating_sub(1);
            let placed = pack_most(carton.inner_mm, carton.payload_max_g(), &sub);
            if placed.is_empty() || placed.len() == rest.len() {
                continue;
            }
            let vol: u64 = placed.iter().map(|p| volume_mm3(p.dims_mm)).sum();
            let weight: u64 = placed.iter().map(|p| u64::from(sub[p.unit].weight_g)).sum();
            // Higher is better: share of the rest's volume and weight taken,
            // or volume per unit of money.
            let merit = match self.obj {
                Objective::FewestCartons => {
                    let rest_vol: u64 = sub.iter().map(Unit::volume_mm3).sum();
                    let rest_w: u64 = sub.iter().map(|u| u64::from(u.weight_g)).sum();
                    (vol as f64 / rest_vol.max(1) as f64).max(weight as f64 / rest_w.max(1) as f64)
                }
                Objective::LeastCost(r) => match carton_total_cost(carton, weight, *r) {
                    Some(cost) => vol as f64 / (f64::try_from(cost).unwrap_or(0.0) + 1e-9),
                    None => continue,
                },
            };
            fills.push((
                merit,
                PlannedCarton {
                    carton: t,
                    placed: remap(placed, rest),
                },
            ));
        }
        fills.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (_, fill) in fills.into_iter().take(SPLIT_SEARCH_BRANCH_MAX) {
            let next: Vec<usize> = rest
                .iter()
                .copied()
                .filter(|i| !fill.placed.iter().any(|p| p.unit == *i))
                .collect();
            plan.push(fill);
            self.run(&next, plan);
            plan.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CartonId;

    #[test]
    fn spent_budget_still_completes_the_first_plan() {
        let carton = Carton {
            id: CartonId("S".into()),
            inner_mm: [100, 100, 100],
            outer_mm: [110, 110, 110],
            empty_weight_g: 10,
            max_weight_g: 10_000,
            cost: Default::default(),
        };
        let cube = Unit {
            line: 0,
            dims_mm: [60, 60, 60],
            weight_g: 10,
            keep_flat: false,
            ships_alone: false,
        };
        let units = vec![cube; 5];
        let cartons = [carton];
        let mut search = SplitSearch {
            cartons: &cartons,
            units: &units,
            obj: &Objective::FewestCartons,
            calls_left: 0,
            cartons_floor: None,
            best: None,
        };
        search.run(&[0, 1, 2, 3, 4], &mut Vec::new());
        let (_, plan) = search.best.expect("a plan despite no budget");
        assert_eq!(plan.len(), 5, "one 60 mm cube per 100 mm carton");
        assert_eq!(plan.iter().map(|c| c.placed.len()).sum::<usize>(), 5);
    }
}
