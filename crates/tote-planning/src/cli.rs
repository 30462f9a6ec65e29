//! String-level entry points for the `tote` binary: the contents of the
//! files the user named in, the text to print out.

use crate::accuracy;
use crate::forecast::{self, ForecastParams, HORIZON_MAX, Method, events};
use crate::history::{InputError, Series, parse_history};
use rayon::prelude::*;
use std::fmt::Write as _;

/// The bound on backtest origins per series.
pub const ORIGINS_MAX: usize = 100;

/// `tote forecast --history H.csv --horizon H [--season M] [--quantiles 0.1,0.5,0.9]`:
/// returns CSV `series,period,forecast[,q0.1,...]`, H rows per series,
/// periods continuing each series (YYYY-MM, YYYY-Qn or YYYY-MM-DD).
pub fn forecast(
    history_csv: &str,
    horizon: usize,
    season: Option<usize>,
    quantiles: &[f64],
) -> Result<String, InputError> {
    forecast_with_events(history_csv, horizon, season, quantiles, None, false)
}

/// `tote forecast ... [--events EVENTS.csv] [--holidays]`: as `forecast`,
/// with known events (`series,period,event`; an empty series is every
/// series) and, with `holidays`, the built-in holiday calendar; each event
/// kind's uplift is estimated per series from its history.
pub fn forecast_with_events(
    history_csv: &str,
    horizon: usize,
    season: Option<usize>,
    quantiles: &[f64],
    events_csv: Option<&str>,
    holidays: bool,
) -> Result<String, InputError> {
    check_horizon(horizon)?;
    for &q in quantiles {
        if !(q > 0.0 && q < 1.0) {
            return Err(InputError::Argument {
                field: "quantiles",
                problem: format!("{q} is not strictly between 0 and 1"),
            });
        }
    }
    let series = parse_history(history_csv)?;
    let mut params = ForecastParams::new(horizon, season_of(&series, season)?);
    params.quantiles = quantiles.to_vec();
    let mut known = match events_csv {
        Some(text) => events::parse_events(text)?,
        None => Vec::new(),
    };
    if holidays {
        known.extend(events::holidays_for(&series, horizon));
    }
    // Without --season each series takes its own period's season, so a file
    // may mix months, quarters, weeks and days.
    let forecasts: Vec<forecast::SeriesForecast> = series
        .par_iter()
        .map(|s| {
            let mut own = params.clone();
            own.season = season.unwrap_or(s.start.season_length());
            if known.is_empty() {
                forecast::forecast_series(&s.values, &own)
            } else {
                let marks = events::marks_for(s, horizon, &known);
                events::forecast_with_events(&s.values, &own, &marks).0
            }
        })
        .collect();

    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header = vec!["series".to_string(), "period".into(), "forecast".into()];
    header.extend(quantiles.iter().map(|q| format!("q{q}")));
    writer
        .write_record(&header)
        .expect("writing to memory cannot fail");
    for (s, f) in series.iter().zip(&forecasts) {
        let next = s.end();
        for j in 0..horizon {
            let mut row = vec![
                s.id.clone(),
                next.step(j as i64 + 1).to_string(),
                number(f.mean[j]),
            ];
            row.extend(f.quantiles.iter().map(|q| number(q[j])));
            writer
                .write_record(&row)
                .expect("writing to memory cannot fail");
        }
    }
    let bytes = writer.into_inner().expect("flushing to memory cannot fail");
    Ok(String::from_utf8(bytes).expect("the CSV writer emits the UTF-8 it was given"))
}

/// `tote forecast --backtest --history H.csv --horizon H [--season M] [--origins N]`:
/// accuracy over rolling origins as a readable table.
pub fn backtest(
    history_csv: &str,
    horizon: usize,
    season: Option<usize>,
    origins: usize,
) -> Result<String, InputError> {
    check_horizon(horizon)?;
    if origins == 0 || origins > ORIGINS_MAX {
        return Err(InputError::Argument {
            field: "origins",
            problem: format!("{origins} is not between 1 and {ORIGINS_MAX}"),
        });
    }
    let series = parse_history(history_csv)?;
    let m = season_of(&series, season)?;
    let mut out = String::new();
    writeln!(out, "backtest: {} series, horizon {horizon}, season {m}, {origins} rolling origin(s) one period apart", series.len()).expect("writing to a String cannot fail");
    writeln!(
        out,
        "{:<16} {:>6} {:>8} {:>8} {:>8} {:>8} {:>10} {:>9}",
        "method", "cases", "MASE", "sMAPE", "RMSSE", "WRMSSE", "bias", "cover80"
    )
    .expect("writing to a String cannot fail");
    let mut skipped = 0;
    for score in backtest_scores(&series, horizon, m, origins) {
        skipped = score.skipped;
        writeln!(
            out,
            "{:<16} {:>6} {:>8.3} {:>8.2} {:>8.3} {:>8.3} {:>10.3} {:>8.1}%",
            score.method,
            score.cases,
            score.mase,
            score.smape,
            score.rmsse,
            score.wrmsse,
            score.bias,
            100.0 * score.coverage
        )
        .expect("writing to a String cannot fail");
    }
    if skipped > 0 {
        writeln!(out, "{skipped} series-origin case(s) skipped: history shorter than 4 periods before the origin").expect("writing to a String cannot fail");
    }
    Ok(out)
}

