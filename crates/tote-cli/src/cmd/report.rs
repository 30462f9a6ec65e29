//! `tote report weekly`: the weekly operations review, read from a data
//! directory with the store's read side (no server needed, and a running server
//! may keep its books open), written as Markdown and HTML.

use crate::Exit;
use clap::{Args as ClapArgs, Subcommand};
use std::path::PathBuf;
use tote_core::{OrgId, Timestamp};
use tote_metrics::{CARRYING_RATE_ANNUAL, Day, Live, Period};
use tote_store::{Queries, SqliteReader};

#[derive(Subcommand)]
pub enum Command {
    /// The week's KPIs against targets and last week, the top exceptions and
    /// their root causes, and node scorecards: `weekly-YYYY-Www.md` and `.html`.
    Weekly(WeeklyArgs),
}

#[derive(ClapArgs)]
pub struct WeeklyArgs {
    /// The data directory of the books (as given to `tote serve --data`).
    #[arg(long)]
    pub data: PathBuf,
    /// The ISO week, such as 2026-W47; the last full week before today when absent.
    #[arg(long)]
    pub week: Option<String>,
    /// Where to write the two files (created if missing); the current directory when absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(c: Command) -> anyhow::Result<()> {
    match c {
        Command::Weekly(a) => weekly(a),
    }
}

fn year_of(day: Day) -> i32 {
    day.start().to_rfc3339()[..4].parse().unwrap_or(1970)
}

fn jan(year: i32, d: u32) -> Option<Day> {
    Timestamp::parse_rfc3339(&format!("{year:04}-01-{d:02}T00:00:00Z")).map(Day::of)
}

/// The ISO week `YYYY-Www` as a period of days, Monday first.
pub fn parse_week(text: &str) -> Option<Period> {
    let (y, w) = text.split_once("-W")?;
    if y.len() != 4 || w.len() != 2 {
        return None;
    }
    let (year, week): (i32, i32) = (y.parse().ok()?, w.parse().ok()?);
    if !(1..=53).contains(&week) {
        return None;
    }
    // 4 January is always in week 1.
    let first = Period::week_of(jan(year, 4)?);
    let monday = Day(first.from.0 + 7 * (week - 1));
    // Week 53 exists only in years whose last Thursday falls in it.
    (year_of(Day(monday.0 + 3)) == year).then(|| Period::new(monday, Day(monday.0 + 7)))
}

/// The ISO label of the week holding `day`.
pub fn week_label(day: Day) -> String {
    let thursday = Day(Period::week_of(day).from.0 + 3);
    let year = year_of(thursday);
    let week = jan(year, 1).map_or(1, |j| (thursday.0 - j.0) / 7 + 1);
    format!("{year:04}-W{week:02}")
}

fn weekly(a: WeeklyArgs) -> anyhow::Result<()> {
    let week = match &a.week {
        Some(w) => parse_week(w).ok_or_else(|| {
            Exit::new(
                2,
                format!("--week `{w}` is not an ISO week such as 2026-W47"),
            )
        })?,
        None => {
            let today = Day::of(Timestamp(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_micros() as i64)
                    .unwrap_or_default(),
            ));
            let this = Period::week_of(today);
            Period::new(Day(this.from.0 - 7), this.from)
        }
    };
    let label = week_label(week.from);
    let reader = SqliteReader::open(&a.data)
        .map_err(|e| Exit::new(2, format!("cannot read {}: {e}", a.data.display())))?;
    // Only what was known at the end of the week, so the review of a week reads
    // the same whenever it is run.
    let end = week.to.start();
    let mut live = Live::new(CARRYING_RATE_ANNUAL);
    let mut after = 0;
    'read: loop {
        let page = reader.events(OrgId::DEFAULT, after, 1_000)?;
        let n = page.items.len();
        let known: Vec<_> = page
            .items
            .into_iter()
            .take_while(|e| e.at_timestamp().is_some_and(|t| t < end))
            .collect();
        let cut_short = known.len() < n;
        live.apply(&known);
        match page.last_seq {
            Some(last) if n == 1_000 && !cut_short => after = last,
            _ => break 'read,
        }
    }
    live.advance(Timestamp(end.0 - 1));
    let review = tote_metrics::report::review(&live, &label, week);
    let dir = a.out.unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Exit::new(2, format!("cannot create {}: {e}", dir.display())))?;
    for (ext, text) in [("md", review.markdown()), ("html", review.html())] {
        let path = dir.join(format!("weekly-{label}.{ext}"));
        std::fs::write(&path, text)
            .map_err(|e| Exit::new(2, format!("cannot write {}: {e}", path.display())))?;
        println!("{}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks_start_on_monday_and_week_one_holds_the_fourth_of_january() {
        // 2026-W01 starts on Monday 2025-12-29.
        let w = parse_week("2026-W01").expect("a week");
        assert_eq!(&w.from.start().to_rfc3339()[..10], "2025-12-29");
        assert_eq!(week_label(w.from), "2026-W01");
        assert_eq!(week_label(Day(w.from.0 + 6)), "2026-W01");
        // 2026-W48 starts on Monday 2026-11-23.
        let w = parse_week("2026-W48").expect("a week");
        assert_eq!(&w.from.start().to_rfc3339()[..10], "2026-11-23");
        // 2026 has 53 weeks (1 January 2026 is a Thursday); 2025 has 52.
        assert!(parse_week("2026-W53").is_some());
        assert!(parse_week("2025-W53").is_none());
        assert!(parse_week("2026-W00").is_none());
        assert!(parse_week("2026-48").is_none());
    }
}
