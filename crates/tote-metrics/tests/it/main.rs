//! Metric rules on small hand-worked fact sets, the board's cuts and periods, and
//! the property that merging accumulators equals observing all their facts.

mod board;
mod definitions;
mod events;
mod inventory;
mod merge;
mod orders;
mod report;
mod returns_and_cost;
mod shipments;
mod support;
