//! Batch re-sourcing: choose one plan for each of many orders at once.
//!
//! Each order brings a few candidate plans (the first is what it holds now),
//! each with its cost, its backordered units and the units it takes per
//! (node, SKU). Stock free per (node, SKU) counts what the orders themselves
//! hold, and an optional order capacity per node counts their current plans
//! as not using it. The model is
//! `min sum_o sum_p x[o][p] (cost[o][p] + P back[o][p])` subject to
//! `sum_p x[o][p] = 1` per order, `sum x[o][p] units[o][p][n,s] <= free[n,s]`
//! and `sum x[o][p] [p uses n] <= capacity[n]`, `x` binary; it is solved as a
//! MIP within a time limit. Above `vars_max` variables, or when the solver
//! fails, the answer is the greedy one (orders in the given order, each taking
//! its best plan that still fits) and says so; when the time runs out, the
//! better of the solver's best so far and the greedy answer, marked inexact.

use std::collections::BTreeMap;
use std::time::Instant;

use good_lp::{
    Expression, ProblemVariables, Solution, SolutionStatus, SolverModel, Variable, WithTimeLimit,
    constraint, microlp, variable,
};

/// Binary variables one batch MIP may hold before falling back to greedy.
pub const BATCH_VARS_MAX: usize = 20_000;
/// Seconds the solver may search before the best answer so far is taken.
pub const BATCH_TIME_LIMIT_S: f64 = 5.0;
/// The cost of leaving one unit backordered, in cents: filling a unit always
/// beats any shipping saving.
pub const BACKORDER_PENALTY_CENTS: i64 = 1_000_000;

/// One way to source one order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan<N, S> {
    pub cost_cents: i64,
    pub backordered: i64,
    /// Units taken per (node, SKU); a node appears when it ships anything.
    pub units: Vec<(N, S, i64)>,
}

