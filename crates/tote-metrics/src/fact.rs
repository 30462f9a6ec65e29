//! Facts: what the metrics are computed from. The service derives them from its
//! domain events and keeps the latest version of each; when one changes (an order
//! ships, a return is dispositioned) it retracts the old version and observes the
//! new one. Times are arguments (`as_of`), never read from the clock.

use rust_decimal::Decimal;
use tote_core::{LocationId, NodeId, OrderId, SkuId, Timestamp};

use crate::period::Day;

/// A sales channel (web, marketplace, store, wholesale), interned by the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelId(pub u16);

/// A carrier, interned by the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CarrierId(pub u16);

/// One value of one cut dimension; `All` is the whole operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cut {
    All,
    Node(NodeId),
    Channel(ChannelId),
    Carrier(CarrierId),
    ThreePl(NodeId),
    Sku(SkuId),
}

/// The cut values a fact belongs to; a fact always belongs to `Cut::All` too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cuts {
    pub node: Option<NodeId>,
    pub channel: Option<ChannelId>,
    pub carrier: Option<CarrierId>,
    /// The node again when it is a 3PL's warehouse, so 3PLs can be compared as a group.
    pub three_pl: Option<NodeId>,
    pub sku: Option<SkuId>,
}

impl Cuts {
    pub fn keys(&self) -> impl Iterator<Item = Cut> {
        [
            Some(Cut::All),
            self.node.map(Cut::Node),
            self.channel.map(Cut::Channel),
            self.carrier.map(Cut::Carrier),
            self.three_pl.map(Cut::ThreePl),
            self.sku.map(Cut::Sku),
        ]
        .into_iter()
        .flatten()
    }
}

/// Why an order was cancelled. A customer's cancellation withdraws the demand, so
/// the order leaves the fill-rate and OTIF denominators; an operational one (no
/// stock, fraud hold, address) is a failure to fulfil and stays in them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cancellation {
    ByCustomer,
    ByOperation,
}

/// Errors found on a shipped order (by the customer, a return or an audit).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShippingErrors {
    pub wrong_item: bool,
    pub wrong_quantity: bool,
    pub damaged: bool,
    pub wrong_address: bool,
}

impl ShippingErrors {
    pub fn any(&self) -> bool {
        self.wrong_item || self.wrong_quantity || self.damaged || self.wrong_address
    }
}

/// An order as it stands at `as_of`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderFact {
    pub order: OrderId,
    pub cuts: Cuts,
    /// The time this version of the fact describes.
    pub as_of: Timestamp,
    pub placed_at: Timestamp,
    /// When units were first allocated; None while on hold or fully backordered.
    pub allocated_at: Option<Timestamp>,
    pub ship_by: Timestamp,
    pub deliver_by: Timestamp,
    pub units_ordered: i64,
    /// Units that shipped from stock without a backorder, re-pick or re-source.
    pub units_shipped_first_attempt: i64,
    pub units_shipped: i64,
    pub units_delivered: i64,
    /// All units went out in a single shipment, with nothing backordered.
    pub shipped_complete_in_one_go: bool,
    /// When the last shipment left; set once nothing more will ship (all shipped,
    /// or the rest cancelled). None while anything is still to ship.
    pub shipped_at: Option<Timestamp>,
    /// When the last shipment arrived; None until then.
    pub delivered_at: Option<Timestamp>,
    pub cancelled: Option<Cancellation>,
    pub errors: ShippingErrors,
    /// Cost of the goods in the shipped units (for inventory turns).
    pub goods_cost_shipped: Decimal,
}

impl OrderFact {
    pub fn is_customer_cancelled(&self) -> bool {
        self.cancelled == Some(Cancellation::ByCustomer)
    }

    /// An order shipped: units left and nothing more will ship. The
    /// denominator of order fill rate, order accuracy and damage rate.
    pub fn has_shipped(&self) -> bool {
        self.shipped_at.is_some() && self.units_shipped > 0
    }
}

