//! A cube: one metric's accumulators keyed by (day, cut value).

// Keys are small integers: foldhash hashes them several times faster than
// SipHash, and replaying a year of events at boot is mostly these look-ups.
use foldhash::HashMap;

use crate::fact::Cut;
use crate::observe::{Accumulator, Observe};
use crate::period::{Day, Period};
use crate::ratio::Sign;

/// Accumulators of metric `A` per day and cut value. Facts are applied to the day
/// the metric places them in, under every cut value they carry; a query merges the
/// days of its period for one cut value, so no query rescans facts.
#[derive(Clone, Debug)]
pub struct Cube<A> {
    cells: HashMap<(Day, Cut), A>,
}

impl<A> Default for Cube<A> {
    fn default() -> Cube<A> {
        Cube {
            cells: HashMap::default(),
        }
    }
}

impl<A: Accumulator> Cube<A> {
    pub fn apply<F>(&mut self, fact: &F, cuts: impl Iterator<Item = Cut>, sign: Sign)
    where
        A: Observe<F>,
    {
        let Some(day) = A::day_of(fact) else {
            return;
        };
        for cut in cuts {
            self.cells.entry((day, cut)).or_default().apply(fact, sign);
        }
    }

    /// The metric over `period` for one cut value.
    pub fn over(&self, period: Period, cut: Cut) -> A {
        let mut total = A::default();
        for day in period.iter() {
            if let Some(cell) = self.cells.get(&(day, cut)) {
                total.merge(cell);
            }
        }
        total
    }

    /// The metric for each day of `period`: a trend chart's points.
    pub fn daily(&self, period: Period, cut: Cut) -> Vec<(Day, A)> {
        period
            .iter()
            .map(|day| {
                (
                    day,
                    self.cells.get(&(day, cut)).cloned().unwrap_or_default(),
                )
            })
            .collect()
    }

    pub fn cells(&self) -> usize {
        self.cells.len()
    }
}
