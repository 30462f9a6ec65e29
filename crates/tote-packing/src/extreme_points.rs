//! Placing units in one carton's inner space by the extreme-point heuristic
//! (Crainic, Perboli and Tadei 2008): candidate corners are the projections of
//! each placed box's three far corners back onto the walls or other boxes; each
//! unit, taken in a chosen order, goes to the best (corner, orientation) under a
//! merit rule. Several orders and merits are tried, since each suits other mixes.

use crate::model::Unit;

/// A unit's position and oriented extents; `unit` indexes the caller's slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub unit: usize,
    pub position_mm: [u32; 3],
    pub dims_mm: [u32; 3],
}

impl Placed {
    fn max(&self, axis: usize) -> u32 {
        self.position_mm[axis] + self.dims_mm[axis]
    }
}

/// Distinct orientations of an upright box: all six axis permutations, or only
/// the two turns about the vertical axis when it must stay flat.
pub fn orientations(dims: [u32; 3], keep_flat: bool) -> ([[u32; 3]; 6], usize) {
    let [a, b, c] = dims;
    let all = if keep_flat {
        [
            [a, b, c],
            [b, a, c],
            [a, b, c],
            [a, b, c],
            [a, b, c],
            [a, b, c],
        ]
    } else {
        [
            [a, b, c],
            [b, a, c],
            [a, c, b],
            [c, a, b],
            [b, c, a],
            [c, b, a],
        ]
    };
    let count = if keep_flat { 2 } else { 6 };
    let mut out = [[0; 3]; 6];
    let mut n = 0;
    for o in &all[..count] {
        if !out[..n].contains(o) {
            out[n] = *o;
            n += 1;
        }
    }
    (out, n)
}

/// True when the unit fits the empty space in some allowed orientation.
pub fn fits_alone(space_mm: [u32; 3], unit: &Unit) -> bool {
    let (os, n) = orientations(unit.dims_mm, unit.keep_flat);
    os[..n].iter().any(|o| (0..3).all(|a| o[a] <= space_mm[a]))
}

/// How a corner and orientation are ranked for the next unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merit {
    /// Lowest corner first (z, then y, then x): fills the floor, then layers.
    /// Among orientations at that corner, the lowest top.
    FloorFirst,
    /// Smallest far corner (top, then y, then x): keeps the packed block compact.
    LowestTop,
    /// Back wall first (x, then z, then y): builds walls across the carton.
    WallFirst,
}

pub const MERITS: [Merit; 3] = [Merit::LowestTop, Merit::FloorFirst, Merit::WallFirst];

/// The order units are offered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitOrder {
    /// Largest volume first, ties by largest footprint.
    Volume,
    /// Largest longest side first: awkward units go in while space is open.
    LongestSide,
    /// Largest footprint (two longest sides) first: good for flat goods.
    Footprint,
    /// Tallest upright height first: good for keep-flat layers.
    Height,
}

pub const UNIT_ORDERS: [UnitOrder; 4] = [
    UnitOrder::Volume,
    UnitOrder::Footprint,
    UnitOrder::LongestSide,
    UnitOrder::Height,
];

/// Indexes of `units` sorted by `order` (stable, so equal units stay together).
pub fn ordered(units: &[Unit], order: UnitOrder) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..units.len()).collect();
    let sorted = |u: &Unit| {
        let mut d = u.dims_mm;
        d.sort_unstable();
        d
    };
    match order {
        UnitOrder::Volume => idx.sort_by_key(|&i| {
            let d = sorted(&units[i]);
            std::cmp::Reverse((
                units[i].volume_mm3(),
                u64::from(d[2]) * u64::from(d[1]),
                units[i].line,
            ))
        }),
        UnitOrder::LongestSide => idx.sort_by_key(|&i| {
            let d = sorted(&units[i]);
            std::cmp::Reverse((d[2], d[1], d[0], units[i].line))
        }),
        UnitOrder::Footprint => idx.sort_by_key(|&i| {
            let d = sorted(&units[i]);
            std::cmp::Reverse((u64::from(d[2]) * u64::from(d[1]), d[0], units[i].line))
        }),
        UnitOrder::Height => idx.sort_by_key(|&i| {
            let d = units[i].dims_mm;
            std::cmp::Reverse((d[2], u64::from(d[0]) * u64::from(d[1]), units[i].line))
        }),
    }
    idx
}

