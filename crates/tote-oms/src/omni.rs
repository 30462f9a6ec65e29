//! What the sourcing commands take and answer: node profiles, channel policies,
//! availability per channel and delivery promises. The decisions themselves are
//! tote-sourcing's; the engine (`engine::omni_engine`) feeds it the books.

use serde::{Deserialize, Serialize};
use tote_core::Qty;
pub use tote_sourcing::{ChannelPolicy, Decision, NodeProfile};

/// The carrier service sourcing rates parcels with (from the example carrier set).
pub const SOURCING_SERVICE: &str = "parcelo/ground";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodeProfileView {
    pub node: String,
    pub profile: NodeProfile,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelPolicyView {
    pub channel: String,
    pub policy: ChannelPolicy,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvailabilityQuery {
    pub sku: String,
    pub channel: String,
}

/// Units of one SKU at one node: what the ledger has and what the channel may promise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodeAvailability {
    pub node: String,
    pub kind: String,
    /// On-hand less reserved, from the ledger.
    pub available: i64,
    /// What the channel may promise: less the store buffer, times its share, at most its cap.
    pub channel_available: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailabilityView {
    pub sku: String,
    pub channel: String,
    /// Sum of `channel_available` over the nodes.
    pub total: i64,
    pub nodes: Vec<NodeAvailability>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromiseQuery {
    pub sku: String,
    pub qty: Qty,
    pub postal_code: String,
    pub country: String,
    pub channel: String,
}

/// The earliest delivery one service offers, from the node that gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PromiseOption {
    /// `carrier/service`.
    pub service: String,
    pub service_name: String,
    pub node: String,
    /// Carrier pickup date at the node, `YYYY-MM-DD`.
    pub ship_on: String,
    pub deliver_on: String,
    pub transit_days: u32,
    /// Decimal string, in `currency`.
    pub cost: String,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PromiseView {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
    pub channel: String,
    /// One per service that can deliver, earliest first (ties: cheaper).
    pub options: Vec<PromiseOption>,
}

/// A node could not fill its part of an order line (a store did not find the units).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RejectInput {
    /// The node giving the units back.
    pub node: String,
    /// The line's SKU.
    pub sku: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A 3PL's or drop-ship vendor's stock as it reports it: the units on hand
/// now, per SKU. The difference from the books is booked as adjustments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StockFeedInput {
    pub lines: Vec<StockFeedLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StockFeedLine {
    pub sku: String,
    /// Units on hand at the partner now (0 or more).
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 0))]
    pub qty: Qty,
}

/// One SKU of a feed: what the books held, what the partner reports, and the
/// difference booked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockFeedResult {
    pub sku: String,
    pub was: i64,
    pub now: i64,
    /// `now - was`, booked as a `count_variance` adjustment (0: nothing booked).
    pub booked: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockFeedView {
    pub node: String,
    pub lines: Vec<StockFeedResult>,
    /// The adjustment that booked the differences; absent when nothing changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<crate::command::Movement>,
}
