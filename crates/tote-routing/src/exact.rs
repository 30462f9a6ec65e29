//! Exact routing on one to four blocks: a dynamic program over the aisles.
//!
//! This is Ratliff and Rosenthal's method (1983) generalised to any fixed
//! number of cross aisles, as Roodbergen and de Koster (2001) did for two
//! blocks and Pansart, Catusse and Cambazard (2018) for any fixed number. A
//! route is a connected multigraph on the aisle graph in which every vertex
//! has even degree and every pick lies on an edge; the program builds it
//! column by column (a column is an aisle, or the depot's spot on the front
//! cross aisle) and edge by edge. Its state is the frontier: for each cross
//! aisle, whether the current junction is in the route, the parity of its
//! degree so far, and which frontier junctions are already connected. A
//! component may only leave the frontier as the finished route, so the
//! program never closes a loop that misses picks further on.
//!
//! The frontier packs into a `u64`: 5 bits per cross aisle, a component
//! label (0 = not in the route) and a parity bit.

use crate::grid::PickGrid;
use crate::tour::{Edge, Spur};
use crate::{Layout, Pick};

/// The most cross aisles on which the router is exact (four blocks); beyond,
/// the program's states multiply too fast for routine use and the router
/// improves heuristics instead.
pub const EXACT_CROSS_AISLES_MAX: usize = 5;
/// The most cross aisles the program itself accepts; beyond five blocks a
/// run takes seconds, so only reference solutions go there.
pub const PROGRAM_CROSS_AISLES_MAX: usize = 12;
const _: () = assert!(EXACT_CROSS_AISLES_MAX <= PROGRAM_CROSS_AISLES_MAX);
// 5 bits per junction must fit the frontier, and two fresh labels stay free
// above the at most PROGRAM_CROSS_AISLES_MAX labels in use.
const _: () = assert!(5 * PROGRAM_CROSS_AISLES_MAX <= 64);
const _: () = assert!(PROGRAM_CROSS_AISLES_MAX + 2 <= 15);

const NONE: u32 = u32::MAX;

/// The frontier's code, see the module comment.
type Frontier = u64;
const FRESH_A: u32 = 14;
const FRESH_B: u32 = 15;

/// How a sub-aisle is used by the route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Use {
    Unused,
    Once,
    Twice,
    /// In from the front up to the last pick and back.
    FromFront,
    /// In from the back down to the first pick and back.
    FromBack,
    /// From both ends, leaving the largest gap between picks unwalked.
    BothEnds,
}

const USES: [Use; 6] = [
    Use::Unused,
    Use::Once,
    Use::Twice,
    Use::FromFront,
    Use::FromBack,
    Use::BothEnds,
];

#[derive(Clone, Copy, Debug)]
struct Node {
    state: Frontier,
    parent: u32,
    stage: u32,
    choice: u32,
    cost_m: f64,
}

#[derive(Clone, Copy, Debug)]
enum Stage {
    Start,
    /// The cross aisles between column `col - 1` and column `col`; the
    /// choice holds how often each is walked, 2 bits per cross aisle.
    Cross {
        col: usize,
    },
    /// Block `block` of column `col`.
    Aisle {
        col: usize,
        block: usize,
    },
}

#[derive(Clone, Copy, Debug)]
struct Column {
    x_m: f64,
    /// The aisle, or `None` for the depot's spot between two aisles.
    aisle: Option<usize>,
}

fn label(s: Frontier, v: usize) -> u32 {
    ((s >> (5 * v)) & 0xF) as u32
}
fn parity(s: Frontier, v: usize) -> u32 {
    ((s >> (5 * v + 4)) & 1) as u32
}
fn with(s: Frontier, v: usize, label: u32, parity: u32) -> Frontier {
    (s & !(0x1F << (5 * v))) | (Frontier::from(label | parity << 4) << (5 * v))
}

/// Renames component labels in order of first appearance, so equal
/// frontiers have equal codes.
fn normalize(s: Frontier, k: usize) -> Frontier {
    let mut map = [0u32; 16];
    let mut next = 1;
    let mut out = 0;
    for v in 0..k {
        let l = label(s, v);
        if l != 0 {
            if map[l as usize] == 0 {
                map[l as usize] = next;
                next += 1;
            }
            out = with(out, v, map[l as usize], parity(s, v));
        }
    }
    out
}

fn has_label(s: Frontier, k: usize, l: u32) -> bool {
    (0..k).any(|v| label(s, v) == l)
}

