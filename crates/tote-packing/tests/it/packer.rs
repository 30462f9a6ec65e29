//! Known packings the packer must find, each a case where a simple heuristic
//! wastes room.

use tote_packing::cartonize::{Objective, plan_order};
use tote_packing::extreme_points::pack_all;
use tote_packing::model::{Carton, CartonId, ItemLine, Sku, Unit, units_of};

fn units(spec: &[(u32, [u32; 3])], keep_flat: bool) -> Vec<Unit> {
    let lines: Vec<ItemLine> = spec
        .iter()
        .enumerate()
        .map(|(i, &(qty, dims_mm))| ItemLine {
            sku: Sku(format!("S{i}")),
            dims_mm,
            weight_g: 100,
            qty,
            keep_flat,
            ships_alone: false,
        })
        .collect();
    units_of(&lines)
}

#[test]
fn eight_half_size_cubes_fill_a_carton_exactly() {
    assert!(pack_all([100, 100, 100], 10_000, &units(&[(8, [50, 50, 50])], false)).is_some());
    assert!(pack_all([100, 100, 100], 10_000, &units(&[(9, [50, 50, 50])], false)).is_none());
}

#[test]
fn bricks_stand_on_edge_to_fill_a_carton_exactly() {
    // 100 x 50 x 25 bricks: 8 fill a 100 mm cube only if some stand on edge.
    assert!(
        pack_all(
            [100, 100, 100],
            10_000,
            &units(&[(8, [100, 50, 25])], false)
        )
        .is_some()
    );
    // Kept flat (25 mm tall) they still fill it: 2 per layer, 4 layers.
    assert!(pack_all([100, 100, 100], 10_000, &units(&[(8, [100, 50, 25])], true)).is_some());
}

#[test]
fn like_boxes_go_in_grids_that_waste_no_strip() {
    // An order of BoxPacker's efficiency set that a corner-only pass splits in
    // two: laid three across in layers, the 80 x 285 x 70 boxes leave room
    // for two layers of the 106 x 145 x 95 boxes in one 229 x 305 x 520 carton.
    let order = units(
        &[(12, [80, 285, 70]), (6, [106, 145, 95]), (3, [56, 56, 36])],
        false,
    );
    assert!(pack_all([229, 305, 520], 9_900, &order).is_some());
}

#[test]
fn weight_limit_splits_an_order_that_would_fit_by_volume() {
    let carton = Carton {
        id: CartonId("S".into()),
        inner_mm: [300, 300, 300],
        outer_mm: [310, 310, 310],
        empty_weight_g: 100,
        max_weight_g: 1_100,
        cost: Default::default(),
    };
    // Ten 100 g units weigh 1,000 g: one carton. Eleven: two.
    let plan = plan_order(
        std::slice::from_ref(&carton),
        &units(&[(10, [50, 50, 50])], false),
        &Objective::FewestCartons,
    );
    assert_eq!(plan.cartons.len(), 1);
    let plan = plan_order(
        &[carton],
        &units(&[(11, [50, 50, 50])], false),
        &Objective::FewestCartons,
    );
    assert_eq!(plan.cartons.len(), 2);
}

#[test]
fn smallest_carton_that_holds_everything_is_chosen() {
    let carton = |id: &str, side: u32| Carton {
        id: CartonId(id.into()),
        inner_mm: [side, side, side],
        outer_mm: [side + 10, side + 10, side + 10],
        empty_weight_g: 100,
        max_weight_g: 20_000,
        cost: Default::default(),
    };
    let cartons = [carton("L", 300), carton("S", 100), carton("M", 200)];
    let plan = plan_order(
        &cartons,
        &units(&[(8, [50, 50, 50])], false),
        &Objective::FewestCartons,
    );
    assert_eq!(plan.cartons.len(), 1);
    assert_eq!(cartons[plan.cartons[0].carton].id.0, "S");
    let plan = plan_order(
        &cartons,
        &units(&[(9, [50, 50, 50])], false),
        &Objective::FewestCartons,
    );
    assert_eq!(cartons[plan.cartons[0].carton].id.0, "M");
}
