//! Goal: whatever the order, the packer's result passes the validity checker,
//! never uses fewer cartons than the lower bounds, and leaves no box hanging.
//! Method: random small carton sets and orders (sizes kept small so the debug
//! build stays fast), in both objectives.

use proptest::prelude::*;
use rust_decimal::Decimal;
use tote_packing::cartonize::{Objective, lower_bound_cartons, plan_order, to_result};
use tote_packing::check::violations;
use tote_packing::cost::RateTable;
use tote_packing::dim_weight::DimRule;
use tote_packing::model::{Carton, CartonId, ItemLine, Sku, units_of};

fn carton_strategy() -> impl Strategy<Value = Carton> {
    ([20u32..200, 20u32..200, 20u32..200], 50u32..5000, 0u32..300).prop_map(|(inner, pay, cost)| {
        Carton {
            id: CartonId(String::new()),
            inner_mm: inner,
            outer_mm: [inner[0] + 6, inner[1] + 6, inner[2] + 6],
            empty_weight_g: 100,
            max_weight_g: 100 + pay,
            cost: Decimal::new(i64::from(cost), 2),
        }
    })
}

fn line_strategy() -> impl Strategy<Value = ItemLine> {
    (
        [5u32..120, 5u32..120, 2u32..80],
        1u32..1500,
        1u32..4,
        any::<bool>(),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(dims, weight, qty, keep_flat, ships_alone)| ItemLine {
            sku: Sku(String::new()),
            dims_mm: dims,
            weight_g: weight,
            qty,
            keep_flat,
            ships_alone,
        })
}

fn instance() -> impl Strategy<Value = (Vec<Carton>, Vec<ItemLine>)> {
    (
        prop::collection::vec(carton_strategy(), 1..4),
        prop::collection::vec(line_strategy(), 1..6),
    )
        .prop_map(|(mut cartons, mut lines)| {
            for (i, c) in cartons.iter_mut().enumerate() {
                c.id = CartonId(format!("C{i}"));
            }
            for (i, l) in lines.iter_mut().enumerate() {
                l.sku = Sku(format!("S{i}"));
            }
            (cartons, lines)
        })
}

fn check_plan(
    cartons: &[Carton],
    lines: &[ItemLine],
    obj: &Objective,
) -> Result<(), TestCaseError> {
    let units = units_of(lines);
    let plan = plan_order(cartons, &units, obj);
    let result = to_result(cartons, lines, &units, &plan, obj.dim_rule());
    let bad = violations(&result, cartons, lines);
    prop_assert!(bad.is_empty(), "violations: {:?}", bad);
    if !plan.cartons.is_empty() {
        let packed: Vec<_> = plan
            .cartons
            .iter()
            .flat_map(|c| &c.placed)
            .map(|p| units[p.unit])
            .collect();
        let v = packed.iter().map(|u| u.volume_mm3()).sum();
        let w = packed.iter().map(|u| u64::from(u.weight_g)).sum();
        prop_assert!(plan.cartons.len() >= lower_bound_cartons(cartons, v, w));
        // The typed bound must hold for any valid packing, this one included.
        prop_assert!(plan.cartons.len() >= tote_packing::lower_bound::typed(cartons, &packed));
    }
    // Nothing hangs in the air: every box off the floor rests at least
    // SUPPORT_SHARE_MIN of its base on the tops of boxes just below it.
    let (num, den) = tote_packing::extreme_points::SUPPORT_SHARE_MIN;
    for c in &plan.cartons {
        for a in c.placed.iter().filter(|a| a.position_mm[2] > 0) {
            let area: u64 = c
                .placed
                .iter()
                .filter(|b| b.position_mm[2] + b.dims_mm[2] == a.position_mm[2])
                .map(|b| {
                    let overlap = |k: usize| {
                        let hi =
                            (a.position_mm[k] + a.dims_mm[k]).min(b.position_mm[k] + b.dims_mm[k]);
                        u64::from(hi.saturating_sub(a.position_mm[k].max(b.position_mm[k])))
                    };
                    overlap(0) * overlap(1)
                })
                .sum();
            let base = u64::from(a.dims_mm[0]) * u64::from(a.dims_mm[1]);
            prop_assert!(
                area * den >= base * num,
                "unit {} rests on {area} of {base} mm^2",
                a.unit
            );
        }
    }
    // A unit is left unpacked only when no carton can take it alone.
    for &i in &plan.unpacked {
        let u = &units[i];
        let fits = cartons.iter().any(|c| {
            u64::from(u.weight_g) <= c.payload_max_g()
                && tote_packing::extreme_points::fits_alone(c.inner_mm, u)
        });
        prop_assert!(
            !fits || matches!(obj, Objective::LeastCost(_)),
            "unit {i} fits a carton yet is unpacked"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_packing_passes_the_checker_fewest_cartons((cartons, lines) in instance()) {
        check_plan(&cartons, &lines, &Objective::FewestCartons)?;
    }

    #[test]
    fn every_packing_passes_the_checker_least_cost((cartons, lines) in instance()) {
        let rates = RateTable::illustrative();
        check_plan(&cartons, &lines, &Objective::LeastCost(&rates))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The CLI's printed result passes `tote pack --check` as text.
    #[test]
    fn printed_result_passes_the_check_command((cartons, lines) in instance()) {
        let cartons_json = serde_json::to_string(&cartons).unwrap();
        let items_json = serde_json::to_string(&lines).unwrap();
        let out = tote_packing::cli::pack(&cartons_json, &items_json, None, true).unwrap();
        let report = tote_packing::cli::check(&out, &cartons_json, &items_json);
        prop_assert!(report.is_ok(), "{:?}", report);
    }

    #[test]
    fn billable_weight_never_falls_as_the_parcel_grows(
        dims in [1u32..1500, 1u32..1500, 1u32..1500],
        grow in 0usize..3,
        by in 0u32..300,
        gross in 0u64..80_000,
        more in 0u64..5_000,
    ) {
        use tote_packing::dim_weight::{actual_weight_steps, billable_weight};
        for rule in [DimRule::DAILY_139, DimRule::POSTAL_166, DimRule::INTERNATIONAL_5000] {
            let base = billable_weight(dims, gross, rule);
            let mut bigger = dims;
            bigger[grow] += by;
            prop_assert!(billable_weight(bigger, gross + more, rule) >= base);
            prop_assert!(base.steps >= actual_weight_steps(gross, rule.unit));
            prop_assert!(base.grams() + 1 >= gross, "billable {} g under actual {gross} g", base.grams());
        }
    }
}

#[test]
fn reported_billable_weight_uses_the_daily_rule_without_rates() {
    assert_eq!(Objective::FewestCartons.dim_rule(), DimRule::DAILY_139);
}
