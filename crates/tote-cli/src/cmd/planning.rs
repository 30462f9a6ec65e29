//! Demand forecasts and their accuracy.

use super::{bad_input, read_text};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Forecast every series of a history, or backtest the models on it.
    Forecast {
        /// CSV with the header `series,period,value` (period YYYY-MM, YYYY-Qn or YYYY-MM-DD).
        #[arg(long)]
        history: PathBuf,
        /// Periods to forecast.
        #[arg(long)]
        horizon: usize,
        /// Season length; inferred from the periods when absent (12 monthly, 4 quarterly, 7 daily).
        #[arg(long)]
        season: Option<usize>,
        /// Quantiles to add as columns, such as 0.1,0.5,0.9.
        #[arg(long, value_delimiter = ',')]
        quantiles: Vec<f64>,
        /// Known events: CSV `series,period,event` (an empty series means every series); each event kind's uplift is learned from the history and applied to the future periods that carry it.
        #[arg(long)]
        events: Option<PathBuf>,
        /// Add the built-in holiday calendar (New Year, Easter, Black Friday, Christmas, ...) as events.
        #[arg(long)]
        holidays: bool,
        /// Report accuracy (MASE, sMAPE, RMSSE, WRMSSE, bias, coverage) over rolling origins instead.
        #[arg(long)]
        backtest: bool,
        /// Rolling origins for --backtest.
        #[arg(long, default_value_t = 3)]
        origins: usize,
    },
}

pub fn run(cmd: Command) -> anyhow::Result<()> {
    let Command::Forecast {
        history,
        horizon,
        season,
        quantiles,
        events,
        holidays,
        backtest,
        origins,
    } = cmd;
    let csv = read_text(&history)?;
    let events = events.map(|p| read_text(&p)).transpose()?;
    let out = if backtest {
        tote_planning::cli::backtest(&csv, horizon, season, origins)
    } else {
        tote_planning::cli::forecast_with_events(
            &csv,
            horizon,
            season,
            &quantiles,
            events.as_deref(),
            holidays,
        )
    }
    .map_err(bad_input)?;
    crate::emit(&out)
}
