//! The exact program's frontiers: codes, and their ids with memoised
//! transitions. A route meets a few dozen (one block) to a few thousand (four
//! blocks) distinct frontiers, each reached thousands of times, so each
//! transition is worked out once per route and then looked up.
//!
//! A frontier's code holds, per cross aisle, 5 bits: a component label
//! (0 = the junction is not in the route) and the parity of its degree.

/// A frontier's code, see the module comment.
pub(crate) type Frontier = u64;
/// Labels for components that a step creates, above any normalized label.
pub(crate) const FRESH_A: u32 = 14;
const FRESH_B: u32 = 15;
const UNKNOWN: u32 = u32::MAX;

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

pub(crate) const USES: [Use; 6] = [
    Use::Unused,
    Use::Once,
    Use::Twice,
    Use::FromFront,
    Use::FromBack,
    Use::BothEnds,
];

/// One way to carry a frontier across the cross aisles to the next column.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CrossMove {
    pub to: u32,
    /// Cross-aisle stretches walked in all, each the columns' distance.
    pub times: u32,
    /// How often each cross aisle is walked, 2 bits per cross aisle.
    pub choice: u32,
}

/// Frontier ids (0 is the empty frontier) and memoised transitions, for one
/// number of cross aisles. They depend on nothing else, so a [`Router`]
/// keeps them from one route to the next.
///
/// [`Router`]: crate::Router
pub(crate) struct Frontiers {
    k: usize,
    codes: Vec<Frontier>,
    /// Open addressing from code to id; `UNKNOWN` marks a free slot.
    index: Vec<(Frontier, u32)>,
    /// `(id * blocks + block) * 6 + use`: the frontier after that use.
    uses: Vec<u32>,
    /// `id * 2 + leaving_depot`: the range of `moves` for that step.
    cross: Vec<(u32, u32)>,
    pub moves: Vec<CrossMove>,
}

impl Frontiers {
    pub const EMPTY: u32 = 0;

    pub fn new(k: usize) -> Frontiers {
        assert!(k >= 2, "a layout has a front and a back cross aisle");
        let mut f = Frontiers {
            k,
            codes: Vec::with_capacity(64),
            index: vec![(0, UNKNOWN); 64],
            uses: Vec::with_capacity(64 * 6 * (k - 1)),
            cross: Vec::with_capacity(128),
            moves: Vec::with_capacity(256),
        };
        let empty = f.intern(0);
        assert_eq!(empty, Frontiers::EMPTY, "the empty frontier comes first");
        f
    }