/// Joins junctions `a` and `b` by an edge walked `times` times.
fn join(s: Frontier, k: usize, a: usize, b: usize, times: u32) -> Frontier {
    let (la, lb) = (label(s, a), label(s, b));
    let l = match (la, lb) {
        (0, 0) => FRESH_A,
        (0, l) | (l, 0) => l,
        (la, lb) => {
            let mut s2 = s;
            for v in 0..k {
                if label(s, v) == lb {
                    s2 = with(s2, v, la, parity(s, v));
                }
            }
            return join_parity(s2, a, b, la, times);
        }
    };
    join_parity(s, a, b, l, times)
}

fn join_parity(s: Frontier, a: usize, b: usize, l: u32, times: u32) -> Frontier {
    let s = with(s, a, l, parity(s, a) ^ (times & 1));
    with(s, b, l, parity(s, b) ^ (times & 1))
}

/// Puts junction `v` in the route (a detour from it keeps its parity).
fn touch(s: Frontier, v: usize, fresh: u32) -> Frontier {
    if label(s, v) == 0 {
        with(s, v, fresh, 0)
    } else {
        s
    }
}

fn single_even_component(s: Frontier, k: usize) -> bool {
    s != 0 && (0..k).all(|v| parity(s, v) == 0 && (label(s, v) == 0 || label(s, v) == 1))
}

/// The optimal route's multigraph: edges (with repeats) and detours.
pub(crate) struct Solution {
    pub cost_m: f64,
    pub edges: Vec<Edge>,
    pub spurs: Vec<Spur>,
    pub depot_vertex: usize,
    pub vertices: usize,
}

