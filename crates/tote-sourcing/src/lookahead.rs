//! Look-ahead dual prices (Acimovic and Graves 2015): the opportunity cost of
//! a unit at a node, from a transportation LP over the demand still to come.
//!
//! For one SKU, nodes `j` hold `supply[j]` units and destinations `m` will want
//! `demand[m]` (a forecast); shipping a unit costs `cost[j][m]`, and a unit not
//! served costs `lost_cents`. The primal is
//! `min sum c x + P u  s.t.  sum_m x[j][m] <= S[j],  sum_j x[j][m] + u[m] = D[m]`.
//! Its dual, solved here directly so any LP solver serves, is
//! `max sum_m D[m] b[m] - sum_j S[j] a[j]  s.t.  b[m] - a[j] <= c[j][m],  b[m] <= P,  a >= 0`.
//! `a[j]` is what one more unit at node `j` would save future demand: the
//! price a myopic decision should add to every unit it takes from `j`.

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, constraint, microlp, variable};

/// Nodes and destinations one dual LP may hold (a SKU's network).
pub const DUAL_LP_CELLS_MAX: usize = 1_000_000;

#[derive(Debug, PartialEq)]
pub enum LookAheadError {
    TooLarge { cells: usize },
    Solver(String),
}

/// The dual price of a unit at each node, in cents (0 where a unit is not scarce).
pub fn dual_prices(
    supply: &[i64],
    demand: &[f64],
    cost: &[Vec<i64>],
    lost_cents: i64,
) -> Result<Vec<i64>, LookAheadError> {
    let (nodes, dests) = (supply.len(), demand.len());
    assert_eq!(cost.len(), nodes, "a cost row per node");
    let cells = nodes * dests;
    if cells > DUAL_LP_CELLS_MAX {
        return Err(LookAheadError::TooLarge { cells });
    }
    // Dollars keep the solver's numbers near 1.
    let lost = lost_cents as f64 / 100.0;
    let mut vars = ProblemVariables::new();
    let a: Vec<_> = (0..nodes)
        .map(|_| vars.add(variable().min(0.0).max(lost)))
        .collect();
    let b: Vec<_> = (0..dests)
        .map(|_| vars.add(variable().min(0.0).max(lost)))
        .collect();
    let mut objective = Expression::from(0.0);
    for (m, &d) in demand.iter().enumerate() {
        objective += d * b[m];
    }
    for (j, &s) in supply.iter().enumerate() {
        objective -= s.max(0) as f64 * a[j];
    }
    let mut p = vars.maximise(objective).using(microlp);
    for j in 0..nodes {
        assert_eq!(cost[j].len(), dests, "a cost per destination");
        for m in 0..dests {
            if demand[m] > 0.0 {
                p.add_constraint(constraint!(b[m] - a[j] <= cost[j][m] as f64 / 100.0));
            }
        }
    }
    let sol = p
        .solve()
        .map_err(|e| LookAheadError::Solver(e.to_string()))?;
    Ok(a.iter()
        .map(|&v| (sol.value(v) * 100.0).round() as i64)
        .collect())
}

/// Forecast demand per destination for the next `horizon_days`: each
/// destination's rate over the last `window_days` (units ordered / days),
/// times the horizon; scaled down to `supply_total` when short, so the LP
/// plans to serve every destination its share rather than choosing which
/// ones go without.
pub fn forecast_demand(
    units_in_window: &[i64],
    window_days: u32,
    horizon_days: u32,
    supply_total: i64,
) -> Vec<f64> {
    let days = f64::from(window_days.max(1));
    let mut demand: Vec<f64> = units_in_window
        .iter()
        .map(|&u| u.max(0) as f64 / days * f64::from(horizon_days))
        .collect();
    let (have, want) = (supply_total.max(0) as f64, demand.iter().sum::<f64>());
    if want > have && want > 0.0 {
        demand.iter_mut().for_each(|d| *d *= have / want);
    }
    demand
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_demand_is_the_window_rate_over_the_horizon_scaled_to_short_supply() {
        assert_eq!(forecast_demand(&[28, 56], 28, 7, 1_000), vec![7.0, 14.0]);
        // 21 wanted, 7 in stock: each destination gets a third.
        let d = forecast_demand(&[28, 56], 28, 7, 7);
        assert!((d[0] - 7.0 / 3.0).abs() < 1e-9 && (d[1] - 14.0 / 3.0).abs() < 1e-9);
        assert_eq!(forecast_demand(&[0], 28, 7, 0), vec![0.0]);
    }

    #[test]
    fn a_node_whose_units_all_go_to_near_demand_has_a_price_and_a_spare_node_none() {
        // Node 0 is near destination 0 (cost 1.00) and far from 1 (5.00);
        // node 1 is near 1 (1.00) and has plenty. Destination 0 wants 10, node 0
        // holds 10: a unit taken from node 0 for elsewhere would have to be
        // replaced from node 1 at 5.00 instead of 1.00, so it is worth 4.00.
        let cost = vec![vec![100, 500], vec![500, 100]];
        let a = dual_prices(&[10, 100], &[10.0, 10.0], &cost, 10_000).expect("solves");
        assert_eq!(a, vec![400, 0]);
    }

    #[test]
    fn no_scarcity_means_no_prices() {
        let cost = vec![vec![100, 500], vec![500, 100]];
        let a = dual_prices(&[100, 100], &[10.0, 10.0], &cost, 10_000).expect("solves");
        assert_eq!(a, vec![0, 0]);
    }
}