    fn slot(&self, code: Frontier) -> usize {
        let mask = self.index.len() - 1;
        let mut h = (code.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & mask;
        while self.index[h].1 != UNKNOWN && self.index[h].0 != code {
            h = (h + 1) & mask;
        }
        h
    }

    fn intern(&mut self, code: Frontier) -> u32 {
        let h = self.slot(code);
        if self.index[h].1 != UNKNOWN {
            return self.index[h].1;
        }
        let id = self.codes.len() as u32;
        self.codes.push(code);
        self.index[h] = (code, id);
        if 2 * self.codes.len() > self.index.len() {
            self.index = vec![(0, UNKNOWN); 2 * self.index.len()];
            for (i, &c) in self.codes.iter().enumerate() {
                let h = self.slot(c);
                self.index[h] = (c, i as u32);
            }
        }
        self.uses
            .extend(std::iter::repeat_n(UNKNOWN, 6 * (self.k - 1)));
        self.cross.extend([(UNKNOWN, 0); 2]);
        id
    }

    /// The labels of the junctions at both ends of `block`.
    pub fn ends(&self, id: u32, block: usize) -> (u32, u32) {
        let s = self.codes[id as usize];
        (label(s, block), label(s, block + 1))
    }

    /// Whether the front junction (where the depot may be) is in the route.
    pub fn depot_in(&self, id: u32) -> bool {
        label(self.codes[id as usize], 0) != 0
    }

    /// Whether the frontier is a finished route: one component, all even.
    pub fn finished(&self, id: u32) -> bool {
        let s = self.codes[id as usize];
        s != 0 && (0..self.k).all(|v| parity(s, v) == 0 && label(s, v) <= 1)
    }

    /// The frontier after using sub-aisle `block` of the column as `u`.
    pub fn after_use(&mut self, id: u32, block: usize, u: Use) -> u32 {
        let at = (id as usize * (self.k - 1) + block) * 6 + u as usize;
        if self.uses[at] != UNKNOWN {
            return self.uses[at];
        }
        let (s, k) = (self.codes[id as usize], self.k);
        let next = match u {
            Use::Unused => s,
            Use::Once => join(s, k, block, block + 1, 1),
            Use::Twice => join(s, k, block, block + 1, 2),
            Use::FromFront => touch(s, block, FRESH_A),
            Use::FromBack => touch(s, block + 1, FRESH_A),
            Use::BothEnds => touch(touch(s, block, FRESH_A), block + 1, FRESH_B),
        };
        let to = self.intern(normalize(next, k));
        self.uses[at] = to;
        to
    }

    /// The ways across the cross aisles to the next column, as a range of
    /// [`Frontiers::moves`]: a junction out of the route stays out, an odd
    /// one goes on once, an even one goes on twice or drops out of the
    /// frontier, which must not strand its component. When the depot's
    /// junction leaves and is not in the route, the route visits it by a
    /// detour from the right.
    pub fn after_cross(&mut self, id: u32, leaving_depot: bool) -> std::ops::Range<usize> {
        let at = id as usize * 2 + usize::from(leaving_depot);
        if self.cross[at].0 != UNKNOWN {
            return self.cross[at].0 as usize..self.cross[at].1 as usize;
        }
        let (s, k) = (self.codes[id as usize], self.k);
        let (mut base, mut times, mut choice) = (s, 0, 0u32);
        let mut even = [0usize; 16];
        let mut evens = 0;
        for cross in 0..k {
            let l = label(s, cross);
            if l == 0 && leaving_depot && cross == 0 {
                base = with(base, cross, FRESH_A, 0);
                times += 2;
                choice |= 2 << (2 * cross);
            } else if l != 0 && parity(s, cross) == 1 {
                times += 1;
                choice |= 1 << (2 * cross);
            } else if l != 0 {
                even[evens] = cross;
                evens += 1;
            }
        }
        let start = self.moves.len();
        for drop in 0u32..1 << evens {
            let (mut state, mut t, mut ch) = (base, times, choice);
            for (bit, &cross) in even[..evens].iter().enumerate() {
                if drop & (1 << bit) != 0 {
                    state = with(state, cross, 0, 0);
                } else {
                    t += 2;
                    ch |= 2 << (2 * cross);
                }
            }
            let stranded = even[..evens].iter().enumerate().any(|(bit, &cross)| {
                drop & (1 << bit) != 0 && !has_label(state, k, label(base, cross))
            });
            if !stranded {
                let to = self.intern(normalize(state, k));
                self.moves.push(CrossMove {
                    to,
                    times: t,
                    choice: ch,
                });
            }
        }
        self.cross[at] = (start as u32, self.moves.len() as u32);
        start..self.moves.len()
    }
}

fn label(s: Frontier, v: usize) -> u32 {
    ((s >> (5 * v)) & 0xF) as u32
}
pub(crate) fn parity(s: Frontier, v: usize) -> u32 {
    ((s >> (5 * v + 4)) & 1) as u32
}
pub(crate) fn with(s: Frontier, v: usize, label: u32, parity: u32) -> Frontier {
    (s & !(0x1F << (5 * v))) | (Frontier::from(label | parity << 4) << (5 * v))
}

/// Renames component labels in order of first appearance, so equal
/// frontiers have equal codes.
pub(crate) fn normalize(s: Frontier, k: usize) -> Frontier {
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
pub(crate) fn join(s: Frontier, k: usize, a: usize, b: usize, times: u32) -> Frontier {
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

#[cfg(test)]
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
