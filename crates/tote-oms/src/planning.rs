//! Replenishment a buyer approves: a planning suggestion becomes a purchase
//! order (an ASN the supplier's goods are received against) or a transfer
//! order between nodes. A transfer ships when approved (units leave the
//! source node's storage into the destination's in-transit bucket) and is
//! received at the destination's `RECEIVING` dock; both are ledger moves, so
//! the books balance at every step.

use serde::{Deserialize, Serialize};
use tote_core::Qty;

/// What a buyer approves: one suggestion as the planner listed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanApprovalInput {
    /// The suggestion's id (`PO-...` or `TR-...`).
    pub suggestion: String,
    /// `purchase` or `transfer`.
    pub kind: String,
    pub sku: String,
    /// The node that receives.
    pub node: String,
    /// The node that ships, for a transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 1))]
    pub units: Qty,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
}

/// A transfer order between two nodes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferOrder {
    /// `TO1`, `TO2`, ...
    pub id: String,
    pub suggestion: String,
    pub sku: String,
    pub from: String,
    pub to: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub units: Qty,
    /// `in_transit` or `received`.
    pub status: String,
    /// The source locations the units left, with how many from each.
    pub picked_from: Vec<TransferLeg>,
    pub shipped_at: String,
    pub shipped_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferLeg {
    pub location: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
}

/// An approved suggestion and the record it became.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanApproval {
    pub suggestion: String,
    /// `purchase` or `transfer`.
    pub kind: String,
    pub sku: String,
    pub node: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub units: Qty,
    /// The ASN a purchase became, or the transfer order.
    pub record: String,
    pub approved_at: String,
    pub approved_by: String,
}

/// What approving answers: the approval with the ASN or transfer order it made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Approved {
    pub approval: PlanApproval,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<crate::warehouse::Asn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<TransferOrder>,
}

/// The processes a labor standard may be set for.
pub const LABOR_PROCESSES: [&str; 7] = [
    "receive", "put_away", "pick", "pack", "ship", "returns", "count",
];

/// An edited labor standard: it replaces the rate learned from the events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LaborStandardInput {
    /// Units per labor hour, above 0 and at most 1,000,000.
    pub units_per_hour: f64,
    /// Paid hours less breaks (default 7.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub productive_hours_per_shift: Option<f64>,
    /// Share of productive time on the standard's work (default 0.85).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization: Option<f64>,
}

/// A labor standard as stored: the edit, who made it and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LaborStandard {
    pub process: String,
    pub units_per_hour: f64,
    pub productive_hours_per_shift: f64,
    pub utilization: f64,
    pub set_at: String,
    pub set_by: String,
}
