//! Orders and their lines, as DOMAIN.md names their states.

use crate::catalog::Address;
use crate::ids::{OrderId, OrgId, TransferId};
use crate::limits::REQUEST_LINES_MAX;
use crate::qty::{Money, Qty};
use crate::time::Timestamp;
use crate::validate::{Checker, Invalid};
use serde::{Deserialize, Serialize};

/// The channel an order came from (`web`, `marketplace`, `store`, `wholesale`...).
pub type Channel = String;

/// What a client sends to place an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    /// The order's number on its channel; unique per channel.
    pub external_id: String,
    pub channel: Channel,
    pub ship_to: Address,
    pub lines: Vec<OrderLineInput>,
    /// Requested service level, such as `standard` or `express`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level: Option<String>,
    /// The customer's email; a return is opened with the order number and it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The latest time the order should leave the building (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub ship_by: Option<String>,
    /// The date promised to the customer (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub deliver_by: Option<chrono::NaiveDate>,
    /// What the customer paid for shipping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "5.95"))]
    pub shipping_charge: Option<Money>,
    /// A discount on the whole order, shared over its lines by value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "10.00"))]
    pub discount: Option<Money>,
    /// `ship` (the default) or `pickup`: the customer collects the order at `pickup_node`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfillment: Option<String>,
    /// The store the customer collects a `pickup` order from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_node: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderLineInput {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 1))]
    pub qty: Qty,
    /// The price paid per unit before discounts; the SKU's price when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "19.00"))]
    pub unit_price: Option<Money>,
    /// The discount on this line as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2.00"))]
    pub discount: Option<Money>,
}

impl OrderInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.code("external_id", &self.external_id);
        c.code("channel", &self.channel);
        self.ship_to.check(&mut c, "ship_to");
        if let Some(level) = &self.service_level {
            c.code("service_level", level);
        }
        if self.lines.is_empty() {
            c.fail("lines", "must hold at least one line");
        } else if self.lines.len() > REQUEST_LINES_MAX {
            c.fail(
                "lines",
                format!("must hold at most {REQUEST_LINES_MAX} lines"),
            );
        }
        for (i, line) in self.lines.iter().enumerate().take(REQUEST_LINES_MAX) {
            c.code(("lines", i, "sku"), &line.sku);
            c.line_qty(("lines", i, "qty"), line.qty);
            if let Some(m) = line.unit_price {
                c.money(("lines", i, "unit_price"), m);
            }
            if let Some(m) = line.discount {
                c.money(("lines", i, "discount"), m);
            }
        }
        if let Some(email) = &self.email {
            c.text("email", email);
            let well_formed = email.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !email.contains(char::is_whitespace)
            });
            if !well_formed {
                c.fail("email", "must be an address such as ana@example.com");
            }
        }
        if let Some(at) = &self.ship_by
            && Timestamp::parse_rfc3339(at).is_none()
        {
            c.fail(
                "ship_by",
                "must be an RFC 3339 time such as 2026-11-25T17:00:00Z",
            );
        }
        if let Some(m) = self.shipping_charge {
            c.money("shipping_charge", m);
        }
        match (self.fulfillment.as_deref(), &self.pickup_node) {
            (None | Some("ship"), None) => {}
            (Some("pickup"), Some(node)) => c.code("pickup_node", node),
            (Some("pickup"), None) => c.fail("pickup_node", "is required for a pickup order"),
            (None | Some("ship"), Some(_)) => c.fail(
                "pickup_node",
                "is only for pickup orders (fulfillment: pickup)",
            ),
            (Some(other), _) => c.fail(
                "fulfillment",
                format!("`{other}` is not one of ship, pickup"),
            ),
        }
        if let Some(m) = self.discount {
            c.money("discount", m);
        }
        c.finish()
    }
}

/// An order's state, derived from its lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Every unit is reserved at some node.
    Allocated,
    /// Some units are reserved, the rest backordered.
    PartiallyAllocated,
    /// No unit could be reserved.
    Backordered,
    Cancelled,
    Shipped,
    /// Sent to the floor in a wave; its picks are on pick lists.
    Released,
    /// Every pick confirmed: its units are at the pack station.
    Picked,
    /// Every unit verified by scan and in cartons.
    Packed,
    /// The carrier delivered its shipment (after `shipped`).
    Delivered,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Allocated => "allocated",
            OrderStatus::PartiallyAllocated => "partially_allocated",
            OrderStatus::Backordered => "backordered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Released => "released",
            OrderStatus::Picked => "picked",
            OrderStatus::Packed => "packed",
            OrderStatus::Delivered => "delivered",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        [
            OrderStatus::Allocated,
            OrderStatus::PartiallyAllocated,
            OrderStatus::Backordered,
            OrderStatus::Cancelled,
            OrderStatus::Shipped,
            OrderStatus::Released,
            OrderStatus::Picked,
            OrderStatus::Packed,
            OrderStatus::Delivered,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }

    /// Open orders still hold (or wait for) stock.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            OrderStatus::Cancelled | OrderStatus::Shipped | OrderStatus::Delivered
        )
    }
}

