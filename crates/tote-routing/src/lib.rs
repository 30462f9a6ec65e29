//! tote-routing: picker routing and order batching in parallel-aisle warehouses.
//! Owns: walking distances on the aisle graph, exact and heuristic routes, batches.
//! Must not depend on: tote-store, tote-server, tokio, sqlx. Plain data in and out.
//!
//! The model is a block layout (see [`Layout`]); a pick list is a slice of
//! [`Pick`]s; [`route`] returns a [`Route`] by any [`Method`], and
//! [`batch_orders`] groups orders into picker trips. The [`cli`] module is the
//! JSON layer the `tote` binary calls.

mod batch;
pub mod cli;
mod error;
mod exact;
mod exhaustive;
mod frontier;
mod grid;
mod heuristics;
mod improve;
mod layout;
mod route;
mod tour;

pub use batch::{Batch, BatchParams, BatchPlan, OrderPicks, batch_orders, fcfs_batches};
pub use error::InputError;
pub use exact::{EXACT_CROSS_AISLES_MAX, PROGRAM_CROSS_AISLES_MAX};
pub use exhaustive::{EXHAUSTIVE_SPOTS_MAX, exhaustive_route};
pub use layout::{LAYOUT_AISLES_MAX, LAYOUT_CROSS_AISLES_MAX, Layout, Pick};
pub use route::{
    Method, Route, Router, exact_route, improve_route, is_exact, near_optimal_route, optimal_route,
    route, sequence_distance_m,
};
