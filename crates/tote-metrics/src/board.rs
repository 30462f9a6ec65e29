//! The board: every metric's cube, fed by facts, answering any metric over any
//! period and cut with its target and its trend against the previous period.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use tote_core::Timestamp;

use crate::backlog::{AgedBacklog, Backlog};
use crate::cost::{CostPerOrder, HourlyThroughput, UnitsPerHour};
use crate::cube::Cube;
use crate::durations::Durations;
use crate::fact::{
    AdjustmentFact, CostFact, CountFact, Cut, InventorySnapshot, LaborFact, OrderFact,
    OrderLineFact, ReceiptFact, ReturnFact, ShipmentFact, Step,
};
use crate::inventory::{
    Carrying, CarryingCost, DaysOfSupply, DockToStock, InventoryAccuracy, InventoryTurns,
    ShrinkRate, StockoutRate, Supply, Turns,
};
use crate::orders::{
    ClickToDoor, DamageRate, OrderAccuracy, OrderCycleTime, OrderFillRate, Otif, UnitFillRate,
};
use crate::period::Period;
use crate::ratio::{CountRatio, MoneyRatio, Sign};
use crate::returns::{RecoveryRate, ReturnRate, ReturnToSell};
use crate::shipments::{CarrierOnTime, OnTimeShip};

const HOUR_US: f64 = 3_600_000_000.0;

/// Every metric of DOMAIN.md that is computed over a period (backlog is at a
/// point in time: `Board::backlog`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    UnitFillRate,
    OrderFillRate,
    OnTimeShip,
    Otif,
    OrderCycleTime,
    ClickToDoor,
    DockToStock,
    OrderAccuracy,
    InventoryAccuracy,
    ShrinkRate,
    StockoutRate,
    InventoryTurns,
    DaysOfSupply,
    CarryingCost,
    CostPerOrder,
    UnitsPerHour,
    ReturnRate,
    ReturnToSell,
    RecoveryRate,
    CarrierOnTime,
}

/// Which way a metric gets better, so a trend or a target can be judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

impl Metric {
    pub const ALL: [Metric; 20] = [
        Metric::UnitFillRate,
        Metric::OrderFillRate,
        Metric::OnTimeShip,
        Metric::Otif,
        Metric::OrderCycleTime,
        Metric::ClickToDoor,
        Metric::DockToStock,
        Metric::OrderAccuracy,
        Metric::InventoryAccuracy,
        Metric::ShrinkRate,
        Metric::StockoutRate,
        Metric::InventoryTurns,
        Metric::DaysOfSupply,
        Metric::CarryingCost,
        Metric::CostPerOrder,
        Metric::UnitsPerHour,
        Metric::ReturnRate,
        Metric::ReturnToSell,
        Metric::RecoveryRate,
        Metric::CarrierOnTime,
    ];

    /// The name in API paths (`/v1/metrics/unit_fill_rate`) and reports.
    pub fn name(self) -> &'static str {
        match self {
            Metric::UnitFillRate => "unit_fill_rate",
            Metric::OrderFillRate => "order_fill_rate",
            Metric::OnTimeShip => "on_time_ship",
            Metric::Otif => "otif",
            Metric::OrderCycleTime => "order_cycle_time",
            Metric::ClickToDoor => "click_to_door",
            Metric::DockToStock => "dock_to_stock",
            Metric::OrderAccuracy => "order_accuracy",
            Metric::InventoryAccuracy => "inventory_accuracy",
            Metric::ShrinkRate => "shrink_rate",
            Metric::StockoutRate => "stockout_rate",
            Metric::InventoryTurns => "inventory_turns",
            Metric::DaysOfSupply => "days_of_supply",
            Metric::CarryingCost => "carrying_cost",
            Metric::CostPerOrder => "cost_per_order",
            Metric::UnitsPerHour => "units_per_hour",
            Metric::ReturnRate => "return_rate",
            Metric::ReturnToSell => "return_to_sell",
            Metric::RecoveryRate => "recovery_rate",
            Metric::CarrierOnTime => "carrier_on_time",
        }
    }

    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    pub fn better(self) -> Better {
        match self {
            Metric::OrderCycleTime
            | Metric::ClickToDoor
            | Metric::DockToStock
            | Metric::ShrinkRate
            | Metric::StockoutRate
            | Metric::DaysOfSupply
            | Metric::CarryingCost
            | Metric::CostPerOrder
            | Metric::ReturnRate
            | Metric::ReturnToSell => Better::Lower,
            _ => Better::Higher,
        }
    }
}

