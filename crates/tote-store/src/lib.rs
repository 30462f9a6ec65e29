//! tote-store: persistence. SQLite by default; the traits are what a PostgreSQL
//! backend implements to run several API nodes.
//! Owns: the schema and its migrations, every SQL statement, loading the books at
//! start, committing one commit group in one transaction, and the read queries.
//! Must not depend on: tote-oms, tote-server, HTTP. Only this crate writes SQL.

mod codec;
pub mod group;
pub mod query;
mod schema;
pub mod sqlite;

pub use group::{
    CommitGroup, DocRow, IdempotencyRecord, NewEvent, OrderRow, Snapshot, SourcingConfigRow,
};
pub use query::{
    DemandLine, EventPage, InventoryFilter, InventoryRow, OrderFilter, OrderPage, Page,
};
pub use sqlite::{SqliteReader, SqliteStore, WalLimits};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored record is corrupt: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the data directory {0} is in use by another tote process")]
    Locked(String),
}

/// The writer's side of a backend: load the books once, then commit groups.
pub trait Journal: Send + 'static {
    fn load(&mut self, idempotency_since: tote_core::Timestamp) -> Result<Snapshot, StoreError>;
    /// Persists the group atomically and durably, or not at all.
    fn commit(&mut self, group: &CommitGroup) -> Result<(), StoreError>;
}

/// The readers' side: committed state only, from any thread.
pub trait Queries: Send + Sync + 'static {
    fn order(
        &self,
        org: tote_core::OrgId,
        id: tote_core::OrderId,
    ) -> Result<Option<tote_core::Order>, StoreError>;
    fn orders(&self, org: tote_core::OrgId, filter: &OrderFilter) -> Result<OrderPage, StoreError>;
    fn inventory(
        &self,
        org: tote_core::OrgId,
        filter: &InventoryFilter,
    ) -> Result<Page<InventoryRow>, StoreError>;
    fn events(
        &self,
        org: tote_core::OrgId,
        after: u64,
        limit: usize,
    ) -> Result<EventPage, StoreError>;
    fn sku(&self, org: tote_core::OrgId, code: &str) -> Result<Option<tote_core::Sku>, StoreError>;
    fn skus(
        &self,
        org: tote_core::OrgId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<tote_core::Sku>, StoreError>;
    fn node(
        &self,
        org: tote_core::OrgId,
        code: &str,
    ) -> Result<Option<tote_core::Node>, StoreError>;
    fn nodes(&self, org: tote_core::OrgId) -> Result<Vec<tote_core::Node>, StoreError>;
    /// The first answer stored under an idempotency key.
    fn idempotent_outcome(
        &self,
        org: tote_core::OrgId,
        key: &str,
    ) -> Result<Option<String>, StoreError>;
    fn locations(
        &self,
        org: tote_core::OrgId,
        node: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<tote_core::Location>, StoreError>;
    /// One warehouse record's JSON body by kind and id.
    fn doc(
        &self,
        _org: tote_core::OrgId,
        _kind: &str,
        _id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(None)
    }
    /// Demand from the orders not cancelled placed at or after `since`
    /// (microseconds since the epoch), one row per SKU and node of each order
    /// line, oldest first; at most `query::DEMAND_ORDERS_MAX` orders.
    fn demand_lines(
        &self,
        _org: tote_core::OrgId,
        _since: i64,
    ) -> Result<Vec<DemandLine>, StoreError> {
        Ok(Vec::new())
    }
    /// Warehouse records of a kind in the order they were first written, after
    /// the cursor `after` (a row's `seq`), whose JSON fields at the given paths
    /// (such as `$.status`) equal the given texts. Each item is (seq, body).
    fn docs_page(
        &self,
        _org: tote_core::OrgId,
        _kind: &str,
        _filters: &[(&'static str, String)],
        _after: Option<i64>,
        _limit: usize,
    ) -> Result<crate::query::Page<(i64, String)>, StoreError> {
        Ok(crate::query::Page {
            items: Vec::new(),
            more: false,
        })
    }
    /// The newest warehouse records of a kind, newest first.
    fn docs(
        &self,
        _org: tote_core::OrgId,
        _kind: &str,
        _limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        Ok(Vec::new())
    }
}
