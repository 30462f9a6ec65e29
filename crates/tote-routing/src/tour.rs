//! From the exact program's multigraph to a pick sequence: an Euler circuit
//! from the depot, taking each sub-aisle's picks the first time the circuit
//! walks it and each detour's picks the first time it reaches the detour's
//! junction. The picks then come in an order whose stop-to-stop shortest
//! walks add up to no more than the circuit, which is optimal.

use crate::grid::PickGrid;

const NONE: usize = usize::MAX;

/// An edge of the route between two junctions; `a` is the front or left end.
/// `sub` names the sub-aisle (with picks) a vertical edge runs along.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Edge {
    pub a: usize,
    pub b: usize,
    pub sub: Option<usize>,
}

/// A detour from a junction into a sub-aisle and back, taking the picks at
/// offsets `from..to` of the sub-aisle.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spur {
    pub vertex: usize,
    pub sub: usize,
    pub from: usize,
    pub to: usize,
    pub upward: bool,
}

/// Appends to `out` the picks in the order an Euler circuit of the edges,
/// starting at `start`, reaches them.
pub(crate) fn pick_sequence(
    vertices: usize,
    start: usize,
    edges: &[Edge],
    spurs: &[Spur],
    grid: &PickGrid,
    out: &mut Vec<usize>,
) {
    // Adjacency as linked lists in flat arrays: entry 2e is edge e seen from
    // its end `a`, entry 2e + 1 from its end `b`.
    let mut head = vec![NONE; vertices];
    let mut next = vec![NONE; 2 * edges.len()];
    for (e, edge) in edges.iter().enumerate() {
        next[2 * e] = head[edge.a];
        head[edge.a] = 2 * e;
        next[2 * e + 1] = head[edge.b];
        head[edge.b] = 2 * e + 1;
    }
    let mut spur_head = vec![NONE; vertices];
    let mut spur_next = vec![NONE; spurs.len()];
    for (i, s) in spurs.iter().enumerate() {
        spur_next[i] = spur_head[s.vertex];
        spur_head[s.vertex] = i;
    }
    // Hierholzer: the pop order is the circuit backwards; each popped entry
    // carries the edge that reached it.
    let mut used = vec![false; edges.len()];
    let mut stack: Vec<(usize, usize)> = Vec::with_capacity(edges.len() + 1);
    let mut circuit: Vec<(usize, usize)> = Vec::with_capacity(edges.len() + 1);
    stack.push((start, NONE));
    while let Some(&(v, _)) = stack.last() {
        while head[v] != NONE && used[head[v] / 2] {
            head[v] = next[head[v]];
        }
        if head[v] == NONE {
            circuit.push(stack.pop().expect("stack is not empty"));
        } else {
            let entry = head[v];
            let e = entry / 2;
            used[e] = true;
            let w = if entry.is_multiple_of(2) {
                edges[e].b
            } else {
                edges[e].a
            };
            stack.push((w, e));
        }
    }
    assert!(
        used.iter().all(|&u| u),
        "the route's edges are connected to the depot"
    );

    let mut seen = vec![false; vertices];
    let mut walked = vec![false; grid.subs.len()];
    let mut arrive = |v: usize, out: &mut Vec<usize>| {
        if seen[v] {
            return;
        }
        seen[v] = true;
        let mut i = spur_head[v];
        while i != NONE {
            let s = &spurs[i];
            let picks = &grid.picks(&grid.subs[s.sub])[s.from..s.to];
            if s.upward {
                out.extend_from_slice(picks);
            } else {
                out.extend(picks.iter().rev());
            }
            i = spur_next[i];
        }
    };
    let mut at = start;
    arrive(at, out);
    for &(v, e) in circuit.iter().rev().skip(1) {
        if let Some(sub) = edges[e].sub
            && !walked[sub]
        {
            walked[sub] = true;
            let picks = grid.picks(&grid.subs[sub]);
            if at == edges[e].a {
                out.extend_from_slice(picks);
            } else {
                out.extend(picks.iter().rev());
            }
        }
        arrive(v, out);
        at = v;
    }
}