/// A metric's value with everything that explains it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Count(CountRatio),
    Money(MoneyRatio),
    Durations(Durations),
    InventoryAccuracy(InventoryAccuracy),
    Turns(Turns),
    Supply(Supply),
    Carrying(Carrying),
    CostPerOrder(CostPerOrder),
    /// Units over hours per step, in the order of `Step::ALL`.
    UnitsPerHour([MoneyRatio; Step::ALL.len()]),
}

impl Value {
    /// The one number a tile shows: a rate as a fraction, a time as hours at the
    /// median, money in the currency, units per hour over all steps.
    pub fn headline(&self) -> Option<f64> {
        match self {
            Value::Count(r) => r.rate(),
            Value::Money(r) => r.rate().and_then(|d| d.to_f64()),
            Value::Durations(d) => d.p50_us.map(|us| us as f64 / HOUR_US),
            Value::InventoryAccuracy(a) => a.locations_matched.rate(),
            Value::Turns(t) => t.turns_per_year.and_then(|d| d.to_f64()),
            Value::Supply(s) => s.days_of_supply,
            Value::Carrying(c) => c.cost.and_then(|d| d.to_f64()),
            // No cost recorded is not a cost of zero.
            Value::CostPerOrder(c) => {
                let v = c.value();
                if v.numerator.is_zero() {
                    return None;
                }
                v.rate().and_then(|d| d.to_f64())
            }
            Value::UnitsPerHour(steps) => {
                let mut total = MoneyRatio::default();
                steps.iter().for_each(|s| total.merge(s));
                total.rate().and_then(|d| d.to_f64())
            }
        }
    }
}

/// A metric over a period and cut, beside the previous period and its target.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub metric: Metric,
    pub period: Period,
    pub cut: Cut,
    pub value: Value,
    pub previous: Value,
    pub target: Option<f64>,
}

impl Reading {
    /// This period's headline minus the previous period's.
    pub fn trend(&self) -> Option<f64> {
        Some(self.value.headline()? - self.previous.headline()?)
    }

    /// Whether the trend goes the better way; None when flat or unknown.
    pub fn improving(&self) -> Option<bool> {
        let trend = self.trend().filter(|t| *t != 0.0)?;
        Some((trend > 0.0) == (self.metric.better() == Better::Higher))
    }

    /// Whether the headline meets the target (at or beyond it, the better way).
    pub fn on_target(&self) -> Option<bool> {
        let value = self.value.headline()?;
        let target = self.target?;
        Some(match self.metric.better() {
            Better::Higher => value >= target,
            Better::Lower => value <= target,
        })
    }
}

/// Every metric's cube and the live backlog per cut value.
#[derive(Clone, Debug, Default)]
pub struct Board {
    pub unit_fill_rate: Cube<UnitFillRate>,
    pub order_fill_rate: Cube<OrderFillRate>,
    pub on_time_ship: Cube<OnTimeShip>,
    pub otif: Cube<Otif>,
    pub order_cycle_time: Cube<OrderCycleTime>,
    pub click_to_door: Cube<ClickToDoor>,
    pub dock_to_stock: Cube<DockToStock>,
    pub order_accuracy: Cube<OrderAccuracy>,
    pub inventory_accuracy: Cube<InventoryAccuracy>,
    pub shrink_rate: Cube<ShrinkRate>,
    pub stockout_rate: Cube<StockoutRate>,
    pub inventory_turns: Cube<InventoryTurns>,
    pub days_of_supply: Cube<DaysOfSupply>,
    pub carrying_cost: Cube<CarryingCost>,
    pub cost_per_order: Cube<CostPerOrder>,
    pub units_per_hour: Cube<UnitsPerHour>,
    /// Not a DOMAIN.md metric: the units behind units per hour, by hour of day.
    pub hourly_throughput: Cube<HourlyThroughput>,
    pub return_rate: Cube<ReturnRate>,
    pub return_to_sell: Cube<ReturnToSell>,
    pub recovery_rate: Cube<RecoveryRate>,
    pub carrier_on_time: Cube<CarrierOnTime>,
    /// Not a DOMAIN.md metric: a scorecard measure.
    pub damage_rate: Cube<DamageRate>,
    backlog: HashMap<Cut, Backlog>,
    targets: HashMap<Metric, f64>,
    /// Annual carrying rate (capital, storage, insurance, obsolescence), e.g. 0.25.
    pub carrying_rate_annual: Decimal,
}

