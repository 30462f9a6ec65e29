//! Domain events: the audit trail, the webhook feed and the input of every KPI.

use crate::ids::OrgId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    #[serde(rename = "sku.created")]
    SkuCreated,
    #[serde(rename = "sku.updated")]
    SkuUpdated,
    #[serde(rename = "node.created")]
    NodeCreated,
    #[serde(rename = "node.updated")]
    NodeUpdated,
    #[serde(rename = "location.created")]
    LocationCreated,
    #[serde(rename = "inventory.received")]
    InventoryReceived,
    #[serde(rename = "inventory.adjusted")]
    InventoryAdjusted,
    #[serde(rename = "order.placed")]
    OrderPlaced,
    #[serde(rename = "order.allocated")]
    OrderAllocated,
    #[serde(rename = "order.backordered")]
    OrderBackordered,
    #[serde(rename = "order.cancelled")]
    OrderCancelled,
    /// A node could not fill what it was given (a store did not find the units).
    #[serde(rename = "order.line_rejected")]
    OrderLineRejected,
    #[serde(rename = "asn.created")]
    AsnCreated,
    #[serde(rename = "asn.closed")]
    AsnClosed,
    #[serde(rename = "inventory.put_away")]
    InventoryPutAway,
    #[serde(rename = "wave.released")]
    WaveReleased,
    #[serde(rename = "order.released")]
    OrderReleased,
    #[serde(rename = "pick.picked")]
    PickConfirmed,
    #[serde(rename = "pick.short_picked")]
    PickShort,
    #[serde(rename = "order.picked")]
    OrderPicked,
    #[serde(rename = "pack.scan_refused")]
    PackScanRefused,
    #[serde(rename = "order.packed")]
    OrderPacked,
    #[serde(rename = "order.shipped")]
    OrderShipped,
    #[serde(rename = "manifest.closed")]
    ManifestClosed,
    #[serde(rename = "count.created")]
    CountCreated,
    #[serde(rename = "count.counted")]
    CountCounted,
    #[serde(rename = "layout.set")]
    LayoutSet,
    #[serde(rename = "pick_faces.set")]
    PickFacesSet,
    #[serde(rename = "replenishment.created")]
    ReplenishmentCreated,
    #[serde(rename = "inventory.replenished")]
    InventoryReplenished,
    /// A carrier's tracking event was applied to a shipment.
    #[serde(rename = "shipment.tracking_updated")]
    ShipmentTrackingUpdated,
    #[serde(rename = "order.delivered")]
    OrderDelivered,
    #[serde(rename = "return.authorized")]
    ReturnAuthorized,
    #[serde(rename = "return.in_transit")]
    ReturnInTransit,
    #[serde(rename = "return.received")]
    ReturnReceived,
    #[serde(rename = "return.inspected")]
    ReturnInspected,
    #[serde(rename = "return.dispositioned")]
    ReturnDispositioned,
    #[serde(rename = "return.refunded")]
    ReturnRefunded,
    #[serde(rename = "return.exchanged")]
    ReturnExchanged,
    #[serde(rename = "return_policy.set")]
    ReturnPolicySet,
    /// A buyer approved a planning suggestion into a purchase order or transfer order.
    #[serde(rename = "replenishment.approved")]
    ReplenishmentApproved,
    #[serde(rename = "transfer.shipped")]
    TransferShipped,
    #[serde(rename = "transfer.received")]
    TransferReceived,
    #[serde(rename = "labor_standard.set")]
    LaborStandardSet,
    #[serde(rename = "count.approved")]
    CountApproved,
    #[serde(rename = "count_program.set")]
    CountProgramSet,
    #[serde(rename = "fulfilment.requested")]
    FulfilmentRequested,
    #[serde(rename = "fulfilment.acknowledged")]
    FulfilmentAcknowledged,
    #[serde(rename = "fulfilment.rejected")]
    FulfilmentRejected,
    #[serde(rename = "fulfilment.shipped")]
    FulfilmentShipped,
    #[serde(rename = "store_task.created")]
    StoreTaskCreated,
    #[serde(rename = "store_task.picked")]
    StoreTaskPicked,
    #[serde(rename = "order.ready_for_pickup")]
    OrderReadyForPickup,
    #[serde(rename = "order.picked_up")]
    OrderPickedUp,
    #[serde(rename = "sourcing.look_ahead_refreshed")]
    LookAheadRefreshed,
    /// The targets the dashboard and reports judge metrics against.
    #[serde(rename = "metrics.targets_set")]
    MetricsTargetsSet,
    /// Scorecard weights and targets per measure, for nodes, carriers and 3PLs.
    #[serde(rename = "scorecards.configured")]
    ScorecardsConfigured,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::SkuCreated => "sku.created",
            EventKind::SkuUpdated => "sku.updated",
            EventKind::NodeCreated => "node.created",
            EventKind::NodeUpdated => "node.updated",
            EventKind::LocationCreated => "location.created",
            EventKind::InventoryReceived => "inventory.received",
            EventKind::InventoryAdjusted => "inventory.adjusted",
            EventKind::OrderPlaced => "order.placed",
            EventKind::OrderAllocated => "order.allocated",
            EventKind::OrderBackordered => "order.backordered",
            EventKind::OrderCancelled => "order.cancelled",
            EventKind::OrderLineRejected => "order.line_rejected",
            EventKind::AsnCreated => "asn.created",
            EventKind::AsnClosed => "asn.closed",
            EventKind::InventoryPutAway => "inventory.put_away",
            EventKind::WaveReleased => "wave.released",
            EventKind::OrderReleased => "order.released",
            EventKind::PickConfirmed => "pick.picked",
            EventKind::PickShort => "pick.short_picked",
            EventKind::OrderPicked => "order.picked",
            EventKind::PackScanRefused => "pack.scan_refused",
            EventKind::OrderPacked => "order.packed",
            EventKind::OrderShipped => "order.shipped",
            EventKind::ManifestClosed => "manifest.closed",
            EventKind::CountCreated => "count.created",
            EventKind::CountCounted => "count.counted",
            EventKind::LayoutSet => "layout.set",
            EventKind::PickFacesSet => "pick_faces.set",
            EventKind::ReplenishmentCreated => "replenishment.created",
            EventKind::InventoryReplenished => "inventory.replenished",
            EventKind::ShipmentTrackingUpdated => "shipment.tracking_updated",
            EventKind::OrderDelivered => "order.delivered",
            EventKind::ReturnAuthorized => "return.authorized",
            EventKind::ReturnInTransit => "return.in_transit",
            EventKind::ReturnReceived => "return.received",
            EventKind::ReturnInspected => "return.inspected",
            EventKind::ReturnDispositioned => "return.dispositioned",
            EventKind::ReturnRefunded => "return.refunded",
            EventKind::ReturnExchanged => "return.exchanged",
            EventKind::ReturnPolicySet => "return_policy.set",
            EventKind::ReplenishmentApproved => "replenishment.approved",
            EventKind::TransferShipped => "transfer.shipped",
            EventKind::TransferReceived => "transfer.received",
            EventKind::LaborStandardSet => "labor_standard.set",
            EventKind::CountApproved => "count.approved",
            EventKind::CountProgramSet => "count_program.set",
            EventKind::FulfilmentRequested => "fulfilment.requested",
            EventKind::FulfilmentAcknowledged => "fulfilment.acknowledged",
            EventKind::FulfilmentRejected => "fulfilment.rejected",
            EventKind::FulfilmentShipped => "fulfilment.shipped",
            EventKind::StoreTaskCreated => "store_task.created",
            EventKind::StoreTaskPicked => "store_task.picked",
            EventKind::OrderReadyForPickup => "order.ready_for_pickup",
            EventKind::OrderPickedUp => "order.picked_up",
            EventKind::LookAheadRefreshed => "sourcing.look_ahead_refreshed",
            EventKind::MetricsTargetsSet => "metrics.targets_set",
            EventKind::ScorecardsConfigured => "scorecards.configured",
        }
    }
}

/// One state change, in commit order. `seq` is the cursor clients page with.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub seq: u64,
    pub kind: EventKind,
    /// RFC 3339.
    pub at: String,
    #[serde(skip)]
    pub org: OrgId,
    /// Who caused it: an API client, a user, or `system`.
    pub actor: String,
    /// What it is about: an order id, a SKU code, a receipt id.
    pub subject: String,
    /// The change itself; its shape depends on `kind`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: Box<serde_json::value::RawValue>,
}

impl Event {
    pub fn at_timestamp(&self) -> Option<Timestamp> {
        Timestamp::parse_rfc3339(&self.at)
    }
}
