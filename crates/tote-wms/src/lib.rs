//! tote-wms: the warehouse-execution rules, as plain functions over plain data.
//! Owns: a node's layout (location -> aisle and position for picker routing),
//! put-away suggestion rules, wave selection rules, cycle-count programs and
//! inventory accuracy, pick-list building (batching
//! and walking order through tote-routing), and carton choice for a pack (through
//! tote-packing).
//! Must not depend on: tote-store, tote-server, tote-oms, tokio, HTTP, the clock.
//! The writer (tote-oms) loads state, calls these, and makes the ledger moves.

pub mod count;
pub mod layout;
pub mod pack;
pub mod putaway;
pub mod wave;

pub use count::{
    Accuracy, CountCandidate, CountedLine, abc_classes, counts_due, inventory_accuracy,
};
pub use layout::{LayoutError, NodeLayout};
pub use pack::{CartonChoice, PackItem, choose_carton, default_cartons};
pub use putaway::{PutawayCandidate, PutawaySku, Suggestion, VelocityClass, suggest_putaway};
pub use wave::{
    CarrierCutoff, PickLine, PickList, PickStop, RuleError, WaveCandidate, WaveOrder, WaveRules,
    build_pick_lists, code_order_distance_m, rule_time, select_wave, walk_m,
};
