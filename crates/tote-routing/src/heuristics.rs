//! The classic routing heuristics: S-shape, return, midpoint, largest gap and
//! combined, for one block and, block by block, for several.
//!
//! Each heuristic prescribes a walk as a list of waypoints (picks and the ends
//! of sub-aisles); the walk's length is the sum of the shortest walks between
//! consecutive waypoints, which is exactly the prescribed walk since every leg
//! runs along one aisle or one cross aisle.
//!
//! On several blocks (after Roodbergen and de Koster, 2001) the picker walks
//! from the depot to the leftmost aisle with picks, up it to the front of the
//! farthest block with picks (collecting that aisle's picks on the way), then
//! works the blocks from the farthest to the nearest: the farthest block is
//! entered and left at its front, each nearer block is entered at its back
//! and left at its front, starting each block from its end nearer the picker.

use crate::grid::{PickGrid, SubAisle};
use crate::layout::Point;
use crate::{Layout, Method, Pick, Route};

/// A walk being laid out: where the picker is and how far it has gone.
struct Walk<'a> {
    layout: &'a Layout,
    picks: &'a [Pick],
    at: Point,
    distance_m: f64,
    sequence: Vec<usize>,
}

impl<'a> Walk<'a> {
    fn new(layout: &'a Layout, picks: &'a [Pick]) -> Walk<'a> {
        let at = layout.depot();
        Walk {
            layout,
            picks,
            at,
            distance_m: 0.0,
            sequence: Vec::with_capacity(picks.len()),
        }
    }

    fn go(&mut self, p: Point) {
        self.distance_m += self.layout.walk_m(&self.at, &p);
        self.at = p;
    }

    /// Walks to where `aisle` meets cross aisle `cross`.
    fn junction(&mut self, aisle: usize, cross: usize) {
        self.go(self.layout.point(aisle, self.layout.cross_aisle_y_m(cross)));
    }

    fn pick(&mut self, index: usize) {
        self.go(self.layout.pick_point(&self.picks[index]));
        self.sequence.push(index);
    }

    fn finish(mut self) -> Route {
        self.go(self.layout.depot());
        Route {
            distance_m: self.distance_m,
            sequence: self.sequence,
        }
    }
}

/// The walk one heuristic prescribes, with its length.
pub(crate) fn heuristic_route(layout: &Layout, picks: &[Pick], method: Method) -> Route {
    assert!(
        method != Method::Optimal,
        "optimal routing is not a heuristic"
    );
    if picks.is_empty() {
        return Route::empty();
    }
    let grid = PickGrid::new(layout, picks);
    let mut walk = Walk::new(layout, picks);
    if method == Method::Return {
        return_walk(&mut walk, &grid);
        return walk.finish();
    }
    let far = grid
        .subs
        .iter()
        .map(|s| s.block)
        .max()
        .expect("picks are not empty");
    let left = grid.subs[0].aisle;
    // Up the leftmost pick aisle to the farthest block, picking on the way.
    walk.junction(left, 0);
    let mut taken = vec![false; grid.subs.len()];
    for (i, sub) in grid.subs.iter().enumerate() {
        if sub.aisle == left && sub.block < far {
            grid.picks(sub).iter().for_each(|&p| walk.pick(p));
            taken[i] = true;
        }
    }
    walk.junction(left, far);
    let mut list: Vec<SubAisle> = Vec::new();
    for block in (0..=far).rev() {
        list.clear();
        list.extend(
            grid.subs
                .iter()
                .zip(&taken)
                .filter(|(s, t)| s.block == block && !**t)
                .map(|(s, _)| *s),
        );
        if list.is_empty() {
            continue;
        }
        let x_m = walk.at.x_m;
        let first_m = (layout.aisle_x_m(list[0].aisle) - x_m).abs();
        let last_m = (layout.aisle_x_m(list[list.len() - 1].aisle) - x_m).abs();
        if last_m < first_m {
            list.reverse();
        }
        let entry = if block == far { block } else { block + 1 };
        match method {
            Method::SShape => s_shape_block(&mut walk, &grid, &list, entry),
            Method::Midpoint => gap_block(&mut walk, &grid, &list, entry, PickGrid::midpoint_split),
            Method::LargestGap => {
                gap_block(&mut walk, &grid, &list, entry, PickGrid::largest_gap_split)
            }
            Method::Combined => combined_block(&mut walk, &grid, &list, entry),
            Method::Optimal | Method::Return => unreachable!("handled above"),
        }
    }
    walk.finish()
}

/// Return: every aisle with picks is entered from the front and left the same
/// way, aisles from left to right.
fn return_walk(walk: &mut Walk, grid: &PickGrid) {
    let mut i = 0;
    while i < grid.subs.len() {
        let aisle = grid.subs[i].aisle;
        walk.junction(aisle, 0);
        while i < grid.subs.len() && grid.subs[i].aisle == aisle {
            grid.picks(&grid.subs[i]).iter().for_each(|&p| walk.pick(p));
            i += 1;
        }
        walk.junction(aisle, 0);
    }
}

/// The cross aisle on the other side of a sub-aisle.
fn across(sub: &SubAisle, cross: usize) -> usize {
    if cross == sub.block {
        sub.block + 1
    } else {
        sub.block
    }
}

