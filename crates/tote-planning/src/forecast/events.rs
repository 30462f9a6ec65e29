//! Known events in forecasts: promotions and holidays that lift (or cut)
//! demand in the periods that carry them.
//!
//! Each event kind's effect is a multiplicative uplift estimated from the
//! history: at every past period carrying the event, the ratio of what sold
//! to a baseline made from periods without events (the same point of the
//! season one season before and after where those exist, else the nearest
//! neighbours). Kinds that share periods are separated by backfitting on the
//! log ratios, and each uplift is shrunk toward 1 as if the event had been
//! seen once more with no effect, so an event seen once moves the forecast
//! half as far as its one ratio says. The series divided by its uplifts is
//! forecast by the usual models; future periods carrying an event are
//! multiplied by its uplift (quantiles too).

use super::{ForecastParams, SeriesForecast, forecast_series};
use crate::history::{InputError, Period, Series};

/// The pseudo-occurrences without effect each uplift is shrunk with.
pub const SHRINK_OCCURRENCES: f64 = 1.0;
/// The bound on a single ratio of sales to baseline, so one period with a
/// near-zero baseline cannot dominate an estimate.
pub const RATIO_MAX: f64 = 20.0;
/// The most rows an events file may hold.
pub const EVENT_ROWS_MAX: usize = 1_000_000;
/// The longest event name.
pub const EVENT_NAME_MAX: usize = 100;

/// One row of an events file: `event` happens in `period` for `series`
/// (every series when None).
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    pub series: Option<String>,
    pub period: Period,
    pub event: String,
}

/// Reads `series,period,event` CSV (an empty series means every series).
/// Periods are `YYYY-MM`, `YYYY-Qn` or `YYYY-MM-DD`; an event marks every
/// period of a series its own period overlaps (a date marks the month,
/// quarter or week holding it; a month marks all its days).
pub fn parse_events(csv_text: &str) -> Result<Vec<EventRow>, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let headers = reader.headers().map_err(|e| InputError::Header {
        found: e.to_string(),
    })?;
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| names.iter().position(|n| n == name);
    let (Some(series_at), Some(period_at), Some(event_at)) =
        (column("series"), column("period"), column("event"))
    else {
        return Err(InputError::Argument {
            field: "events",
            problem: format!(
                "expected the header `series,period,event`, found `{}`",
                names.join(",")
            ),
        });
    };
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let bad = |column: &'static str, problem: String| InputError::Argument {
            field: "events",
            problem: format!("row {row}, {column}: {problem}"),
        };
        if row > EVENT_ROWS_MAX {
            return Err(bad("series", format!("more than {EVENT_ROWS_MAX} rows")));
        }
        let record = record.map_err(|e| bad("series", e.to_string()))?;
        let cell = |i: usize, column: &'static str| {
            record
                .get(i)
                .map(str::trim)
                .ok_or_else(|| bad(column, "missing".into()))
        };
        let series = cell(series_at, "series")?;
        let period_text = cell(period_at, "period")?;
        let event = cell(event_at, "event")?;
        let period = Period::parse(period_text).ok_or_else(|| {
            bad(
                "period",
                format!("`{period_text}` is not YYYY-MM, YYYY-Qn or YYYY-MM-DD"),
            )
        })?;
        if event.is_empty() || event.chars().count() > EVENT_NAME_MAX {
            return Err(bad(
                "event",
                format!("give a name of 1 to {EVENT_NAME_MAX} characters"),
            ));
        }
        out.push(EventRow {
            series: (!series.is_empty()).then(|| series.to_string()),
            period,
            event: event.to_string(),
        });
    }
    Ok(out)
}

/// The event kinds at each step of a series, its history then its horizon.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct EventMarks {
    /// Kind names, in order of first appearance.
    pub kinds: Vec<String>,
    /// `at[t]`: indexes into `kinds` of the events at step t (t < n is history).
    pub at: Vec<Vec<usize>>,
}

impl EventMarks {
    pub fn is_empty(&self) -> bool {
        self.at.iter().all(Vec::is_empty)
    }
}

/// Marks the events of `series` (and those for every series) over its
/// history and the `horizon` periods after it.
pub fn marks_for(series: &Series, horizon: usize, events: &[EventRow]) -> EventMarks {
    let len = series.values.len() + horizon;
    let mut marks = EventMarks {
        kinds: Vec::new(),
        at: vec![Vec::new(); len],
    };
    for e in events {
        if e.series.as_deref().is_some_and(|s| s != series.id) {
            continue;
        }
        let (first, last) = e.period.day_span();
        let from = series.start.steps_to_day(first).max(0);
        let to = series.start.steps_to_day(last).min(len as i64 - 1);
        if from > to {
            continue;
        }
        let kind = match marks.kinds.iter().position(|k| *k == e.event) {
            Some(k) => k,
            None => {
                marks.kinds.push(e.event.clone());
                marks.kinds.len() - 1
            }
        };
        for t in from..=to {
            let at = &mut marks.at[t as usize];
            if !at.contains(&kind) {
                at.push(kind);
            }
        }
    }
    marks
}