/// A fact the board can count.
pub trait Fact {
    fn apply_to(&self, board: &mut Board, sign: Sign);
}

impl Fact for OrderFact {
    fn apply_to(&self, board: &mut Board, sign: Sign) {
        let cuts = || self.cuts.keys();
        board.unit_fill_rate.apply(self, cuts(), sign);
        board.order_fill_rate.apply(self, cuts(), sign);
        board.otif.apply(self, cuts(), sign);
        board.order_cycle_time.apply(self, cuts(), sign);
        board.click_to_door.apply(self, cuts(), sign);
        board.order_accuracy.apply(self, cuts(), sign);
        board.inventory_turns.apply(self, cuts(), sign);
        board.days_of_supply.apply(self, cuts(), sign);
        board.cost_per_order.apply(self, cuts(), sign);
        board.return_rate.apply(self, cuts(), sign);
        board.damage_rate.apply(self, cuts(), sign);
        if Backlog::is_open(self) {
            for cut in cuts() {
                board.backlog.entry(cut).or_default().apply(self, sign);
            }
        }
    }
}

impl Fact for OrderLineFact {
    fn apply_to(&self, board: &mut Board, sign: Sign) {
        board.unit_fill_rate.apply(self, self.cut_keys(), sign);
        board.days_of_supply.apply(self, self.cut_keys(), sign);
    }
}

impl Fact for ShipmentFact {
    fn apply_to(&self, board: &mut Board, sign: Sign) {
        board.on_time_ship.apply(self, self.cuts.keys(), sign);
        board.carrier_on_time.apply(self, self.cuts.keys(), sign);
    }
}

impl Fact for CountFact {
    fn apply_to(&self, board: &mut Board, sign: Sign) {
        board.inventory_accuracy.apply(self, self.cuts.keys(), sign);
    }
}

impl Fact for AdjustmentFact {
    fn apply_to(&self, board: &mut Board, sign: Sign) {
        board.shrink_rate.apply(self, self.cuts.keys(), sign);
    }
}

impl Fact for InventorySnapshot {
    fn apply_to(&self, board: &mut Board, sign: Sign) {
        board.shrink_rate.apply(self, self.cut_keys(), sign);
        board.stockout_rate.apply(self, self.cut_keys(), sign);
        board.inventory_turns.apply(self, self.cut_keys(), sign);
        board.days_of_supply.apply(self, self.cut_keys(), sign);
        board.carrying_cost.apply(self, self.cut_keys(), sign);
    }
}

impl Fact for LaborFact {
    fn apply_to(&self, board: &mut Board, sign: Sign) {
        board.units_per_hour.apply(self, self.cuts.keys(), sign);
        board.hourly_throughput.apply(self, self.cuts.keys(), sign);
    }
}

impl Fact for CostFact {
    fn apply_to(&self, board: &mut Board, sign: Sign) {
        board.cost_per_order.apply(self, self.cuts.keys(), sign);
    }
}

impl Fact for ReturnFact {
    fn apply_to(&self, board: &mut Board, sign: Sign) {
        board.return_rate.apply(self, self.cuts.keys(), sign);
        board.return_to_sell.apply(self, self.cuts.keys(), sign);
        board.recovery_rate.apply(self, self.cuts.keys(), sign);
    }
}

impl Fact for ReceiptFact {
    fn apply_to(&self, board: &mut Board, sign: Sign) {
        board.dock_to_stock.apply(self, self.cuts.keys(), sign);
    }
}

impl Board {
    pub fn new(carrying_rate_annual: Decimal) -> Board {
        Board {
            carrying_rate_annual,
            ..Board::default()
        }
    }

    pub fn observe<F: Fact>(&mut self, fact: &F) {
        fact.apply_to(self, Sign::Observe);
    }

    /// Takes a fact's earlier version back out before its new version is observed.
    pub fn retract<F: Fact>(&mut self, fact: &F) {
        fact.apply_to(self, Sign::Retract);
    }

