use tote_metrics::{
    AgedBacklog, Backlog, Cancellation, ClickToDoor, CountRatio, Observe, OrderAccuracy,
    OrderCycleTime, OrderFillRate, Otif, ShippingErrors, UnitFillRate,
};

use crate::support::{HOUR_US, h, open_order, order};

fn ratio(numerator: i64, denominator: i64) -> CountRatio {
    CountRatio {
        numerator,
        denominator,
    }
}

#[test]
fn unit_fill_rate_counts_only_units_shipped_on_the_first_attempt() {
    let mut partial = order(1, 0, 10);
    partial.units_shipped_first_attempt = 7; // 3 backordered, shipped a day later
    partial.shipped_complete_in_one_go = false;
    let full = order(2, 1, 5);
    let mut rate = UnitFillRate::default();
    rate.observe(&partial);
    rate.observe(&full);
    assert_eq!(rate.value(), ratio(12, 15));
    assert_eq!(rate.value().rate(), Some(0.8));
}

#[test]
fn customer_cancellation_withdraws_units_but_operational_cancellation_is_unfilled() {
    let mut by_customer = open_order(1, 0, 4, 2);
    by_customer.cancelled = Some(Cancellation::ByCustomer);
    let mut by_operation = open_order(2, 0, 6, 2);
    by_operation.cancelled = Some(Cancellation::ByOperation);
    let mut rate = UnitFillRate::default();
    rate.observe(&by_customer);
    rate.observe(&by_operation);
    rate.observe(&order(3, 0, 2));
    assert_eq!(rate.value(), ratio(2, 8));
}

#[test]
fn order_fill_rate_counts_shipped_orders_only_and_split_ones_as_unfilled() {
    let mut split = order(1, 0, 3);
    split.shipped_complete_in_one_go = false;
    let mut rate = OrderFillRate::default();
    rate.observe(&split);
    rate.observe(&order(2, 0, 1));
    rate.observe(&open_order(3, 0, 1, 5));
    assert_eq!(rate.value(), ratio(1, 2));
}

#[test]
fn order_shipped_partly_then_cancelled_counts_as_shipped_but_not_complete() {
    let mut partly = order(1, 0, 4);
    partly.units_shipped = 2;
    partly.units_shipped_first_attempt = 2;
    partly.units_delivered = 2;
    partly.shipped_complete_in_one_go = false;
    partly.cancelled = Some(Cancellation::ByOperation);
    let mut fill = OrderFillRate::default();
    fill.observe(&partly);
    assert_eq!(fill.value(), ratio(0, 1));
    let mut otif = Otif::default();
    otif.observe(&partly);
    assert_eq!(otif.value(), ratio(0, 1));
}

#[test]
fn otif_needs_complete_and_by_deliver_by() {
    let on_time = order(1, 0, 2); // delivered at 48, due 72
    let mut late = order(2, 0, 2);
    late.delivered_at = Some(h(80));
    let mut short = order(3, 0, 2);
    short.units_delivered = 1;
    let mut otif = Otif::default();
    for o in [&on_time, &late, &short] {
        otif.observe(o);
    }
    assert_eq!(otif.value(), ratio(1, 3));
}

#[test]
fn otif_waits_for_undelivered_orders_until_their_deliver_by_passes() {
    let not_due = open_order(1, 0, 2, 50); // due 72, seen at 50
    let overdue = open_order(2, 0, 2, 73);
    let mut withdrawn = open_order(3, 0, 2, 73);
    withdrawn.cancelled = Some(Cancellation::ByCustomer);
    let mut otif = Otif::default();
    for o in [&not_due, &overdue, &withdrawn] {
        otif.observe(o);
    }
    assert_eq!(otif.value(), ratio(0, 1));
}

#[test]
fn cycle_time_is_placed_to_last_shipment_median_and_90th() {
    let mut cycle = OrderCycleTime::default();
    for (id, hours) in [(1, 10), (2, 40), (3, 20), (4, 30)] {
        let mut o = order(id, 0, 1);
        o.shipped_at = Some(h(hours));
        cycle.observe(&o);
    }
    cycle.observe(&open_order(5, 0, 1, 100));
    let d = cycle.value();
    assert_eq!(d.count, 4);
    assert_eq!(d.p50_us, Some(20 * HOUR_US));
    assert_eq!(d.p90_us, Some(40 * HOUR_US));
    assert_eq!(d.mean_us, Some(25 * HOUR_US));
    assert!(d.exact);
}

#[test]
fn click_to_door_counts_delivered_orders_only() {
    let mut c2d = ClickToDoor::default();
    c2d.observe(&order(1, 0, 1));
    let mut in_transit = order(2, 0, 1);
    in_transit.delivered_at = None;
    c2d.observe(&in_transit);
    assert_eq!(c2d.value().count, 1);
    assert_eq!(c2d.value().p50_us, Some(48 * HOUR_US));
}

#[test]
fn order_accuracy_counts_any_error_as_inaccurate() {
    let mut damaged = order(1, 0, 1);
    damaged.errors = ShippingErrors {
        damaged: true,
        ..ShippingErrors::default()
    };
    let mut wrong_address = order(2, 0, 1);
    wrong_address.errors.wrong_address = true;
    let mut accuracy = OrderAccuracy::default();
    for o in [
        &damaged,
        &wrong_address,
        &order(3, 0, 1),
        &order(4, 0, 1),
        &open_order(5, 0, 1, 3),
    ] {
        accuracy.observe(o);
    }
    assert_eq!(accuracy.value(), ratio(2, 4));
}

#[test]
fn backlog_ages_open_orders_by_hours_past_ship_by() {
    let mut backlog = Backlog::default();
    // Ship-by is placed + 24 h; aged at hour 100.
    backlog.observe(&open_order(1, 90, 1, 100)); // due 114: not yet due
    backlog.observe(&open_order(2, 73, 1, 100)); // due 97: 3 h past
    backlog.observe(&open_order(3, 66, 1, 100)); // due 90: 10 h past
    backlog.observe(&open_order(4, 0, 1, 100)); // due 24: 76 h past
    backlog.observe(&order(5, 0, 1)); // shipped: not open
    let mut held = open_order(6, 0, 1, 100);
    held.allocated_at = None; // on hold, never allocated: not in backlog
    backlog.observe(&held);
    let aged = backlog.value(h(100));
    assert_eq!(
        aged,
        AgedBacklog {
            orders: 4,
            not_yet_due: 1,
            past_ship_by: [1, 1, 0, 1]
        }
    );
}

#[test]
fn shipping_an_order_retracts_it_from_the_backlog() {
    let mut backlog = Backlog::default();
    let open = open_order(1, 0, 1, 5);
    backlog.observe(&open);
    assert_eq!(backlog.value(h(5)).orders, 1);
    backlog.retract(&open);
    backlog.observe(&order(1, 0, 1));
    assert_eq!(backlog, Backlog::default());
}
