//! Metrics of inventory: accuracy, shrink, stockouts, turns, days of supply,
//! carrying cost, and dock-to-stock time.

use rust_decimal::Decimal;

use crate::durations::{DurationSketch, Durations};
use crate::fact::{
    AdjustmentFact, Cancellation, CountFact, InventorySnapshot, OrderFact, OrderLineFact,
    ReceiptFact,
};
use crate::observe::{Accumulator, Observe};
use crate::period::Day;
use crate::ratio::{CountRatio, MoneyRatio, Sign};

/// Average inventory value: the mean over the days that have snapshots of the
/// day's total value. Shared by shrink, turns and carrying cost.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InventoryValue {
    value_sum: Decimal,
    /// Snapshots per day, so a day is one day however many SKUs it has.
    snapshots: DayCounts,
}

/// Counts per day, sorted by day. A day's cell holds one day and there are
/// millions of cells (the SKU cut, per day), so one day is kept inline and only
/// a merged range allocates. Canonical: `Many` always holds two days or more, so
/// equal contents compare equal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum DayCounts {
    #[default]
    Empty,
    One((Day, i64)),
    Many(Vec<(Day, i64)>),
}

impl DayCounts {
    fn len(&self) -> usize {
        match self {
            DayCounts::Empty => 0,
            DayCounts::One(..) => 1,
            DayCounts::Many(days) => days.len(),
        }
    }

    fn add(&mut self, day: Day, count: i64) {
        // The common cases, a day cell's own day, without touching the heap.
        match self {
            DayCounts::One((d, c)) if *d == day => {
                *c += count;
                assert!(*c >= 0, "retracted a snapshot never observed on {day:?}");
                if *c == 0 {
                    *self = DayCounts::Empty;
                }
                return;
            }
            DayCounts::Empty => {
                assert!(count > 0, "retracted a snapshot never observed on {day:?}");
                *self = DayCounts::One((day, count));
                return;
            }
            _ => {}
        }
        let mut days = match std::mem::take(self) {
            DayCounts::Empty => Vec::new(),
            DayCounts::One(pair) => vec![pair],
            DayCounts::Many(days) => days,
        };
        match days.binary_search_by_key(&day, |&(d, _)| d) {
            Ok(at) => {
                days[at].1 += count;
                assert!(
                    days[at].1 >= 0,
                    "retracted a snapshot never observed on {day:?}"
                );
                if days[at].1 == 0 {
                    days.remove(at);
                }
            }
            Err(at) => {
                assert!(count > 0, "retracted a snapshot never observed on {day:?}");
                days.insert(at, (day, count));
            }
        }
        *self = match days.as_slice() {
            [] => DayCounts::Empty,
            &[pair] => DayCounts::One(pair),
            _ => DayCounts::Many(days),
        };
    }

    fn entries(&self) -> &[(Day, i64)] {
        match self {
            DayCounts::Empty => &[],
            DayCounts::One(pair) => std::slice::from_ref(pair),
            DayCounts::Many(days) => days,
        }
    }
}

impl InventoryValue {
    fn apply(&mut self, snapshot: &InventorySnapshot, sign: Sign) {
        self.value_sum += sign.money(snapshot.value);
        self.snapshots.add(snapshot.day, sign.count());
    }

    fn merge(&mut self, other: &InventoryValue) {
        self.value_sum += other.value_sum;
        for &(day, count) in other.snapshots.entries() {
            self.snapshots.add(day, count);
        }
    }

    /// None when no day has a snapshot.
    pub fn average(&self) -> Option<Decimal> {
        let days = self.snapshots.len();
        (days > 0).then(|| self.value_sum / Decimal::from(days))
    }
}

/// inventory accuracy: counted locations whose count matched the system / counted locations; and absolute unit variance / units counted
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InventoryAccuracy {
    pub locations_matched: CountRatio,
    pub unit_variance: CountRatio,
}

impl Accumulator for InventoryAccuracy {
    fn merge(&mut self, other: &Self) {
        self.locations_matched.merge(&other.locations_matched);
        self.unit_variance.merge(&other.unit_variance);
    }
}

impl Observe<CountFact> for InventoryAccuracy {
    fn day_of(fact: &CountFact) -> Option<Day> {
        Some(Day::of(fact.counted_at))
    }

