//! The validity checker: a packing result is valid when every placement lies
//! inside its carton, no two overlap, each is an allowed orientation of its
//! SKU, weights add up and stay within limits, and every unit appears exactly
//! once, packed or listed as unpacked.

use std::collections::HashMap;

use crate::model::{Carton, ItemLine, OWN_CONTAINER_ID, PackResult, Placement, Sku};

/// Every rule the result breaks, each naming the carton and item at fault.
pub fn violations(result: &PackResult, cartons: &[Carton], lines: &[ItemLine]) -> Vec<String> {
    let by_id: HashMap<&str, &Carton> = cartons.iter().map(|c| (c.id.0.as_str(), c)).collect();
    // One SKU may come on several lines; their quantities add up.
    let mut by_sku: HashMap<&Sku, Vec<&ItemLine>> = HashMap::new();
    for l in lines {
        by_sku.entry(&l.sku).or_default().push(l);
    }
    let mut out = Vec::new();
    let mut seen: HashMap<&Sku, u64> = HashMap::new();

    for (k, packed) in result.cartons.iter().enumerate() {
        let at = format!("cartons[{k}] ({})", packed.carton.0);
        let own = packed.carton.0 == OWN_CONTAINER_ID;
        let carton = by_id.get(packed.carton.0.as_str());
        if carton.is_none() && !own {
            out.push(format!("{at}: unknown carton"));
        }
        if packed.items.is_empty() {
            out.push(format!("{at}: holds no items"));
        }
        let mut weight: u64 = 0;
        let mut volume: u64 = 0;
        for (j, item) in packed.items.iter().enumerate() {
            let item_at = format!("{at} items[{j}] ({})", item.sku.0);
            *seen.entry(&item.sku).or_default() += 1;
            let Some(same_sku) = by_sku.get(&item.sku) else {
                out.push(format!("{item_at}: unknown sku"));
                continue;
            };
            let line = same_sku
                .iter()
                .find(|l| is_turn(item.dims_mm, l.dims_mm))
                .unwrap_or(&same_sku[0]);
            weight += u64::from(line.weight_g);
            volume += item.dims_mm.iter().map(|&d| u64::from(d)).product::<u64>();
            check_orientation(&item_at, item, line, &mut out);
            if line.ships_alone && !own {
                out.push(format!("{item_at}: ships alone but is packed in a carton"));
            }
            if own && !line.ships_alone {
                out.push(format!(
                    "{item_at}: only ships-alone units may leave in their own container"
                ));
            }
            if let Some(c) = carton {
                for (a, axis) in AXES.iter().enumerate() {
                    let far = u64::from(item.position_mm[a]) + u64::from(item.dims_mm[a]);
                    if far > u64::from(c.inner_mm[a]) {
                        out.push(format!(
                            "{item_at}: reaches {far} mm along {} but the inner space is {} mm",
                            axis, c.inner_mm[a]
                        ));
                    }
                }
            }
        }
        if own && packed.items.len() > 1 {
            out.push(format!(
                "{at}: an own container holds exactly one unit, not {}",
                packed.items.len()
            ));
        }
        for (i, a) in packed.items.iter().enumerate() {
            for (j, b) in packed.items.iter().enumerate().skip(i + 1) {
                if overlap(a, b) {
                    out.push(format!(
                        "{at}: items[{i}] ({}) and items[{j}] ({}) overlap",
                        a.sku.0, b.sku.0
                    ));
                }
            }
        }
        if packed.item_weight_g != weight {
            out.push(format!(
                "{at}: item_weight_g is {} but its items weigh {weight} g",
                packed.item_weight_g
            ));
        }
        let empty = carton.map_or(0, |c| u64::from(c.empty_weight_g));
        if packed.gross_weight_g != weight + empty {
            out.push(format!(
                "{at}: gross_weight_g is {} but items plus carton weigh {} g",
                packed.gross_weight_g,
                weight + empty
            ));
        }
        if let Some(c) = carton {
            if weight + empty > u64::from(c.max_weight_g) {
                out.push(format!(
                    "{at}: gross weight {} g exceeds the carton's {} g",
                    weight + empty,
                    c.max_weight_g
                ));
            }
            let utilization = volume as f64 / c.inner_volume_mm3().max(1) as f64;
            if (utilization - packed.utilization).abs() > 0.001 {
                out.push(format!(
                    "{at}: utilization is {} but items fill {utilization:.4}",
                    packed.utilization
                ));
            }
        }
    }
    for u in &result.unpacked {
        *seen.entry(&u.sku).or_default() += 1;
        if !by_sku.contains_key(&u.sku) {
            out.push(format!("unpacked ({}): unknown sku", u.sku.0));
        }
    }
    let mut skus: Vec<(&&Sku, &Vec<&ItemLine>)> = by_sku.iter().collect();
    skus.sort_by_key(|(sku, _)| *sku);
    for (sku, same_sku) in skus {
        let ordered: u64 = same_sku.iter().map(|l| u64::from(l.qty)).sum();
        let n = seen.get(*sku).copied().unwrap_or(0);
        if n != ordered {
            out.push(format!(
                "sku {}: {ordered} units ordered, {n} in the result",
                sku.0
            ));
        }
    }
    out
}

const AXES: [&str; 3] = ["x", "y", "z"];

fn is_turn(a: [u32; 3], b: [u32; 3]) -> bool {
    let (mut a, mut b) = (a, b);
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

fn check_orientation(at: &str, item: &Placement, line: &ItemLine, out: &mut Vec<String>) {
    if !is_turn(item.dims_mm, line.dims_mm) {
        out.push(format!(
            "{at}: dims_mm {:?} are not a turn of the sku's {:?}",
            item.dims_mm, line.dims_mm
        ));
    } else if line.keep_flat && item.dims_mm[2] != line.dims_mm[2] {
        out.push(format!(
            "{at}: keep_flat but stands {} mm tall, not its upright {} mm",
            item.dims_mm[2], line.dims_mm[2]
        ));
    }
}

fn overlap(a: &Placement, b: &Placement) -> bool {
    (0..3).all(|k| {
        let (a0, a1) = (
            u64::from(a.position_mm[k]),
            u64::from(a.position_mm[k]) + u64::from(a.dims_mm[k]),
        );
        let (b0, b1) = (
            u64::from(b.position_mm[k]),
            u64::from(b.position_mm[k]) + u64::from(b.dims_mm[k]),
        );
        a0 < b1 && b0 < a1
    })
}