/// One event kind's estimated effect on a series.
#[derive(Clone, Debug, PartialEq)]
pub struct Uplift {
    pub event: String,
    /// Past periods carrying the event that had a baseline to compare with.
    pub occurrences: usize,
    /// Demand with the event over demand without it (1 for no effect).
    pub uplift: f64,
}

/// The baseline of step t of the history: the mean of the periods without
/// events one season before and after, else of the nearest periods without
/// events (up to two on each side, within a season). None without any.
fn baseline(y: &[f64], m: usize, t: usize, marked: &[bool]) -> Option<f64> {
    let n = y.len();
    let clear = |i: usize| i < n && !marked[i];
    let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    if m > 1 {
        let same: Vec<f64> = [t.checked_sub(m), Some(t + m)]
            .into_iter()
            .flatten()
            .filter(|&i| clear(i))
            .map(|i| y[i])
            .collect();
        if let Some(b) = mean(&same) {
            return Some(b);
        }
    }
    let reach = m.max(2);
    let mut near = Vec::new();
    for side in [-1i64, 1] {
        let mut found = 0;
        for d in 1..=reach as i64 {
            let i = t as i64 + side * d;
            if i < 0 || i as usize >= n {
                break;
            }
            if clear(i as usize) {
                near.push(y[i as usize]);
                found += 1;
                if found == 2 {
                    break;
                }
            }
        }
    }
    mean(&near)
}

/// Each kind's uplift from the history (`y` with `marks.at[..y.len()]`).
pub fn estimate_uplifts(y: &[f64], m: usize, marks: &EventMarks) -> Vec<Uplift> {
    let n = y.len();
    let marked: Vec<bool> = (0..n).map(|t| !marks.at[t].is_empty()).collect();
    // (t, log ratio) for every marked period with a positive baseline.
    let mut obs: Vec<(usize, f64)> = Vec::new();
    for t in (0..n).filter(|&t| marked[t]) {
        if let Some(b) = baseline(y, m, t, &marked)
            && b > 0.0
        {
            let ratio = (y[t].max(0.0) / b).clamp(1.0 / RATIO_MAX, RATIO_MAX);
            obs.push((t, ratio.ln()));
        }
    }
    let k = marks.kinds.len();
    let mut counts = vec![0usize; k];
    for &(t, _) in &obs {
        for &kind in &marks.at[t] {
            counts[kind] += 1;
        }
    }
    // Backfitting: each kind's log uplift is the shrunk mean of what its
    // periods' log ratios leave after the other kinds there.
    let mut log_u = vec![0.0; k];
    for _ in 0..if k > 1 { 20 } else { 1 } {
        for kind in 0..k {
            let mut sum = 0.0;
            for &(t, lr) in obs.iter().filter(|(t, _)| marks.at[*t].contains(&kind)) {
                let others: f64 = marks.at[t]
                    .iter()
                    .filter(|&&o| o != kind)
                    .map(|&o| log_u[o])
                    .sum();
                sum += lr - others;
            }
            let bound = RATIO_MAX.ln();
            log_u[kind] = (sum / (counts[kind] as f64 + SHRINK_OCCURRENCES)).clamp(-bound, bound);
        }
    }
    marks
        .kinds
        .iter()
        .zip(&log_u)
        .zip(&counts)
        .map(|((event, &lu), &occurrences)| Uplift {
            event: event.clone(),
            occurrences,
            uplift: lu.exp(),
        })
        .collect()
}

/// The product of the uplifts of the events at step t.
fn factor(marks: &EventMarks, uplifts: &[Uplift], t: usize) -> f64 {
    marks.at[t].iter().map(|&k| uplifts[k].uplift).product()
}

/// Forecasts a series with known events: the uplifts are estimated, taken
/// out of the history, the rest forecast as usual and the uplifts of the
/// events in the horizon put back. `marks` covers history and horizon
/// (`marks_for`). Without events this is `forecast_series`.
pub fn forecast_with_events(
    y: &[f64],
    params: &ForecastParams,
    marks: &EventMarks,
) -> (SeriesForecast, Vec<Uplift>) {
    let n = y.len();
    assert_eq!(
        marks.at.len(),
        n + params.horizon,
        "marks cover history and horizon"
    );
    if marks.is_empty() {
        return (forecast_series(y, params), Vec::new());
    }
    let m = params.season.max(1);
    let uplifts = estimate_uplifts(y, m, marks);
    let cleaned: Vec<f64> = (0..n).map(|t| y[t] / factor(marks, &uplifts, t)).collect();
    let mut f = forecast_series(&cleaned, params);
    let mut lifted = false;
    for j in 0..params.horizon {
        let g = factor(marks, &uplifts, n + j);
        if g != 1.0 {
            lifted = true;
            f.mean[j] *= g;
            for q in &mut f.quantiles {
                q[j] *= g;
            }
        }
    }
    let named: Vec<String> = uplifts
        .iter()
        .map(|u| format!("{} x{:.2}", u.event, u.uplift))
        .collect();
    f.model = format!(
        "{} with events ({}{})",
        f.model,
        named.join(", "),
        if lifted { "" } else { "; none ahead" }
    );
    (f, uplifts)
}

