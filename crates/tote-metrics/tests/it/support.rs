//! Fact builders: times are hours after the start of day `BASE_DAY`.

use rust_decimal::Decimal;
use tote_core::{NodeId, OrderId, Timestamp};
use tote_metrics::{
    ChannelId, Cuts, Day, InventorySnapshot, OrderFact, ReturnFact, ShipmentFact, ShippingErrors,
};

pub const BASE_DAY: Day = Day(20_000);
pub const HOUR_US: i64 = 3_600_000_000;

pub fn h(hours: i64) -> Timestamp {
    Timestamp(BASE_DAY.start().0 + hours * HOUR_US)
}

pub fn day(offset: i32) -> Day {
    Day(BASE_DAY.0 + offset)
}

pub fn cuts(node: u32, channel: u16) -> Cuts {
    Cuts {
        node: Some(NodeId(node)),
        channel: Some(ChannelId(channel)),
        ..Cuts::default()
    }
}

/// An order placed at hour `placed`, due to ship 24 h later and arrive 72 h later,
/// of `units`, shipped complete in one go at `placed + 10` and delivered at
/// `placed + 48`, as seen a week after placing.
pub fn order(id: u64, placed: i64, units: i64) -> OrderFact {
    OrderFact {
        order: OrderId(id),
        cuts: cuts(1, 1),
        as_of: h(placed + 24 * 7),
        placed_at: h(placed),
        allocated_at: Some(h(placed + 1)),
        ship_by: h(placed + 24),
        deliver_by: h(placed + 72),
        units_ordered: units,
        units_shipped_first_attempt: units,
        units_shipped: units,
        units_delivered: units,
        shipped_complete_in_one_go: true,
        shipped_at: Some(h(placed + 10)),
        delivered_at: Some(h(placed + 48)),
        cancelled: None,
        errors: ShippingErrors::default(),
        goods_cost_shipped: Decimal::from(units * 10),
    }
}

/// An order allocated but not shipped yet, as seen at `as_of`.
pub fn open_order(id: u64, placed: i64, units: i64, as_of: i64) -> OrderFact {
    OrderFact {
        as_of: h(as_of),
        units_shipped_first_attempt: 0,
        units_shipped: 0,
        units_delivered: 0,
        shipped_complete_in_one_go: false,
        shipped_at: None,
        delivered_at: None,
        goods_cost_shipped: Decimal::ZERO,
        ..order(id, placed, units)
    }
}

pub fn shipment(
    ship_by: i64,
    handed: Option<i64>,
    committed: i64,
    delivered: Option<i64>,
) -> ShipmentFact {
    ShipmentFact {
        cuts: cuts(1, 1),
        as_of: h(ship_by + 24 * 7),
        ship_by: h(ship_by),
        handed_at: handed.map(h),
        committed_delivery_at: h(committed),
        delivered_at: delivered.map(h),
    }
}

pub fn snapshot(
    day_offset: i32,
    sku: u32,
    on_hand: i64,
    available: i64,
    value: i64,
) -> InventorySnapshot {
    InventorySnapshot {
        day: day(day_offset),
        sku: tote_core::SkuId(sku),
        node: None,
        node_is_three_pl: false,
        active: true,
        units_on_hand: on_hand,
        units_available: available,
        value: Decimal::from(value),
    }
}

pub fn return_of(shipped: i64, received: i64, units: i64, value: i64) -> ReturnFact {
    ReturnFact {
        cuts: cuts(1, 1),
        shipped_at: h(shipped),
        received_at: h(received),
        available_again_at: None,
        units,
        value: Decimal::from(value),
        recovered_value: None,
    }
}

pub fn dec(s: &str) -> Decimal {
    s.parse().expect("a decimal literal")
}
