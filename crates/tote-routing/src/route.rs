//! Routing a pick list: the methods, the route, and the router that picks the
//! exact program where it applies and improved heuristics beyond.

use crate::exact::{self, EXACT_CROSS_AISLES_MAX, PROGRAM_CROSS_AISLES_MAX};
use crate::grid::PickGrid;
use crate::heuristics::heuristic_route;
use crate::improve::improve;
use crate::{InputError, Layout, Pick, tour};
use std::fmt;
use std::str::FromStr;

/// A routing method, named as the CLI's `--method`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// Shortest route: exact on one to four blocks, near-optimal beyond.
    Optimal,
    SShape,
    Return,
    Midpoint,
    LargestGap,
    Combined,
}

impl Method {
    pub const ALL: [Method; 6] = [
        Method::Optimal,
        Method::SShape,
        Method::Return,
        Method::Midpoint,
        Method::LargestGap,
        Method::Combined,
    ];
    pub const HEURISTICS: [Method; 5] = [
        Method::SShape,
        Method::Return,
        Method::Midpoint,
        Method::LargestGap,
        Method::Combined,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Method::Optimal => "optimal",
            Method::SShape => "s-shape",
            Method::Return => "return",
            Method::Midpoint => "midpoint",
            Method::LargestGap => "largest-gap",
            Method::Combined => "combined",
        }
    }
}

impl FromStr for Method {
    type Err = InputError;
    fn from_str(name: &str) -> Result<Method, InputError> {
        Method::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| InputError::UnknownMethod(name.to_string()))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A route from the depot through every pick and back: pick indices in
/// visiting order (each exactly once) and the walking distance.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub distance_m: f64,
    pub sequence: Vec<usize>,
}

impl Route {
    pub fn empty() -> Route {
        Route {
            distance_m: 0.0,
            sequence: Vec::new(),
        }
    }
}

/// Routes pick lists, keeping the exact program's buffers and its frontier
/// transitions (which depend only on the number of cross aisles) from one
/// route to the next. Hold one where many lists are routed, as batching does;
/// the free functions make a fresh one per call.
#[derive(Default)]
pub struct Router {
    ws: exact::Workspace,
}

impl Router {
    pub fn new() -> Router {
        Router::default()
    }

    /// See [`route`].
    pub fn route(&mut self, layout: &Layout, picks: &[Pick], method: Method) -> Route {
        match method {
            Method::Optimal => self.optimal_route(layout, picks),
            _ => heuristic_route(layout, picks, method),
        }
    }

    /// See [`optimal_route`].
    pub fn optimal_route(&mut self, layout: &Layout, picks: &[Pick]) -> Route {
        if picks.is_empty() {
            return Route::empty();
        }
        for p in picks {
            layout.pick_point(p);
        }
        if is_exact(layout) {
            self.exact_route(layout, picks)
        } else {
            near_optimal_route(layout, picks)
        }
    }

    /// See [`exact_route`].
    pub fn exact_route(&mut self, layout: &Layout, picks: &[Pick]) -> Route {
        assert!(
            layout.cross_aisles() <= PROGRAM_CROSS_AISLES_MAX,
            "{} cross aisles is beyond the exact program",
            layout.cross_aisles()
        );
        if picks.is_empty() {
            return Route::empty();
        }
        let grid = PickGrid::new(layout, picks);
        // A good route bounds the optimum and prunes the program: on one or
        // two blocks the combined heuristic is enough; on more, where the
        // program's states multiply, it pays to improve it first.
        let combined = heuristic_route(layout, picks, Method::Combined);
        let bound_m = if layout.cross_aisles() <= 3 {
            combined.distance_m
        } else {
            improve(layout, picks, combined, 0).distance_m
        };
        let sol = exact::solve(layout, picks, &grid, bound_m, &mut self.ws);
        let route = program_route(layout, picks, &grid, &sol);
        debug_assert!(
            (route.distance_m - sol.cost_m).abs() <= 1e-6 * (1.0 + sol.cost_m),
            "sequence {} m differs from the program's {} m",
            route.distance_m,
            sol.cost_m
        );
        route
    }
}

