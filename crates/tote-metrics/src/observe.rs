//! The two traits every metric implements.

use crate::period::Day;
use crate::ratio::Sign;

/// State that can be combined: accumulators for two days, or two cuts, merged
/// equal the accumulator that observed both days' facts.
pub trait Accumulator: Default + Clone {
    fn merge(&mut self, other: &Self);
}

/// A metric that counts facts of type `F`.
pub trait Observe<F>: Accumulator {
    /// The day that places the fact in a period for this metric, or None when the
    /// metric does not count it (yet). Each metric says which time it uses.
    fn day_of(fact: &F) -> Option<Day>;

    /// Counts the fact in (`Sign::Observe`) or takes it back out (`Sign::Retract`).
    fn apply(&mut self, fact: &F, sign: Sign);

    fn observe(&mut self, fact: &F) {
        self.apply(fact, Sign::Observe);
    }

    fn retract(&mut self, fact: &F) {
        self.apply(fact, Sign::Retract);
    }
}
