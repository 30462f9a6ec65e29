//! The block-layout warehouse: parallel aisles, cross aisles, a depot on the front.
//!
//! Aisle `i` runs along y at x = `i * aisle_spacing_m` from y = 0 to y =
//! `aisle_length_m`. Cross aisle `j` of `k` runs along x at y = `j * L / (k - 1)`;
//! block `b` is the stretch of every aisle between cross aisles `b` and `b + 1`.
//! A picker walks only along aisles and cross aisles, so the shortest walk
//! between two points is rectilinear with at most one change of cross aisle.

use crate::InputError;
use serde::{Deserialize, Serialize};

/// The most aisles a layout may have; far above real buildings, it keeps
/// index arithmetic in `u32` safe.
pub const LAYOUT_AISLES_MAX: usize = 10_000;
/// The most cross aisles (front and back included) a layout may have.
pub const LAYOUT_CROSS_AISLES_MAX: usize = 64;

/// A validated block layout. Build it with [`Layout::new`]; once built every
/// field is known good, so routing never re-checks it.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    aisles: usize,
    aisle_length_m: f64,
    aisle_spacing_m: f64,
    cross_aisles: usize,
    depot_x_m: f64,
}

/// A pick location: an aisle (0-based) and the distance from the front, picked
/// from the aisle's centre line.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pick {
    pub aisle: usize,
    pub y_m: f64,
}

impl Pick {
    pub fn new(aisle: usize, y_m: f64) -> Pick {
        Pick { aisle, y_m }
    }
}

/// A point of the walking graph, precomputed for fast distances: its aisle
/// (or [`Point::DEPOT`]), coordinates and block.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Point {
    pub aisle: u32,
    pub block: u32,
    pub x_m: f64,
    pub y_m: f64,
}

impl Point {
    /// The aisle value that marks the depot, which lies on the front cross
    /// aisle and possibly between aisles.
    pub const DEPOT: u32 = u32::MAX;
}

impl Layout {
    /// Checks and builds a layout.
    pub fn new(
        aisles: usize,
        aisle_length_m: f64,
        aisle_spacing_m: f64,
        cross_aisles: usize,
        depot_x_m: f64,
    ) -> Result<Layout, InputError> {
        let bad = |field, problem: String| Err(InputError::Layout { field, problem });
        if aisles == 0 {
            return bad("aisles", "must be at least 1".into());
        }
        if aisles > LAYOUT_AISLES_MAX {
            return bad(
                "aisles",
                format!("{aisles} is more than the {LAYOUT_AISLES_MAX} supported"),
            );
        }
        if !(aisle_length_m.is_finite() && aisle_length_m > 0.0) {
            return bad(
                "aisle_length_m",
                format!("must be a positive length, got {aisle_length_m}"),
            );
        }
        if !(aisle_spacing_m.is_finite() && aisle_spacing_m > 0.0) {
            return bad(
                "aisle_spacing_m",
                format!("must be a positive length, got {aisle_spacing_m}"),
            );
        }
        if cross_aisles < 2 {
            return bad(
                "cross_aisles",
                format!("must be at least 2 (front and back), got {cross_aisles}"),
            );
        }
        if cross_aisles > LAYOUT_CROSS_AISLES_MAX {
            return bad(
                "cross_aisles",
                format!("{cross_aisles} is more than the {LAYOUT_CROSS_AISLES_MAX} supported"),
            );
        }
        let last_x_m = (aisles - 1) as f64 * aisle_spacing_m;
        if !(depot_x_m.is_finite() && (0.0..=last_x_m).contains(&depot_x_m)) {
            return bad(
                "depot_x_m",
                format!(
                    "must lie between the first and the last aisle (0 to {last_x_m} m), got {depot_x_m}"
                ),
            );
        }
        Ok(Layout {
            aisles,
            aisle_length_m,
            aisle_spacing_m,
            cross_aisles,
            depot_x_m,
        })
    }

    pub fn aisles(&self) -> usize {
        self.aisles
    }
    pub fn aisle_length_m(&self) -> f64 {
        self.aisle_length_m
    }
    pub fn aisle_spacing_m(&self) -> f64 {
        self.aisle_spacing_m
    }
    pub fn cross_aisles(&self) -> usize {
        self.cross_aisles
    }
    pub fn depot_x_m(&self) -> f64 {
        self.depot_x_m
    }
    /// Blocks are the stretches between consecutive cross aisles.
    pub fn blocks(&self) -> usize {
        self.cross_aisles - 1
    }
    pub fn block_length_m(&self) -> f64 {
        self.aisle_length_m / self.blocks() as f64
    }
    pub fn aisle_x_m(&self, aisle: usize) -> f64 {
        aisle as f64 * self.aisle_spacing_m
    }
    /// The y of cross aisle `j`; the back one is exactly the aisle length, so
    /// picks at the very back lie on it.
    pub fn cross_aisle_y_m(&self, j: usize) -> f64 {
        if j + 1 >= self.cross_aisles {
            self.aisle_length_m
        } else {
            j as f64 * self.aisle_length_m / self.blocks() as f64
        }
    }

