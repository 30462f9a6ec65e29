//! Cartonization and carton-set studies.

use super::{bad_input, read_text};
use crate::Exit;
use std::path::PathBuf;
use tote_packing::cli::InputError;

#[derive(clap::Args)]
pub struct Pack {
    /// The carton options, as JSON.
    #[arg(long)]
    cartons: PathBuf,
    /// The order's items, as JSON (one line per SKU with its qty).
    #[arg(long)]
    items: PathBuf,
    /// A parcel rate table: then the goal is least total cost, not fewest cartons.
    #[arg(long)]
    rates: Option<PathBuf>,
    /// List items that fit no carton under `unpacked` instead of failing.
    #[arg(long)]
    allow_unpacked: bool,
    /// Check a packing result instead (no overlap, containment, weights, each unit once).
    #[arg(long, value_name = "RESULT.json")]
    check: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
pub enum Study {
    /// Choose the k carton sizes that minimise shipping and packaging cost over past orders.
    Cartons {
        #[arg(long)]
        orders: PathBuf,
        #[arg(long)]
        candidates: PathBuf,
        #[arg(long)]
        k: usize,
        /// The carton set in use today, to report the saving against.
        #[arg(long)]
        current: Option<PathBuf>,
        #[arg(long)]
        rates: Option<PathBuf>,
    },
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Choose cartons and place every unit, or check a packing result.
    Pack(Pack),
    /// Network and packaging studies.
    #[command(subcommand)]
    Study(Study),
}

fn optional(path: Option<&PathBuf>) -> anyhow::Result<Option<String>> {
    path.map(|p| read_text(p)).transpose()
}

pub fn run(cmd: Command) -> anyhow::Result<()> {
    let out = match cmd {
        Command::Pack(p) => {
            let (cartons, items) = (read_text(&p.cartons)?, read_text(&p.items)?);
            match &p.check {
                Some(result) => {
                    match tote_packing::cli::check(&read_text(result)?, &cartons, &items) {
                        Ok(report) => report,
                        // The check ran and found violations: exit 1, as for any failed check.
                        Err(e @ InputError::Invalid { .. }) => {
                            return Err(Exit::new(1, e.to_string()).into());
                        }
                        Err(e) => return Err(bad_input(e)),
                    }
                }
                None => {
                    let rates = optional(p.rates.as_ref())?;
                    tote_packing::cli::pack(&cartons, &items, rates.as_deref(), p.allow_unpacked)
                        .map_err(bad_input)?
                }
            }
        }
        Command::Study(Study::Cartons {
            orders,
            candidates,
            k,
            current,
            rates,
        }) => {
            let current = optional(current.as_ref())?;
            let rates = optional(rates.as_ref())?;
            tote_packing::cli::study_cartons(
                &read_text(&orders)?,
                &read_text(&candidates)?,
                k,
                current.as_deref(),
                rates.as_deref(),
            )
            .map_err(bad_input)?
        }
    };
    crate::emit(&out)
}
