//! Lower bounds on the cartons an order needs, to judge a packer by: no packing
//! can use fewer. The simple bound counts volume over the roomiest carton and
//! weight over the strongest. The typed bound also knows which carton types
//! each unit fits at all: for every group of types, the units that fit only
//! those types must find room and weight capacity in the cartons of the group,
//! and the units that must stack in a carton (see `extreme_points::stacks_fit`)
//! need their share of its height.

use crate::extreme_points::{fits_alone, stack_extent_mm};
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
    let groups = 1usize << t;
    let mut needs = Needs {
        groups: vec![(0, 0); groups],
        stacked_share: Vec::new(),
    };
    let mut stacked: Vec<Stacked> = Vec::new();
    for u in units {
        let fits: usize = cartons
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                u64::from(u.weight_g) <= c.payload_max_g() && fits_alone(c.inner_mm, u)
            })
            .map(|(i, _)| 1 << i)
            .sum();
        if fits == 0 {
            continue;
        }
        for (g, n) in needs.groups.iter_mut().enumerate() {
            if fits & !g == 0 {
                n.0 += u.volume_mm3();
                n.1 += u64::from(u.weight_g);
            }
        }
        let mut share = [[0.0; 3]; TYPED_BOUND_TYPES_MAX];
        for (k, c) in cartons.iter().enumerate() {
            for (axis, s) in share[k].iter_mut().enumerate() {
                *s = f64::from(stack_extent_mm(c.inner_mm, u, axis)) / f64::from(c.inner_mm[axis]);
            }
        }
        if share.iter().flatten().any(|&s| s > 0.0) {
            stacked.push(Stacked { fits, share });
        }
    }
    // Worked out once per order, so the count enumeration only looks it up.
    needs.stacked_share = vec![[0.0; 3]; groups * groups];
    for open in 0..groups {
        for s in &stacked {
            let mut least = [f64::INFINITY; 3];
            for (k, share) in s.share.iter().enumerate().take(t) {
                if s.fits & open & (1 << k) != 0 {
                    for (l, s) in least.iter_mut().zip(share) {
                        *l = l.min(*s);
                    }
                }
            }
            for g in (0..groups).filter(|g| s.fits & !g == 0) {
                let total = &mut needs.stacked_share[open * groups + g];
                for (t, l) in total.iter_mut().zip(least) {
                    *t += l;
                }
            }
        }
    }
    let mut counts = vec![0usize; t];
    for n in start..=TYPED_BOUND_CARTONS_MAX.max(start) {
        if feasible(cartons, &needs, &mut counts, 0, n) {
            return n;
        }
    }
    TYPED_BOUND_CARTONS_MAX.max(start)
}

/// What an order asks of a set of cartons.
struct Needs {
    /// Per group g of carton types: volume and weight of the units whose
    /// fitting types all lie in g.
    groups: Vec<(u64, u64)>,
    /// Per set of open carton types and group g (index open * groups + g),
    /// per axis: the least total stacked share the units of g take, each in
    /// an open type it fits (infinite when one fits none).
    stacked_share: Vec<[f64; 3]>,
}

/// A unit's fitting types and, per type and axis, its least stacked extent
/// over the carton's (0 where it could share a layer): the stacked units in a
/// carton add up to at most 1 along each axis.
struct Stacked {
    fits: usize,
    share: [[f64; 3]; TYPED_BOUND_TYPES_MAX],
}

/// Slack on the stacked shares, so float rounding never makes the bound too high.
const SHARE_SLACK: f64 = 1e-9;

/// Whether these carton counts can meet every group's volume, weight and stack.
fn meets(cartons: &[Carton], needs: &Needs, counts: &[usize]) -> bool {
    let open: usize = (0..cartons.len())
        .filter(|&k| counts[k] > 0)
        .map(|k| 1 << k)
        .sum();
    needs
        .groups
        .iter()
        .enumerate()
        .all(|(g, &(volume, weight))| {
            let (mut cap_v, mut cap_w, mut cap_n) = (0u64, 0u64, 0usize);
            for (k, c) in cartons.iter().enumerate() {
                if g & (1 << k) != 0 {
                    cap_v += counts[k] as u64 * c.inner_volume_mm3();
                    cap_w += counts[k] as u64 * c.payload_max_g();
                    cap_n += counts[k];
                }
            }
            if volume > cap_v || weight > cap_w {
                return false;
            }
            let stacked = needs.stacked_share[open * needs.groups.len() + g];
            stacked
                .iter()
                .all(|&share| share <= cap_n as f64 + SHARE_SLACK)
        })
}

/// Whether `left` more cartons, spread over types `i..`, can meet every need.
fn feasible(
    cartons: &[Carton],
    needs: &Needs,
    counts: &mut [usize],
    i: usize,
    left: usize,
) -> bool {
    if i + 1 == cartons.len() {
        counts[i] = left;
        return meets(cartons, needs, counts);
    }
    for k in 0..=left {
        counts[i] = k;
        if feasible(cartons, needs, counts, i + 1, left - k) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CartonId;

    fn carton(id: &str, inner_mm: [u32; 3], max_weight_g: u32) -> Carton {
        Carton {
            id: CartonId(id.into()),
            inner_mm,
            outer_mm: inner_mm,
            empty_weight_g: 0,
            max_weight_g,
            cost: Default::default(),
        }
    }

    fn flat(dims_mm: [u32; 3], qty: usize) -> Vec<Unit> {
        vec![
            Unit {
                line: 0,
                dims_mm,
                weight_g: 320,
                keep_flat: true,
                ships_alone: false
            };
            qty
        ]
    }

    #[test]
    fn flat_units_that_fit_only_the_shallow_carton_stack_into_three() {
        // From BoxPacker's set: twelve 230 x 330 x 6 mm items lie flat only in
        // the 40 mm deep carton, as does a 232 x 232 x 22 mm one; none can lie
        // beside another there, so 94 mm of stack needs three such cartons,
        // though volume and weight would allow one.
        let cartons = [
            carton("1", [230, 300, 240], 15_000),
            carton("2", [364, 374, 40], 3_000),
            carton("3", [229, 305, 520], 10_000),
        ];
        let mut units = flat([230, 330, 6], 12);
        units.extend(flat([232, 232, 22], 1));
        let volume = units.iter().map(Unit::volume_mm3).sum();
        let weight = units.iter().map(|u| u64::from(u.weight_g)).sum();
        assert_eq!(simple(&cartons, volume, weight), 1);
        assert_eq!(typed(&cartons, &units), 3);
    }
}
