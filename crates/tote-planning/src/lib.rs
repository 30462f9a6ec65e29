//! tote-planning: demand forecasts, inventory policy, labor plans, peak simulation.
//! Owns: the numbers a planner decides with, from history given as plain data.
//! Must not depend on: tote-store, tote-server, tokio, sqlx. Plain data in and out.

pub mod accuracy;
pub mod cli;
pub mod forecast;
pub mod history;
pub mod inventory;
pub mod labor;
pub mod normal;
pub mod peak;

pub use history::{InputError, Period, Series, parse_history};