/// The methods a backtest compares: the default and its main parts.
pub const BACKTEST_METHODS: [(&str, Method); 4] = [
    ("auto", Method::Auto),
    ("ets", Method::Ets),
    ("theta", Method::Theta),
    ("seasonal naive", Method::SeasonalNaive),
];

/// Mean scores of one method over every series and origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub method: &'static str,
    /// Series-origin pairs scored.
    pub cases: usize,
    /// Series-origin pairs with fewer than 4 periods before the origin.
    pub skipped: usize,
    pub mase: f64,
    pub smape: f64,
    pub rmsse: f64,
    /// RMSSE weighted by each series' volume over the last horizon (M5).
    pub wrmsse: f64,
    /// Mean of forecast minus actual.
    pub bias: f64,
    /// Share of actuals inside the 80% interval.
    pub coverage: f64,
}

/// Every backtest method scored over `origins` rolling origins one period
/// apart, each forecasting `h` periods with season `m`.
pub fn backtest_scores(series: &[Series], h: usize, m: usize, origins: usize) -> Vec<Score> {
    BACKTEST_METHODS
        .iter()
        .map(|&(name, method)| score_method(series, h, m, origins, name, method))
        .collect()
}

fn score_method(
    series: &[Series],
    h: usize,
    m: usize,
    origins: usize,
    name: &'static str,
    method: Method,
) -> Score {
    let mut cases: Vec<(&[f64], &[f64])> = Vec::new();
    let mut skipped = 0;
    for s in series {
        for o in 0..origins {
            let n = s.values.len();
            match n.checked_sub(h + o) {
                Some(cut) if cut >= 4 => cases.push((&s.values[..cut], &s.values[cut..cut + h])),
                _ => skipped += 1,
            }
        }
    }
    let mut params = ForecastParams::new(h, m);
    params.method = method;
    params.quantiles = vec![0.1, 0.9];
    let trains: Vec<&[f64]> = cases.iter().map(|c| c.0).collect();
    let forecasts = forecast::forecast_many(&trains, &params);
    let (mut mase_sum, mut mase_n, mut rmsse_sum, mut rmsse_n) = (0.0, 0usize, 0.0, 0usize);
    let (mut smape_sum, mut bias_sum, mut cover_sum) = (0.0, 0.0, 0.0);
    let mut weighted: Vec<(Option<f64>, f64)> = Vec::with_capacity(cases.len());
    for ((train, test), f) in cases.iter().zip(&forecasts) {
        // M5 weighs series by recent dollar sales; without prices, by the
        // units of the last horizon before the origin.
        let volume: f64 = train[train.len().saturating_sub(h)..]
            .iter()
            .map(|v| v.abs())
            .sum();
        weighted.push((accuracy::rmsse(train, test, &f.mean), volume));
        if let Some(v) = accuracy::mase(train, test, &f.mean, m) {
            mase_sum += v;
            mase_n += 1;
        }
        if let Some(v) = accuracy::rmsse(train, test, &f.mean) {
            rmsse_sum += v;
            rmsse_n += 1;
        }
        smape_sum += accuracy::smape(test, &f.mean);
        bias_sum += accuracy::bias(test, &f.mean);
        cover_sum += accuracy::coverage(test, &f.quantiles[0], &f.quantiles[1]);
    }
    let k = cases.len().max(1) as f64;
    Score {
        method: name,
        cases: cases.len(),
        skipped,
        mase: mase_sum / mase_n.max(1) as f64,
        smape: smape_sum / k,
        rmsse: rmsse_sum / rmsse_n.max(1) as f64,
        wrmsse: accuracy::wrmsse(&weighted).unwrap_or(f64::NAN),
        bias: bias_sum / k,
        coverage: cover_sum / k,
    }
}

fn check_horizon(horizon: usize) -> Result<(), InputError> {
    if horizon == 0 || horizon > HORIZON_MAX {
        return Err(InputError::Argument {
            field: "horizon",
            problem: format!("{horizon} is not between 1 and {HORIZON_MAX}"),
        });
    }
    Ok(())
}

fn season_of(series: &[Series], season: Option<usize>) -> Result<usize, InputError> {
    match season {
        Some(0) => Err(InputError::Argument {
            field: "season",
            problem: "must be at least 1 (1 means no season)".into(),
        }),
        Some(m) => Ok(m),
        None => Ok(series[0].start.season_length()),
    }
}

/// Up to four decimals (eight below one, so small rates of slow movers keep
/// their digits), without trailing zeros.
fn number(v: f64) -> String {
    let text = if v.abs() >= 1.0 {
        format!("{v:.4}")
    } else {
        format!("{v:.8}")
    };
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_drops_trailing_zeros() {
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.000_012_345_678_9), "0.00001235");
        assert_eq!(number(-0.000_000_001), "0");
    }
}