/// Units of a line reserved at one location: one pending ledger transfer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reservation {
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub transfer: TransferId,
    pub location: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
}

/// Units of a line held at one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allocation {
    pub node: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
    pub reservations: Vec<Reservation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
    pub allocations: Vec<Allocation>,
    /// Units no node could reserve.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub backordered: Qty,
    /// The price paid per unit before discounts (the SKU's price at placement
    /// when the order did not say).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "19.00"))]
    pub unit_price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2.00"))]
    pub discount: Option<Money>,
}

impl OrderLine {
    pub fn allocated(&self) -> Qty {
        self.allocations
            .iter()
            .map(|a| a.qty)
            .fold(Qty::ZERO, |a, b| a + b)
    }
}

/// An order as stored and shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    /// tote's id for the order.
    pub id: String,
    #[serde(skip)]
    pub org: OrgId,
    pub external_id: String,
    pub channel: Channel,
    pub status: OrderStatus,
    pub ship_to: Address,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level: Option<String>,
    /// The customer's email; a return is opened with the order number and it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The latest time the order should leave the building (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub ship_by: Option<String>,
    /// The date promised to the customer (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub deliver_by: Option<chrono::NaiveDate>,
    /// What the customer paid for shipping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "5.95"))]
    pub shipping_charge: Option<Money>,
    /// A discount on the whole order, shared over its lines by value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "10.00"))]
    pub discount: Option<Money>,
    /// `pickup` when the customer collects the order at `pickup_node`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfillment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_node: Option<String>,
    pub lines: Vec<OrderLine>,
    /// Why the order's lines went to their nodes: the chosen shipments with their
    /// costs, the plans priced beside them and the nodes left out (tote-sourcing's
    /// `Decision`). Absent on orders placed before sourcing explained itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub sourcing: Option<RawJson>,
    /// RFC 3339.
    pub placed_at: String,
    pub updated_at: String,
}

impl Order {
    /// The status its lines imply while the order is open.
    pub fn derive_status(lines: &[OrderLine]) -> OrderStatus {
        let allocated: i64 = lines.iter().map(|l| l.allocated().0).sum();
        let backordered: i64 = lines.iter().map(|l| l.backordered.0).sum();
        match (allocated, backordered) {
            (_, 0) => OrderStatus::Allocated,
            (0, _) => OrderStatus::Backordered,
            _ => OrderStatus::PartiallyAllocated,
        }
    }

    pub fn order_id(&self) -> Option<OrderId> {
        parse_order_id(&self.id)
    }
}

/// Order ids are shown as `O` and a number, so they never read as quantities.
pub fn format_order_id(id: OrderId) -> String {
    format!("O{}", id.0)
}

pub fn parse_order_id(s: &str) -> Option<OrderId> {
    s.strip_prefix('O')?.parse().ok().map(OrderId)
}

/// For ordering and cursors only.
pub fn placed_at(at: Timestamp) -> String {
    at.to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(allocated: i64, backordered: i64) -> OrderLine {
        OrderLine {
            sku: "A".into(),
            qty: Qty(allocated + backordered),
            allocations: if allocated > 0 {
                vec![Allocation {
                    node: "DC1".into(),
                    qty: Qty(allocated),
                    reservations: vec![],
                }]
            } else {
                vec![]
            },
            backordered: Qty(backordered),
            unit_price: Money::default(),
            discount: None,
        }
    }

    #[test]
    fn status_is_partially_allocated_when_any_unit_waits() {
        assert_eq!(Order::derive_status(&[line(2, 0)]), OrderStatus::Allocated);
        assert_eq!(
            Order::derive_status(&[line(0, 2)]),
            OrderStatus::Backordered
        );
        assert_eq!(
            Order::derive_status(&[line(2, 0), line(0, 1)]),
            OrderStatus::PartiallyAllocated
        );
    }

    #[test]
    fn delivered_order_is_closed_and_parses_back() {
        assert!(!OrderStatus::Delivered.is_open());
        assert!(!OrderStatus::Shipped.is_open());
        assert!(OrderStatus::Packed.is_open());
        assert_eq!(
            OrderStatus::parse("delivered"),
            Some(OrderStatus::Delivered)
        );
    }

    #[test]
    fn order_ids_round_trip() {
        assert_eq!(
            parse_order_id(&format_order_id(OrderId(42))),
            Some(OrderId(42))
        );
        assert_eq!(parse_order_id("42"), None);
    }
}

/// JSON kept as its text: written once, copied and sent as is, never rebuilt
/// as a tree of values on the writer's path.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawJson(pub Box<serde_json::value::RawValue>);

impl RawJson {
    pub fn of<T: Serialize>(value: &T) -> RawJson {
        RawJson(serde_json::value::to_raw_value(value).expect("plain data serialises to JSON"))
    }

    pub fn get(&self) -> &str {
        self.0.get()
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &RawJson) -> bool {
        self.get() == other.get()
    }
}
