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

/// What 3PLs and drop-ship vendors do through the writer.
#[derive(Clone, Debug)]
pub enum PartnerCommand {
    /// `(node, feed)`.
    Stock(String, StockFeedInput),
    /// The node's open fulfilment requests.
    Requests(String),
    /// `(node, request id)`.
    Acknowledge(String, String),
    Reject(String, String, PartnerRejectInput),
    Ship(String, String, PartnerShipInput),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum PartnerOutcome {
    Stock(StockFeedView),
    Request(Box<PartnerRequest>),
    Requests(PartnerRequestsView),
}

/// Units of one SKU a partner is asked to ship.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerRequestLine {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
}

/// An order's part sourced to a 3PL or drop-ship vendor: what to ship, where,
/// and by when. `open` -> `acknowledged` -> `shipped`; or `rejected` (the
/// units are sourced again) or `cancelled` (the order was).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerRequest {
    /// `order-node`, such as `O12-V1`.
    pub id: String,
    pub order: String,
    pub node: String,
    pub status: String,
    pub lines: Vec<PartnerRequestLine>,
    pub ship_to: tote_core::Address,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub deliver_by: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl PartnerRequest {
    pub fn is_open(&self) -> bool {
        matches!(self.status.as_str(), "open" | "acknowledged")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerRequestsView {
    pub node: String,
    /// Open and acknowledged requests, oldest order first.
    pub requests: Vec<PartnerRequest>,
}

/// The partner cannot ship a request: its units are sourced again elsewhere.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartnerRejectInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The partner shipped a request: the carrier and the tracking number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartnerShipInput {
    pub carrier: String,
    pub tracking: String,
}

/// What store associates do through the writer.
#[derive(Clone, Debug)]
pub enum StoreCommand {
    /// The store's open tasks.
    Tasks(String),
    /// `(node, task id)`: the units are picked.
    Picked(String, String),
    /// A pickup order is picked and staged: the customer may come.
    Ready(String, String),
    Collected(String, String, CollectInput),
    Shipped(String, String, PartnerShipInput),
    Reject(String, String, PartnerRejectInput),
    /// The end-of-day sweep: ready pickup orders past their collect-by day
    /// are cancelled and their units return to stock.
    Expire(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum StoreOutcome {
    Task(Box<StoreTask>),
    Tasks(StoreTasksView),
}

/// A store associate's task: pick an order's units for in-store pickup or to
/// ship from the store. `open` -> `picked` -> `ready` (pickup) -> `collected`,
/// or -> `shipped`; or `rejected` (the units are sourced again) or `cancelled`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreTask {
    /// `order-node`, such as `O12-S1`.
    pub id: String,
    pub order: String,
    pub node: String,
    /// `pickup` or `ship`.
    pub kind: String,
    pub status: String,
    pub lines: Vec<PartnerRequestLine>,
    /// The day the task is worked: the first day from the order with room in
    /// the store's daily capacity (`capacity_orders_day`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub due_on: chrono::NaiveDate,
    /// The code the customer shows at collection; set when the order is ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_code: Option<String>,
    /// A ready pickup order not collected by the end of this day is cancelled
    /// by the sweep (`POST /v1/stores/{node}/tasks/expire`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub collect_by: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl StoreTask {
    pub fn is_open(&self) -> bool {
        matches!(self.status.as_str(), "open" | "picked" | "ready")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreTasksView {
    pub node: String,
    /// Open tasks, by due day then order.
    pub tasks: Vec<StoreTask>,
}

/// The customer collects a ready pickup order, showing its code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CollectInput {
    pub code: String,
}

/// Recompute the look-ahead prices from recent demand.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LookAheadInput {
    /// Days of order history the demand rate is taken over (default 28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_days: Option<u32>,
    /// Days of future demand the prices protect (default 28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionDemand {
    /// Country and the postal code's first three characters, such as `US-021`.
    pub region: String,
    pub units_in_window: i64,
    /// Units expected over the horizon (scaled to the stock when short).
    pub forecast: f64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodePrice {
    pub node: String,
    /// What one unit here is worth to the demand to come, in cents.
    pub cents: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookAheadSku {
    pub sku: String,
    pub demand: Vec<RegionDemand>,
    pub prices: Vec<NodePrice>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookAheadView {
    pub refreshed_at: String,
    pub window_days: u32,
    pub horizon_days: u32,
    pub skus: Vec<LookAheadSku>,
}

/// Re-source open orders not yet released to the floor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReplanInput {
    /// Move an order only when its new plan costs this much less (default 100
    /// cents) or fills more units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_cents: Option<i64>,
    /// Only orders with backordered units.
    #[serde(default)]
    pub backordered_only: bool,
    /// Report what would move and move nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// One order the replan moved (or would move).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplanMove {
    pub order: String,
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub cost_before_cents: i64,
    pub cost_after_cents: i64,
    pub backordered_before: i64,
    pub backordered_after: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplanView {
    pub considered: usize,
    pub moved: Vec<ReplanMove>,
    /// Sum of cost before less cost after over the moved orders.
    pub saving_cents: i64,
    pub dry_run: bool,
    /// Candidate plans weighed over all orders (each order's current one included).
    pub plans: usize,
    /// Whether the plans were chosen by the MIP's optimum (false: first come,
    /// because the batch was too large or the solver failed; `note` says which).
    pub exact: bool,
    pub solver_ms: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}