    /// The block holding `y_m`; a point on a middle cross aisle belongs to the
    /// block behind it. The result always satisfies
    /// `cross_aisle_y_m(b) <= y_m <= cross_aisle_y_m(b + 1)`.
    pub fn block_of(&self, y_m: f64) -> usize {
        let last = self.blocks() - 1;
        let mut b = ((y_m / self.block_length_m()).floor().max(0.0) as usize).min(last);
        // Rounding can put a point on a boundary one block off; fix it against
        // the same cross aisle positions the rest of the crate uses.
        if b > 0 && y_m < self.cross_aisle_y_m(b) {
            b -= 1;
        }
        if b < last && y_m >= self.cross_aisle_y_m(b + 1) {
            b += 1;
        }
        b
    }

    /// Checks that a pick lies in the layout; `index` names it in the error.
    pub fn check_pick(&self, index: usize, pick: &Pick) -> Result<(), InputError> {
        if pick.aisle >= self.aisles {
            return Err(InputError::Pick {
                index,
                field: "aisle",
                problem: format!(
                    "aisle {} is outside the layout's {} aisles (0 to {})",
                    pick.aisle,
                    self.aisles,
                    self.aisles - 1
                ),
            });
        }
        if !(pick.y_m.is_finite() && (0.0..=self.aisle_length_m).contains(&pick.y_m)) {
            return Err(InputError::Pick {
                index,
                field: "y_m",
                problem: format!(
                    "{} is outside the aisle (0 to {} m)",
                    pick.y_m, self.aisle_length_m
                ),
            });
        }
        Ok(())
    }

    /// Checks every pick of a list, reporting the first one at fault.
    pub fn check_picks(&self, picks: &[Pick]) -> Result<(), InputError> {
        picks
            .iter()
            .enumerate()
            .try_for_each(|(i, p)| self.check_pick(i, p))
    }

    pub(crate) fn depot(&self) -> Point {
        Point {
            aisle: Point::DEPOT,
            block: 0,
            x_m: self.depot_x_m,
            y_m: 0.0,
        }
    }

    pub(crate) fn point(&self, aisle: usize, y_m: f64) -> Point {
        assert!(
            aisle < self.aisles,
            "aisle {aisle} outside {} aisles",
            self.aisles
        );
        assert!(
            (0.0..=self.aisle_length_m).contains(&y_m),
            "y {y_m} outside the {} m aisle",
            self.aisle_length_m
        );
        Point {
            aisle: aisle as u32,
            block: self.block_of(y_m) as u32,
            x_m: self.aisle_x_m(aisle),
            y_m,
        }
    }

    pub(crate) fn pick_point(&self, pick: &Pick) -> Point {
        self.point(pick.aisle, pick.y_m)
    }

    /// The shortest walk between two points of the aisle graph.
    pub(crate) fn walk_m(&self, p: &Point, q: &Point) -> f64 {
        if p.aisle == q.aisle {
            // Same aisle (or both the depot): straight along it.
            return (p.y_m - q.y_m).abs();
        }
        let dx_m = (p.x_m - q.x_m).abs();
        if p.aisle == Point::DEPOT || q.aisle == Point::DEPOT {
            // The depot is on the front cross aisle, y = 0.
            return dx_m + p.y_m + q.y_m;
        }
        if p.block != q.block {
            // A cross aisle lies between them: no detour.
            return dx_m + (p.y_m - q.y_m).abs();
        }
        // Same block, different aisles: leave by its front or by its back.
        let front_m = self.cross_aisle_y_m(p.block as usize);
        let back_m = self.cross_aisle_y_m(p.block as usize + 1);
        dx_m + (p.y_m + q.y_m - 2.0 * front_m).min(2.0 * back_m - p.y_m - q.y_m)
    }

    /// The shortest walk between two picks.
    pub fn pick_walk_m(&self, a: &Pick, b: &Pick) -> f64 {
        self.walk_m(&self.pick_point(a), &self.pick_point(b))
    }

    /// The shortest walk between the depot and a pick.
    pub fn depot_walk_m(&self, pick: &Pick) -> f64 {
        self.walk_m(&self.depot(), &self.pick_point(pick))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_blocks() -> Layout {
        Layout::new(5, 20.0, 3.0, 3, 0.0).unwrap()
    }

    #[test]
    fn walk_within_one_block_leaves_by_the_nearer_cross_aisle() {
        let l = two_blocks();
        // Block 0 spans 0..10: from y 8 and y 9 the back (10) is nearer.
        let d = l.pick_walk_m(&Pick::new(0, 8.0), &Pick::new(2, 9.0));
        assert!((d - (6.0 + 2.0 + 1.0)).abs() < 1e-9, "{d}");
    }

    #[test]
    fn walk_across_a_cross_aisle_has_no_detour() {
        let l = two_blocks();
        let d = l.pick_walk_m(&Pick::new(0, 8.0), &Pick::new(4, 13.0));
        assert!((d - (12.0 + 5.0)).abs() < 1e-9, "{d}");
    }

    #[test]
    fn points_on_a_middle_cross_aisle_belong_to_the_block_behind() {
        let l = Layout::new(3, 30.0, 3.0, 4, 0.0).unwrap();
        assert_eq!(l.block_of(10.0), 1);
        assert_eq!(l.block_of(20.0), 2);
        assert_eq!(l.block_of(30.0), 2);
        assert_eq!(l.block_of(0.0), 0);
    }

    #[test]
    fn depot_must_lie_between_first_and_last_aisle() {
        let err = Layout::new(3, 30.0, 3.0, 2, 7.0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "layout `depot_x_m`: must lie between the first and the last aisle (0 to 6 m), got 7"
        );
    }
}