/// The least walk visiting all picks (not empty) from and back to the depot.
///
/// `bound_m` is the length of any route through the picks (a heuristic's);
/// partial routes that cannot beat it are dropped early.
pub(crate) fn solve(layout: &Layout, picks: &[Pick], grid: &PickGrid, bound_m: f64) -> Solution {
    let k = layout.cross_aisles();
    assert!(
        k <= PROGRAM_CROSS_AISLES_MAX,
        "{k} cross aisles is beyond the exact program"
    );
    assert!(
        !picks.is_empty(),
        "an empty pick list has no route to solve"
    );
    let blocks = k - 1;
    let depot_x_m = layout.depot_x_m();
    let first_aisle = grid.subs[0].aisle;
    let last_aisle = grid.subs[grid.subs.len() - 1].aisle;
    let spacing_m = layout.aisle_spacing_m();
    // Aisles outside the span of the picks and the depot never help.
    let lo = first_aisle.min((depot_x_m / spacing_m).floor() as usize);
    let hi = last_aisle.max(((depot_x_m / spacing_m).ceil() as usize).min(layout.aisles() - 1));
    let mut columns: Vec<Column> = Vec::with_capacity(hi - lo + 2);
    let mut depot_col = NONE as usize;
    for a in lo..=hi {
        let x_m = layout.aisle_x_m(a);
        if depot_col == NONE as usize && depot_x_m < x_m {
            depot_col = columns.len();
            columns.push(Column {
                x_m: depot_x_m,
                aisle: None,
            });
        }
        if depot_col == NONE as usize && depot_x_m == x_m {
            depot_col = columns.len();
        }
        columns.push(Column {
            x_m,
            aisle: Some(a),
        });
    }
    if depot_col == NONE as usize {
        // Rounding put the depot just beyond the last aisle's computed x.
        depot_col = columns.len();
        columns.push(Column {
            x_m: depot_x_m,
            aisle: None,
        });
    }
    // sub_of[col * blocks + b]: the sub-aisle index in the grid, or NONE.
    let mut sub_of = vec![NONE; columns.len() * blocks];
    let mut last_required = depot_col;
    for (i, sub) in grid.subs.iter().enumerate() {
        let col = columns
            .iter()
            .position(|c| c.aisle == Some(sub.aisle))
            .expect("pick aisles are columns");
        sub_of[col * blocks + sub.block] = i as u32;
        last_required = last_required.max(col);
    }

    // Lower bounds on what is still to walk: each sub-aisle with picks ahead
    // costs at least its cheapest use, and a started route must still reach
    // the last required column and come back.
    let mut ahead_m = vec![0.0; sub_of.len() + 1];
    for i in (0..sub_of.len()).rev() {
        let cheapest = use_costs(layout, grid, sub_of[i], i % blocks)
            .iter()
            .flatten()
            .fold(f64::INFINITY, |a, &b| a.min(b));
        ahead_m[i] = ahead_m[i + 1] + cheapest;
    }
    let last_x_m = columns[last_required].x_m;
    let bound_m = bound_m * (1.0 + 1e-9) + 1e-9;
    let reach_m = |col: usize| 2.0 * (last_x_m - columns[col].x_m).max(0.0);
    // A candidate goes on only if its cost is within the limit for its
    // stage; the limit is looser for the empty frontier, whose route may
    // still start further right.

    let mut nodes: Vec<Node> = Vec::with_capacity(64 * columns.len() * (2 * k));
    let mut stages: Vec<Stage> = Vec::with_capacity(columns.len() * (2 * k) + 1);
    let mut table = StageTable::new();
    nodes.push(Node {
        state: 0,
        parent: NONE,
        stage: 0,
        choice: 0,
        cost_m: 0.0,
    });
    stages.push(Stage::Start);
    let mut prev = 0..1;
    let mut best: Option<(f64, usize)> = None;

    for (col, column) in columns.iter().enumerate() {
        if col > 0 {
            let dx_m = column.x_m - columns[col - 1].x_m;
            // All cross aisles between the two columns in one step: a junction
            // out of the route stays out, an odd one goes on once, an even one
            // goes on twice or drops out of the frontier, which must not strand
            // its component. The depot's junction must be in when it leaves:
            // if it is not, the route visits it by a detour from the right.
            let leaving_depot = col == depot_col + 1;
            let stage = stages.len() as u32;
            let limit_m = [
                bound_m - ahead_m[col * blocks],
                bound_m - ahead_m[col * blocks] - reach_m(col),
            ];
            table.begin(nodes.len());
            for i in prev.clone() {
                let n = nodes[i];
                let (mut base, mut cost_m, mut choice) = (n.state, n.cost_m, 0u32);
                let mut even = [0usize; PROGRAM_CROSS_AISLES_MAX];
                let mut evens = 0;
                for cross in 0..k {
                    let l = label(n.state, cross);
                    if l == 0 && leaving_depot && cross == 0 {
                        base = with(base, cross, FRESH_A, 0);
                        cost_m += 2.0 * dx_m;
                        choice |= 2 << (2 * cross);
                    } else if l != 0 && parity(n.state, cross) == 1 {
                        cost_m += dx_m;
                        choice |= 1 << (2 * cross);
                    } else if l != 0 {
                        even[evens] = cross;
                        evens += 1;
                    }
                }
                for drop in 0u32..1 << evens {
                    let (mut state, mut c_m, mut ch) = (base, cost_m, choice);
                    for (bit, &cross) in even[..evens].iter().enumerate() {
                        if drop & (1 << bit) != 0 {
                            state = with(state, cross, 0, 0);
                        } else {
                            c_m += 2.0 * dx_m;
                            ch |= 2 << (2 * cross);
                        }
                    }
                    let stranded = even[..evens].iter().enumerate().any(|(bit, &cross)| {
                        drop & (1 << bit) != 0 && !has_label(state, k, label(base, cross))
                    });
                    if stranded {
                        continue;
                    }
                    let state = if state == n.state {
                        state
                    } else {
                        normalize(state, k)
                    };
                    if c_m <= limit_m[usize::from(state != 0)] {
                        table.offer(
                            &mut nodes,
                            Node {
                                state,
                                parent: i as u32,
                                stage,
                                choice: ch,
                                cost_m: c_m,
                            },
                        );
                    }
                }
            }
            stages.push(Stage::Cross { col });
            prev = table.stage_start..nodes.len();
        }
        if column.aisle.is_some() {
            for block in 0..blocks {
                let stage = stages.len() as u32;
                let sub = sub_of[col * blocks + block];
                let costs = use_costs(layout, grid, sub, block);
                table.begin(nodes.len());
                let next = col * blocks + block + 1;
                let limit_m = [
                    bound_m - ahead_m[next],
                    bound_m - ahead_m[next] - reach_m(col),
                ];
                for i in prev.clone() {
                    let n = nodes[i];
                    let (la, lb) = (label(n.state, block), label(n.state, block + 1));
                    // Detours leave a junction already in the route as it is, so
                    // several uses reach one frontier: offer only the cheapest.
                    let mut uses = costs;
                    let cheaper = |uses: &mut [Option<f64>; 6], keep: Use, drop: Use| {
                        if let (Some(a), Some(b)) = (uses[keep as usize], uses[drop as usize]) {
                            uses[keep as usize] = Some(a.min(b));
                            uses[drop as usize] = None;
                            if b < a {
                                uses[keep as usize] = None;
                                uses[drop as usize] = Some(b);
                            }
                        }
                    };
                    if la != 0 && la == lb {
                        // Walking through twice changes nothing a detour would not.
                        uses[Use::Twice as usize] = None;
                    }
                    if la != 0 && lb != 0 {
                        cheaper(&mut uses, Use::FromFront, Use::FromBack);
                        cheaper(&mut uses, Use::FromFront, Use::BothEnds);
                        cheaper(&mut uses, Use::FromBack, Use::BothEnds);
                    } else if la != 0 {
                        cheaper(&mut uses, Use::FromBack, Use::BothEnds);
                    } else if lb != 0 {
                        cheaper(&mut uses, Use::FromFront, Use::BothEnds);
                    }
                    for (u, c) in USES.iter().zip(uses) {
                        let Some(c) = c else { continue };
                        let s = match u {
                            Use::Unused => n.state,
                            Use::Once => join(n.state, k, block, block + 1, 1),
                            Use::Twice => join(n.state, k, block, block + 1, 2),
                            Use::FromFront => touch(n.state, block, FRESH_A),
                            Use::FromBack => touch(n.state, block + 1, FRESH_A),
                            Use::BothEnds => {
                                touch(touch(n.state, block, FRESH_A), block + 1, FRESH_B)
                            }
                        };
                        let state = if s == n.state { s } else { normalize(s, k) };
                        let cost_m = n.cost_m + c;
                        if cost_m <= limit_m[usize::from(state != 0)] {
                            let node = Node {
                                state,
                                parent: i as u32,
                                stage,
                                choice: *u as u32,
                                cost_m,
                            };
                            table.offer(&mut nodes, node);
                        }
                    }
                }
                stages.push(Stage::Aisle { col, block });
                prev = table.stage_start..nodes.len();
            }
        }
        if col >= last_required {
            for i in prev.clone() {
                let n = nodes[i];
                let depot_in = col > depot_col || label(n.state, 0) != 0;
                if depot_in
                    && single_even_component(n.state, k)
                    && best.is_none_or(|(c, _)| n.cost_m < c)
                {
                    best = Some((n.cost_m, i));
                }
            }
        }
    }
    let (cost_m, mut at) = best.expect("the optimum is within the bound");

    // Walk the choices back into the route's multigraph.
    let vertex = |col: usize, cross: usize| col * k + cross;
    let mut edges = Vec::with_capacity(4 * picks.len() + 2 * columns.len());
    let mut spurs = Vec::with_capacity(grid.subs.len() * 2);
    while at != 0 {
        let n = nodes[at];
        match stages[n.stage as usize] {
            Stage::Cross { col } => {
                for cross in 0..k {
                    for _ in 0..(n.choice >> (2 * cross)) & 3 {
                        edges.push(Edge {
                            a: vertex(col - 1, cross),
                            b: vertex(col, cross),
                            sub: None,
                        });
                    }
                }
            }
            Stage::Aisle { col, block } => {
                let sub = sub_of[col * blocks + block];
                let sub = (sub != NONE).then_some(sub as usize);
                let (a, b) = (vertex(col, block), vertex(col, block + 1));
                match USES[n.choice as usize] {
                    Use::Unused => {}
                    Use::Once => edges.push(Edge { a, b, sub }),
                    Use::Twice => {
                        edges.push(Edge { a, b, sub });
                        edges.push(Edge { a, b, sub });
                    }
                    Use::FromFront => {
                        let s = sub.expect("detours only into sub-aisles with picks");
                        let len = grid.subs[s].end - grid.subs[s].start;
                        spurs.push(Spur {
                            vertex: a,
                            sub: s,
                            from: 0,
                            to: len,
                            upward: true,
                        });
                    }
                    Use::FromBack => {
                        let s = sub.expect("detours only into sub-aisles with picks");
                        let len = grid.subs[s].end - grid.subs[s].start;
                        spurs.push(Spur {
                            vertex: b,
                            sub: s,
                            from: 0,
                            to: len,
                            upward: false,
                        });
                    }
                    Use::BothEnds => {
                        let s = sub.expect("detours only into sub-aisles with picks");
                        let sa = &grid.subs[s];
                        let split = interior_gap(grid.ys_m(sa)).1;
                        spurs.push(Spur {
                            vertex: a,
                            sub: s,
                            from: 0,
                            to: split,
                            upward: true,
                        });
                        spurs.push(Spur {
                            vertex: b,
                            sub: s,
                            from: split,
                            to: sa.end - sa.start,
                            upward: false,
                        });
                    }
                }
            }
            Stage::Start => {}
        }
        at = n.parent as usize;
    }
    Solution {
        cost_m,
        edges,
        spurs,
        depot_vertex: vertex(depot_col, 0),
        vertices: columns.len() * k,
    }
}

