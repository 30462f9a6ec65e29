//! Exact routing: a dynamic program over the aisles, which the router uses on
//! one to four blocks.
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
//! Frontiers and their transitions live in `frontier.rs`.

use crate::frontier::{FRESH_A, Frontiers, USES, Use};
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
// 5 bits per junction must fit the frontier's code, and two fresh labels
// stay free above the at most PROGRAM_CROSS_AISLES_MAX labels in use.
const _: () = assert!(5 * PROGRAM_CROSS_AISLES_MAX <= 64);
const _: () = assert!(PROGRAM_CROSS_AISLES_MAX + 2 <= FRESH_A as usize);

const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Node {
    /// The frontier's id in [`Frontiers`].
    id: u32,
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

/// What the program keeps between routes: its buffers, and the frontiers
/// with their transitions, per number of cross aisles.
#[derive(Default)]
pub(crate) struct Workspace {
    nodes: Vec<Node>,
    stages: Vec<Stage>,
    table: StageTable,
    frontiers: Vec<Option<Frontiers>>,
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
pub(crate) fn solve(
    layout: &Layout,
    picks: &[Pick],
    grid: &PickGrid,
    bound_m: f64,
    ws: &mut Workspace,
) -> Solution {
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

    let Workspace {
        nodes,
        stages,
        table,
        frontiers,
    } = ws;
    nodes.clear();
    stages.clear();
    if frontiers.len() <= k {
        frontiers.resize_with(k + 1, || None);
    }
    let frontiers = frontiers[k].get_or_insert_with(|| Frontiers::new(k));
    nodes.push(Node {
        id: Frontiers::EMPTY,
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
                let moves = frontiers.after_cross(n.id, leaving_depot);
                for m in moves {
                    let m = frontiers.moves[m];
                    let cost_m = n.cost_m + f64::from(m.times) * dx_m;
                    if cost_m <= limit_m[usize::from(m.to != Frontiers::EMPTY)] {
                        let node = Node {
                            id: m.to,
                            parent: i as u32,
                            stage,
                            choice: m.choice,
                            cost_m,
                        };
                        table.offer(nodes, node);
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
                    let (la, lb) = frontiers.ends(n.id, block);
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
                        let to = frontiers.after_use(n.id, block, *u);
                        let cost_m = n.cost_m + c;
                        if cost_m <= limit_m[usize::from(to != Frontiers::EMPTY)] {
                            let node = Node {
                                id: to,
                                parent: i as u32,
                                stage,
                                choice: *u as u32,
                                cost_m,
                            };
                            table.offer(nodes, node);
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
                let depot_in = col > depot_col || frontiers.depot_in(n.id);
                if depot_in && frontiers.finished(n.id) && best.is_none_or(|(c, _)| n.cost_m < c) {
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

/// Keeps the cheapest node per frontier within one stage: the node index
/// per frontier id, stamped with the stage so it never needs clearing.
#[derive(Default)]
struct StageTable {
    slots: Vec<(u32, u32)>,
    stamp: u32,
    stage_start: usize,
}

impl StageTable {
    fn begin(&mut self, stage_start: usize) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            // After 2^32 stages stamps repeat: start the slots afresh.
            self.slots.fill((0, 0));
            self.stamp = 1;
        }
        self.stage_start = stage_start;
    }

    fn offer(&mut self, nodes: &mut Vec<Node>, node: Node) {
        let id = node.id as usize;
        if id >= self.slots.len() {
            self.slots.resize(id + 1, (0, 0));
        }
        let (stamp, at) = self.slots[id];
        if stamp != self.stamp {
            self.slots[id] = (self.stamp, nodes.len() as u32);
            nodes.push(node);
        } else if node.cost_m < nodes[at as usize].cost_m {
            nodes[at as usize] = node;
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
