use rust_decimal::Decimal;
use tote_metrics::{
    CostFact, CostPerOrder, CountRatio, Cuts, HourlyThroughput, LaborFact, MoneyRatio, Observe,
    RecoveryRate, ReturnRate, ReturnToSell, Step, UnitsPerHour,
};

use crate::support::{HOUR_US, dec, h, open_order, order, return_of};

#[test]
fn return_rate_is_units_returned_over_units_shipped() {
    let mut rate = ReturnRate::default();
    rate.observe(&order(1, 0, 3));
    rate.observe(&order(2, 0, 5));
    rate.observe(&open_order(3, 0, 9, 5)); // not shipped: not in the denominator
    rate.observe(&return_of(10, 100, 2, 40));
    assert_eq!(
        rate.value(),
        CountRatio {
            numerator: 2,
            denominator: 8
        }
    );
}

#[test]
fn return_to_sell_counts_returns_back_on_sale() {
    let mut r2s = ReturnToSell::default();
    let mut restocked = return_of(0, 100, 1, 20);
    restocked.available_again_at = Some(h(130));
    r2s.observe(&restocked);
    r2s.observe(&return_of(0, 100, 1, 20)); // awaiting inspection
    assert_eq!(r2s.value().count, 1);
    assert_eq!(r2s.value().p50_us, Some(30 * HOUR_US));
}

#[test]
fn recovery_rate_counts_dispositioned_returns_only() {
    let mut recovery = RecoveryRate::default();
    let mut restocked = return_of(0, 100, 1, 50);
    restocked.recovered_value = Some(dec("50"));
    let mut liquidated = return_of(0, 100, 2, 50);
    liquidated.recovered_value = Some(dec("10"));
    recovery.observe(&restocked);
    recovery.observe(&liquidated);
    recovery.observe(&return_of(0, 100, 1, 70)); // not yet dispositioned
    assert_eq!(
        recovery.value(),
        MoneyRatio {
            numerator: dec("60"),
            denominator: dec("100")
        }
    );
}

#[test]
fn cost_per_order_sums_the_four_costs_over_orders_shipped() {
    let mut cost = CostPerOrder::default();
    cost.observe(&CostFact {
        cuts: Cuts::default(),
        at: h(1),
        labor: dec("40"),
        shipping: dec("30"),
        packaging: dec("5"),
        overhead: dec("25"),
    });
    cost.observe(&order(1, 0, 1));
    cost.observe(&order(2, 0, 2));
    cost.observe(&open_order(3, 0, 2, 5));
    assert_eq!(cost.value().rate(), Some(dec("50")));
}

#[test]
fn units_per_hour_is_kept_per_step() {
    let mut uph = UnitsPerHour::default();
    for (step, units, hours) in [
        (Step::Pick, 300, "2.5"),
        (Step::Pick, 100, "1.5"),
        (Step::Pack, 90, "1"),
    ] {
        uph.observe(&LaborFact {
            cuts: Cuts::default(),
            at: h(1),
            step,
            units,
            hours: dec(hours),
        });
    }
    assert_eq!(uph.value(Step::Pick).rate(), Some(Decimal::from(100)));
    assert_eq!(uph.value(Step::Pack).rate(), Some(Decimal::from(90)));
    assert_eq!(uph.value(Step::Receive).rate(), None);
}

#[test]
fn hourly_throughput_places_units_in_the_hour_of_the_labor_fact() {
    let mut throughput = HourlyThroughput::default();
    for (hour, units) in [(9, 100), (9, 20), (30, 50)] {
        throughput.observe(&LaborFact {
            cuts: Cuts::default(),
            at: h(hour),
            step: Step::Pick,
            units,
            hours: dec("1"),
        });
    }
    let picks = throughput.value(Step::Pick);
    assert_eq!((picks[9], picks[6], picks[10]), (120, 50, 0));
    assert_eq!(throughput.value(Step::Pack), [0; 24]);
}
