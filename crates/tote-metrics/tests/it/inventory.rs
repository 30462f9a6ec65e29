use rust_decimal::Decimal;
use tote_core::LocationId;
use tote_metrics::{
    AdjustmentFact, AdjustmentReason, CarryingCost, CountFact, CountRatio, Cuts, DaysOfSupply,
    DockToStock, InventoryAccuracy, InventoryTurns, MoneyRatio, Observe, ReceiptFact, ShrinkRate,
    StockoutRate,
};

use crate::support::{HOUR_US, dec, h, order, snapshot};

fn count(location: u32, expected: i64, counted: i64) -> CountFact {
    CountFact {
        location: LocationId(location),
        cuts: Cuts::default(),
        counted_at: h(1),
        units_expected: expected,
        units_counted: counted,
    }
}

fn adjustment(reason: AdjustmentReason, value: i64) -> AdjustmentFact {
    AdjustmentFact {
        cuts: Cuts::default(),
        at: h(2),
        reason,
        units: -1,
        value: Decimal::from(value),
    }
}

#[test]
fn inventory_accuracy_has_a_location_form_and_a_unit_form() {
    let mut accuracy = InventoryAccuracy::default();
    for c in [
        count(1, 10, 10),
        count(2, 10, 8),
        count(3, 5, 7),
        count(4, 0, 0),
    ] {
        accuracy.observe(&c);
    }
    let v = accuracy.value();
    assert_eq!(
        v.locations_matched,
        CountRatio {
            numerator: 2,
            denominator: 4
        }
    );
    // |8 - 10| + |7 - 5| = 4 over 10 + 8 + 7 + 0 = 25 units counted.
    assert_eq!(
        v.unit_variance,
        CountRatio {
            numerator: 4,
            denominator: 25
        }
    );
}

#[test]
fn shrink_rate_is_shrink_reason_losses_over_average_inventory_value() {
    let mut shrink = ShrinkRate::default();
    shrink.observe(&adjustment(AdjustmentReason::Theft, -30));
    shrink.observe(&adjustment(AdjustmentReason::Damage, -20));
    shrink.observe(&adjustment(AdjustmentReason::Found, 40)); // not shrink
    // Two days, two SKUs: day totals 1000 and 1500, average 1250.
    for s in [
        snapshot(0, 1, 10, 10, 600),
        snapshot(0, 2, 5, 5, 400),
        snapshot(1, 1, 10, 10, 1500),
    ] {
        shrink.observe(&s);
    }
    let v = shrink.value();
    assert_eq!(
        v,
        MoneyRatio {
            numerator: dec("50"),
            denominator: dec("1250")
        }
    );
    assert_eq!(v.rate(), Some(dec("0.04")));
}

#[test]
fn stockout_rate_counts_active_sku_days_with_nothing_available() {
    let mut stockouts = StockoutRate::default();
    let mut inactive = snapshot(0, 3, 0, 0, 0);
    inactive.active = false;
    // On hand but all reserved: nothing available to sell.
    for s in [
        snapshot(0, 1, 5, 0, 50),
        snapshot(0, 2, 5, 5, 50),
        snapshot(1, 1, 0, 0, 0),
        inactive,
    ] {
        stockouts.observe(&s);
    }
    assert_eq!(
        stockouts.value(),
        CountRatio {
            numerator: 2,
            denominator: 3
        }
    );
}

#[test]
fn inventory_turns_annualize_goods_cost_over_average_value() {
    let mut turns = InventoryTurns::default();
    turns.observe(&order(1, 0, 10)); // goods cost 100
    turns.observe(&order(2, 0, 20)); // goods cost 200
    turns.observe(&snapshot(0, 1, 10, 10, 1_000));
    turns.observe(&snapshot(1, 1, 10, 10, 1_000));
    let v = turns.value(73);
    // 300 / 1000 x 365 / 73 = 1.5 turns a year.
    assert_eq!(v.turns_per_year, Some(dec("1.5")));
    assert_eq!(v.average_inventory_value, Some(dec("1000")));
}

#[test]
fn days_of_supply_is_latest_on_hand_over_average_daily_demand() {
    let mut supply = DaysOfSupply::default();
    supply.observe(&order(1, 0, 30));
    supply.observe(&order(2, 30, 30));
    supply.observe(&snapshot(0, 1, 500, 500, 0));
    supply.observe(&snapshot(1, 1, 200, 200, 0));
    supply.observe(&snapshot(1, 2, 100, 100, 0));
    let v = supply.value(2);
    // Day 1 on hand 300; demand 60 units over 2 days = 30 a day.
    assert_eq!(v.units_on_hand, 300);
    assert_eq!(v.days_of_supply, Some(10.0));
}

#[test]
fn carrying_cost_prorates_the_annual_rate_by_days() {
    let mut carrying = CarryingCost::default();
    carrying.observe(&snapshot(0, 1, 1, 1, 73_000));
    let v = carrying.value(dec("0.25"), 30);
    // 73 000 x 0.25 x 30 / 365 = 1 500.
    assert_eq!(v.cost, Some(dec("1500")));
}

#[test]
fn dock_to_stock_counts_receipts_once_available() {
    let mut dock = DockToStock::default();
    for (received, available) in [(0, Some(4)), (1, Some(3)), (2, None)] {
        dock.observe(&ReceiptFact {
            cuts: Cuts::default(),
            received_at: h(received),
            available_at: available.map(h),
            units: 12,
        });
    }
    let v = dock.value();
    assert_eq!(v.count, 2);
    assert_eq!(v.p50_us, Some(2 * HOUR_US));
    assert_eq!(v.p90_us, Some(4 * HOUR_US));
}
