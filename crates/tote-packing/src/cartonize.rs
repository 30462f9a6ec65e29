//! Choosing cartons for one order: with the fewest-cartons objective, the
//! smallest single carton that holds everything when there is one; otherwise
//! (and always under least cost) the split search of `split_search`, whose
//! finished plans have each carton swapped for the smallest (or cheapest) type
//! that still holds its units.

use rust_decimal::Decimal;

use crate::cost::{ShippingCost, carton_total_cost};
use crate::dim_weight::{DimRule, billable_weight};
use crate::extreme_points::{Placed, fits_alone, pack_all};
use crate::model::{
    Carton, CartonId, ItemLine, OWN_CONTAINER_ID, PackResult, PackedCarton, Placement, Unit,
    Unpacked, volume_mm3,
};
use crate::split_search::{
    SPLIT_SEARCH_CALLS_MAX, SPLIT_SEARCH_CALLS_MIN, SPLIT_SEARCH_FULL_UNITS_MAX, SplitSearch,
};

/// What the packer minimises.
#[derive(Clone, Copy)]
pub enum Objective<'a> {
    /// Fewest cartons, then least total outer volume.
    FewestCartons,
    /// Least total of carton cost plus shipping at billable weight.
    LeastCost(&'a dyn ShippingCost),
}

impl Objective<'_> {
    /// The dimensional-weight rule billable weights are reported under.
    pub fn dim_rule(&self) -> DimRule {
        match self {
            Objective::FewestCartons => DimRule::DAILY_139,
            Objective::LeastCost(r) => r.dim_rule(),
        }
    }
}

/// One carton of a plan; `placed[..].unit` index the order's units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedCarton {
    pub carton: usize,
    pub placed: Vec<Placed>,
}

/// Every unit of an order lands in exactly one of the three lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub cartons: Vec<PlannedCarton>,
    /// Units flagged `ships_alone`: each leaves in its own packaging.
    pub own: Vec<usize>,
    /// Units no carton can hold, by size or weight; under least cost also the
    /// rest of an order no plan of accepted parcels could ship.
    pub unpacked: Vec<usize>,
}

/// Ranks carton choices: lower is better.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub(crate) enum Score {
    Count { cartons: usize, outer_mm3: u64 },
    Cost { total: Decimal, cartons: usize },
}

fn carton_key(obj: &Objective, carton: &Carton, weight_g: u64) -> Option<(Decimal, u64)> {
    match obj {
        Objective::FewestCartons => Some((Decimal::ZERO, carton.outer_volume_mm3())),
        Objective::LeastCost(r) => Some((
            carton_total_cost(carton, weight_g, *r)?,
            carton.outer_volume_mm3(),
        )),
    }
}

pub(crate) fn score(
    obj: &Objective,
    cartons: &[Carton],
    units: &[Unit],
    plan: &[PlannedCarton],
) -> Option<Score> {
    match obj {
        Objective::FewestCartons => Some(Score::Count {
            cartons: plan.len(),
            outer_mm3: plan
                .iter()
                .map(|p| cartons[p.carton].outer_volume_mm3())
                .sum(),
        }),
        Objective::LeastCost(r) => {
            let mut total = Decimal::ZERO;
            for p in plan {
                let w = p
                    .placed
                    .iter()
                    .map(|x| u64::from(units[x.unit].weight_g))
                    .sum();
                total += carton_total_cost(&cartons[p.carton], w, *r)?;
            }
            Some(Score::Cost {
                total,
                cartons: plan.len(),
            })
        }
    }
}

/// The best single carton for all of `subset` (indexes into `units`), if any.
pub(crate) fn single(
    cartons: &[Carton],
    units: &[Unit],
    subset: &[usize],
    obj: &Objective,
) -> Option<PlannedCarton> {
    let sub: Vec<Unit> = subset.iter().map(|&i| units[i]).collect();
    let weight: u64 = sub.iter().map(|u| u64::from(u.weight_g)).sum();
    let volume: u64 = sub.iter().map(Unit::volume_mm3).sum();
    let mut candidates: Vec<((Decimal, u64), usize)> = cartons
        .iter()
        .enumerate()
        .filter(|(_, c)| weight <= c.payload_max_g() && volume <= c.inner_volume_mm3())
        .filter_map(|(i, c)| Some((carton_key(obj, c, weight)?, i)))
        .collect();
    candidates.sort();
    for (_, c) in candidates {
        if let Some(placed) = pack_all(cartons[c].inner_mm, cartons[c].payload_max_g(), &sub) {
            return Some(PlannedCarton {
                carton: c,
                placed: remap(placed, subset),
            });
        }
    }
    None
}

pub(crate) fn remap(mut placed: Vec<Placed>, subset: &[usize]) -> Vec<Placed> {
    for p in &mut placed {
        p.unit = subset[p.unit];
    }
    placed
}

/// Swaps each carton for the best type that still holds its units.
pub(crate) fn downsize(
    cartons: &[Carton],
    units: &[Unit],
    plan: &mut [PlannedCarton],
    obj: &Objective,
) {
    for p in plan.iter_mut() {
        let subset: Vec<usize> = p.placed.iter().map(|x| x.unit).collect();
        if let Some(better) = single(cartons, units, &subset, obj) {
            let weight = subset.iter().map(|&i| u64::from(units[i].weight_g)).sum();
            let now = carton_key(obj, &cartons[p.carton], weight);
            let new = carton_key(obj, &cartons[better.carton], weight);
            if now.is_none() || new < now {
                *p = better;
            }
        }
    }
}

