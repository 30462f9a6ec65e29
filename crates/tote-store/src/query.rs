//! Read queries' filters and pages.

use serde::Serialize;
use tote_core::{Event, Order};

/// The most rows one page may hold.
pub const PAGE_ROWS_MAX: usize = 1_000;

#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<String>,
    pub channel: Option<String>,
    pub external_id: Option<String>,
    /// Orders with a smaller id than this (newest first).
    pub before_id: Option<u64>,
    pub limit: usize,
}

#[derive(Debug, Clone)]
pub struct OrderPage {
    pub items: Vec<Order>,
    /// The id to pass as `before_id` for the next page; None on the last page.
    pub next_before_id: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct EventPage {
    pub items: Vec<Event>,
    /// The last `seq` on this page: pass it as `after` for the next.
    pub last_seq: Option<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct InventoryFilter {
    pub sku: Option<String>,
    pub node: Option<String>,
    /// One row per location instead of per node.
    pub by_location: bool,
    /// Rows after this (sku, node, location) key.
    pub after: Option<(String, String, String)>,
    pub limit: usize,
}

/// Units of one SKU at one node (or location), by bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InventoryRow {
    pub node: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub sku: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
    pub damaged: i64,
    pub quarantine: i64,
    pub returns_pending: i64,
    pub refurbish: i64,
    pub liquidation: i64,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub more: bool,
}

/// The bound on order rows one demand-history read scans, newest first.
pub const DEMAND_ORDERS_MAX: usize = 2_000_000;

/// Units of one SKU demanded by one order: where it was allocated (None for
/// units backordered) and when and on which channel it was placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandLine {
    /// Microseconds since the Unix epoch.
    pub placed_at: i64,
    pub channel: String,
    pub sku: String,
    pub node: Option<String>,
    pub qty: i64,
}
