//! tote-packing: cartonization and dimensional weight.
//! Owns: choosing cartons for a set of units; billable weight per carrier rule.
//! Must not depend on: tote-store, tote-server, tokio, sqlx. Plain data in and out.

pub mod cartonize;
pub mod check;
pub mod cli;
pub mod cost;
pub mod dim_weight;
pub mod extreme_points;
pub mod layers;
pub mod lower_bound;
pub mod model;
pub mod split_search;
pub mod study;