/// Forecasts every series with the known events, in parallel; `seasons[i]`
/// is series i's season length. Output in input order.
pub fn forecast_all_with_events(
    series: &[Series],
    seasons: &[usize],
    horizon: usize,
    quantiles: &[f64],
    known: &[EventRow],
) -> Vec<(SeriesForecast, Vec<Uplift>)> {
    use rayon::prelude::*;
    series
        .par_iter()
        .zip(seasons)
        .map(|(s, &m)| {
            let mut params = ForecastParams::new(horizon, m);
            params.quantiles = quantiles.to_vec();
            let marks = marks_for(s, horizon, known);
            forecast_with_events(&s.values, &params, &marks)
        })
        .collect()
}

/// The built-in holiday calendar: dates of the retail holidays of the
/// years `from..=to` as events named `holiday:<name>`. US retail dates
/// (Thanksgiving week, Mother's Day) with the widely shared ones (New
/// Year, Valentine's Day, Easter, Christmas, Boxing Day).
pub fn holidays(from: i32, to: i32) -> Vec<EventRow> {
    let mut out = Vec::new();
    for year in from..=to {
        let date = |m: u32, d: u32| Period::day_of(year, m, d).expect("fixed holiday dates exist");
        // Day of week of a day since 1970-01-01 (a Thursday): 0 = Monday.
        let weekday = |day: i64| (day + 3).rem_euclid(7);
        // The nth given weekday (0 = Monday) of a month.
        let nth = |m: u32, wd: i64, n: i64| {
            let first = date(m, 1);
            first + (wd - weekday(first)).rem_euclid(7) + 7 * (n - 1)
        };
        let thanksgiving = nth(11, 3, 4);
        let days = [
            ("new_year", date(1, 1)),
            ("valentines_day", date(2, 14)),
            ("easter", easter(year)),
            ("mothers_day", nth(5, 6, 2)),
            ("independence_day", date(7, 4)),
            ("thanksgiving", thanksgiving),
            ("black_friday", thanksgiving + 1),
            ("cyber_monday", thanksgiving + 4),
            ("christmas", date(12, 25)),
            ("boxing_day", date(12, 26)),
        ];
        for (name, day) in days {
            out.push(EventRow {
                series: None,
                period: Period::Day { days: day },
                event: format!("holiday:{name}"),
            });
        }
    }
    out
}

/// Easter Sunday of a Gregorian year (the anonymous Gregorian computus).
fn easter(year: i32) -> i64 {
    let y = i64::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Period::day_of(year, month as u32, day as u32).expect("the computus gives a real date")
}