/// Share of a box's base that must rest on the floor or on boxes below, as
/// a fraction (numerator, denominator).
pub const SUPPORT_SHARE_MIN: (u64, u64) = (1, 10);

/// A candidate's rank under a merit: lower is better.
type Rank = (u64, u64, u64, u64);

/// One carton being filled.
pub struct Fill {
    space_mm: [u32; 3],
    payload_max_g: u64,
    pub placed: Vec<Placed>,
    corners: Vec<[u32; 3]>,
    pub weight_g: u64,
    pub volume_mm3: u64,
}

impl Fill {
    pub fn new(space_mm: [u32; 3], payload_max_g: u64) -> Fill {
        Fill {
            space_mm,
            payload_max_g,
            placed: Vec::new(),
            corners: vec![[0, 0, 0]],
            weight_g: 0,
            volume_mm3: 0,
        }
    }

    fn clear(&self, pos: [u32; 3], dims: [u32; 3]) -> bool {
        if (0..3).any(|a| pos[a] + dims[a] > self.space_mm[a]) {
            return false;
        }
        // Newest first: a clash is most likely with a neighbour just placed.
        !self
            .placed
            .iter()
            .rev()
            .any(|p| (0..3).all(|a| pos[a] < p.max(a) && p.position_mm[a] < pos[a] + dims[a]))
    }

    /// Whether a box here would rest on the floor or on the tops of boxes
    /// under at least `SUPPORT_SHARE_MIN` of its base: the packer's layouts
    /// are meant to be packed by hand, so nothing hangs in the air.
    fn supported(&self, pos: [u32; 3], dims: [u32; 3]) -> bool {
        if pos[2] == 0 {
            return true;
        }
        let mut area = 0u64;
        for p in &self.placed {
            if p.max(2) != pos[2] {
                continue;
            }
            let x = (pos[0] + dims[0])
                .min(p.max(0))
                .saturating_sub(pos[0].max(p.position_mm[0]));
            let y = (pos[1] + dims[1])
                .min(p.max(1))
                .saturating_sub(pos[1].max(p.position_mm[1]));
            area += u64::from(x) * u64::from(y);
        }
        let (num, den) = SUPPORT_SHARE_MIN;
        area * den >= u64::from(dims[0]) * u64::from(dims[1]) * num
    }

    /// Places `units[i]` at the best corner under `merit`; false when it fits nowhere.
    pub fn place(&mut self, units: &[Unit], i: usize, merit: Merit) -> bool {
        let unit = &units[i];
        if self.weight_g + u64::from(unit.weight_g) > self.payload_max_g {
            return false;
        }
        let (os, n) = orientations(unit.dims_mm, unit.keep_flat);
        let mut best: Option<(Rank, [u32; 3], [u32; 3])> = None;
        // Corners in the merit's order, so the scan stops once no later corner
        // can rank better than the best found: most corners are never tested.
        let h_min = os[..n].iter().map(|o| o[2]).min().unwrap_or(0);
        let bound = |c: &[u32; 3]| -> Rank {
            let c = c.map(u64::from);
            match merit {
                Merit::FloorFirst => (c[2], c[1], c[0], 0),
                Merit::LowestTop => (c[2] + u64::from(h_min), 0, 0, 0),
                Merit::WallFirst => (c[0], c[2], c[1], 0),
            }
        };
        self.corners.sort_unstable_by_key(bound);
        for &c in &self.corners {
            if best.is_some_and(|(k, _, _)| k < bound(&c)) {
                break;
            }
            for &o in &os[..n] {
                let key = match merit {
                    Merit::FloorFirst => {
                        (c[2] as u64, c[1] as u64, c[0] as u64, (c[2] + o[2]) as u64)
                    }
                    Merit::LowestTop => (
                        (c[2] + o[2]) as u64,
                        (c[1] + o[1]) as u64,
                        (c[0] + o[0]) as u64,
                        0,
                    ),
                    Merit::WallFirst => {
                        (c[0] as u64, c[2] as u64, c[1] as u64, (c[0] + o[0]) as u64)
                    }
                };
                if best.is_some_and(|(k, _, _)| k <= key) {
                    continue;
                }
                if self.clear(c, o) && self.supported(c, o) {
                    best = Some((key, c, o));
                }
            }
        }
        let Some((_, pos, dims)) = best else {
            return false;
        };
        self.commit(
            Placed {
                unit: i,
                position_mm: pos,
                dims_mm: dims,
            },
            unit,
        );
        true
    }