impl<N: Ord + Clone, S: Ord + Clone> Plan<N, S> {
    fn nodes(&self) -> Vec<N> {
        let mut v: Vec<N> = self
            .units
            .iter()
            .filter(|u| u.2 > 0)
            .map(|u| u.0.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

#[derive(Clone, Debug)]
pub struct BatchInput<N, S> {
    /// Per order its candidate plans; the first is the order's current plan.
    pub orders: Vec<Vec<Plan<N, S>>>,
    /// Units free per (node, SKU), including what the orders hold now.
    pub free: BTreeMap<(N, S), i64>,
    /// Orders each node may still take (absent: no limit), counting the
    /// orders' current plans as not using it.
    pub capacity: BTreeMap<N, i64>,
    /// Per order, how many times the penalty each of its backordered units
    /// costs (absent: 1), so a channel of higher priority is filled first.
    pub weights: Vec<i64>,
    pub vars_max: usize,
    pub time_limit_s: f64,
}

impl<N, S> BatchInput<N, S> {
    /// Plan `p` of order `o`: its cost plus its weighted backorder penalty.
    fn score(&self, o: usize, p: usize) -> i64 {
        let plan = &self.orders[o][p];
        let weight = self.weights.get(o).copied().unwrap_or(1);
        plan.cost_cents + BACKORDER_PENALTY_CENTS * weight * plan.backordered
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchOutcome {
    /// The chosen plan's index per order.
    pub choice: Vec<usize>,
    pub cost_cents: i64,
    pub backordered: i64,
    /// The MIP's optimum (false: the greedy fallback).
    pub exact: bool,
    pub solver_ms: u64,
    /// Why the answer is not exact (empty when it is).
    pub note: String,
}

/// One plan per order, minimising cost plus the backorder penalty.
pub fn optimise<N: Ord + Clone, S: Ord + Clone>(input: &BatchInput<N, S>) -> BatchOutcome {
    let started = Instant::now();
    let vars: usize = input.orders.iter().map(Vec::len).sum();
    let (choice, exact, note) = if vars > input.vars_max {
        (
            greedy(input),
            false,
            format!("{vars} plans exceed {}: greedy", input.vars_max),
        )
    } else {
        match mip(input) {
            Ok((c, true)) if fits(input, &c) => (c, true, String::new()),
            Ok((c, false)) if fits(input, &c) => {
                let g = greedy(input);
                let score = |choice: &[usize]| -> i64 {
                    choice
                        .iter()
                        .enumerate()
                        .map(|(o, &p)| input.score(o, p))
                        .sum()
                };
                let best = if score(&g) < score(&c) { g } else { c };
                (best, false, "time limit: best plans found so far".into())
            }
            Ok(_) => (
                greedy(input),
                false,
                "solver answer broke a limit: greedy".into(),
            ),
            Err(e) => (greedy(input), false, format!("solver failed ({e}): greedy")),
        }
    };
    let solver_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let plans = || input.orders.iter().zip(&choice).map(|(o, &c)| &o[c]);
    BatchOutcome {
        cost_cents: plans().map(|p| p.cost_cents).sum(),
        backordered: plans().map(|p| p.backordered).sum(),
        choice,
        exact,
        solver_ms,
        note,
    }
}

/// The chosen plans and whether they are proven optimal.
fn mip<N: Ord + Clone, S: Ord + Clone>(
    input: &BatchInput<N, S>,
) -> Result<(Vec<usize>, bool), String> {
    if input.orders.iter().all(|o| o.len() <= 1) {
        return Ok((vec![0; input.orders.len()], true));
    }
    let mut vars = ProblemVariables::new();
    let x: Vec<Vec<Variable>> = input
        .orders
        .iter()
        .map(|o| o.iter().map(|_| vars.add(variable().binary())).collect())
        .collect();
    let mut objective = Expression::from(0.0);
    for (o, row) in x.iter().enumerate() {
        for (p, &v) in row.iter().enumerate() {
            // Dollars keep the solver's numbers near 1.
            objective += (input.score(o, p) as f64 / 100.0) * v;
        }
    }
    let mut problem = vars
        .minimise(objective)
        .using(microlp)
        .with_time_limit(input.time_limit_s);
    let mut stock: BTreeMap<(N, S), Expression> = BTreeMap::new();
    let mut stock_max: BTreeMap<(N, S), i64> = BTreeMap::new();
    let mut orders_at: BTreeMap<N, Expression> = BTreeMap::new();
    for (o, plans) in input.orders.iter().enumerate() {
        let one: Expression = x[o].iter().copied().sum();
        problem.add_constraint(constraint!(one == 1.0));
        let mut most: BTreeMap<(N, S), i64> = BTreeMap::new();
        for (p, plan) in plans.iter().enumerate() {
            let mut units: BTreeMap<(N, S), i64> = BTreeMap::new();
            for (n, s, q) in &plan.units {
                *units.entry((n.clone(), s.clone())).or_default() += q;
            }
            for (key, q) in units {
                *stock.entry(key.clone()).or_default() += (q as f64) * x[o][p];
                let m = most.entry(key).or_default();
                *m = (*m).max(q);
            }
            for n in plan.nodes() {
                if input.capacity.contains_key(&n) {
                    *orders_at.entry(n).or_default() += x[o][p];
                }
            }
        }
        for (k, q) in most {
            *stock_max.entry(k).or_default() += q;
        }
    }
    // Only cells the orders could overfill need a row.
    for (key, used) in stock {
        let free = input.free.get(&key).copied().unwrap_or(0);
        if stock_max.get(&key).copied().unwrap_or(0) > free {
            problem.add_constraint(constraint!(used <= free as f64));
        }
    }
    for (n, used) in orders_at {
        let cap = input.capacity[&n] as f64;
        problem.add_constraint(constraint!(used <= cap));
    }
    let sol = problem.solve().map_err(|e| e.to_string())?;
    let optimal = matches!(sol.status(), SolutionStatus::Optimal);
    let choice = x
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .max_by(|a, b| sol.value(*a.1).total_cmp(&sol.value(*b.1)))
                .map_or(0, |(p, _)| p)
        })
        .collect();
    Ok((choice, optimal))
}

/// Whether the chosen plans fit the stock and capacity.
fn fits<N: Ord + Clone, S: Ord + Clone>(input: &BatchInput<N, S>, choice: &[usize]) -> bool {
    let mut left = Left::new(input);
    input
        .orders
        .iter()
        .zip(choice)
        .all(|(o, &c)| left.take(&o[c], 1) && left.ok())
}

/// Stock and capacity left while plans are taken and given back.
struct Left<N, S> {
    stock: BTreeMap<(N, S), i64>,
    capacity: BTreeMap<N, i64>,
}

impl<N: Ord + Clone, S: Ord + Clone> Left<N, S> {
    fn new(input: &BatchInput<N, S>) -> Self {
        Left {
            stock: input.free.clone(),
            capacity: input.capacity.clone(),
        }
    }

    /// Takes (`sign` 1) or gives back (-1) a plan; true when it fitted.
    fn take(&mut self, plan: &Plan<N, S>, sign: i64) -> bool {
        let mut ok = true;
        for (n, s, q) in &plan.units {
            let left = self.stock.entry((n.clone(), s.clone())).or_default();
            *left -= sign * q;
            ok &= *left >= 0;
        }
        for n in plan.nodes() {
            if let Some(c) = self.capacity.get_mut(&n) {
                *c -= sign;
                ok &= *c >= 0;
            }
        }
        ok
    }

    fn ok(&self) -> bool {
        self.stock.values().all(|&q| q >= 0) && self.capacity.values().all(|&c| c >= 0)
    }
}

/// First come: every order holds its current plan, then each in turn gives
/// it back and takes its best plan that fits what is left.
fn greedy<N: Ord + Clone, S: Ord + Clone>(input: &BatchInput<N, S>) -> Vec<usize> {
    let mut left = Left::new(input);
    for o in &input.orders {
        if let Some(p) = o.first() {
            left.take(p, 1);
        }
    }
    input
        .orders
        .iter()
        .enumerate()
        .map(|(o, plans)| {
            let Some(current) = plans.first() else {
                return 0;
            };
            left.take(current, -1);
            let mut order: Vec<usize> = (0..plans.len()).collect();
            order.sort_by_key(|&p| (input.score(o, p), p));
            for p in order {
                let mut trial = Left {
                    stock: left.stock.clone(),
                    capacity: left.capacity.clone(),
                };
                if trial.take(&plans[p], 1) {
                    left = trial;
                    return p;
                }
            }
            left.take(current, 1);
            0
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(
        cost_cents: i64,
        backordered: i64,
        units: &[(&'static str, i64)],
    ) -> Plan<&'static str, u8> {
        Plan {
            cost_cents,
            backordered,
            units: units.iter().map(|&(n, q)| (n, 1, q)).collect(),
        }
    }

    fn input(
        orders: Vec<Vec<Plan<&'static str, u8>>>,
        free: &[(&'static str, i64)],
        capacity: &[(&'static str, i64)],
    ) -> BatchInput<&'static str, u8> {
        BatchInput {
            orders,
            free: free.iter().map(|&(n, q)| ((n, 1), q)).collect(),
            capacity: capacity.iter().copied().collect(),
            weights: Vec::new(),
            vars_max: BATCH_VARS_MAX,
            time_limit_s: BATCH_TIME_LIMIT_S,
        }
    }

    /// Two orders at the far node FAR; one unit at NEAR. A saves 4.00 there,
    /// B saves 9.00: first come gives it to A (20.00 in all), jointly B gets
    /// it (15.00).
    fn contested() -> BatchInput<&'static str, u8> {
        input(
            vec![
                vec![plan(900, 0, &[("FAR", 1)]), plan(500, 0, &[("NEAR", 1)])],
                vec![plan(1500, 0, &[("FAR", 1)]), plan(600, 0, &[("NEAR", 1)])],
            ],
            &[("FAR", 5), ("NEAR", 1)],
            &[],
        )
    }

    #[test]
    fn a_contested_unit_goes_to_the_order_that_saves_most_jointly() {
        let i = contested();
        assert_eq!(greedy(&i), vec![1, 0]);
        let out = optimise(&i);
        assert!(out.exact, "{out:?}");
        assert_eq!(out.choice, vec![0, 1]);
        assert_eq!(out.cost_cents, 1500);
        assert_eq!(out.backordered, 0);
    }

    #[test]
    fn a_node_at_its_order_capacity_takes_only_the_best_order() {
        // Plenty of stock at NEAR but room for one more order there.
        let mut i = contested();
        i.free.insert(("NEAR", 1), 10);
        i.capacity.insert("NEAR", 1);
        let out = optimise(&i);
        assert!(out.exact);
        assert_eq!(out.choice, vec![0, 1]);
        i.capacity.insert("NEAR", 2);
        assert_eq!(optimise(&i).choice, vec![1, 1]);
    }

    #[test]
    fn filling_a_unit_beats_any_saving() {
        // A is backordered; its only fill is the unit B could use to save.
        let i = input(
            vec![
                vec![plan(0, 1, &[]), plan(2000, 0, &[("NEAR", 1)])],
                vec![plan(1500, 0, &[("FAR", 1)]), plan(100, 0, &[("NEAR", 1)])],
            ],
            &[("FAR", 1), ("NEAR", 1)],
            &[],
        );
        let out = optimise(&i);
        assert_eq!((out.choice, out.backordered), (vec![1, 0], 0));
    }

    #[test]
    fn a_scarce_unit_fills_the_order_of_the_higher_priority_channel() {
        // Both backordered; one unit, cheaper for the first order.
        let mut i = input(
            vec![
                vec![plan(0, 1, &[]), plan(500, 0, &[("NEAR", 1)])],
                vec![plan(0, 1, &[]), plan(900, 0, &[("NEAR", 1)])],
            ],
            &[("NEAR", 1)],
            &[],
        );
        assert_eq!(optimise(&i).choice, vec![1, 0]);
        i.weights = vec![1, 2];
        assert_eq!(optimise(&i).choice, vec![0, 1]);
        assert_eq!(
            greedy(&i),
            vec![1, 0],
            "first come takes the order as given"
        );
    }

    #[test]
    fn orders_already_at_their_best_plans_move_nothing() {
        let i = input(
            vec![
                vec![plan(500, 0, &[("NEAR", 1)]), plan(900, 0, &[("FAR", 1)])],
                vec![plan(600, 0, &[("NEAR", 1)]), plan(1500, 0, &[("FAR", 1)])],
                vec![plan(700, 0, &[("FAR", 2)])],
            ],
            &[("FAR", 9), ("NEAR", 2)],
            &[],
        );
        let out = optimise(&i);
        assert!(out.exact);
        assert_eq!(out.choice, vec![0, 0, 0]);
        assert_eq!(out.cost_cents, 1800);
    }

    #[test]
    fn too_many_plans_fall_back_to_first_come_and_say_so() {
        let mut i = contested();
        i.vars_max = 3;
        let out = optimise(&i);
        assert!(!out.exact);
        assert!(out.note.contains("greedy"), "{}", out.note);
        assert_eq!(out.choice, vec![1, 0]);
        assert_eq!(out.cost_cents, 2000);
    }

    #[test]
    fn greedy_keeps_the_current_plan_when_nothing_else_fits() {
        // B's only other plan needs the unit A holds and keeps.
        let i = input(
            vec![
                vec![plan(500, 0, &[("NEAR", 1)])],
                vec![plan(1500, 0, &[("FAR", 1)]), plan(100, 0, &[("NEAR", 1)])],
            ],
            &[("FAR", 1), ("NEAR", 1)],
            &[],
        );
        assert_eq!(greedy(&i), vec![0, 0]);
        assert_eq!(optimise(&i).choice, vec![0, 0]);
    }

    fn score(i: &BatchInput<u8, u8>, choice: &[usize]) -> i64 {
        choice.iter().enumerate().map(|(o, &p)| i.score(o, p)).sum()
    }

    /// Orders each holding one plan at a node, with other plans at other
    /// nodes; free stock covers every current plan.
    fn random_batch() -> impl proptest::strategy::Strategy<Value = BatchInput<u8, u8>> {
        use proptest::prelude::*;
        let plan = (
            0i64..3000,
            0i64..2,
            proptest::collection::vec((0u8..4, 0u8..2, 1i64..3), 0..3),
        )
            .prop_map(|(cost_cents, backordered, units)| Plan {
                cost_cents,
                backordered,
                units,
            });
        let order = proptest::collection::vec(plan, 1..4);
        (
            proptest::collection::vec(order, 1..7),
            proptest::collection::vec(0i64..4, 8),
            proptest::collection::vec(0i64..4, 4),
            any::<bool>(),
        )
            .prop_map(|(orders, extra, cap, capped)| {
                let mut free: BTreeMap<(u8, u8), i64> = BTreeMap::new();
                let mut capacity: BTreeMap<u8, i64> = BTreeMap::new();
                for o in &orders {
                    for &(n, s, q) in &o[0].units {
                        *free.entry((n, s)).or_default() += q;
                    }
                    for n in o[0].nodes() {
                        *capacity.entry(n).or_default() += 1;
                    }
                }
                for (i, e) in extra.iter().enumerate() {
                    *free.entry(((i / 2) as u8, (i % 2) as u8)).or_default() += e;
                }
                for (n, c) in cap.iter().enumerate() {
                    *capacity.entry(n as u8).or_default() += c;
                }
                BatchInput {
                    orders,
                    free,
                    capacity: if capped { capacity } else { BTreeMap::new() },
                    weights: Vec::new(),
                    vars_max: BATCH_VARS_MAX,
                    time_limit_s: BATCH_TIME_LIMIT_S,
                }
            })
    }

    proptest::proptest! {
        #[test]
        fn the_batch_answer_fits_and_is_never_worse_than_first_come_or_staying(i in random_batch()) {
            let out = optimise(&i);
            proptest::prop_assert!(out.exact, "{}", out.note);
            proptest::prop_assert!(fits(&i, &out.choice));
            proptest::prop_assert!(fits(&i, &greedy(&i)));
            proptest::prop_assert!(score(&i, &out.choice) <= score(&i, &greedy(&i)));
            proptest::prop_assert!(score(&i, &out.choice) <= score(&i, &vec![0; i.orders.len()]));
        }
    }

    #[test]
    fn five_hundred_orders_with_eight_plans_each_solve_exactly() {
        // 500 orders at FAR; 8 near nodes with 40 units each: 4,000 binaries.
        let orders: Vec<Vec<Plan<u8, u8>>> = (0..500i64)
            .map(|o| {
                std::iter::once(Plan {
                    cost_cents: 2000,
                    backordered: 0,
                    units: vec![(0, 0, 1)],
                })
                .chain((1..8u8).map(|n| Plan {
                    cost_cents: 500 + (o * 37 + i64::from(n) * 101) % 900,
                    backordered: 0,
                    units: vec![(n, 0, 1)],
                }))
                .collect()
            })
            .collect();
        let mut free: BTreeMap<(u8, u8), i64> = (1..8u8).map(|n| ((n, 0), 40)).collect();
        free.insert((0, 0), 500);
        let i = BatchInput {
            orders,
            free,
            capacity: BTreeMap::new(),
            weights: Vec::new(),
            vars_max: BATCH_VARS_MAX,
            time_limit_s: BATCH_TIME_LIMIT_S,
        };
        let out = optimise(&i);
        eprintln!(
            "500 orders x 8 plans: {} ms, exact {}",
            out.solver_ms, out.exact
        );
        assert!(fits(&i, &out.choice));
        assert!(score(&i, &out.choice) <= score(&i, &greedy(&i)));
        assert_eq!(out.choice.iter().filter(|&&c| c > 0).count(), 280);
    }
}