/// The holiday calendar over the years a set of series and their horizon span.
pub fn holidays_for(series: &[Series], horizon: usize) -> Vec<EventRow> {
    let mut years: Option<(i64, i64)> = None;
    for s in series {
        let first = Period::date_of(s.start.day_span().0).0;
        let last = Period::date_of(s.end().step(horizon as i64).day_span().1).0;
        years = Some(match years {
            None => (first, last),
            Some((a, b)) => (a.min(first), b.max(last)),
        });
    }
    match years {
        Some((a, b)) => holidays(a as i32, b as i32),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn daily(values: Vec<f64>) -> Series {
        Series {
            id: "A".into(),
            start: Period::parse("2024-01-01").unwrap(),
            values,
        }
    }

    /// A weekly pattern around 100 with a promotion every 17 days that sells 1.6 times as much.
    fn promo_history(n: usize) -> (Vec<f64>, Vec<EventRow>) {
        let start = Period::parse("2024-01-01").unwrap();
        let mut y = Vec::new();
        let mut events = Vec::new();
        for t in 0..n {
            let base = 100.0 + [0.0, 5.0, -5.0, 10.0, 20.0, -10.0, -20.0][t % 7] + 0.1 * t as f64;
            let wiggle = [1.0, -2.0, 3.0, -1.0, 0.0][t % 5];
            let promo = t % 17 == 5;
            y.push(if promo { 1.6 * base } else { base } + wiggle);
            if promo {
                events.push(EventRow {
                    series: Some("A".into()),
                    period: start.step(t as i64),
                    event: "promo".into(),
                });
            }
        }
        (y, events)
    }

    #[test]
    fn a_known_promotion_uplift_is_estimated_back() {
        let (y, events) = promo_history(200);
        let s = daily(y.clone());
        let marks = marks_for(&s, 0, &events);
        let u = estimate_uplifts(&y, 7, &marks);
        assert_eq!(u.len(), 1);
        assert!(u[0].occurrences >= 11, "{u:?}");
        assert!((u[0].uplift - 1.6).abs() < 0.08, "{u:?}");
    }

    #[test]
    fn a_promotion_ahead_lifts_only_its_own_periods() {
        let (y, mut events) = promo_history(200);
        let start = Period::parse("2024-01-01").unwrap();
        events.push(EventRow {
            series: None,
            period: start.step(203),
            event: "promo".into(),
        });
        let s = daily(y.clone());
        let marks = marks_for(&s, 7, &events);
        let params = ForecastParams::new(7, 7);
        let (with, uplifts) = forecast_with_events(&y, &params, &marks);
        let plain = forecast_series(&y, &params);
        assert_eq!(uplifts.len(), 1);
        let ratio = with.mean[3] / plain.mean[3];
        assert!(
            ratio > 1.35,
            "promo day {:?} against {:?}",
            with.mean,
            plain.mean
        );
        // Without the promotions in the history, the ordinary days are not
        // pulled up by them.
        let ordinary: f64 = (0..7).filter(|&j| j != 3).map(|j| with.mean[j]).sum();
        let plain_ordinary: f64 = (0..7).filter(|&j| j != 3).map(|j| plain.mean[j]).sum();
        assert!(ordinary <= plain_ordinary, "{ordinary} {plain_ordinary}");
        assert!(with.model.contains("promo x1."), "{}", with.model);
    }

    #[test]
    fn an_event_seen_once_is_shrunk_halfway_toward_no_effect() {
        let mut y = vec![100.0; 30];
        y[15] = 200.0;
        let start = Period::parse("2024-01-01").unwrap();
        let events = vec![EventRow {
            series: None,
            period: start.step(15),
            event: "flash".into(),
        }];
        let marks = marks_for(&daily(y.clone()), 0, &events);
        let u = estimate_uplifts(&y, 1, &marks);
        assert!((u[0].uplift - 2f64.sqrt()).abs() < 1e-9, "{u:?}");
    }

    #[test]
    fn without_events_the_forecast_is_unchanged() {
        let (y, _) = promo_history(100);
        let params = ForecastParams::new(14, 7);
        let marks = marks_for(&daily(y.clone()), 14, &[]);
        assert_eq!(
            forecast_with_events(&y, &params, &marks).0,
            forecast_series(&y, &params)
        );
    }

    #[test]
    fn a_date_marks_the_month_holding_it() {
        let s = Series {
            id: "M".into(),
            start: Period::parse("2023-01").unwrap(),
            values: vec![1.0; 12],
        };
        let events = vec![EventRow {
            series: Some("M".into()),
            period: Period::parse("2023-11-24").unwrap(),
            event: "black friday".into(),
        }];
        let marks = marks_for(&s, 12, &events);
        let at: Vec<usize> = (0..24).filter(|&t| !marks.at[t].is_empty()).collect();
        assert_eq!(at, vec![10]);
        let other = vec![EventRow {
            series: Some("N".into()),
            ..events[0].clone()
        }];
        assert!(marks_for(&s, 12, &other).is_empty());
    }

    #[test]
    fn holiday_calendar_has_the_moving_feasts_right() {
        let h = holidays(2024, 2025);
        let date = |name: &str, year: i64| {
            h.iter()
                .filter(|e| e.event == format!("holiday:{name}"))
                .map(|e| e.period.to_string())
                .find(|p| p.starts_with(&year.to_string()))
                .unwrap()
        };
        assert_eq!(date("easter", 2024), "2024-03-31");
        assert_eq!(date("easter", 2025), "2025-04-20");
        assert_eq!(date("thanksgiving", 2024), "2024-11-28");
        assert_eq!(date("black_friday", 2025), "2025-11-28");
        assert_eq!(date("cyber_monday", 2024), "2024-12-02");
        assert_eq!(date("mothers_day", 2025), "2025-05-11");
    }

    #[test]
    fn events_file_errors_name_row_and_column() {
        let e = parse_events("series,period,event\nA,2024-13,promo\n").unwrap_err();
        assert!(e.to_string().contains("row 2, period"), "{e}");
        let e = parse_events("sku,period,event\n").unwrap_err();
        assert!(e.to_string().contains("series,period,event"), "{e}");
        let ok = parse_events("series,period,event\n,2024-05,sale\n").unwrap();
        assert_eq!(ok[0].series, None);
    }
}