/// Routes a pick list by `method`. For [`Method::Optimal`] the distance is
/// the sum of the shortest walks between consecutive stops; for a heuristic
/// it is the walk the heuristic prescribes.
///
/// # Panics
/// If a pick lies outside the layout: check input with [`Layout::check_picks`].
pub fn route(layout: &Layout, picks: &[Pick], method: Method) -> Route {
    Router::new().route(layout, picks, method)
}

/// Whether [`optimal_route`] is exact on this layout (one to four blocks).
pub fn is_exact(layout: &Layout) -> bool {
    layout.cross_aisles() <= EXACT_CROSS_AISLES_MAX
}

/// The shortest route: the exact program on one to four blocks; beyond, the
/// best heuristic improved by 2-opt and or-opt moves on exact distances.
pub fn optimal_route(layout: &Layout, picks: &[Pick]) -> Route {
    Router::new().optimal_route(layout, picks)
}

/// The shortest route by the exact program, whatever the router would use.
/// Beyond four blocks it takes tens of milliseconds on five blocks and
/// grows quickly after: meant for reference solutions.
///
/// # Panics
/// On more than [`PROGRAM_CROSS_AISLES_MAX`] cross aisles, or a pick outside
/// the layout.
pub fn exact_route(layout: &Layout, picks: &[Pick]) -> Route {
    Router::new().exact_route(layout, picks)
}

/// The pick sequence of the program's route and its stops' walk.
fn program_route(layout: &Layout, picks: &[Pick], grid: &PickGrid, sol: &exact::Solution) -> Route {
    let mut sequence = Vec::with_capacity(picks.len());
    tour::pick_sequence(
        sol.vertices,
        sol.depot_vertex,
        &sol.edges,
        &sol.spurs,
        grid,
        &mut sequence,
    );
    assert_eq!(
        sequence.len(),
        picks.len(),
        "the program's route visits every pick once"
    );
    let distance_m = sequence_distance_m(layout, picks, &sequence);
    Route {
        distance_m,
        sequence,
    }
}

/// Double-bridge restarts of the local search beyond four blocks, for lists
/// of up to 100 picks (fewer for longer lists): on the
/// benchmark's five-block layouts they bring the mean gap to the exact
/// program from about 2% to about 0.2%.
pub const NEAR_OPTIMAL_KICKS: usize = 64;

/// A short route where the exact program is too slow: the best heuristic,
/// improved by 2-opt and or-opt moves with double-bridge restarts.
pub fn near_optimal_route(layout: &Layout, picks: &[Pick]) -> Route {
    if picks.is_empty() {
        return Route::empty();
    }
    let best = Method::HEURISTICS
        .iter()
        .map(|&m| {
            let r = heuristic_route(layout, picks, m);
            let d = sequence_distance_m(layout, picks, &r.sequence);
            Route {
                distance_m: d,
                sequence: r.sequence,
            }
        })
        .min_by(|a, b| a.distance_m.total_cmp(&b.distance_m))
        .expect("there are heuristics");
    // Each restart costs a descent, quadratic in the picks: long lists get
    // fewer, so a 500-pick list still routes in well under a second.
    let n = picks.len().max(1);
    let kicks = NEAR_OPTIMAL_KICKS.min(NEAR_OPTIMAL_KICKS * 100 * 100 / (n * n));
    improve(layout, picks, best, kicks)
}

/// The walk from the depot through the picks in `sequence` order and back,
/// each leg a shortest walk.
pub fn sequence_distance_m(layout: &Layout, picks: &[Pick], sequence: &[usize]) -> f64 {
    let mut at = layout.depot();
    let mut total_m = 0.0;
    for &i in sequence {
        let p = layout.pick_point(&picks[i]);
        total_m += layout.walk_m(&at, &p);
        at = p;
    }
    total_m + layout.walk_m(&at, &layout.depot())
}

/// Improves any route by 2-opt and or-opt moves on exact stop-to-stop walks;
/// the result's distance is its stops' shortest walks, never more than the
/// input's stops' walks.
pub fn improve_route(layout: &Layout, picks: &[Pick], route: Route) -> Route {
    improve(layout, picks, route, 0)
}