    /// Places a unit at a position chosen by the caller, when clear and within
    /// the weight limit.
    pub fn put(&mut self, units: &[Unit], p: Placed) -> bool {
        let unit = &units[p.unit];
        if self.weight_g + u64::from(unit.weight_g) > self.payload_max_g
            || !self.clear(p.position_mm, p.dims_mm)
            || !self.supported(p.position_mm, p.dims_mm)
        {
            return false;
        }
        self.commit(p, unit);
        true
    }

    fn commit(&mut self, p: Placed, unit: &Unit) {
        self.placed.push(p);
        self.weight_g += u64::from(unit.weight_g);
        self.volume_mm3 += unit.volume_mm3();
        let [x, y, z] = p.position_mm;
        let [w, l, h] = p.dims_mm;
        let far = [[x + w, y, z], [x, y + l, z], [x, y, z + h]];
        // Corners now inside the new box are dead.
        self.corners
            .retain(|c| !(0..3).all(|a| p.position_mm[a] <= c[a] && c[a] < p.max(a)));
        for (axis, corner) in far.iter().enumerate() {
            self.add_corner(*corner);
            for dir in 0..3 {
                if dir != axis {
                    let q = self.project(*corner, dir);
                    self.add_corner(q);
                }
            }
        }
    }

    /// Slides `c` towards the origin along `axis` until it meets a wall or a box.
    fn project(&self, mut c: [u32; 3], axis: usize) -> [u32; 3] {
        let (b1, b2) = match axis {
            0 => (1, 2),
            1 => (0, 2),
            _ => (0, 1),
        };
        let mut stop = 0;
        for p in &self.placed {
            let top = p.max(axis);
            if top <= c[axis]
                && top > stop
                && p.position_mm[b1] <= c[b1]
                && c[b1] < p.max(b1)
                && p.position_mm[b2] <= c[b2]
                && c[b2] < p.max(b2)
            {
                stop = top;
            }
        }
        c[axis] = stop;
        c
    }

    fn add_corner(&mut self, c: [u32; 3]) {
        if (0..3).any(|a| c[a] >= self.space_mm[a]) || self.corners.contains(&c) {
            return;
        }
        if self
            .placed
            .iter()
            .any(|p| (0..3).all(|a| p.position_mm[a] <= c[a] && c[a] < p.max(a)))
        {
            return;
        }
        self.corners.push(c);
    }
}

/// A quick test that rejects most cartons too small for a set before any
/// placement: units more than half as wide and half as deep as the carton in
/// every allowed orientation can never stand side by side, so they stack and
/// their heights (the least each can take) must add up within the carton's.
/// The same holds along each axis. A4 sheets kept flat are such units in any
/// carton less than two sheets wide.
pub fn stacks_fit(space_mm: [u32; 3], units: &[Unit]) -> bool {
    (0..3).all(|axis| {
        let stacked: u64 = units
            .iter()
            .map(|u| u64::from(stack_extent_mm(space_mm, u, axis)))
            .sum();
        stacked <= u64::from(space_mm[axis])
    })
}

/// The least extent along `axis` of a unit that must stack along it in this
/// space (see `stacks_fit`), or 0 when it could share a layer.
pub fn stack_extent_mm(space_mm: [u32; 3], u: &Unit, axis: usize) -> u32 {
    let (b1, b2) = ((axis + 1) % 3, (axis + 2) % 3);
    let (os, n) = orientations(u.dims_mm, u.keep_flat);
    let mut least: Option<u32> = None;
    for o in &os[..n] {
        if o[0] > space_mm[0] || o[1] > space_mm[1] || o[2] > space_mm[2] {
            continue;
        }
        if 2 * o[b1] <= space_mm[b1] || 2 * o[b2] <= space_mm[b2] {
            return 0;
        }
        least = Some(least.map_or(o[axis], |l| l.min(o[axis])));
    }
    least.unwrap_or(0)
}

