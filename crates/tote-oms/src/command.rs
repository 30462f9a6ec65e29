//! What the writer is asked to do, and what it answers.

use serde::{Deserialize, Serialize};
use tote_core::{
    Invalid, Location, LocationInput, Node, NodeInput, Order, OrderId, OrderInput, OrgId, Qty, Sku,
    SkuInput, Timestamp,
};

/// A client's key for a mutation, and the hash of what it asked, so that a retry
/// gets the first answer and a different request under the same key is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    pub request_hash: [u8; 32],
}

/// One command with who sent it, when, and under which idempotency key.
#[derive(Clone, Debug)]
pub struct Envelope {
    pub org: OrgId,
    pub actor: String,
    pub at: Timestamp,
    pub idempotency: Option<IdempotencyKey>,
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpsertMode {
    /// Refuse if it exists.
    Create,
    /// Refuse unless it exists.
    Replace,
    /// Either.
    Upsert,
}

#[derive(Clone, Debug)]
pub enum Command {
    Sku(SkuInput, UpsertMode),
    Node(NodeInput, UpsertMode),
    Location(LocationInput),
    Receive(ReceiptInput),
    Adjust(AdjustmentInput),
    PlaceOrder(OrderInput),
    CancelOrder(OrderId),
    NodeProfile(String, crate::omni::NodeProfile),
    ChannelPolicy(String, crate::omni::ChannelPolicy),
    /// Reads through the writer, so they see every acknowledged change.
    Availability(crate::omni::AvailabilityQuery),
    Promise(crate::omni::PromiseQuery),
    RejectLine(OrderId, crate::omni::RejectInput),
    /// The profile or policy in force (the defaults where none was set).
    GetNodeProfile(String),
    GetChannelPolicy(String),
    /// 3PLs and drop-ship vendors: stock feeds and fulfilment requests.
    Partner(crate::omni::PartnerCommand),
    /// Store associates: pick tasks for pickup and ship-from-store orders.
    Store(crate::omni::StoreCommand),
    /// Recompute the look-ahead prices (also done on the first order of each day).
    LookAhead(crate::omni::LookAheadInput),
    /// Re-source open, unreleased orders where a new plan is cheaper.
    Replan(crate::omni::ReplanInput),
    /// Warehouse execution: see `crate::warehouse`.
    Warehouse(crate::warehouse::WmsCommand),
    /// Returns: see `crate::returns`.
    Returns(crate::returns::ReturnsCommand),
    /// Metric targets or scorecard settings, validated by the caller.
    MetricsSettings(MetricsSettings),
}

/// Settings of the metrics service, kept as a record and announced as an event
/// that the service reads back, so every reader of the events sees the same.
#[derive(Clone, Debug, PartialEq)]
pub enum MetricsSettings {
    Targets(serde_json::Value),
    Scorecards(serde_json::Value),
}

/// Units arriving at a node (from a supplier, or found without paperwork).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReceiptInput {
    pub node: String,
    pub lines: Vec<ReceiptLine>,
    /// The PO, ASN or delivery note it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReceiptLine {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 1))]
    pub qty: Qty,
    /// Defaults to the node's `RECEIVING` location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Corrections to on-hand, each with a reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdjustmentInput {
    pub node: String,
    pub lines: Vec<AdjustmentLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdjustmentLine {
    pub sku: String,
    /// The change to on-hand: negative removes units. `damage` and `shrink` must be
    /// negative, `found` positive, `count_variance` either.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
    /// One of `damage`, `shrink`, `count_variance`, `found`.
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// One ledger move a receipt or adjustment made, for the answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MovedLine {
    pub sku: String,
    pub location: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
    /// Where the units went: `on_hand`, `damaged`, or an external party.
    pub to: String,
    pub from: String,
    pub transfer: u64,
}

/// What a receipt or an adjustment did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Movement {
    pub id: String,
    pub node: String,
    pub lines: Vec<MovedLine>,
    pub at: String,
}

/// The answer to a command that succeeded. Stored as the first answer of an
/// idempotent request, so it is plain data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Outcome {
    Sku { sku: Sku, created: bool },
    Node { node: Node, created: bool },
    Location(Location),
    Receipt(Movement),
    Adjustment(Movement),
    Order { order: Order, created: bool },
    NodeProfile(crate::omni::NodeProfileView),
    ChannelPolicy(crate::omni::ChannelPolicyView),
    Availability(crate::omni::AvailabilityView),
    Promise(crate::omni::PromiseView),
    Warehouse(crate::warehouse::WmsOutcome),
    Returns(crate::returns::ReturnsOutcome),
    Partner(crate::omni::PartnerOutcome),
    Store(crate::omni::StoreOutcome),
    LookAhead(crate::omni::LookAheadView),
    Replan(crate::omni::ReplanView),
    MetricsSettings(serde_json::Value),
}

/// An outcome, and whether it is the stored first answer to a retried request.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    pub outcome: Outcome,
    pub replayed: bool,
}

/// Why a command changed nothing.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OpError {
    #[error("invalid request: {0}")]
    Invalid(#[from] Invalid),
    #[error("{what} `{id}` not found")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Conflict(String),
    #[error("idempotency key `{0}` was used with a different request")]
    IdempotencyMismatch(String),
    #[error("stored data could not be read: {0}")]
    Store(String),
}
