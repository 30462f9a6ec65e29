//! Picker routing and order batching.

use super::{bad_input, read_text};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Route one pick list through a parallel-aisle warehouse.
    Route {
        /// The layout, as JSON: aisles, aisle_length_m, aisle_spacing_m, cross_aisles, depot_x_m.
        #[arg(long)]
        layout: PathBuf,
        /// The picks, as JSON: [{"aisle": 3, "y_m": 12.5}, ...].
        #[arg(long)]
        picks: PathBuf,
        /// optimal, s-shape, return, midpoint, largest-gap or combined.
        #[arg(long, default_value = "optimal")]
        method: String,
    },
    /// Group orders into picking batches within a cart's capacity.
    Batch {
        #[arg(long)]
        layout: PathBuf,
        /// The orders, as JSON: [{"id": "o1", "picks": [...]}, ...].
        #[arg(long)]
        orders: PathBuf,
        /// The most orders in one batch.
        #[arg(long)]
        capacity: usize,
    },
}

pub fn run(cmd: Command) -> anyhow::Result<()> {
    let out = match cmd {
        Command::Route {
            layout,
            picks,
            method,
        } => tote_routing::cli::route(&read_text(&layout)?, &read_text(&picks)?, &method)
            .map_err(bad_input)?,
        Command::Batch {
            layout,
            orders,
            capacity,
        } => tote_routing::cli::batch(&read_text(&layout)?, &read_text(&orders)?, capacity)
            .map_err(bad_input)?,
    };
    crate::emit(&format!("{out}\n"))
}
