//! What the writer hands the store: one commit group, and what it loads at start.

use tote_core::{Location, Node, Order, OrderId, OrgId, Qty, Sku, Timestamp, TransferId};
use tote_ledger::{Account, AccountId, Balance, CommitDelta};

/// An order to insert or replace: the columns queries filter on, and the order
/// itself serialised once, by the writer, as it answers.
#[derive(Debug, Clone)]
pub struct OrderRow {
    pub id: OrderId,
    pub org: OrgId,
    pub channel: String,
    pub external_id: String,
    pub status: tote_core::OrderStatus,
    pub placed_at: Timestamp,
    pub body: String,
}

impl OrderRow {
    pub fn new(id: OrderId, placed_at: Timestamp, order: &Order) -> OrderRow {
        OrderRow {
            id,
            org: order.org,
            channel: order.channel.clone(),
            external_id: order.external_id.clone(),
            status: order.status,
            placed_at,
            body: serde_json::to_string(order).expect("orders serialise"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub seq: u64,
    pub at: Timestamp,
    pub event: tote_core::Event,
}

/// A mutation's first answer, kept so that a retry with the same key gets it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub org: OrgId,
    pub key: String,
    pub request_hash: [u8; 32],
    pub at: Timestamp,
    /// HTTP-independent outcome, serialised by the caller.
    pub outcome: String,
}

/// A node's fulfilment profile or a channel's sourcing policy, as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcingConfigRow {
    pub org: OrgId,
    /// `node` or `channel`.
    pub kind: String,
    pub code: String,
    pub body: String,
}

/// A warehouse record (ASN, wave, pick list, shipment, manifest, count...) to
/// insert or replace, serialised by the writer. `kind` names the record type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocRow {
    pub org: OrgId,
    pub kind: String,
    pub id: String,
    pub body: String,
}

/// Everything one commit group changed. Committed in one transaction.
#[derive(Debug, Default)]
pub struct CommitGroup {
    pub ledger: CommitDelta,
    pub skus: Vec<Sku>,
    pub nodes: Vec<Node>,
    pub locations: Vec<Location>,
    pub orders: Vec<OrderRow>,
    pub events: Vec<NewEvent>,
    pub idempotency: Vec<IdempotencyRecord>,
    pub sourcing_config: Vec<SourcingConfigRow>,
    pub docs: Vec<DocRow>,
}

impl CommitGroup {
    pub fn is_empty(&self) -> bool {
        self.ledger.transfers.is_empty()
            && self.ledger.new_accounts.is_empty()
            && self.ledger.balances.is_empty()
            && self.skus.is_empty()
            && self.nodes.is_empty()
            && self.locations.is_empty()
            && self.orders.is_empty()
            && self.events.is_empty()
            && self.idempotency.is_empty()
            && self.sourcing_config.is_empty()
            && self.docs.is_empty()
    }

    pub fn clear(&mut self) {
        self.ledger = CommitDelta::default();
        self.skus.clear();
        self.nodes.clear();
        self.locations.clear();
        self.orders.clear();
        self.events.clear();
        self.idempotency.clear();
        self.sourcing_config.clear();
        self.docs.clear();
    }
}

/// The durable state the writer rebuilds its memory from.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub skus: Vec<Sku>,
    pub nodes: Vec<Node>,
    pub locations: Vec<Location>,
    pub accounts: Vec<(AccountId, Account, Balance)>,
    pub pending: Vec<(TransferId, AccountId, AccountId, Qty)>,
    pub next_transfer: TransferId,
    /// Orders that still hold or wait for stock.
    pub open_orders: Vec<Order>,
    /// Every order's (org, channel, external id), to refuse duplicates.
    pub external_ids: Vec<(OrgId, String, String, OrderId)>,
    pub next_order: OrderId,
    pub next_event_seq: u64,
    pub idempotency: Vec<IdempotencyRecord>,
    pub sourcing_config: Vec<SourcingConfigRow>,
    /// Every warehouse record, in (kind, insertion) order.
    pub docs: Vec<DocRow>,
}
