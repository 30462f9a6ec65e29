//! Demand history as the planner hands it over: `series,period,value` rows,
//! each series consecutive and in time order.

use std::fmt;

/// The bound on rows a history may hold, so a mistaken file fails early
/// instead of exhausting memory.
pub const HISTORY_ROWS_MAX: usize = 50_000_000;

/// An input problem, naming the row (1-based, the header is row 1) and the
/// column at fault.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InputError {
    #[error("row {row}, {column}: {problem}")]
    Cell {
        row: usize,
        column: &'static str,
        problem: String,
    },
    #[error("header: expected `series,period,value`, found `{found}`")]
    Header { found: String },
    #[error("{field}: {problem}")]
    Argument {
        field: &'static str,
        problem: String,
    },
    #[error("history: {0}")]
    History(String),
}

/// A point on a series' time axis. Periods of one series share a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    /// `YYYY-MM`; month 1..=12.
    Month { year: i32, month: u32 },
    /// `YYYY-Qn`; quarter 1..=4.
    Quarter { year: i32, quarter: u32 },
    /// `YYYY-MM-DD`, kept as days since 1970-01-01 so stepping is plain addition.
    Day { days: i64 },
    /// `YYYY-MM-DD` dates seven days apart (weekly buckets), as days since
    /// 1970-01-01. A series is weekly when its second date is a week after
    /// its first.
    Week { days: i64 },
}

impl Period {
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        let (year, rest) = text.split_once('-')?;
        if year.len() != 4 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        if let Some(q) = rest.strip_prefix('Q') {
            let quarter: u32 = q.parse().ok()?;
            return (q.len() == 1 && (1..=4).contains(&quarter))
                .then_some(Period::Quarter { year, quarter });
        }
        match rest.split_once('-') {
            None => {
                let month: u32 = rest.parse().ok()?;
                (rest.len() == 2 && (1..=12).contains(&month))
                    .then_some(Period::Month { year, month })
            }
            Some((m, d)) => {
                let month: u32 = m.parse().ok()?;
                let day: u32 = d.parse().ok()?;
                if m.len() != 2 || d.len() != 2 || !(1..=12).contains(&month) {
                    return None;
                }
                if day == 0 || day > days_in_month(year, month) {
                    return None;
                }
                Some(Period::Day {
                    days: days_from_civil(year, month, day),
                })
            }
        }
    }

    /// The period `steps` after this one.
    pub fn step(self, steps: i64) -> Period {
        match self {
            Period::Month { year, month } => {
                let index = i64::from(year) * 12 + i64::from(month) - 1 + steps;
                Period::Month {
                    year: index.div_euclid(12) as i32,
                    month: index.rem_euclid(12) as u32 + 1,
                }
            }
            Period::Quarter { year, quarter } => {
                let index = i64::from(year) * 4 + i64::from(quarter) - 1 + steps;
                Period::Quarter {
                    year: index.div_euclid(4) as i32,
                    quarter: index.rem_euclid(4) as u32 + 1,
                }
            }
            Period::Day { days } => Period::Day { days: days + steps },
            Period::Week { days } => Period::Week {
                days: days + 7 * steps,
            },
        }
    }

    /// The natural season length of the period kind: 12 months, 4 quarters,
    /// 7 days of a week, 52 weeks of a year.
    pub fn season_length(self) -> usize {
        match self {
            Period::Month { .. } => 12,
            Period::Quarter { .. } => 4,
            Period::Day { .. } => 7,
            Period::Week { .. } => 52,
        }
    }

    /// Days since 1970-01-01 of the period's first and last day.
    pub fn day_span(self) -> (i64, i64) {
        match self {
            Period::Month { year, month } => {
                let first = days_from_civil(year, month, 1);
                (first, first + i64::from(days_in_month(year, month)) - 1)
            }
            Period::Quarter { year, quarter } => {
                let first = days_from_civil(year, quarter * 3 - 2, 1);
                let last = days_from_civil(year, quarter * 3, days_in_month(year, quarter * 3));
                (first, last)
            }
            Period::Day { days } => (days, days),
            Period::Week { days } => (days, days + 6),
        }
    }

    /// Steps from this period to the period of the same kind holding `day`
    /// (days since 1970-01-01); weeks are aligned to this period's first day.
    pub fn steps_to_day(self, day: i64) -> i64 {
        match self {
            Period::Month { year, month } => {
                let (y, m, _) = civil_from_days(day);
                (y * 12 + i64::from(m)) - (i64::from(year) * 12 + i64::from(month))
            }
            Period::Quarter { year, quarter } => {
                let (y, m, _) = civil_from_days(day);
                (y * 4 + i64::from((m - 1) / 3 + 1)) - (i64::from(year) * 4 + i64::from(quarter))
            }
            Period::Day { days } => day - days,
            Period::Week { days } => (day - days).div_euclid(7),
        }
    }

    /// The day (days since 1970-01-01) of a calendar date, None when the date does not exist.
    pub fn day_of(year: i32, month: u32, day: u32) -> Option<i64> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then(|| days_from_civil(year, month, day))
    }

    /// The calendar date (year, month, day) of a day since 1970-01-01.
    pub fn date_of(day: i64) -> (i64, u32, u32) {
        civil_from_days(day)
    }

    /// The same date read as the start of a weekly bucket.
    fn as_week(self) -> Period {
        match self {
            Period::Day { days } => Period::Week { days },
            other => other,
        }
    }

    fn same_kind(self, other: Period) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            Period::Day { days } | Period::Week { days } => {
                let (y, m, d) = civil_from_days(days);
                write!(f, "{y:04}-{m:02}-{d:02}")
            }
        }
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil calendar algorithms: exact for the proleptic Gregorian calendar.
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// One series of the history: its id, first period and values in time order.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub id: String,
    pub start: Period,
    pub values: Vec<f64>,
}

