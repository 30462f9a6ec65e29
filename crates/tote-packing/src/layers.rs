//! Layer building: the carton is filled from the floor up with layers of one
//! kind of unit laid out in a grid (the kind and orientation that fill their
//! layer densest first), and the units left over go into the gaps by extreme
//! points. Grids of like units are what an extreme-point pass misses when its
//! first orientation choice wastes a strip on every row.

use crate::extreme_points::{Fill, Merit, Placed, UnitOrder, ordered, orientations};
use crate::model::{Unit, volume_mm3};

/// A layer strategy: layers are laid while their density (unit volume over
/// layer volume) is at least `density_min`; the rest go in by `order` and `merit`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerPlan {
    pub density_min: f64,
    pub order: UnitOrder,
    pub merit: Merit,
}

pub const LAYER_PLANS: [LayerPlan; 2] = [
    LayerPlan {
        density_min: 0.6,
        order: UnitOrder::Volume,
        merit: Merit::FloorFirst,
    },
    LayerPlan {
        density_min: 0.3,
        order: UnitOrder::Volume,
        merit: Merit::LowestTop,
    },
];

/// Fills one space by `plan`; with `require_all`, gives up at the first unit
/// that finds no room.
pub fn fill_in_layers(
    space_mm: [u32; 3],
    payload_max_g: u64,
    units: &[Unit],
    plan: LayerPlan,
    require_all: bool,
) -> Option<Fill> {
    let mut fill = Fill::new(space_mm, payload_max_g);
    // Kinds of like units, each with its unplaced units in order.
    let mut kinds: Vec<(Unit, Vec<usize>)> = Vec::new();
    for (i, u) in units.iter().enumerate() {
        match kinds.iter_mut().find(|(k, _)| {
            k.dims_mm == u.dims_mm && k.keep_flat == u.keep_flat && k.weight_g == u.weight_g
        }) {
            Some((_, v)) => v.push(i),
            None => kinds.push((*u, vec![i])),
        }
    }
    let [w, l, h] = space_mm;
    let floor = u64::from(w) * u64::from(l);
    let mut z = 0u32;
    loop {
        let mut best: Option<(f64, usize, [u32; 3], u32, usize)> = None;
        for (k, (kind, left)) in kinds.iter().enumerate() {
            if left.is_empty() {
                continue;
            }
            let (os, n) = orientations(kind.dims_mm, kind.keep_flat);
            for &o in &os[..n] {
                if z + o[2] > h || o[0] > w || o[1] > l {
                    continue;
                }
                let across = w / o[0];
                let count = (across * (l / o[1])) as usize;
                let placed = count.min(left.len());
                let density =
                    (placed as u64 * volume_mm3(o)) as f64 / (floor * u64::from(o[2])) as f64;
                if best.is_none_or(|(d, ..)| density > d) {
                    best = Some((density, k, o, across, placed));
                }
            }
        }
        let Some((density, k, o, across, count)) = best else {
            break;
        };
        if density < plan.density_min {
            break;
        }
        let take: Vec<usize> = kinds[k].1.drain(..count).collect();
        for (n, &i) in take.iter().enumerate() {
            let n = n as u32;
            let pos = [(n % across) * o[0], (n / across) * o[1], z];
            if !fill.put(
                units,
                Placed {
                    unit: i,
                    position_mm: pos,
                    dims_mm: o,
                },
            ) {
                // Over the weight limit: the rest of the kind waits for the gaps.
                kinds[k].1.push(i);
            }
        }
        z += o[2];
    }
    let rest: Vec<usize> = kinds.into_iter().flat_map(|(_, v)| v).collect();
    let sub: Vec<Unit> = rest.iter().map(|&i| units[i]).collect();
    for j in ordered(&sub, plan.order) {
        if !fill.place(units, rest[j], plan.merit) && require_all {
            return None;
        }
    }
    Some(fill)
}