    pub fn set_target(&mut self, metric: Metric, headline: f64) {
        self.targets.insert(metric, headline);
    }

    /// Removes every target, before a new set replaces them.
    pub fn clear_targets(&mut self) {
        self.targets.clear();
    }

    pub fn target(&self, metric: Metric) -> Option<f64> {
        self.targets.get(&metric).copied()
    }

    /// Open orders for one cut value, aged at `at`.
    pub fn backlog(&self, cut: Cut, at: Timestamp) -> AgedBacklog {
        self.backlog
            .get(&cut)
            .map(|b| b.value(at))
            .unwrap_or_default()
    }

    /// Cells held over all cubes: the board's size, for capacity planning.
    pub fn cells(&self) -> usize {
        [
            self.unit_fill_rate.cells(),
            self.order_fill_rate.cells(),
            self.on_time_ship.cells(),
            self.otif.cells(),
            self.order_cycle_time.cells(),
            self.click_to_door.cells(),
            self.dock_to_stock.cells(),
            self.order_accuracy.cells(),
            self.inventory_accuracy.cells(),
            self.shrink_rate.cells(),
            self.stockout_rate.cells(),
            self.inventory_turns.cells(),
            self.days_of_supply.cells(),
            self.carrying_cost.cells(),
            self.cost_per_order.cells(),
            self.units_per_hour.cells(),
            self.hourly_throughput.cells(),
            self.return_rate.cells(),
            self.return_to_sell.cells(),
            self.recovery_rate.cells(),
            self.carrier_on_time.cells(),
            self.damage_rate.cells(),
        ]
        .iter()
        .sum()
    }

    /// `metric` over `period` for `cut`, with the previous period and the target.
    pub fn reading(&self, metric: Metric, period: Period, cut: Cut) -> Reading {
        Reading {
            metric,
            period,
            cut,
            value: self.value(metric, period, cut),
            previous: self.value(metric, period.previous(), cut),
            target: self.target(metric),
        }
    }

    pub fn value(&self, metric: Metric, period: Period, cut: Cut) -> Value {
        let days = period.days();
        match metric {
            Metric::UnitFillRate => Value::Count(self.unit_fill_rate.over(period, cut).value()),
            Metric::OrderFillRate => Value::Count(self.order_fill_rate.over(period, cut).value()),
            Metric::OnTimeShip => Value::Count(self.on_time_ship.over(period, cut).value()),
            Metric::Otif => Value::Count(self.otif.over(period, cut).value()),
            Metric::OrderCycleTime => {
                Value::Durations(self.order_cycle_time.over(period, cut).value())
            }
            Metric::ClickToDoor => Value::Durations(self.click_to_door.over(period, cut).value()),
            Metric::DockToStock => Value::Durations(self.dock_to_stock.over(period, cut).value()),
            Metric::OrderAccuracy => Value::Count(self.order_accuracy.over(period, cut).value()),
            Metric::InventoryAccuracy => {
                Value::InventoryAccuracy(self.inventory_accuracy.over(period, cut).value())
            }
            Metric::ShrinkRate => Value::Money(self.shrink_rate.over(period, cut).value()),
            Metric::StockoutRate => Value::Count(self.stockout_rate.over(period, cut).value()),
            Metric::InventoryTurns => {
                Value::Turns(self.inventory_turns.over(period, cut).value(days))
            }
            Metric::DaysOfSupply => {
                Value::Supply(self.days_of_supply.over(period, cut).value(days))
            }
            Metric::CarryingCost => Value::Carrying(
                self.carrying_cost
                    .over(period, cut)
                    .value(self.carrying_rate_annual, days),
            ),
            Metric::CostPerOrder => Value::CostPerOrder(self.cost_per_order.over(period, cut)),
            Metric::UnitsPerHour => {
                let per_step = self.units_per_hour.over(period, cut);
                Value::UnitsPerHour(Step::ALL.map(|step| per_step.value(step)))
            }
            Metric::ReturnRate => Value::Count(self.return_rate.over(period, cut).value()),
            Metric::ReturnToSell => Value::Durations(self.return_to_sell.over(period, cut).value()),
            Metric::RecoveryRate => Value::Money(self.recovery_rate.over(period, cut).value()),
            Metric::CarrierOnTime => Value::Count(self.carrier_on_time.over(period, cut).value()),
        }
    }
}