/// Units in one carton above which fewer strategies are tried: each pass
/// costs about the square of the units times the corners, so large orders
/// keep the two strategies that win most often.
pub const FULL_STRATEGY_UNITS_MAX: usize = 100;

fn strategies(units: usize) -> (&'static [UnitOrder], &'static [Merit]) {
    if units <= FULL_STRATEGY_UNITS_MAX {
        (&UNIT_ORDERS, &MERITS)
    } else {
        (&UNIT_ORDERS[..2], &MERITS[..1])
    }
}

/// Packs every unit of `units` into one space, or None. Tries each order and
/// merit in turn and returns the first complete packing.
pub fn pack_all(space_mm: [u32; 3], payload_max_g: u64, units: &[Unit]) -> Option<Vec<Placed>> {
    let volume: u64 = units.iter().map(Unit::volume_mm3).sum();
    let weight: u64 = units.iter().map(|u| u64::from(u.weight_g)).sum();
    if volume > crate::model::volume_mm3(space_mm) || weight > payload_max_g {
        return None;
    }
    if !units.iter().all(|u| fits_alone(space_mm, u)) || !stacks_fit(space_mm, units) {
        return None;
    }
    let (orders, merits) = strategies(units.len());
    for &order in orders {
        let seq = ordered(units, order);
        for &merit in merits {
            let mut fill = Fill::new(space_mm, payload_max_g);
            if seq.iter().all(|&i| fill.place(units, i, merit)) {
                return Some(fill.placed);
            }
        }
    }
    for plan in crate::layers::LAYER_PLANS {
        if let Some(fill) =
            crate::layers::fill_in_layers(space_mm, payload_max_g, units, plan, true)
        {
            return Some(fill.placed);
        }
    }
    None
}

/// Packs as much unit volume as it can into one space; returns the best fill
/// over the orders and merits tried (most volume, then most units).
pub fn pack_most(space_mm: [u32; 3], payload_max_g: u64, units: &[Unit]) -> Vec<Placed> {
    let mut best: Vec<Placed> = Vec::new();
    let mut best_key = (0u64, 0usize);
    let (orders, merits) = strategies(units.len());
    for &order in orders {
        let seq = ordered(units, order);
        for &merit in merits {
            let mut fill = Fill::new(space_mm, payload_max_g);
            for &i in &seq {
                fill.place(units, i, merit);
            }
            let key = (fill.volume_mm3, fill.placed.len());
            if key > best_key {
                best_key = key;
                best = fill.placed;
                if best.len() == units.len() {
                    return best;
                }
            }
        }
    }
    for plan in crate::layers::LAYER_PLANS {
        if let Some(fill) =
            crate::layers::fill_in_layers(space_mm, payload_max_g, units, plan, false)
        {
            let key = (fill.volume_mm3, fill.placed.len());
            if key > best_key {
                best_key = key;
                best = fill.placed;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(height: u32, keep_flat: bool) -> Unit {
        Unit {
            line: 0,
            dims_mm: [210, 297, height],
            weight_g: 100,
            keep_flat,
            ships_alone: false,
        }
    }

    #[test]
    fn flat_sheets_wider_than_half_the_carton_must_stack() {
        // Four 10 mm A4 sheets kept flat in a 230 x 300 x 35 carton: 40 mm of stack.
        let sheets = vec![sheet(10, true); 4];
        assert!(!stacks_fit([230, 300, 35], &sheets));
        assert!(stacks_fit([230, 300, 40], &sheets));
        assert!(pack_all([230, 300, 40], 10_000, &sheets).is_some());
        // Free to turn, they still stack where the carton is too low to stand
        // them on edge, and need not where it is not.
        let sheets = vec![sheet(10, false); 40];
        assert!(!stacks_fit([230, 300, 35], &sheets));
        assert!(stacks_fit([230, 300, 300], &sheets));
    }

    #[test]
    fn sheets_that_fit_two_abreast_do_not_count_as_a_stack() {
        let sheets = vec![sheet(10, true); 4];
        assert!(stacks_fit([420, 300, 20], &sheets));
        assert!(pack_all([420, 300, 20], 10_000, &sheets).is_some());
    }
}