/// Keeps the cheapest node per frontier within one stage: an open-addressing
/// table of node indices, stamped with the stage so it never needs clearing.
struct StageTable {
    slots: Vec<(u32, u32)>,
    stamp: u32,
    stage_start: usize,
}

impl StageTable {
    fn new() -> StageTable {
        StageTable {
            slots: vec![(0, 0); 256],
            stamp: 0,
            stage_start: 0,
        }
    }

    fn begin(&mut self, stage_start: usize) {
        self.stamp += 1;
        self.stage_start = stage_start;
    }

    fn offer(&mut self, nodes: &mut Vec<Node>, node: Node) {
        let mask = self.slots.len() - 1;
        let mut h = (node.state.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & mask;
        loop {
            let (at, stamp) = self.slots[h];
            if stamp != self.stamp {
                self.slots[h] = (nodes.len() as u32, self.stamp);
                nodes.push(node);
                if 2 * (nodes.len() - self.stage_start) > self.slots.len() {
                    self.grow(nodes);
                }
                return;
            }
            if nodes[at as usize].state == node.state {
                if node.cost_m < nodes[at as usize].cost_m {
                    nodes[at as usize] = node;
                }
                return;
            }
            h = (h + 1) & mask;
        }
    }

    fn grow(&mut self, nodes: &[Node]) {
        self.slots = vec![(0, 0); 2 * self.slots.len()];
        let mask = self.slots.len() - 1;
        for (i, n) in nodes.iter().enumerate().skip(self.stage_start) {
            let mut h = (n.state.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & mask;
            while self.slots[h].1 == self.stamp {
                h = (h + 1) & mask;
            }
            self.slots[h] = (i as u32, self.stamp);
        }
    }
}

/// The cost of each use of a sub-aisle, `None` where the use is not allowed.
fn use_costs(layout: &Layout, grid: &PickGrid, sub: u32, block: usize) -> [Option<f64>; 6] {
    let front_m = layout.cross_aisle_y_m(block);
    let back_m = layout.cross_aisle_y_m(block + 1);
    let block_m = back_m - front_m;
    if sub == NONE {
        return [
            Some(0.0),
            Some(block_m),
            Some(2.0 * block_m),
            None,
            None,
            None,
        ];
    }
    let ys = grid.ys_m(&grid.subs[sub as usize]);
    let (gap_m, split) = interior_gap(ys);
    let both = (split > 0).then_some(2.0 * (block_m - gap_m));
    [
        None,
        Some(block_m),
        Some(2.0 * block_m),
        Some(2.0 * (ys[ys.len() - 1] - front_m)),
        Some(2.0 * (back_m - ys[0])),
        both,
    ]
}

/// The largest gap between consecutive picks of a sub-aisle and the offset of
/// the pick above it; offset 0 when there is no gap between picks.
fn interior_gap(ys: &[f64]) -> (f64, usize) {
    let mut best = (0.0, 0);
    for i in 1..ys.len() {
        if ys[i] - ys[i - 1] > best.0 {
            best = (ys[i] - ys[i - 1], i);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_names_components_in_order_of_first_junction() {
        let s = with(with(with(0, 0, 3, 1), 1, 5, 0), 2, 3, 1);
        let n = normalize(s, 3);
        assert_eq!((label(n, 0), label(n, 1), label(n, 2)), (1, 2, 1));
        assert_eq!((parity(n, 0), parity(n, 1), parity(n, 2)), (1, 0, 1));
    }

    #[test]
    fn joining_two_components_merges_their_labels() {
        let s = with(with(with(0, 0, 1, 0), 1, 2, 0), 2, 2, 0);
        let j = normalize(join(s, 3, 0, 1, 1), 3);
        assert_eq!((label(j, 0), label(j, 1), label(j, 2)), (1, 1, 1));
        assert_eq!((parity(j, 0), parity(j, 1), parity(j, 2)), (1, 1, 0));
    }
}
