//! Metrics of returns: rate, time back to sale, value recovered.

use crate::durations::{DurationSketch, Durations};
use crate::fact::{OrderFact, ReturnFact};
use crate::observe::{Accumulator, Observe};
use crate::period::Day;
use crate::ratio::{CountRatio, MoneyRatio, Sign};

/// return rate: units returned / units shipped (by ship period)
///
/// Both counted in the day the units shipped: an order's units on the day its
/// last shipment left, returned units on the `shipped_at` their return names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReturnRate(pub CountRatio);

impl Accumulator for ReturnRate {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<OrderFact> for ReturnRate {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        fact.shipped_at.map(Day::of)
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if fact.shipped_at.is_some() {
            self.0.add(0, sign.count() * fact.units_shipped);
        }
    }
}

impl Observe<ReturnFact> for ReturnRate {
    fn day_of(fact: &ReturnFact) -> Option<Day> {
        Some(Day::of(fact.shipped_at))
    }

    fn apply(&mut self, fact: &ReturnFact, sign: Sign) {
        self.0.add(sign.count() * fact.units, 0);
    }
}

impl ReturnRate {
    pub fn value(&self) -> CountRatio {
        self.0
    }
}

/// return-to-sell time: return received to units available for sale again
///
/// Returns received in the period whose units are available again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReturnToSell(pub DurationSketch);

impl Accumulator for ReturnToSell {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<ReturnFact> for ReturnToSell {
    fn day_of(fact: &ReturnFact) -> Option<Day> {
        Some(Day::of(fact.received_at))
    }

    fn apply(&mut self, fact: &ReturnFact, sign: Sign) {
        if let Some(available_at) = fact.available_again_at {
            self.0.apply(available_at.0 - fact.received_at.0, sign);
        }
    }
}

impl ReturnToSell {
    pub fn value(&self) -> Durations {
        self.0.value()
    }
}

/// recovery rate: value recovered from returns (restock value + resale) / value of returned units
///
/// Returns received in the period whose disposition is made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecoveryRate(pub MoneyRatio);

impl Accumulator for RecoveryRate {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<ReturnFact> for RecoveryRate {
    fn day_of(fact: &ReturnFact) -> Option<Day> {
        Some(Day::of(fact.received_at))
    }

    fn apply(&mut self, fact: &ReturnFact, sign: Sign) {
        if let Some(recovered) = fact.recovered_value {
            self.0.numerator += sign.money(recovered);
            self.0.denominator += sign.money(fact.value);
        }
    }
}

impl RecoveryRate {
    pub fn value(&self) -> MoneyRatio {
        self.0
    }
}