    fn apply(&mut self, fact: &CountFact, sign: Sign) {
        let s = sign.count();
        let matched = fact.units_counted == fact.units_expected;
        self.locations_matched.add(s * i64::from(matched), s);
        let variance = (fact.units_counted - fact.units_expected).abs();
        self.unit_variance.add(s * variance, s * fact.units_counted);
    }
}

impl InventoryAccuracy {
    pub fn value(&self) -> InventoryAccuracy {
        self.clone()
    }
}

/// shrink rate: value of shrink adjustments / average inventory value
///
/// Shrink: units lost to theft, damage, or error: adjustments with those reasons.
/// A loss counts positive; a shrink-reason adjustment that adds units back
/// (a mis-scan corrected) reduces it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShrinkRate {
    pub shrink_value: Decimal,
    pub inventory: InventoryValue,
}

impl Accumulator for ShrinkRate {
    fn merge(&mut self, other: &Self) {
        self.shrink_value += other.shrink_value;
        self.inventory.merge(&other.inventory);
    }
}

impl Observe<AdjustmentFact> for ShrinkRate {
    fn day_of(fact: &AdjustmentFact) -> Option<Day> {
        Some(Day::of(fact.at))
    }

    fn apply(&mut self, fact: &AdjustmentFact, sign: Sign) {
        if fact.reason.is_shrink() {
            self.shrink_value -= sign.money(fact.value);
        }
    }
}

impl Observe<InventorySnapshot> for ShrinkRate {
    fn day_of(fact: &InventorySnapshot) -> Option<Day> {
        Some(fact.day)
    }

    fn apply(&mut self, fact: &InventorySnapshot, sign: Sign) {
        self.inventory.apply(fact, sign);
    }
}

impl ShrinkRate {
    /// Shrink value over average inventory value; the denominator is zero when
    /// the period has no snapshot.
    pub fn value(&self) -> MoneyRatio {
        MoneyRatio {
            numerator: self.shrink_value,
            denominator: self.inventory.average().unwrap_or_default(),
        }
    }
}

/// stockout rate: active SKU-days with nothing available to sell / active SKU-days
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StockoutRate(pub CountRatio);

impl Accumulator for StockoutRate {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<InventorySnapshot> for StockoutRate {
    fn day_of(fact: &InventorySnapshot) -> Option<Day> {
        Some(fact.day)
    }

    fn apply(&mut self, fact: &InventorySnapshot, sign: Sign) {
        if fact.active {
            let s = sign.count();
            self.0.add(s * i64::from(fact.units_available <= 0), s);
        }
    }
}

impl StockoutRate {
    pub fn value(&self) -> CountRatio {
        self.0
    }
}

/// inventory turns: cost of goods shipped / average inventory value, annualized
///
/// Cost of goods is counted in the day the order's last shipment left.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InventoryTurns {
    pub goods_cost_shipped: Decimal,
    pub inventory: InventoryValue,
}

/// Turns over a period of `days`, with the parts that explain it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Turns {
    pub goods_cost_shipped: Decimal,
    pub average_inventory_value: Option<Decimal>,
    pub days: i64,
    /// goods cost / average value x 365 / days.
    pub turns_per_year: Option<Decimal>,
}

impl Accumulator for InventoryTurns {
    fn merge(&mut self, other: &Self) {
        self.goods_cost_shipped += other.goods_cost_shipped;
        self.inventory.merge(&other.inventory);
    }
}

impl Observe<OrderFact> for InventoryTurns {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        fact.shipped_at.map(Day::of)
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if fact.shipped_at.is_some() {
            self.goods_cost_shipped += sign.money(fact.goods_cost_shipped);
        }
    }
}

impl Observe<InventorySnapshot> for InventoryTurns {
    fn day_of(fact: &InventorySnapshot) -> Option<Day> {
        Some(fact.day)
    }

    fn apply(&mut self, fact: &InventorySnapshot, sign: Sign) {
        self.inventory.apply(fact, sign);
    }
}

impl InventoryTurns {
    pub fn value(&self, days: i64) -> Turns {
        let average = self.inventory.average();
        let turns_per_year = average
            .filter(|a| !a.is_zero() && days > 0)
            .map(|a| self.goods_cost_shipped / a * Decimal::from(365) / Decimal::from(days));
        Turns {
            goods_cost_shipped: self.goods_cost_shipped,
            average_inventory_value: average,
            days,
            turns_per_year,
        }
    }
}

