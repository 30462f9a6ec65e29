//! How a metric reads: its label, its unit, its headline as text, and the
//! numerator and denominator behind it. One place, so the dashboard, the API and
//! the weekly report show the same number the same way.

use rust_decimal::Decimal;

use crate::board::{Metric, Reading, Value};

/// The unit of a metric's headline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A fraction, shown as a percentage.
    Ratio,
    /// Hours at the median.
    Hours,
    Money,
    PerYear,
    Days,
    UnitsPerHour,
}

impl Unit {
    pub fn name(self) -> &'static str {
        match self {
            Unit::Ratio => "ratio",
            Unit::Hours => "hours",
            Unit::Money => "money",
            Unit::PerYear => "per_year",
            Unit::Days => "days",
            Unit::UnitsPerHour => "units_per_hour",
        }
    }
}

pub fn label(metric: Metric) -> &'static str {
    match metric {
        Metric::UnitFillRate => "Unit fill rate",
        Metric::OrderFillRate => "Order fill rate",
        Metric::OnTimeShip => "On-time ship",
        Metric::Otif => "OTIF",
        Metric::OrderCycleTime => "Order cycle time",
        Metric::ClickToDoor => "Click-to-door",
        Metric::DockToStock => "Dock-to-stock",
        Metric::OrderAccuracy => "Order accuracy",
        Metric::InventoryAccuracy => "Inventory accuracy",
        Metric::ShrinkRate => "Shrink rate",
        Metric::StockoutRate => "Stockout rate",
        Metric::InventoryTurns => "Inventory turns",
        Metric::DaysOfSupply => "Days of supply",
        Metric::CarryingCost => "Carrying cost",
        Metric::CostPerOrder => "Cost per order",
        Metric::UnitsPerHour => "Units per hour",
        Metric::ReturnRate => "Return rate",
        Metric::ReturnToSell => "Return-to-sell",
        Metric::RecoveryRate => "Recovery rate",
        Metric::CarrierOnTime => "Carrier on-time",
    }
}

pub fn unit(metric: Metric) -> Unit {
    match metric {
        Metric::OrderCycleTime
        | Metric::ClickToDoor
        | Metric::DockToStock
        | Metric::ReturnToSell => Unit::Hours,
        Metric::CarryingCost | Metric::CostPerOrder => Unit::Money,
        Metric::InventoryTurns => Unit::PerYear,
        Metric::DaysOfSupply => Unit::Days,
        Metric::UnitsPerHour => Unit::UnitsPerHour,
        _ => Unit::Ratio,
    }
}

/// A headline as text: `97.3%`, `18.2 h`, `7.45`, `4.1 /yr`, `12.0 d`; `n/a`
/// when nothing was counted.
pub fn display(metric: Metric, headline: Option<f64>) -> String {
    let Some(v) = headline else {
        return "n/a".to_owned();
    };
    match unit(metric) {
        Unit::Ratio => format!("{:.1}%", v * 100.0),
        Unit::Hours => format!("{v:.1} h"),
        Unit::Money => format!("{v:.2}"),
        Unit::PerYear => format!("{v:.1} /yr"),
        Unit::Days => format!("{v:.1} d"),
        Unit::UnitsPerHour => format!("{v:.0} u/h"),
    }
}

/// The counts or amounts behind a headline, as exact decimals, with what they
/// count: ("412", "430", "orders on time of orders due").
pub fn parts(value: &Value) -> (Option<String>, Option<String>) {
    let d = |x: Decimal| Some(x.normalize().to_string());
    match value {
        Value::Count(r) => (
            Some(r.numerator.to_string()),
            Some(r.denominator.to_string()),
        ),
        Value::Money(r) => (d(r.numerator), d(r.denominator)),
        Value::Durations(x) => (None, Some(x.count.to_string())),
        Value::InventoryAccuracy(a) => (
            Some(a.locations_matched.numerator.to_string()),
            Some(a.locations_matched.denominator.to_string()),
        ),
        Value::Turns(t) => (
            d(t.goods_cost_shipped),
            t.average_inventory_value.and_then(d),
        ),
        Value::Supply(s) => (
            Some(s.units_on_hand.to_string()),
            Some(s.units_demanded.to_string()),
        ),
        Value::Carrying(c) => (c.average_inventory_value.and_then(d), None),
        Value::CostPerOrder(c) => {
            let v = c.value();
            (d(v.numerator), d(v.denominator))
        }
        Value::UnitsPerHour(steps) => {
            let (mut u, mut h) = (Decimal::ZERO, Decimal::ZERO);
            for s in steps {
                u += s.numerator;
                h += s.denominator;
            }
            (d(u), d(h))
        }
    }
}

/// What the numerator and denominator count.
pub fn parts_meaning(metric: Metric) -> &'static str {
    match metric {
        Metric::UnitFillRate => "units shipped from stock on the first attempt / units ordered",
        Metric::OrderFillRate => "orders shipped complete in one go / orders shipped",
        Metric::OnTimeShip => "shipments handed by their ship-by / shipments due",
        Metric::Otif => "orders delivered complete by their deliver-by / orders due",
        Metric::OrderCycleTime | Metric::ClickToDoor => "orders timed",
        Metric::DockToStock => "receipts timed",
        Metric::ReturnToSell => "returns timed",
        Metric::OrderAccuracy => "orders shipped without an error / orders shipped",
        Metric::InventoryAccuracy => "locations whose count matched / locations counted",
        Metric::ShrinkRate => "shrink value / average inventory value",
        Metric::StockoutRate => "SKU-days with nothing to sell / active SKU-days",
        Metric::InventoryTurns => "cost of goods shipped / average inventory value",
        Metric::DaysOfSupply => "units on hand / units demanded in the period",
        Metric::CarryingCost => "average inventory value",
        Metric::CostPerOrder => "labor + shipping + packaging + overhead / orders shipped",
        Metric::UnitsPerHour => "units processed / labor hours",
        Metric::ReturnRate => "units returned / units shipped",
        Metric::RecoveryRate => "value recovered / value of returned units",
        Metric::CarrierOnTime => "shipments delivered by the committed date / shipments delivered",
    }
}

/// A reading's trend as text, signed, in the metric's unit (`+1.2 pt`, `-0.5 h`).
pub fn display_trend(reading: &Reading) -> String {
    match reading.trend() {
        None => "n/a".to_owned(),
        Some(t) => match unit(reading.metric) {
            Unit::Ratio => format!("{:+.1} pt", t * 100.0),
            _ => {
                let text = display(reading.metric, Some(t));
                if t >= 0.0 { format!("+{text}") } else { text }
            }
        },
    }
}
