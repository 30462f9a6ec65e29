//! tote-sourcing: which nodes fulfil an order, at what cost, and why.
//! Owns: node fulfilment profiles and channel policies (plain data), available-to-promise
//! per channel, the single-order search (exact over node subsets, fewest shipments first),
//! the cost model (shipping estimate + handling + split penalty), look-ahead dual prices
//! from a transportation LP, batch re-sourcing of many orders as one MIP, and the sourcing
//! simulation behind `tote bench sourcing`.
//! Must not depend on: tote-store, tote-server, tote-oms, tokio, sqlx. Plain data in, plan out.
//!
//! ```
//! use tote_sourcing::{decide, ChannelPolicy, FlatRate, LineInput, NodeInput, NodeProfile, Request};
//! let profile = NodeProfile::default();
//! let nodes = [NodeInput::new("DC1", &profile, vec![5])];
//! let lines = [LineInput { sku: 1, qty: 2, weight_g: 500, value_cents: 1900 }];
//! let policy = ChannelPolicy::default();
//! let d = decide(&Request { lines: &lines, nodes: &nodes, policy: &policy }, &mut FlatRate::default());
//! assert_eq!(d.shipments[0].node, "DC1");
//! ```

pub mod batch;
pub mod lookahead;
pub mod model;
pub mod promise;
pub mod search;
pub mod ship;
pub mod sim;

pub use model::{Caps, ChannelPolicy, NodeProfile, Rules, channel_available};
pub use search::{
    Considered, Decision, LineInput, NodeInput, Rejected, Request, SEARCH_NODES_MAX, Shipment,
    UnitPrice, decide,
};
pub use ship::{FlatRate, ShipCost, TransportRater, zone_estimate};
