//! Carriers, rating, rate shopping, labels, manifests, customs and tracking.

use super::{bad_input, read_text, write_out};
use std::path::PathBuf;
use tote_transport::cli;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Carrier tables: `tote carriers import DIR` checks a directory of CSV tables.
    #[command(subcommand)]
    Carriers(Carriers),
    /// Price a parcel with each requested service, every charge itemised.
    Rate(WithCarriers),
    /// The cheapest service that meets the deliver-by date, or the fastest, flagged late.
    RateShop(WithCarriers),
    /// A 4x6 shipping label as ZPL or PDF.
    Label(Document),
    /// The end-of-day list of shipments for a carrier pickup, as CSV or PDF.
    Manifest(Document),
    /// Duties and import VAT for an international shipment.
    Customs(Request),
    /// A commercial invoice as PDF.
    Invoice(Document),
    /// Tracking events (CSV): `--events F` reports shipment states and carrier
    /// on-time offline; `track import F.csv --server URL` applies them to a
    /// running server's shipments and orders.
    #[command(args_conflicts_with_subcommands = true)]
    Track {
        #[command(subcommand)]
        import: Option<Track>,
        /// CSV of tracking events.
        #[arg(long)]
        events: Option<PathBuf>,
    },
}

#[derive(clap::Subcommand)]
pub enum Track {
    /// Post a tracking CSV (`tracking,status,at,location,detail`) to a running
    /// server, in chunks, with a progress bar; refused rows are listed by
    /// their row in the file (exit 1 when any was refused).
    Import(crate::cmd::track_import::Args),
}

#[derive(clap::Subcommand)]
pub enum Carriers {
    /// Check a directory of carrier tables and summarise it.
    Import { dir: PathBuf },
}

#[derive(clap::Args)]
pub struct WithCarriers {
    /// The request, as JSON (see crates/tote-transport/requests/ for examples).
    #[arg(long)]
    request: PathBuf,
    /// A directory of carrier tables; the example carriers when absent.
    #[arg(long)]
    carriers: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct Request {
    #[arg(long)]
    request: PathBuf,
}

#[derive(clap::Args)]
pub struct Document {
    #[arg(long)]
    request: PathBuf,
    /// zpl or pdf (labels), csv or pdf (manifests); invoices are pdf.
    #[arg(long, default_value = "pdf")]
    format: String,
    /// Where to write it; standard output when absent.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn carriers(dir: Option<&PathBuf>) -> anyhow::Result<tote_transport::CarrierSet> {
    match dir {
        Some(d) => cli::load_carriers(d).map_err(bad_input),
        None => Ok(cli::example_carriers()),
    }
}

pub fn run(cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::Carriers(Carriers::Import { dir }) => {
            let set = cli::load_carriers(&dir).map_err(bad_input)?;
            crate::emit(&cli::import_summary(&set))
        }
        Command::Rate(a) => {
            let out = cli::rate(&carriers(a.carriers.as_ref())?, &read_text(&a.request)?)
                .map_err(bad_input)?;
            crate::emit(&format!("{out}\n"))
        }
        Command::RateShop(a) => {
            let out = cli::rate_shop(&carriers(a.carriers.as_ref())?, &read_text(&a.request)?)
                .map_err(bad_input)?;
            crate::emit(&format!("{out}\n"))
        }
        Command::Label(d) => {
            let bytes = cli::label(&read_text(&d.request)?, &d.format).map_err(bad_input)?;
            write_out(d.out.as_ref(), &bytes)
        }
        Command::Manifest(d) => {
            let bytes = cli::manifest(&read_text(&d.request)?, &d.format).map_err(bad_input)?;
            write_out(d.out.as_ref(), &bytes)
        }
        Command::Invoice(d) => {
            let bytes = cli::commercial_invoice(&read_text(&d.request)?).map_err(bad_input)?;
            write_out(d.out.as_ref(), &bytes)
        }
        Command::Customs(r) => {
            let out = cli::customs_estimate(&read_text(&r.request)?).map_err(bad_input)?;
            crate::emit(&format!("{out}\n"))
        }
        Command::Track {
            import: Some(Track::Import(args)),
            ..
        } => crate::cmd::track_import::run(args),
        Command::Track {
            import: None,
            events: Some(events),
        } => {
            let out = cli::track(&read_text(&events)?).map_err(bad_input)?;
            crate::emit(&format!("{out}\n"))
        }
        Command::Track {
            import: None,
            events: None,
        } => Err(crate::Exit::new(
            2,
            "tote track needs --events FILE.csv, or `import FILE.csv --server URL`",
        )
        .into()),
    }
}
