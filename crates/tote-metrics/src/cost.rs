//! Metrics of cost and labor: cost per order, units per hour.

use rust_decimal::Decimal;

use crate::fact::{CostFact, LaborFact, OrderFact, Step};
use crate::observe::{Accumulator, Observe};
use crate::period::Day;
use crate::ratio::{MoneyRatio, Sign};

/// cost per order: (labor + shipping + packaging + allocated overhead) / orders shipped
///
/// Costs by the day they were incurred, orders by the day their last shipment
/// left: both are the period's, so this is "orders shipped", not "orders placed".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CostPerOrder {
    pub labor: Decimal,
    pub shipping: Decimal,
    pub packaging: Decimal,
    pub overhead: Decimal,
    pub orders_shipped: i64,
}

impl Accumulator for CostPerOrder {
    fn merge(&mut self, other: &Self) {
        self.labor += other.labor;
        self.shipping += other.shipping;
        self.packaging += other.packaging;
        self.overhead += other.overhead;
        self.orders_shipped += other.orders_shipped;
    }
}

impl Observe<CostFact> for CostPerOrder {
    fn day_of(fact: &CostFact) -> Option<Day> {
        Some(Day::of(fact.at))
    }

    fn apply(&mut self, fact: &CostFact, sign: Sign) {
        self.labor += sign.money(fact.labor);
        self.shipping += sign.money(fact.shipping);
        self.packaging += sign.money(fact.packaging);
        self.overhead += sign.money(fact.overhead);
    }
}

impl Observe<OrderFact> for CostPerOrder {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        fact.shipped_at.map(Day::of)
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if fact.shipped_at.is_some() && fact.units_shipped > 0 {
            self.orders_shipped += sign.count();
        }
    }
}

impl CostPerOrder {
    /// Total cost over orders shipped; the parts stay in `self` for the breakdown.
    pub fn value(&self) -> MoneyRatio {
        MoneyRatio {
            numerator: self.labor + self.shipping + self.packaging + self.overhead,
            denominator: Decimal::from(self.orders_shipped),
        }
    }
}

/// units per hour: units processed in a step (receive, put away, pick, pack) / labor hours in that step
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitsPerHour {
    /// Units and hours per step, in the order of `Step::ALL`.
    pub steps: [(i64, Decimal); Step::ALL.len()],
}

impl Accumulator for UnitsPerHour {
    fn merge(&mut self, other: &Self) {
        for (mine, theirs) in self.steps.iter_mut().zip(&other.steps) {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
    }
}

impl Observe<LaborFact> for UnitsPerHour {
    fn day_of(fact: &LaborFact) -> Option<Day> {
        Some(Day::of(fact.at))
    }

    fn apply(&mut self, fact: &LaborFact, sign: Sign) {
        let step = &mut self.steps[fact.step as usize];
        step.0 += sign.count() * fact.units;
        step.1 += sign.money(fact.hours);
    }
}

impl UnitsPerHour {
    /// Units over hours in `step`.
    pub fn value(&self, step: Step) -> MoneyRatio {
        let (units, hours) = self.steps[step as usize];
        MoneyRatio {
            numerator: Decimal::from(units),
            denominator: hours,
        }
    }
}

/// Throughput by hour and step: units processed in each UTC hour of the day, per
/// step, for the dashboard's throughput chart. Labor facts are placed in the hour
/// of their `at`, so a task's units count in the hour it was completed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HourlyThroughput {
    /// Units per step (in the order of `Step::ALL`) per hour of the day.
    pub units: [[i64; 24]; Step::ALL.len()],
}

impl Default for HourlyThroughput {
    fn default() -> HourlyThroughput {
        HourlyThroughput {
            units: [[0; 24]; Step::ALL.len()],
        }
    }
}

impl Accumulator for HourlyThroughput {
    fn merge(&mut self, other: &Self) {
        for (mine, theirs) in self.units.iter_mut().zip(&other.units) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
    }
}

impl Observe<LaborFact> for HourlyThroughput {
    fn day_of(fact: &LaborFact) -> Option<Day> {
        Some(Day::of(fact.at))
    }

    fn apply(&mut self, fact: &LaborFact, sign: Sign) {
        const HOUR_US: i64 = 3_600_000_000;
        let hour = (fact.at.0.rem_euclid(24 * HOUR_US) / HOUR_US) as usize;
        self.units[fact.step as usize][hour] += sign.count() * fact.units;
    }
}

impl HourlyThroughput {
    /// Units of `step` per hour of the day, 0 to 23 UTC.
    pub fn value(&self, step: Step) -> [i64; 24] {
        self.units[step as usize]
    }
}
