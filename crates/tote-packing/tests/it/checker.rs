use tote_packing::check::violations;
use tote_packing::model::{Carton, CartonId, ItemLine, PackResult, PackedCarton, Placement, Sku};

fn carton() -> Carton {
    Carton {
        id: CartonId("S".into()),
        inner_mm: [100, 100, 100],
        outer_mm: [110, 110, 110],
        empty_weight_g: 100,
        max_weight_g: 1000,
        cost: Default::default(),
    }
}

fn line(qty: u32, keep_flat: bool) -> ItemLine {
    ItemLine {
        sku: Sku("A".into()),
        dims_mm: [50, 40, 10],
        weight_g: 200,
        qty,
        keep_flat,
        ships_alone: false,
    }
}

fn result(items: &[([u32; 3], [u32; 3])]) -> PackResult {
    let n = items.len() as u64;
    PackResult {
        cartons: vec![PackedCarton {
            carton: CartonId("S".into()),
            items: items
                .iter()
                .map(|(p, d)| Placement {
                    sku: Sku("A".into()),
                    position_mm: *p,
                    dims_mm: *d,
                })
                .collect(),
            item_weight_g: 200 * n,
            gross_weight_g: 200 * n + 100,
            utilization: 0.02 * n as f64,
            billable_weight_g: 0,
        }],
        unpacked: vec![],
    }
}

#[test]
fn touching_boxes_do_not_overlap() {
    let r = result(&[([0, 0, 0], [50, 40, 10]), ([50, 0, 0], [50, 40, 10])]);
    assert_eq!(
        violations(&r, &[carton()], &[line(2, false)]),
        Vec::<String>::new()
    );
}

#[test]
fn boxes_sharing_volume_overlap() {
    let r = result(&[([0, 0, 0], [50, 40, 10]), ([49, 39, 9], [50, 40, 10])]);
    assert_eq!(
        violations(&r, &[carton()], &[line(2, false)]),
        vec!["cartons[0] (S): items[0] (A) and items[1] (A) overlap"]
    );
}

#[test]
fn box_reaching_past_the_inner_wall_is_not_contained() {
    let r = result(&[([60, 0, 0], [50, 40, 10])]);
    assert_eq!(
        violations(&r, &[carton()], &[line(1, false)]),
        vec!["cartons[0] (S) items[0] (A): reaches 110 mm along x but the inner space is 100 mm"]
    );
}

#[test]
fn keep_flat_unit_may_not_stand_on_its_side() {
    let r = result(&[([0, 0, 0], [50, 10, 40])]);
    assert_eq!(
        violations(&r, &[carton()], &[line(1, false)]),
        Vec::<String>::new()
    );
    assert_eq!(
        violations(&r, &[carton()], &[line(1, true)]),
        vec!["cartons[0] (S) items[0] (A): keep_flat but stands 40 mm tall, not its upright 10 mm"]
    );
}

#[test]
fn every_unit_appears_exactly_once() {
    let r = result(&[([0, 0, 0], [50, 40, 10])]);
    assert_eq!(
        violations(&r, &[carton()], &[line(2, false)]),
        vec!["sku A: 2 units ordered, 1 in the result"]
    );
}

#[test]
fn gross_weight_over_the_carton_limit_is_reported() {
    let heavy = ItemLine {
        weight_g: 500,
        ..line(2, false)
    };
    let mut r = result(&[([0, 0, 0], [50, 40, 10]), ([50, 0, 0], [50, 40, 10])]);
    r.cartons[0].item_weight_g = 1000;
    r.cartons[0].gross_weight_g = 1100;
    assert_eq!(
        violations(&r, &[carton()], &[heavy]),
        vec!["cartons[0] (S): gross weight 1100 g exceeds the carton's 1000 g"]
    );
}

#[test]
fn orientation_must_be_a_turn_of_the_sku() {
    let mut r = result(&[([0, 0, 0], [50, 50, 10])]);
    r.cartons[0].utilization = 0.025;
    assert_eq!(
        violations(&r, &[carton()], &[line(1, false)]),
        vec![
            "cartons[0] (S) items[0] (A): dims_mm [50, 50, 10] are not a turn of the sku's [50, 40, 10]"
        ]
    );
}

#[test]
fn ships_alone_unit_may_not_share_a_carton() {
    let alone = ItemLine {
        ships_alone: true,
        ..line(1, false)
    };
    let r = result(&[([0, 0, 0], [50, 40, 10])]);
    assert_eq!(
        violations(&r, &[carton()], &[alone]),
        vec!["cartons[0] (S) items[0] (A): ships alone but is packed in a carton"]
    );
}

#[test]
fn own_container_holds_one_ships_alone_unit() {
    let mut r = result(&[([0, 0, 0], [50, 40, 10]), ([0, 0, 0], [50, 40, 10])]);
    r.cartons[0].carton = CartonId("SIOC".into());
    r.cartons[0].gross_weight_g = 400;
    let v = violations(&r, &[carton()], &[line(2, false)]);
    assert!(v.contains(&"cartons[0] (SIOC) items[0] (A): only ships-alone units may leave in their own container".to_string()), "{v:?}");
    assert!(
        v.contains(
            &"cartons[0] (SIOC): an own container holds exactly one unit, not 2".to_string()
        ),
        "{v:?}"
    );
}

#[test]
fn unknown_carton_and_sku_are_named() {
    let mut r = result(&[([0, 0, 0], [50, 40, 10])]);
    r.cartons[0].carton = CartonId("XL".into());
    r.cartons[0].items[0].sku = Sku("Z".into());
    let v = violations(&r, &[carton()], &[line(1, false)]);
    assert!(
        v.contains(&"cartons[0] (XL): unknown carton".to_string()),
        "{v:?}"
    );
    assert!(
        v.contains(&"cartons[0] (XL) items[0] (Z): unknown sku".to_string()),
        "{v:?}"
    );
    assert!(
        v.contains(&"sku A: 1 units ordered, 0 in the result".to_string()),
        "{v:?}"
    );
}
