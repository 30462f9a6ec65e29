//! tote-oms: order management and the inventory commands, run by the single writer.
//! Owns: the `Engine` (the writer's state machine: catalog, network, books, open
//! orders, idempotency keys), the commands and their outcomes, and sourcing.
//! Must not depend on: tote-server, HTTP, async runtimes, the clock (time arrives
//! with each command). Talks to storage only through tote-store's traits.

pub mod command;
pub mod engine;
pub mod omni;
pub mod planning;
pub mod returns;
pub mod warehouse;

pub use command::{
    AdjustmentInput, AdjustmentLine, Applied, Command, Envelope, IdempotencyKey, MetricsSettings,
    OpError, Outcome, ReceiptInput, ReceiptLine, UpsertMode,
};
pub use engine::Engine;