/// One line of an order, for the SKU cut only: order-level facts carry no SKU,
/// and lines feed nothing but `Cut::Sku`, so no unit is counted twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLineFact {
    pub order: OrderId,
    pub sku: SkuId,
    pub placed_at: Timestamp,
    pub units_ordered: i64,
    pub units_shipped_first_attempt: i64,
    pub cancelled: Option<Cancellation>,
}

impl OrderLineFact {
    pub fn cut_keys(&self) -> impl Iterator<Item = Cut> {
        std::iter::once(Cut::Sku(self.sku))
    }
}

/// A shipment as it stands at `as_of`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShipmentFact {
    pub cuts: Cuts,
    pub as_of: Timestamp,
    pub ship_by: Timestamp,
    /// When the carrier took it (manifest scan); None until then.
    pub handed_at: Option<Timestamp>,
    /// The delivery date the carrier's service committed to, as the last moment.
    pub committed_delivery_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
}

/// One counted location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountFact {
    pub location: LocationId,
    pub cuts: Cuts,
    pub counted_at: Timestamp,
    pub units_expected: i64,
    pub units_counted: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdjustmentReason {
    Theft,
    Damage,
    Error,
    /// Units found on a count: not shrink.
    Found,
    Other,
}

impl AdjustmentReason {
    /// Shrink: units lost to theft, damage, or error: adjustments with those reasons.
    pub fn is_shrink(self) -> bool {
        matches!(
            self,
            AdjustmentReason::Theft | AdjustmentReason::Damage | AdjustmentReason::Error
        )
    }
}

/// An inventory adjustment; `value` is negative for a loss.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdjustmentFact {
    pub cuts: Cuts,
    pub at: Timestamp,
    pub reason: AdjustmentReason,
    pub units: i64,
    pub value: Decimal,
}

/// The end-of-day state of one SKU, at one node or (node None) across the network.
/// Network snapshots feed the whole-operation and SKU cuts; node snapshots feed the
/// node and 3PL cuts, so a SKU-day is counted once at each level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InventorySnapshot {
    pub day: Day,
    pub sku: SkuId,
    pub node: Option<NodeId>,
    pub node_is_three_pl: bool,
    /// The SKU is sold on this day (listed and not discontinued).
    pub active: bool,
    pub units_on_hand: i64,
    pub units_available: i64,
    /// Value of the on-hand units at cost.
    pub value: Decimal,
}

impl InventorySnapshot {
    pub fn cut_keys(&self) -> impl Iterator<Item = Cut> {
        let keys = match self.node {
            None => [Some(Cut::All), Some(Cut::Sku(self.sku))],
            Some(node) => [
                Some(Cut::Node(node)),
                self.node_is_three_pl.then_some(Cut::ThreePl(node)),
            ],
        };
        keys.into_iter().flatten()
    }
}

/// The steps whose throughput is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    Receive,
    PutAway,
    Pick,
    Pack,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Receive, Step::PutAway, Step::Pick, Step::Pack];
}

/// Units processed and hours worked in one step (a task, or a shift's total).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaborFact {
    pub cuts: Cuts,
    pub at: Timestamp,
    pub step: Step,
    pub units: i64,
    pub hours: Decimal,
}

/// Costs incurred at `at`; any part may be zero.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CostFact {
    pub cuts: Cuts,
    pub at: Timestamp,
    pub labor: Decimal,
    pub shipping: Decimal,
    pub packaging: Decimal,
    pub overhead: Decimal,
}

/// Returned units of one RMA line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnFact {
    pub cuts: Cuts,
    /// When the returned units had shipped: return rate is by ship period.
    pub shipped_at: Timestamp,
    pub received_at: Timestamp,
    /// When the units were available for sale again; None if not (yet, or ever).
    pub available_again_at: Option<Timestamp>,
    pub units: i64,
    /// Value of the returned units at their sale price.
    pub value: Decimal,
    /// Restock value plus resale proceeds; None until the disposition is made.
    pub recovered_value: Option<Decimal>,
}

/// One receipt (an ASN carton or a PO line) at a dock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptFact {
    pub cuts: Cuts,
    pub received_at: Timestamp,
    /// When its units were put away and available for sale; None until then.
    pub available_at: Option<Timestamp>,
    pub units: i64,
}
