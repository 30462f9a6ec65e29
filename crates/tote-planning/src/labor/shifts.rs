//! Choosing shift patterns at least labor cost: an integer covering program.
//! Periods (days of a week, or hours of a day up to a carrier cut-off) each
//! need a number of heads; a pattern (say "Monday to Friday", or "06:00 to
//! 14:30") covers some periods at a cost per head. Minimise the cost of the
//! heads assigned to patterns so every period is covered. Solved with
//! good_lp's pure-Rust MILP solver (branch and bound over the simplex).

use good_lp::{Expression, Solution, SolverModel, constraint, microlp, variable, variables};

/// The bound on patterns in one program, so a generated pattern set cannot
/// make the branch and bound run away.
pub const PATTERNS_MAX: usize = 500;

/// A shift pattern: the periods it works and its cost per head.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftPattern {
    pub name: String,
    pub covers: Vec<usize>,
    pub cost_per_head: f64,
}

/// How many heads to put on each pattern, and what that costs and covers.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftPlan {
    pub heads: Vec<u32>,
    pub cost: f64,
    pub coverage: Vec<u32>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ShiftPlanError {
    #[error("period {period} needs {required} heads but no pattern covers it")]
    Uncovered { period: usize, required: u32 },
    #[error("pattern `{name}`: period {period} is outside the {periods} periods")]
    PeriodOutOfRange {
        name: String,
        period: usize,
        periods: usize,
    },
    #[error("{count} patterns, more than {PATTERNS_MAX}")]
    TooManyPatterns { count: usize },
    #[error("solver: {0}")]
    Solver(String),
}

/// The least-cost integer assignment of heads to patterns covering every
/// period's requirement.
pub fn plan_shifts(
    required: &[u32],
    patterns: &[ShiftPattern],
) -> Result<ShiftPlan, ShiftPlanError> {
    if patterns.len() > PATTERNS_MAX {
        return Err(ShiftPlanError::TooManyPatterns {
            count: patterns.len(),
        });
    }
    for p in patterns {
        if let Some(&period) = p.covers.iter().find(|&&c| c >= required.len()) {
            return Err(ShiftPlanError::PeriodOutOfRange {
                name: p.name.clone(),
                period,
                periods: required.len(),
            });
        }
    }
    for (period, &need) in required.iter().enumerate() {
        if need > 0 && !patterns.iter().any(|p| p.covers.contains(&period)) {
            return Err(ShiftPlanError::Uncovered {
                period,
                required: need,
            });
        }
    }
    let mut vars = variables!();
    let x: Vec<_> = patterns
        .iter()
        .map(|_| vars.add(variable().integer().min(0)))
        .collect();
    let cost: Expression = patterns
        .iter()
        .zip(&x)
        .map(|(p, &v)| p.cost_per_head * v)
        .sum();
    let mut model = vars.minimise(cost).using(microlp);
    for (period, &need) in required.iter().enumerate() {
        let covering: Expression = patterns
            .iter()
            .zip(&x)
            .filter(|(p, _)| p.covers.contains(&period))
            .map(|(_, &v)| Expression::from(v))
            .sum();
        model = model.with(constraint!(covering >= f64::from(need)));
    }
    let solution = model
        .solve()
        .map_err(|e| ShiftPlanError::Solver(e.to_string()))?;
    let heads: Vec<u32> = x
        .iter()
        .map(|&v| solution.value(v).round().max(0.0) as u32)
        .collect();
    let mut coverage = vec![0u32; required.len()];
    for (p, &h) in patterns.iter().zip(&heads) {
        for &c in &p.covers {
            coverage[c] += h;
        }
    }
    for (period, (&have, &need)) in coverage.iter().zip(required).enumerate() {
        assert!(
            have >= need,
            "period {period}: plan covers {have} of {need}"
        );
    }
    let cost = patterns
        .iter()
        .zip(&heads)
        .map(|(p, &h)| p.cost_per_head * f64::from(h))
        .sum();
    Ok(ShiftPlan {
        heads,
        cost,
        coverage,
    })
}

/// The seven "five consecutive days on, two off" patterns of a week
/// (day 0 = Monday), each costing `cost_per_head`.
pub fn five_on_two_off(cost_per_head: f64) -> Vec<ShiftPattern> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    (0..7)
        .map(|start| ShiftPattern {
            name: format!("{}-{}", DAYS[start], DAYS[(start + 4) % 7]),
            covers: (0..5).map(|d| (start + d) % 7).collect(),
            cost_per_head,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_no_pattern_covers_is_reported() {
        let patterns = vec![ShiftPattern {
            name: "early".into(),
            covers: vec![0],
            cost_per_head: 1.0,
        }];
        assert_eq!(
            plan_shifts(&[1, 2], &patterns),
            Err(ShiftPlanError::Uncovered {
                period: 1,
                required: 2
            })
        );
    }
}