/// days of supply = on-hand / average daily demand
///
/// On-hand is the latest snapshot day's total in the period; demand is units
/// ordered on orders placed in the period (customer cancellations withdrawn).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DaysOfSupply {
    pub units_demanded: i64,
    /// The latest day with a snapshot and its on-hand units.
    pub on_hand_last: Option<(Day, i64)>,
}

/// Days of supply over a period of `days`, with its parts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Supply {
    pub units_on_hand: i64,
    pub units_demanded: i64,
    pub days: i64,
    pub days_of_supply: Option<f64>,
}

impl Accumulator for DaysOfSupply {
    fn merge(&mut self, other: &Self) {
        self.units_demanded += other.units_demanded;
        if let Some((day, units)) = other.on_hand_last {
            self.add_on_hand(day, units);
        }
    }
}

impl DaysOfSupply {
    fn add_on_hand(&mut self, day: Day, units: i64) {
        match self.on_hand_last {
            Some((last, held)) if last == day => self.on_hand_last = Some((day, held + units)),
            Some((last, _)) if last > day => {}
            _ => self.on_hand_last = Some((day, units)),
        }
    }

    pub fn value(&self, days: i64) -> Supply {
        let units_on_hand = self.on_hand_last.map_or(0, |(_, units)| units);
        let days_of_supply = (days > 0 && self.units_demanded > 0)
            .then(|| units_on_hand as f64 / (self.units_demanded as f64 / days as f64));
        Supply {
            units_on_hand,
            units_demanded: self.units_demanded,
            days,
            days_of_supply,
        }
    }
}

impl Observe<OrderFact> for DaysOfSupply {
    fn day_of(fact: &OrderFact) -> Option<Day> {
        Some(Day::of(fact.placed_at))
    }

    fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if !fact.is_customer_cancelled() {
            self.units_demanded += sign.count() * fact.units_ordered;
        }
    }
}

impl Observe<OrderLineFact> for DaysOfSupply {
    fn day_of(fact: &OrderLineFact) -> Option<Day> {
        Some(Day::of(fact.placed_at))
    }

    fn apply(&mut self, fact: &OrderLineFact, sign: Sign) {
        if fact.cancelled != Some(Cancellation::ByCustomer) {
            self.units_demanded += sign.count() * fact.units_ordered;
        }
    }
}

impl Observe<InventorySnapshot> for DaysOfSupply {
    fn day_of(fact: &InventorySnapshot) -> Option<Day> {
        Some(fact.day)
    }

    fn apply(&mut self, fact: &InventorySnapshot, sign: Sign) {
        self.add_on_hand(fact.day, sign.count() * fact.units_on_hand);
    }
}

/// carrying cost: average inventory value x annual carrying rate x (days in period / 365)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CarryingCost(pub InventoryValue);

/// Carrying cost with its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Carrying {
    pub average_inventory_value: Option<Decimal>,
    pub annual_rate: Decimal,
    pub days: i64,
    pub cost: Option<Decimal>,
}

impl Accumulator for CarryingCost {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<InventorySnapshot> for CarryingCost {
    fn day_of(fact: &InventorySnapshot) -> Option<Day> {
        Some(fact.day)
    }

    fn apply(&mut self, fact: &InventorySnapshot, sign: Sign) {
        self.0.apply(fact, sign);
    }
}

impl CarryingCost {
    pub fn value(&self, annual_rate: Decimal, days: i64) -> Carrying {
        let average = self.0.average();
        Carrying {
            average_inventory_value: average,
            annual_rate,
            days,
            cost: average.map(|a| a * annual_rate * Decimal::from(days) / Decimal::from(365)),
        }
    }
}

/// dock-to-stock time: receipt to units available for sale
///
/// Receipts in the period (by receipt time) whose units are available.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DockToStock(pub DurationSketch);

impl Accumulator for DockToStock {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<ReceiptFact> for DockToStock {
    fn day_of(fact: &ReceiptFact) -> Option<Day> {
        Some(Day::of(fact.received_at))
    }

    fn apply(&mut self, fact: &ReceiptFact, sign: Sign) {
        if let Some(available_at) = fact.available_at {
            self.0.apply(available_at.0 - fact.received_at.0, sign);
        }
    }
}

impl DockToStock {
    pub fn value(&self) -> Durations {
        self.0.value()
    }
}
