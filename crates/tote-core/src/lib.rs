//! tote-core: the domain's vocabulary as types.
//! Owns: IDs, quantities, money, dimensions, addresses, GTINs, catalog and network
//! records, orders and events as plain data, and the field-level validation of each.
//! Must not depend on: any other tote crate, databases, HTTP, async runtimes.

pub mod catalog;
pub mod event;
pub mod gtin;
pub mod ids;
pub mod limits;
pub mod order;
pub mod qty;
pub mod time;
pub mod validate;

pub use catalog::{Address, Location, LocationInput, Node, NodeInput, NodeKind, Sku, SkuInput};
pub use event::{Event, EventKind};
pub use gtin::Gtin;
pub use ids::{LocationId, NodeId, OrderId, OrgId, OwnerId, SkuId, TransferId};
pub use order::{Allocation, Channel, Order, OrderInput, OrderLine, OrderLineInput, OrderStatus};
pub use qty::{Money, Qty};
pub use time::Timestamp;
pub use validate::{FieldError, Invalid};
