//! Metrics of orders: fill rates, OTIF, cycle and click-to-door times, accuracy.
//! "Orders" means orders placed in the period unless said, so these count an order
//! in the day it was placed, except OTIF (the day it is due for delivery).

use crate::durations::{DurationSketch, Durations};
use crate::fact::{Cancellation, OrderFact, OrderLineFact};
use crate::observe::{Accumulator, Observe};
use crate::period::Day;
use crate::ratio::{CountRatio, Sign};

/// unit fill rate: units shipped from stock on the first attempt / units ordered
///
/// Orders placed in the period; a customer's cancellation withdraws its units, an
/// operational one keeps them in the denominator (they were not filled).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitFillRate(pub CountRatio);

impl Accumulator for UnitFillRate {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<OrderFact> for UnitFillRate {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        Some(Day::of(fact.placed_at))
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if fact.is_customer_cancelled() {
            return;
        }
        let s = sign.count();
        self.0
            .add(s * fact.units_shipped_first_attempt, s * fact.units_ordered);
    }
}

impl Observe<OrderLineFact> for UnitFillRate {
    fn day_of(fact: &OrderLineFact) -> Option<Day> {
        Some(Day::of(fact.placed_at))
    }

    fn apply(&mut self, fact: &OrderLineFact, sign: Sign) {
        if fact.cancelled == Some(Cancellation::ByCustomer) {
            return;
        }
        let s = sign.count();
        self.0
            .add(s * fact.units_shipped_first_attempt, s * fact.units_ordered);
    }
}

impl UnitFillRate {
    pub fn value(&self) -> CountRatio {
        self.0
    }
}

/// order fill rate: orders shipped complete in one go / orders shipped
///
/// Orders placed in the period that have shipped (nothing more to ship).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderFillRate(pub CountRatio);

impl Accumulator for OrderFillRate {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<OrderFact> for OrderFillRate {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        Some(Day::of(fact.placed_at))
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if !fact.has_shipped() {
            return;
        }
        let s = sign.count();
        self.0
            .add(s * i64::from(fact.shipped_complete_in_one_go), s);
    }
}

impl OrderFillRate {
    pub fn value(&self) -> CountRatio {
        self.0
    }
}

/// OTIF: orders delivered complete and by their deliver-by date / orders due for delivery in the period
///
/// Counted in the day of the deliver-by date, once the order is delivered or its
/// deliver-by has passed (`as_of`), so a period's figure is final when its last
/// deliver-by has passed. An operational cancellation is a miss; a customer's is
/// not due at all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Otif(pub CountRatio);

impl Accumulator for Otif {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<OrderFact> for Otif {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        Some(Day::of(fact.deliver_by))
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if fact.is_customer_cancelled() {
            return;
        }
        let due_passed = fact.as_of > fact.deliver_by;
        if fact.delivered_at.is_none() && !due_passed {
            return;
        }
        let complete = fact.units_delivered >= fact.units_ordered && fact.cancelled.is_none();
        let in_time = fact.delivered_at.is_some_and(|at| at <= fact.deliver_by);
        let s = sign.count();
        self.0.add(s * i64::from(complete && in_time), s);
    }
}

impl Otif {
    pub fn value(&self) -> CountRatio {
        self.0
    }
}

/// order cycle time: placed to shipped, median and 90th percentile
///
/// Orders placed in the period that have shipped; "shipped" is when the last
/// shipment left.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderCycleTime(pub DurationSketch);

impl Accumulator for OrderCycleTime {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<OrderFact> for OrderCycleTime {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        Some(Day::of(fact.placed_at))
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if let Some(shipped_at) = fact.shipped_at
            && fact.units_shipped > 0
        {
            self.0.apply(shipped_at.0 - fact.placed_at.0, sign);
        }
    }
}

impl OrderCycleTime {
    pub fn value(&self) -> Durations {
        self.0.value()
    }
}

/// click-to-door lead time: placed to delivered, median and 90th percentile
///
/// Orders placed in the period whose last shipment has arrived.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClickToDoor(pub DurationSketch);

impl Accumulator for ClickToDoor {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<OrderFact> for ClickToDoor {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        Some(Day::of(fact.placed_at))
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if let Some(delivered_at) = fact.delivered_at {
            self.0.apply(delivered_at.0 - fact.placed_at.0, sign);
        }
    }
}

impl ClickToDoor {
    pub fn value(&self) -> Durations {
        self.0.value()
    }
}

/// order accuracy: orders shipped without an error (wrong item, wrong quantity, damaged, wrong address) / orders shipped
///
/// Orders placed in the period that have shipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderAccuracy(pub CountRatio);

impl Accumulator for OrderAccuracy {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<OrderFact> for OrderAccuracy {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        Some(Day::of(fact.placed_at))
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if !fact.has_shipped() {
            return;
        }
        let s = sign.count();
        self.0.add(s * i64::from(!fact.errors.any()), s);
    }
}

impl OrderAccuracy {
    pub fn value(&self) -> CountRatio {
        self.0
    }
}

/// damage rate (a scorecard measure, not a DOMAIN.md metric): orders shipped and
/// found damaged / orders shipped
///
/// Counted in the day the order was placed, like order accuracy, of which it is
/// one cause.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DamageRate(pub CountRatio);

impl Accumulator for DamageRate {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<OrderFact> for DamageRate {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        Some(Day::of(fact.placed_at))
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if !fact.has_shipped() {
            return;
        }
        let s = sign.count();
        self.0.add(s * i64::from(fact.errors.damaged), s);
    }
}

impl DamageRate {
    pub fn value(&self) -> CountRatio {
        self.0
    }
}