impl Series {
    pub fn end(&self) -> Period {
        self.start.step(self.values.len() as i64 - 1)
    }
}

/// Reads `series,period,value` CSV (the columns found by name, in any order,
/// others ignored). Rows of a series must be consecutive
/// periods; a series id seen again after another series is an error, since a
/// file out of order would otherwise be forecast from half its history.
pub fn parse_history(csv_text: &str) -> Result<Vec<Series>, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let headers = reader.headers().map_err(|e| InputError::Header {
        found: e.to_string(),
    })?;
    // A spreadsheet's byte-order mark is not part of the first name.
    let names: Vec<&str> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim())
        .collect();
    let column = |name: &str| names.iter().position(|n| n.eq_ignore_ascii_case(name));
    let (Some(series_at), Some(period_at), Some(value_at)) =
        (column("series"), column("period"), column("value"))
    else {
        return Err(InputError::Header {
            found: names.join(","),
        });
    };
    let mut out: Vec<Series> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let record = record.map_err(|e| InputError::Cell {
            row,
            column: "series",
            problem: e.to_string(),
        })?;
        if row > HISTORY_ROWS_MAX {
            return Err(InputError::History(format!(
                "more than {HISTORY_ROWS_MAX} rows"
            )));
        }
        let cell = |i: usize, column: &'static str| {
            record.get(i).ok_or_else(|| InputError::Cell {
                row,
                column,
                problem: "missing".into(),
            })
        };
        let id = cell(series_at, "series")?;
        let period_text = cell(period_at, "period")?;
        let value_text = cell(value_at, "value")?.trim();
        if id.is_empty() {
            return Err(InputError::Cell {
                row,
                column: "series",
                problem: "empty".into(),
            });
        }
        let period = Period::parse(period_text).ok_or_else(|| InputError::Cell {
            row,
            column: "period",
            problem: format!("`{period_text}` is not YYYY-MM, YYYY-Qn or YYYY-MM-DD"),
        })?;
        let value: f64 = value_text.parse().map_err(|_| InputError::Cell {
            row,
            column: "value",
            problem: "not a number".into(),
        })?;
        if !value.is_finite() {
            return Err(InputError::Cell {
                row,
                column: "value",
                problem: "not finite".into(),
            });
        }
        match out.last_mut() {
            Some(last) if last.id == id => {
                if last.values.len() == 1 && last.start.as_week().step(1) == period.as_week() {
                    last.start = last.start.as_week();
                }
                let period = if matches!(last.start, Period::Week { .. }) {
                    period.as_week()
                } else {
                    period
                };
                let expected = last.end().step(1);
                if !period.same_kind(last.start) {
                    return Err(InputError::Cell {
                        row,
                        column: "period",
                        problem: format!(
                            "`{period}` is not the same kind of period as `{}`",
                            last.start
                        ),
                    });
                }
                if period != expected {
                    return Err(InputError::Cell {
                        row,
                        column: "period",
                        problem: format!(
                            "expected `{expected}` (rows of a series are consecutive periods), found `{period}`"
                        ),
                    });
                }
                last.values.push(value);
            }
            _ => {
                if !seen.insert(id.to_string()) {
                    return Err(InputError::Cell {
                        row,
                        column: "series",
                        problem: format!(
                            "`{id}` appears again after other series; keep its rows together"
                        ),
                    });
                }
                out.push(Series {
                    id: id.to_string(),
                    start: period,
                    values: vec![value],
                });
            }
        }
    }
    if out.is_empty() {
        return Err(InputError::History("no rows".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_round_trip_and_step() {
        for text in ["2017-12", "2016-Q4", "2024-02-29", "1999-12-31"] {
            assert_eq!(Period::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            Period::parse("2017-12").unwrap().step(1).to_string(),
            "2018-01"
        );
        assert_eq!(
            Period::parse("2016-Q4").unwrap().step(5).to_string(),
            "2018-Q1"
        );
        assert_eq!(
            Period::parse("2024-02-28").unwrap().step(2).to_string(),
            "2024-03-01"
        );
        assert_eq!(Period::parse("2023-02-29"), None);
        assert_eq!(Period::parse("2023-13"), None);
    }

    #[test]
    fn quoted_ids_with_commas_are_one_series() {
        let text = "series,period,value\n\"A|Food, drink\",2020-01,1\n\"A|Food, drink\",2020-02,2\nB,2020-Q1,3\n";
        let series = parse_history(text).unwrap();
        assert_eq!(series.len(), 2);
        assert_eq!(series[0].id, "A|Food, drink");
        assert_eq!(series[0].values, vec![1.0, 2.0]);
    }

    #[test]
    fn columns_are_found_by_name_past_a_byte_order_mark() {
        let text = "\u{feff}value,sku_name,series,period\n4,x,A,2020-01\n5,x,A,2020-02\n";
        let series = parse_history(text).unwrap();
        assert_eq!(series[0].values, vec![4.0, 5.0]);
    }

    #[test]
    fn bad_value_names_row_and_column() {
        let text = "series,period,value\nA,2020-01,1\nA,2020-02,x\n";
        assert_eq!(
            parse_history(text).unwrap_err().to_string(),
            "row 3, value: not a number"
        );
    }

    #[test]
    fn dates_a_week_apart_make_a_weekly_series() {
        let text = "series,period,value\nA,2024-01-01,1\nA,2024-01-08,2\nA,2024-01-15,3\n";
        let series = parse_history(text).unwrap();
        assert_eq!(series[0].start.season_length(), 52);
        assert_eq!(series[0].end().step(1).to_string(), "2024-01-22");
        let skipped = "series,period,value\nA,2024-01-01,1\nA,2024-01-08,2\nA,2024-01-16,3\n";
        let message = parse_history(skipped).unwrap_err().to_string();
        assert!(
            message.starts_with("row 4, period: expected `2024-01-15`"),
            "{message}"
        );
    }

    #[test]
    fn gap_in_periods_is_an_error() {
        let text = "series,period,value\nA,2020-01,1\nA,2020-03,2\n";
        let message = parse_history(text).unwrap_err().to_string();
        assert!(
            message.starts_with("row 3, period: expected `2020-02`"),
            "{message}"
        );
    }
}