/// Whether some carton can take the unit alone, by size and weight.
pub fn fits_some_carton(cartons: &[Carton], u: &Unit) -> bool {
    cartons
        .iter()
        .any(|c| u64::from(u.weight_g) <= c.payload_max_g() && fits_alone(c.inner_mm, u))
}

/// Least cost only: whether some carton holding just this unit is a parcel
/// the rates accept. A unit that fails this cannot ship in any plan.
fn priced_alone(cartons: &[Carton], u: &Unit, obj: &Objective) -> bool {
    let Objective::LeastCost(rates) = obj else {
        return true;
    };
    cartons.iter().any(|c| {
        u64::from(u.weight_g) <= c.payload_max_g()
            && fits_alone(c.inner_mm, u)
            && carton_total_cost(c, u64::from(u.weight_g), *rates).is_some()
    })
}

/// Plans the cartons for one order's units.
pub fn plan_order(cartons: &[Carton], units: &[Unit], obj: &Objective) -> Plan {
    let mut plan = Plan::default();
    let mut rest = Vec::new();
    for (i, u) in units.iter().enumerate() {
        if u.ships_alone {
            plan.own.push(i);
        } else if fits_some_carton(cartons, u) && priced_alone(cartons, u, obj) {
            rest.push(i);
        } else {
            plan.unpacked.push(i);
        }
    }
    if rest.is_empty() {
        return plan;
    }
    if let (Objective::FewestCartons, Some(one)) = (obj, single(cartons, units, &rest, obj)) {
        plan.cartons.push(one);
        return plan;
    }
    let mut search = SplitSearch {
        cartons,
        units,
        obj,
        // Large orders get fewer packing calls: each costs more.
        calls_left: (SPLIT_SEARCH_CALLS_MAX * SPLIT_SEARCH_FULL_UNITS_MAX
            / rest.len().max(SPLIT_SEARCH_FULL_UNITS_MAX))
        .max(SPLIT_SEARCH_CALLS_MIN),
        cartons_floor: match obj {
            Objective::FewestCartons => {
                let sub: Vec<Unit> = rest.iter().map(|&i| units[i]).collect();
                crate::lower_bound::typed(cartons, &sub)
            }
            Objective::LeastCost(_) => 0,
        },
        best: None,
    };
    search.run(&rest, &mut Vec::new());
    let best = search.best;
    match best {
        Some((_, cartons)) => plan.cartons = cartons,
        None => plan.unpacked.extend(rest),
    }
    plan.unpacked.sort_unstable();
    plan
}

/// No packing uses fewer cartons than this: volume over the roomiest carton,
/// weight over the strongest, rounded up, at least one.
pub fn lower_bound_cartons(cartons: &[Carton], volume_mm3: u64, weight_g: u64) -> usize {
    crate::lower_bound::simple(cartons, volume_mm3, weight_g)
}

/// The JSON-shaped result of a plan.
pub fn to_result(
    cartons: &[Carton],
    lines: &[ItemLine],
    units: &[Unit],
    plan: &Plan,
    rule: DimRule,
) -> PackResult {
    let mut out = Vec::new();
    for p in &plan.cartons {
        let c = &cartons[p.carton];
        let items: Vec<Placement> = p
            .placed
            .iter()
            .map(|x| Placement {
                sku: lines[units[x.unit].line].sku.clone(),
                position_mm: x.position_mm,
                dims_mm: x.dims_mm,
            })
            .collect();
        let item_weight_g: u64 = p
            .placed
            .iter()
            .map(|x| u64::from(units[x.unit].weight_g))
            .sum();
        let item_volume: u64 = p.placed.iter().map(|x| volume_mm3(x.dims_mm)).sum();
        let gross_weight_g = item_weight_g + u64::from(c.empty_weight_g);
        out.push(PackedCarton {
            carton: c.id.clone(),
            items,
            item_weight_g,
            gross_weight_g,
            utilization: round4(item_volume as f64 / c.inner_volume_mm3().max(1) as f64),
            billable_weight_g: billable_weight(c.outer_mm, gross_weight_g, rule).grams(),
        });
    }
    for &i in &plan.own {
        let u = &units[i];
        let w = u64::from(u.weight_g);
        out.push(PackedCarton {
            carton: CartonId(OWN_CONTAINER_ID.to_string()),
            items: vec![Placement {
                sku: lines[u.line].sku.clone(),
                position_mm: [0, 0, 0],
                dims_mm: u.dims_mm,
            }],
            item_weight_g: w,
            gross_weight_g: w,
            utilization: 1.0,
            billable_weight_g: billable_weight(u.dims_mm, w, rule).grams(),
        });
    }
    let unpacked = plan
        .unpacked
        .iter()
        .map(|&i| Unpacked {
            sku: lines[units[i].line].sku.clone(),
            reason: if fits_some_carton(cartons, &units[i]) {
                "no parcel the rates accept".to_string()
            } else {
                "fits no carton".to_string()
            },
        })
        .collect();
    PackResult {
        cartons: out,
        unpacked,
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