/// Walks the whole sub-aisle from cross aisle `from`, picking all; returns the
/// cross aisle it ends on.
fn traverse(walk: &mut Walk, grid: &PickGrid, sub: &SubAisle, from: usize) -> usize {
    walk.junction(sub.aisle, from);
    visit_picks(walk, grid.picks(sub), from == sub.block);
    let to = across(sub, from);
    walk.junction(sub.aisle, to);
    to
}

/// Enters the sub-aisle from cross aisle `from`, takes `picks` (a slice of
/// its picks in y order) and returns the same way.
fn visit(walk: &mut Walk, sub: &SubAisle, from: usize, picks: &[usize]) {
    if picks.is_empty() {
        return;
    }
    walk.junction(sub.aisle, from);
    visit_picks(walk, picks, from == sub.block);
    walk.junction(sub.aisle, from);
}

fn visit_picks(walk: &mut Walk, picks: &[usize], upward: bool) {
    if upward {
        picks.iter().for_each(|&p| walk.pick(p));
    } else {
        picks.iter().rev().for_each(|&p| walk.pick(p));
    }
}

/// S-shape: traverse every sub-aisle with picks; when the count has the wrong
/// parity to end on the block's front, the last one is a return visit.
fn s_shape_block(walk: &mut Walk, grid: &PickGrid, list: &[SubAisle], entry: usize) {
    let exit = list[0].block;
    let odd_needed = entry != exit;
    let all = list.len().is_multiple_of(2) != odd_needed;
    let mut side = entry;
    for (i, sub) in list.iter().enumerate() {
        if i + 1 == list.len() && !all {
            visit(walk, sub, side, grid.picks(sub));
        } else {
            side = traverse(walk, grid, sub, side);
        }
    }
}

/// Midpoint and largest gap: the end sub-aisles are traversed; the others are
/// visited from both sides, the `split` choosing which picks from which side.
fn gap_block(
    walk: &mut Walk,
    grid: &PickGrid,
    list: &[SubAisle],
    entry: usize,
    split: fn(&PickGrid, &Layout, &SubAisle) -> usize,
) {
    let layout = walk.layout;
    let front = list[0].block;
    let back = front + 1;
    let last = list.len() - 1;
    let part = |sub: &SubAisle, from_front: bool| {
        let at = split(grid, layout, sub);
        let picks = grid.picks(sub);
        if from_front {
            &picks[..at]
        } else {
            &picks[at..]
        }
    };
    if entry == front {
        // The farthest block: in and out by its front.
        if last == 0 {
            visit(walk, &list[0], front, grid.picks(&list[0]));
            return;
        }
        traverse(walk, grid, &list[0], front);
        list[1..last]
            .iter()
            .for_each(|s| visit(walk, s, back, part(s, false)));
        traverse(walk, grid, &list[last], back);
        list[1..last]
            .iter()
            .rev()
            .for_each(|s| visit(walk, s, front, part(s, true)));
    } else {
        // A nearer block: in by its back, out by its front.
        list[..last]
            .iter()
            .for_each(|s| visit(walk, s, back, part(s, false)));
        traverse(walk, grid, &list[last], back);
        list[..last]
            .iter()
            .rev()
            .for_each(|s| visit(walk, s, front, part(s, true)));
    }
}

/// Combined: sub-aisles in order, each either traversed or visited and left
/// on the same side, chosen by a two-state dynamic program over the block so
/// that the walk ends on the block's front.
fn combined_block(walk: &mut Walk, grid: &PickGrid, list: &[SubAisle], entry: usize) {
    let layout = walk.layout;
    let front = list[0].block;
    let block_m = layout.cross_aisle_y_m(front + 1) - layout.cross_aisle_y_m(front);
    // cost[i][s]: least vertical walk after i sub-aisles, on side s (0 front, 1 back).
    let mut cost = vec![[f64::INFINITY; 2]; list.len() + 1];
    let mut traversed = vec![[false; 2]; list.len() + 1];
    cost[0][usize::from(entry != front)] = 0.0;
    for (i, sub) in list.iter().enumerate() {
        let ys = grid.ys_m(sub);
        let depth_m = [
            2.0 * (ys[ys.len() - 1] - layout.cross_aisle_y_m(front)),
            2.0 * (layout.cross_aisle_y_m(front + 1) - ys[0]),
        ];
        for side in 0..2 {
            let c = cost[i][side];
            if c + depth_m[side] < cost[i + 1][side] {
                cost[i + 1][side] = c + depth_m[side];
                traversed[i + 1][side] = false;
            }
            if c + block_m < cost[i + 1][1 - side] {
                cost[i + 1][1 - side] = c + block_m;
                traversed[i + 1][1 - side] = true;
            }
        }
    }
    // Replay backwards from the front, then walk forwards.
    let mut plan = vec![false; list.len()];
    let mut side = 0;
    for i in (1..=list.len()).rev() {
        plan[i - 1] = traversed[i][side];
        if plan[i - 1] {
            side = 1 - side;
        }
    }
    let mut cross = entry;
    for (sub, &t) in list.iter().zip(&plan) {
        if t {
            cross = traverse(walk, grid, sub, cross);
        } else {
            visit(walk, sub, cross, grid.picks(sub));
        }
    }
}
