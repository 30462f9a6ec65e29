//! tote-wms: the warehouse-execution rules, as plain functions over plain data.
//! Owns: a node's layout (location -> aisle and position for picker routing),
//! put-away suggestion rules, wave selection rules, pick-list building (batching
//! and walking order through tote-routing), and carton choice for a pack (through
//! tote-packing).
//! Must not depend on: tote-store, tote-server, tote-oms, tokio, HTTP, the clock.
//! The writer (tote-oms) loads state, calls these, and makes the ledger moves.

pub mod layout;
pub mod pack;
pub mod putaway;
pub mod wave;

pub use layout::{LayoutError, NodeLayout};
pub use pack::{CartonChoice, PackItem, choose_carton, default_cartons};
pub use putaway::{PutawayCandidate, PutawaySku, Suggestion, VelocityClass, suggest_putaway};
pub use wave::{
    PickLine, PickList, PickStop, WaveCandidate, WaveOrder, WaveRules, build_pick_lists,
    code_order_distance_m, select_wave, walk_m,
};
