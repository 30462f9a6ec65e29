//! Lower bounds on the cartons an order needs, to judge a packer by: no packing
//! can use fewer. The simple bound counts volume over the roomiest carton and
//! weight over the strongest. The typed bound also knows which carton types
//! each unit fits at all: for every group of types, the units that fit only
//! those types must find room and weight capacity in the cartons of the group.

use crate::extreme_points::fits_alone;
use crate::model::{Carton, Unit};

/// Carton types the typed bound enumerates over (2^n groups); beyond, the
/// simple bound is returned.
pub const TYPED_BOUND_TYPES_MAX: usize = 6;

/// Cartons the typed bound searches up to before settling for the simple bound.
pub const TYPED_BOUND_CARTONS_MAX: usize = 24;

/// Volume over the roomiest carton and weight over the strongest, rounded up,
/// at least one.
pub fn simple(cartons: &[Carton], volume_mm3: u64, weight_g: u64) -> usize {
    let vol_max = cartons
        .iter()
        .map(Carton::inner_volume_mm3)
        .max()
        .unwrap_or(0)
        .max(1);
    let pay_max = cartons
        .iter()
        .map(Carton::payload_max_g)
        .max()
        .unwrap_or(0)
        .max(1);
    (volume_mm3.div_ceil(vol_max).max(weight_g.div_ceil(pay_max)) as usize).max(1)
}

/// The fewest cartons any packing of `units` (each fitting some carton) needs,
/// counting per group of carton types.
pub fn typed(cartons: &[Carton], units: &[Unit]) -> usize {
    let volume = units.iter().map(Unit::volume_mm3).sum();
    let weight = units.iter().map(|u| u64::from(u.weight_g)).sum();
    let start = simple(cartons, volume, weight);
    let t = cartons.len();
    if t == 0 || t > TYPED_BOUND_TYPES_MAX || units.is_empty() {
        return start;
    }
    // need[g] = (volume, weight) of the units whose fitting types all lie in group g.
    let groups = 1usize << t;
    let mut need = vec![(0u64, 0u64); groups];
    for u in units {
        let fits: usize = cartons
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                u64::from(u.weight_g) <= c.payload_max_g() && fits_alone(c.inner_mm, u)
            })
            .map(|(i, _)| 1 << i)
            .sum();
        for (g, n) in need.iter_mut().enumerate() {
            if fits != 0 && fits & !g == 0 {
                n.0 += u.volume_mm3();
                n.1 += u64::from(u.weight_g);
            }
        }
    }
    let mut counts = vec![0usize; t];
    for n in start..=TYPED_BOUND_CARTONS_MAX.max(start) {
        if feasible(cartons, &need, &mut counts, 0, n) {
            return n;
        }
    }
    TYPED_BOUND_CARTONS_MAX.max(start)
}

/// Whether `left` more cartons, spread over types `i..`, can meet every group's need.
fn feasible(
    cartons: &[Carton],
    need: &[(u64, u64)],
    counts: &mut [usize],
    i: usize,
    left: usize,
) -> bool {
    if i + 1 == cartons.len() {
        counts[i] = left;
        return need.iter().enumerate().all(|(g, &(v, w))| {
            let (mut cap_v, mut cap_w) = (0u64, 0u64);
            for (k, c) in cartons.iter().enumerate() {
                if g & (1 << k) != 0 {
                    cap_v += counts[k] as u64 * c.inner_volume_mm3();
                    cap_w += counts[k] as u64 * c.payload_max_g();
                }
            }
            v <= cap_v && w <= cap_w
        });
    }
    for k in 0..=left {
        counts[i] = k;
        if feasible(cartons, need, counts, i + 1, left - k) {
            return true;
        }
    }
    false
}
