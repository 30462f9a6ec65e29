//! tote-metrics: the one definition of every KPI in DOMAIN.md.
//! Owns: metric accumulators fed fact by fact, their cuts (node, channel, carrier,
//! 3PL, SKU) and periods, targets and trends.
//! Must not depend on: tote-store, tote-server, tokio, sqlx. Plain data in and out.
//!
//! Each metric is an accumulator (`observe`, `retract`, `merge`, `value`) whose doc
//! comment is its DOMAIN.md definition. A `Cube` keeps one metric per day and cut
//! value; the `Board` holds every cube, so a dashboard query merges at most a
//! period's days instead of rescanning facts.

pub mod backlog;
pub mod board;
pub mod cost;
pub mod cube;
pub mod durations;
pub mod exceptions;
pub mod fact;
pub mod inventory;
pub mod live;
pub mod observe;
pub mod orders;
pub mod period;
pub mod present;
pub mod project;
pub mod ratio;
pub mod report;
pub mod returns;
pub mod settings;
pub mod shipments;

pub use backlog::{AgedBacklog, BACKLOG_AGE_HOURS, Backlog};
pub use board::{Better, Board, Fact, Metric, Reading, Value};
pub use cost::{CostPerOrder, HourlyThroughput, UnitsPerHour};
pub use cube::Cube;
pub use durations::{DurationSketch, Durations, EXACT_SAMPLES_MAX};
pub use exceptions::{Exception, ExceptionKind, ExceptionRules, exceptions};
pub use fact::{
    AdjustmentFact, AdjustmentReason, Cancellation, CarrierId, ChannelId, CostFact, CountFact, Cut,
    Cuts, InventorySnapshot, LaborFact, OrderFact, OrderLineFact, ReceiptFact, ReturnFact,
    ShipmentFact, ShippingErrors, Step,
};
pub use inventory::{
    Carrying, CarryingCost, DaysOfSupply, DockToStock, InventoryAccuracy, InventoryTurns,
    InventoryValue, ShrinkRate, StockoutRate, Supply, Turns,
};
pub use live::{CARRYING_RATE_ANNUAL, Live};
pub use observe::{Accumulator, Observe};
pub use orders::{
    ClickToDoor, DamageRate, OrderAccuracy, OrderCycleTime, OrderFillRate, Otif, UnitFillRate,
};
pub use period::{Day, Period};
pub use project::{EventIn, OrderState, Projector, ShortPick, Stage};
pub use ratio::{CountRatio, MoneyRatio, Sign};
pub use returns::{RecoveryRate, ReturnRate, ReturnToSell};
pub use settings::{
    Measure, MeasureScore, MeasureSetting, Scorecard, ScorecardConfig, ScorecardKind, Targets,
};
pub use shipments::{CarrierOnTime, OnTimeShip};
