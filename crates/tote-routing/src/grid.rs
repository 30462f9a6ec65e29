//! Picks grouped by sub-aisle (one aisle within one block), the unit every
//! routing method reasons about.

use crate::{Layout, Pick};

/// The picks of one aisle within one block, as a range of [`PickGrid::order`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SubAisle {
    pub aisle: usize,
    pub block: usize,
    pub start: usize,
    pub end: usize,
}

/// Pick indices sorted by aisle, block and y, with the sub-aisles they form.
#[derive(Clone, Debug, Default)]
pub(crate) struct PickGrid {
    /// Pick indices in (aisle, block, y, index) order.
    pub order: Vec<usize>,
    /// `ys_m[i]` is the y of pick `order[i]`.
    pub ys_m: Vec<f64>,
    /// Non-empty sub-aisles in (aisle, block) order.
    pub subs: Vec<SubAisle>,
}

impl PickGrid {
    pub fn new(layout: &Layout, picks: &[Pick]) -> PickGrid {
        let mut keyed: Vec<(usize, usize, f64, usize)> = picks
            .iter()
            .enumerate()
            .map(|(i, p)| (p.aisle, layout.block_of(p.y_m), p.y_m, i))
            .collect();
        keyed.sort_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then(a.2.total_cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        let mut grid = PickGrid {
            order: keyed.iter().map(|k| k.3).collect(),
            ys_m: keyed.iter().map(|k| k.2).collect(),
            subs: Vec::new(),
        };
        let mut start = 0;
        for i in 1..=keyed.len() {
            if i == keyed.len() || (keyed[i].0, keyed[i].1) != (keyed[start].0, keyed[start].1) {
                grid.subs.push(SubAisle {
                    aisle: keyed[start].0,
                    block: keyed[start].1,
                    start,
                    end: i,
                });
                start = i;
            }
        }
        grid
    }

    pub fn ys_m(&self, sub: &SubAisle) -> &[f64] {
        &self.ys_m[sub.start..sub.end]
    }

    pub fn picks(&self, sub: &SubAisle) -> &[usize] {
        &self.order[sub.start..sub.end]
    }

    /// Where to split a sub-aisle visited from both ends: the picks before the
    /// returned offset are taken from the front, the rest from the back. The
    /// split is at the largest gap, counting the gaps to both cross aisles.
    pub fn largest_gap_split(&self, layout: &Layout, sub: &SubAisle) -> usize {
        let ys = self.ys_m(sub);
        let front_m = layout.cross_aisle_y_m(sub.block);
        let back_m = layout.cross_aisle_y_m(sub.block + 1);
        let mut best = (ys[0] - front_m, 0);
        for i in 1..ys.len() {
            if ys[i] - ys[i - 1] > best.0 {
                best = (ys[i] - ys[i - 1], i);
            }
        }
        if back_m - ys[ys.len() - 1] > best.0 {
            best = (back_m - ys[ys.len() - 1], ys.len());
        }
        best.1
    }

    /// The midpoint split: picks in the front half of the block from the
    /// front, the others from the back.
    pub fn midpoint_split(&self, layout: &Layout, sub: &SubAisle) -> usize {
        let mid_m =
            (layout.cross_aisle_y_m(sub.block) + layout.cross_aisle_y_m(sub.block + 1)) / 2.0;
        self.ys_m(sub).partition_point(|&y| y <= mid_m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(picks: &[(usize, f64)]) -> (Layout, PickGrid) {
        let layout = Layout::new(3, 20.0, 2.0, 3, 0.0).expect("a valid layout");
        let picks: Vec<Pick> = picks.iter().map(|&(a, y)| Pick::new(a, y)).collect();
        let grid = PickGrid::new(&layout, &picks);
        (layout, grid)
    }

    #[test]
    fn sub_aisles_group_picks_by_aisle_and_block_in_y_order() {
        let (_, g) = grid(&[(1, 15.0), (0, 3.0), (1, 12.0), (1, 4.0)]);
        let subs: Vec<(usize, usize, Vec<usize>)> = g
            .subs
            .iter()
            .map(|s| (s.aisle, s.block, g.picks(s).to_vec()))
            .collect();
        assert_eq!(subs, [(0, 0, vec![1]), (1, 0, vec![3]), (1, 1, vec![2, 0])]);
    }

    #[test]
    fn largest_gap_counts_the_gaps_to_both_cross_aisles() {
        // Block 1 spans 10..20: gaps 1 (to 11), 1 (11 to 12), 8 (12 to 20).
        let (l, g) = grid(&[(0, 11.0), (0, 12.0)]);
        assert_eq!(g.largest_gap_split(&l, &g.subs[0]), 2);
        // Gaps 8 (10 to 18), 1, 1: all picks from the back.
        let (l, g) = grid(&[(0, 18.0), (0, 19.0)]);
        assert_eq!(g.largest_gap_split(&l, &g.subs[0]), 0);
    }

    #[test]
    fn midpoint_takes_picks_up_to_the_block_middle_from_the_front() {
        let (l, g) = grid(&[(0, 14.0), (0, 15.0), (0, 16.0)]);
        assert_eq!(g.midpoint_split(&l, &g.subs[0]), 2);
    }
}
