//! Local improvement of a route on exact stop-to-stop distances: 2-opt
//! (reverse a stretch) and or-opt (move a run of up to three stops, either
//! way round), repeated until neither finds a shorter route. Optionally
//! iterated: kick the best route with a double bridge (cut it in four and
//! swap the middle two stretches), improve again, keep it if shorter.

use crate::route::sequence_distance_m;
use crate::{Layout, Pick, Route};

/// Rounds of 2-opt and or-opt at most; each round is quadratic in the stops.
pub const IMPROVE_ROUNDS_MAX: usize = 64;
const OR_OPT_RUN_MAX: usize = 3;
const EPS_M: f64 = 1e-9;

/// Improves `start` (any order of all the picks) and returns the result with
/// its shortest-walk distance; never longer than `start`'s stops' walk.
/// `kicks` double-bridge restarts follow the first descent.
pub(crate) fn improve(layout: &Layout, picks: &[Pick], start: Route, kicks: usize) -> Route {
    // Consecutive picks at one spot are one stop.
    let mut runs: Vec<(usize, usize)> = Vec::with_capacity(start.sequence.len());
    for (i, &p) in start.sequence.iter().enumerate() {
        match runs.last_mut() {
            Some((_, end)) if picks[start.sequence[*end - 1]] == picks[p] => *end = i + 1,
            _ => runs.push((i, i + 1)),
        }
    }
    let n = runs.len();
    if n < 3 {
        return start;
    }
    // Stop n is the depot.
    let mut points: Vec<_> = runs
        .iter()
        .map(|&(s, _)| layout.pick_point(&picks[start.sequence[s]]))
        .collect();
    points.push(layout.depot());
    let w = n + 1;
    let mut dist = vec![0.0; w * w];
    for a in 0..w {
        for b in a + 1..w {
            let d = layout.walk_m(&points[a], &points[b]);
            dist[a * w + b] = d;
            dist[b * w + a] = d;
        }
    }
    let stops = Stops { dist, w };
    // The tour with the depot at both ends.
    let mut best: Vec<usize> = std::iter::once(n)
        .chain(0..n)
        .chain(std::iter::once(n))
        .collect();
    stops.descend(&mut best);
    let mut best_m = stops.length(&best);
    if n >= 8 {
        let mut tour = Vec::with_capacity(best.len());
        // A fixed, simple sequence of cut points: the search stays a pure
        // function of its input.
        let mut state = 0x2545_F491_4F6C_DD1Du64 ^ n as u64;
        for _ in 0..kicks {
            let mut cut = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                1 + (state % n as u64) as usize
            };
            let mut c = [cut(), cut(), cut()];
            c.sort_unstable();
            if c[0] == c[1] || c[1] == c[2] {
                continue;
            }
            tour.clear();
            tour.extend_from_slice(&best[..c[0]]);
            tour.extend_from_slice(&best[c[1]..c[2]]);
            tour.extend_from_slice(&best[c[0]..c[1]]);
            tour.extend_from_slice(&best[c[2]..]);
            stops.descend(&mut tour);
            let m = stops.length(&tour);
            if m < best_m - EPS_M {
                std::mem::swap(&mut best, &mut tour);
                best_m = m;
            }
        }
    }
    let mut sequence = Vec::with_capacity(start.sequence.len());
    for &stop in &best[1..=n] {
        let (s, e) = runs[stop];
        sequence.extend_from_slice(&start.sequence[s..e]);
    }
    let distance_m = sequence_distance_m(layout, picks, &sequence);
    Route {
        distance_m,
        sequence,
    }
}

/// Stop-to-stop shortest walks, the depot last.
struct Stops {
    dist: Vec<f64>,
    w: usize,
}

impl Stops {
    fn d(&self, a: usize, b: usize) -> f64 {
        self.dist[a * self.w + b]
    }

    fn length(&self, tour: &[usize]) -> f64 {
        tour.windows(2).map(|p| self.d(p[0], p[1])).sum()
    }

    /// 2-opt and or-opt until neither helps (or the round limit).
    fn descend(&self, tour: &mut Vec<usize>) {
        let n = self.w - 1;
        let d = |a: usize, b: usize| self.d(a, b);
        for _ in 0..IMPROVE_ROUNDS_MAX {
            let mut better = false;
            // 2-opt: replace edges (i, i+1) and (j, j+1) by (i, j) and (i+1, j+1).
            for i in 0..n {
                for j in i + 2..=n {
                    let delta = d(tour[i], tour[j]) + d(tour[i + 1], tour[j + 1])
                        - d(tour[i], tour[i + 1])
                        - d(tour[j], tour[j + 1]);
                    if delta < -EPS_M {
                        tour[i + 1..=j].reverse();
                        better = true;
                    }
                }
            }
            // Or-opt: move tour[i..i+len] between tour[p] and tour[p+1].
            for len in 1..=OR_OPT_RUN_MAX.min(n - 1) {
                let mut i = 1;
                while i + len <= n + 1 {
                    let (first, last) = (tour[i], tour[i + len - 1]);
                    let (before, after) = (tour[i - 1], tour[i + len]);
                    let removed = d(before, first) + d(last, after) - d(before, after);
                    let mut best: Option<(f64, usize, bool)> = None;
                    for p in 0..=n {
                        if p + 1 >= i && p < i + len {
                            continue;
                        }
                        let (a, b) = (tour[p], tour[p + 1]);
                        let fwd = d(a, first) + d(last, b) - d(a, b);
                        let rev = d(a, last) + d(first, b) - d(a, b);
                        let (cost, reversed) = if rev < fwd { (rev, true) } else { (fwd, false) };
                        if cost - removed < -EPS_M && best.is_none_or(|(c, _, _)| cost < c) {
                            best = Some((cost, p, reversed));
                        }
                    }
                    if let Some((_, p, reversed)) = best {
                        let mut run = [0usize; OR_OPT_RUN_MAX];
                        run[..len].copy_from_slice(&tour[i..i + len]);
                        if reversed {
                            run[..len].reverse();
                        }
                        tour.drain(i..i + len);
                        let at = if p < i { p + 1 } else { p + 1 - len };
                        tour.splice(at..at, run[..len].iter().copied());
                        better = true;
                    }
                    i += 1;
                }
            }
            if !better {
                break;
            }
        }
    }
}
