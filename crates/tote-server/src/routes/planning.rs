//! Planning over HTTP: forecasts, inventory policy, labor plans and the peak
//! simulation. Stateless: each request carries its own data, nothing touches
//! the books, and the work runs off the async workers.
//!
//! The checks here are the whole of input validation for the planning crate,
//! whose functions assert their preconditions (a broken one is a bug there):
//! every value that could trip an assertion is refused first, naming the field.
//! The `plan_*` functions are shared with the planning pages.

use crate::extract::{ApiJson, ApiQuery, parse_json};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tote_core::Invalid;
use tote_planning::forecast::{self, ForecastParams, HORIZON_MAX, SeriesForecast, events};
use tote_planning::inventory;
use tote_planning::labor::{self, Process, RampUp, Standard};
use tote_planning::peak::{self, PeakReport, PeakScenario};
use tote_planning::{InputError, Series, parse_history};
use utoipa::ToSchema;

/// The most quantiles one forecast may ask for.
pub const QUANTILES_MAX: usize = 19;
/// The longest season accepted (a year of days, and then some).
pub const SEASON_MAX: usize = 400;
/// The most forecast points (series x horizon) one request may produce, so
/// an answer stays a few tens of megabytes at most.
pub const FORECAST_POINTS_MAX: usize = 1_000_000;
/// The most points on a service-level curve.
pub const CURVE_LEVELS_MAX: usize = 200;
/// The most periods (days or shifts) one labor plan may cover.
pub const LABOR_PERIODS_MAX: usize = 400;
/// The most orders one peak simulation may carry (a large DC's peak week is
/// about 500,000); each costs a few dozen bytes and an event or three.
pub const PEAK_ORDERS_MAX: u64 = 5_000_000;
/// The most stations one simulated node may have.
pub const PEAK_STATIONS_MAX: usize = 20;
/// The largest magnitude accepted for any planning quantity or cost, so no
/// product of inputs overflows to infinity.
pub const QUANTITY_MAX: f64 = 1e12;

/// Collects field problems so one answer names all of them.
#[derive(Default)]
pub(crate) struct Problems(Vec<(String, String)>);

impl Problems {
    pub fn add(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.push((field.into(), problem.into()));
    }

    /// `lo < v < hi`.
    pub fn open(&mut self, field: &str, v: f64, lo: f64, hi: f64) {
        if !(v > lo && v < hi) {
            self.add(field, format!("{v} is not strictly between {lo} and {hi}"));
        }
    }

    /// `0 < v <= QUANTITY_MAX`.
    pub fn positive(&mut self, field: &str, v: f64) {
        if !(v > 0.0 && v <= QUANTITY_MAX) {
            self.add(
                field,
                format!("{v} is not above 0 and at most {QUANTITY_MAX:e}"),
            );
        }
    }

    /// `0 <= v <= QUANTITY_MAX`.
    pub fn non_negative(&mut self, field: &str, v: f64) {
        if !(0.0..=QUANTITY_MAX).contains(&v) {
            self.add(field, format!("{v} is not between 0 and {QUANTITY_MAX:e}"));
        }
    }

    pub fn finish(self) -> ApiResult<()> {
        let mut it = self.0.into_iter();
        let Some((field, problem)) = it.next() else {
            return Ok(());
        };
        let mut invalid = Invalid::one(&field, problem);
        for (field, problem) in it {
            invalid.0.push(tote_core::FieldError::new(&field, problem));
        }
        Err(ApiError::invalid(invalid))
    }
}

/// Runs planning work on the blocking pool: a forecast or a simulation can
/// take seconds, which must not stall the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
}

// ---------------------------------------------------------------- forecast

/// One observation: `value` units of `series` in `period`.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct HistoryRow {
    pub series: String,
    /// `YYYY-MM`, `YYYY-Qn` or `YYYY-MM-DD`.
    pub period: String,
    pub value: f64,
}

fn default_quantiles() -> Vec<f64> {
    vec![0.1, 0.5, 0.9]
}

/// `POST /v1/planning/forecast` as JSON. Send either `history` (rows) or
/// `history_csv` (the `tote forecast` file: header `series,period,value`);
/// the rows of a series consecutive and in time order.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastRequest {
    #[serde(default)]
    pub history: Option<Vec<HistoryRow>>,
    #[serde(default)]
    pub history_csv: Option<String>,
    /// Periods to forecast, 1 to 10,000.
    pub horizon: usize,
    /// Season length; from each series' periods when absent (12 monthly, 4
    /// quarterly, 7 daily, 52 weekly).
    #[serde(default)]
    pub season: Option<usize>,
    /// Probability levels of the quantiles, each strictly between 0 and 1.
    #[serde(default = "default_quantiles")]
    pub quantiles: Vec<f64>,
    /// Known events (promotions, holidays) as rows; each kind's uplift is
    /// learned per series from its history and applied to future periods
    /// that carry it.
    #[serde(default)]
    pub events: Option<Vec<EventBody>>,
    /// The same as CSV `series,period,event` (an empty series is every series).
    #[serde(default)]
    pub events_csv: Option<String>,
    /// Add the built-in holiday calendar as events.
    #[serde(default)]
    pub holidays: bool,
}

/// A known event: `event` in `period` for `series` (every series when absent).
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct EventBody {
    #[serde(default)]
    pub series: Option<String>,
    /// `YYYY-MM`, `YYYY-Qn` or `YYYY-MM-DD`; a date marks the period holding it.
    pub period: String,
    /// The event kind, such as `promo` or `holiday:black_friday`.
    pub event: String,
}

/// One event kind's learned effect on a series.
#[derive(Serialize, ToSchema, Clone)]
pub struct UpliftBody {
    pub event: String,
    /// Past periods with the event that had a baseline to compare with.
    pub occurrences: usize,
    /// Demand with the event over demand without it, shrunk toward 1 when seen rarely.
    pub uplift: f64,
}

/// Checks event rows, naming `events[i].field`.
pub(crate) fn check_events(rows: &[EventBody]) -> ApiResult<Vec<events::EventRow>> {
    let mut p = Problems::default();
    if rows.len() > events::EVENT_ROWS_MAX {
        p.add("events", format!("at most {} rows", events::EVENT_ROWS_MAX));
    }
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let period = tote_planning::history::Period::parse(&r.period);
        if period.is_none() {
            p.add(
                format!("events[{i}].period"),
                format!("`{}` is not YYYY-MM, YYYY-Qn or YYYY-MM-DD", r.period),
            );
        }
        let name = r.event.trim();
        if name.is_empty() || name.chars().count() > events::EVENT_NAME_MAX {
            p.add(
                format!("events[{i}].event"),
                format!("give a name of 1 to {} characters", events::EVENT_NAME_MAX),
            );
        }
        if let Some(period) = period {
            out.push(events::EventRow {
                series: r.series.clone().filter(|s| !s.is_empty()),
                period,
                event: name.to_string(),
            });
        }
    }
    p.finish()?;
    Ok(out)
}

/// Events as the CSV `tote forecast --events` reads.
fn events_to_csv(rows: &[events::EventRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["series", "period", "event"])
        .expect("writing to memory cannot fail");
    for r in rows {
        w.write_record([
            r.series.as_deref().unwrap_or(""),
            &r.period.to_string(),
            r.event.as_str(),
        ])
        .expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory cannot fail"))
        .expect("the CSV writer emits the UTF-8 it was given")
}

/// The parameters of a CSV-bodied forecast (`Content-Type: text/csv`).
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ForecastQuery {
    /// Periods to forecast (required with a CSV body).
    pub horizon: Option<usize>,
    pub season: Option<usize>,
    /// Comma-separated probability levels, such as `0.1,0.5,0.9`.
    pub quantiles: Option<String>,
    /// Add the built-in holiday calendar as known events.
    pub holidays: Option<bool>,
}

/// One future period of a series.
#[derive(Serialize, ToSchema)]
pub struct ForecastPoint {
    pub period: String,
    pub forecast: f64,
    /// One value per requested quantile, in the request's order.
    pub quantiles: Vec<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct SeriesForecastBody {
    pub series: String,
    pub season: usize,
    /// The model or combination behind the forecast.
    pub model: String,
    pub history_periods: usize,
    pub forecast: Vec<ForecastPoint>,
    /// The known events' learned uplifts (empty without events).
    pub events: Vec<UpliftBody>,
}

#[derive(Serialize, ToSchema)]
pub struct ForecastAnswer {
    pub horizon: usize,
    pub quantiles: Vec<f64>,
    pub series: Vec<SeriesForecastBody>,
}

/// Where the history came from, so an error names the right field.
#[derive(Clone, Copy)]
pub(crate) enum HistorySource {
    /// JSON rows: a CSV row r is `history[r - 2]`.
    Rows,
    /// CSV text in this field.
    Csv(&'static str),
}

pub(crate) struct Forecasted {
    pub series: Vec<Series>,
    pub seasons: Vec<usize>,
    pub forecasts: Vec<SeriesForecast>,
    /// Per series, the learned uplift of each known event kind.
    pub uplifts: Vec<Vec<events::Uplift>>,
}

fn history_error(e: InputError, source: HistorySource) -> ApiError {
    match (e, source) {
        (
            InputError::Cell {
                row,
                column,
                problem,
            },
            HistorySource::Rows,
        ) => ApiError::field(
            &format!("history[{}].{column}", row.saturating_sub(2)),
            problem,
        ),
        (e @ InputError::Cell { .. }, HistorySource::Csv(field))
        | (e @ InputError::Header { .. }, HistorySource::Csv(field)) => {
            ApiError::field(field, e.to_string())
        }
        (InputError::Argument { field, problem }, _) => ApiError::field(field, problem),
        (e, HistorySource::Rows) => ApiError::field("history", e.to_string()),
        (e, HistorySource::Csv(field)) => ApiError::field(field, e.to_string()),
    }
}

/// Rows as the CSV the planning crate reads (quoting ids with commas).
pub(crate) fn rows_to_csv(rows: &[HistoryRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["series", "period", "value"])
        .expect("writing to memory cannot fail");
    for r in rows {
        w.write_record([r.series.as_str(), r.period.as_str(), &r.value.to_string()])
            .expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory cannot fail"))
        .expect("the CSV writer emits the UTF-8 it was given")
}

/// Checks the parameters, reads the history and forecasts every series.
pub(crate) fn plan_forecast(
    csv_text: &str,
    source: HistorySource,
    horizon: usize,
    season: Option<usize>,
    quantiles: &[f64],
) -> ApiResult<Forecasted> {
    let series = check_forecast(csv_text, source, horizon, season, quantiles)?;
    Ok(forecast_series_of(series, horizon, season, quantiles, &[]))
}

/// Checks the parameters and reads the history, naming the field or row at fault.
fn check_forecast(
    csv_text: &str,
    source: HistorySource,
    horizon: usize,
    season: Option<usize>,
    quantiles: &[f64],
) -> ApiResult<Vec<Series>> {
    let mut p = Problems::default();
    if horizon == 0 || horizon > HORIZON_MAX {
        p.add(
            "horizon",
            format!("{horizon} is not between 1 and {HORIZON_MAX}"),
        );
    }
    if let Some(m) = season
        && (m == 0 || m > SEASON_MAX)
    {
        p.add(
            "season",
            format!("{m} is not between 1 (no season) and {SEASON_MAX}"),
        );
    }
    if quantiles.len() > QUANTILES_MAX {
        p.add("quantiles", format!("at most {QUANTILES_MAX} levels"));
    }
    for (i, &q) in quantiles.iter().enumerate() {
        p.open(&format!("quantiles[{i}]"), q, 0.0, 1.0);
    }
    p.finish()?;
    let series = parse_history(csv_text).map_err(|e| history_error(e, source))?;
    let points = series.len().saturating_mul(horizon);
    if points > FORECAST_POINTS_MAX {
        return Err(ApiError::field(
            "horizon",
            format!(
                "{} series x {horizon} periods is more than {FORECAST_POINTS_MAX} forecast points",
                series.len()
            ),
        ));
    }
    Ok(series)
}

/// Forecasts every series of a checked history.
fn forecast_series_of(
    series: Vec<Series>,
    horizon: usize,
    season: Option<usize>,
    quantiles: &[f64],
    known: &[events::EventRow],
) -> Forecasted {
    let seasons: Vec<usize> = series
        .iter()
        .map(|s| season.unwrap_or(s.start.season_length()))
        .collect();
    if !known.is_empty() {
        let (forecasts, uplifts) =
            events::forecast_all_with_events(&series, &seasons, horizon, quantiles, known)
                .into_iter()
                .unzip();
        return Forecasted {
            series,
            seasons,
            forecasts,
            uplifts,
        };
    }
    // Series sharing a season length are forecast together, in parallel.
    let mut forecasts: Vec<Option<SeriesForecast>> = vec![None; series.len()];
    let mut lengths = seasons.clone();
    lengths.sort_unstable();
    lengths.dedup();
    for m in lengths {
        let at: Vec<usize> = (0..series.len()).filter(|&i| seasons[i] == m).collect();
        let values: Vec<&[f64]> = at.iter().map(|&i| series[i].values.as_slice()).collect();
        let mut params = ForecastParams::new(horizon, m);
        params.quantiles = quantiles.to_vec();
        for (i, f) in at
            .into_iter()
            .zip(forecast::forecast_many(&values, &params))
        {
            forecasts[i] = Some(f);
        }
    }
    let forecasts: Vec<SeriesForecast> = forecasts
        .into_iter()
        .map(|f| f.expect("every series has a season length, so a forecast"))
        .collect();
    let uplifts = vec![Vec::new(); series.len()];
    Forecasted {
        series,
        seasons,
        forecasts,
        uplifts,
    }
}

fn forecast_answer(f: &Forecasted, horizon: usize, quantiles: &[f64]) -> ForecastAnswer {
    let series = f
        .series
        .iter()
        .zip(&f.seasons)
        .zip(&f.forecasts)
        .zip(&f.uplifts)
        .map(|(((s, &season), fc), uplifts)| {
            let end = s.end();
            SeriesForecastBody {
                series: s.id.clone(),
                season,
                model: fc.model.clone(),
                history_periods: s.values.len(),
                forecast: (0..horizon)
                    .map(|j| ForecastPoint {
                        period: end.step(j as i64 + 1).to_string(),
                        forecast: fc.mean[j],
                        quantiles: fc.quantiles.iter().map(|q| q[j]).collect(),
                    })
                    .collect(),
                events: uplifts
                    .iter()
                    .map(|u| UpliftBody {
                        event: u.event.clone(),
                        occurrences: u.occurrences,
                        uplift: u.uplift,
                    })
                    .collect(),
            }
        })
        .collect();
    ForecastAnswer {
        horizon,
        quantiles: quantiles.to_vec(),
        series,
    }
}

fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn read_body(body: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(format!(
                "the body is larger than {} bytes",
                crate::serve::BODY_BYTES_MAX
            ))
        } else {
            ApiError::malformed(format!("could not read the body: {e}"))
        }
    })
}

fn parse_quantiles(text: &str) -> ApiResult<Vec<f64>> {
    text.split(',')
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            t.trim()
                .parse::<f64>()
                .map_err(|_| ApiError::field("quantiles", format!("`{t}` is not a number")))
        })
        .collect()
}

/// Forecasts with prediction quantiles for every series of a history, sent
/// as JSON (`history` rows or `history_csv`) or as a `text/csv` body with
/// `horizon`, `season` and `quantiles` in the query. Answers JSON, or with
/// `Accept: text/csv` the CSV `tote forecast` prints.
#[utoipa::path(post, path = "/v1/planning/forecast", tag = "planning", params(ForecastQuery),
    request_body(content(
        (ForecastRequest = "application/json"),
        (String = "text/csv", example = "series,period,value\nTEE-M,2024-01,120\n")
    )),
    responses((status = 200, description = "Forecasts; as the CSV of `tote forecast` when `Accept` asks for text/csv",
            content((ForecastAnswer = "application/json"), (String = "text/csv"))),
        (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn forecast(
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ForecastQuery>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = read_body(body)?;
    let (csv_text, source, horizon, season, quantiles, known) = match media_type(&headers).as_str()
    {
        "application/json" => {
            if q.horizon.is_some()
                || q.season.is_some()
                || q.quantiles.is_some()
                || q.holidays.is_some()
            {
                return Err(ApiError::field(
                    "query",
                    "with a JSON body, give horizon, season and quantiles in the body",
                ));
            }
            let r: ForecastRequest = parse_json(&body)?;
            let (csv_text, source) = match (r.history, r.history_csv) {
                (Some(rows), None) => (rows_to_csv(&rows), HistorySource::Rows),
                (None, Some(text)) => (text, HistorySource::Csv("history_csv")),
                _ => {
                    return Err(ApiError::field(
                        "history",
                        "give exactly one of history (rows) or history_csv",
                    ));
                }
            };
            let known = match (r.events, r.events_csv) {
                (None, None) => Vec::new(),
                (Some(rows), None) => check_events(&rows)?,
                (None, Some(text)) => events::parse_events(&text).map_err(|e| match e {
                    InputError::Argument { problem, .. } => ApiError::field("events_csv", problem),
                    e => ApiError::field("events_csv", e.to_string()),
                })?,
                (Some(_), Some(_)) => {
                    return Err(ApiError::field(
                        "events",
                        "give at most one of events (rows) or events_csv",
                    ));
                }
            };
            (
                csv_text,
                source,
                r.horizon,
                r.season,
                r.quantiles,
                (known, r.holidays),
            )
        }
        "text/csv" => {
            let text = String::from_utf8(body.to_vec())
                .map_err(|_| ApiError::malformed("the CSV body is not UTF-8"))?;
            let horizon = q
                .horizon
                .ok_or_else(|| ApiError::field("horizon", "is required"))?;
            let quantiles = match q.quantiles.as_deref() {
                Some(t) => parse_quantiles(t)?,
                None => default_quantiles(),
            };
            (
                text,
                HistorySource::Csv("body"),
                horizon,
                q.season,
                quantiles,
                (Vec::new(), q.holidays.unwrap_or(false)),
            )
        }
        _ => {
            return Err(ApiError::unsupported_media(
                "send the body as application/json or text/csv",
            ));
        }
    };
    let (known, holidays) = known;
    if accepts_csv(&headers) {
        // The CSV of `tote forecast`, from the same code path.
        let csv = blocking(move || {
            check_forecast(&csv_text, source, horizon, season, &quantiles)?;
            let events_csv = (!known.is_empty()).then(|| events_to_csv(&known));
            tote_planning::cli::forecast_with_events(
                &csv_text,
                horizon,
                season,
                &quantiles,
                events_csv.as_deref(),
                holidays,
            )
            .map_err(|e| history_error(e, source))
        })
        .await?;
        return Ok(([(header::CONTENT_TYPE, "text/csv")], csv).into_response());
    }
    let answer = blocking(move || {
        let series = check_forecast(&csv_text, source, horizon, season, &quantiles)?;
        let mut known = known;
        if holidays {
            known.extend(events::holidays_for(&series, horizon));
        }
        let f = forecast_series_of(series, horizon, season, &quantiles, &known);
        Ok(forecast_answer(&f, horizon, &quantiles))
    })
    .await?;
    Ok(Json(answer).into_response())
}

/// True when `Accept` names `text/csv` before (or without) `application/json`.
fn accepts_csv(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    accept
        .split(',')
        .map(|r| r.split(';').next().unwrap_or("").trim())
        .find(|r| r.eq_ignore_ascii_case("text/csv") || r.eq_ignore_ascii_case("application/json"))
        .is_some_and(|r| r.eq_ignore_ascii_case("text/csv"))
}

// ---------------------------------------------------------------- inventory

fn default_service_level() -> f64 {
    0.95
}

fn default_carrying_rate() -> f64 {
    0.25
}

fn default_case_pack() -> f64 {
    1.0
}

/// The levels of the default service-against-investment curve.
pub const CURVE_LEVELS_DEFAULT: [f64; 12] = [
    0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999,
];

/// `POST /v1/planning/inventory-policy`: one SKU at one node.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct InventoryPolicyRequest {
    /// Mean demand per day, units.
    pub demand_per_day_mean: f64,
    /// Standard deviation of daily demand, units.
    pub demand_per_day_sd: f64,
    pub lead_time_days_mean: f64,
    /// Lead-time variability; 0 for a fixed lead time.
    #[serde(default)]
    pub lead_time_days_sd: f64,
    /// Cycle service level: the probability of no stockout in a replenishment cycle.
    #[serde(default = "default_service_level")]
    pub service_level: f64,
    /// A fill-rate target (share of demand served from stock), answered beside the cycle service level.
    #[serde(default)]
    pub fill_rate: Option<f64>,
    /// Cost of one unit, to value stock.
    pub unit_cost: f64,
    /// Cost of placing one order (K).
    pub order_cost: f64,
    /// Annual carrying rate, a share of unit cost (DOMAIN.md carrying cost).
    #[serde(default = "default_carrying_rate")]
    pub annual_carrying_rate: f64,
    /// Minimum order quantity, units.
    #[serde(default)]
    pub moq: f64,
    /// Units per case; orders are whole cases.
    #[serde(default = "default_case_pack")]
    pub case_pack: f64,
    /// Periodic review every this many days: answers the order-up-to level S of (R,S).
    #[serde(default)]
    pub review_period_days: Option<f64>,
    /// With `on_hand`, the order to place now is answered.
    #[serde(default)]
    pub on_hand: Option<f64>,
    #[serde(default)]
    pub on_order: f64,
    #[serde(default)]
    pub backorders: f64,
    /// Cycle service levels of the what-if curve.
    #[serde(default)]
    pub curve_levels: Option<Vec<f64>>,
}

#[derive(Serialize, ToSchema, Clone, Copy)]
pub struct FillRatePolicy {
    pub fill_rate: f64,
    /// k with sigma_L G(k) = (1 - fill rate) Q.
    pub safety_factor: f64,
    pub safety_stock: f64,
    pub reorder_point: f64,
}

#[derive(Serialize, ToSchema, Clone, Copy)]
pub struct CurvePoint {
    pub service_level: f64,
    pub safety_stock: f64,
    /// Safety stock valued at unit cost.
    pub investment: f64,
    /// What holding that safety stock costs a year.
    pub annual_carrying_cost: f64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct InventoryPolicyAnswer {
    /// sqrt(L sd_d^2 + d^2 sd_L^2).
    pub lead_time_demand_sd: f64,
    pub safety_stock: f64,
    /// d L + safety stock.
    pub reorder_point: f64,
    /// sqrt(2 K D / h) with D a year's demand and h = unit cost x carrying rate.
    pub eoq: f64,
    /// The cheapest quantity in whole cases at or above the MOQ.
    pub order_quantity: f64,
    pub fill_rate_policy: Option<FillRatePolicy>,
    /// Order-up-to level of periodic review, with `review_period_days`.
    pub order_up_to: Option<f64>,
    /// Units to order now, with `on_hand`: up to the order-up-to level (or
    /// reorder point plus order quantity) when at or below the reorder point.
    pub order_now: Option<f64>,
    pub safety_stock_investment: f64,
    pub cycle_stock_investment: f64,
    pub service_curve: Vec<CurvePoint>,
}

pub(crate) fn plan_inventory(r: &InventoryPolicyRequest) -> ApiResult<InventoryPolicyAnswer> {
    let mut p = Problems::default();
    p.positive("demand_per_day_mean", r.demand_per_day_mean);
    p.non_negative("demand_per_day_sd", r.demand_per_day_sd);
    p.positive("lead_time_days_mean", r.lead_time_days_mean);
    p.non_negative("lead_time_days_sd", r.lead_time_days_sd);
    p.open("service_level", r.service_level, 0.0, 1.0);
    if let Some(f) = r.fill_rate {
        p.open("fill_rate", f, 0.0, 1.0);
    }
    p.positive("unit_cost", r.unit_cost);
    p.non_negative("order_cost", r.order_cost);
    p.open("annual_carrying_rate", r.annual_carrying_rate, 0.0, 10.0);
    p.non_negative("moq", r.moq);
    p.positive("case_pack", r.case_pack);
    if let Some(rp) = r.review_period_days {
        p.positive("review_period_days", rp);
    }
    if let Some(h) = r.on_hand {
        p.non_negative("on_hand", h);
    }
    p.non_negative("on_order", r.on_order);
    p.non_negative("backorders", r.backorders);
    if let Some(levels) = &r.curve_levels {
        if levels.is_empty() || levels.len() > CURVE_LEVELS_MAX {
            p.add(
                "curve_levels",
                format!("give 1 to {CURVE_LEVELS_MAX} levels"),
            );
        }
        for (i, &l) in levels.iter().enumerate() {
            p.open(&format!("curve_levels[{i}]"), l, 0.0, 1.0);
        }
    }
    p.finish()?;

    let d = r.demand_per_day_mean;
    let sigma_l = inventory::lead_time_demand_sd(
        d,
        r.demand_per_day_sd,
        r.lead_time_days_mean,
        r.lead_time_days_sd,
    );
    let safety_stock = inventory::safety_stock(r.service_level, sigma_l).max(0.0);
    let reorder_point = d * r.lead_time_days_mean + safety_stock;
    let annual_demand = d * 365.0;
    let holding = r.unit_cost * r.annual_carrying_rate;
    let eoq = inventory::eoq(annual_demand, r.order_cost, holding);
    let order_quantity = inventory::constrained_order_quantity(
        annual_demand,
        r.order_cost,
        holding,
        inventory::OrderConstraints {
            moq: r.moq,
            case_pack: r.case_pack,
        },
    );
    // A fill rate needs demand variability to protect against; with none,
    // no safety stock serves every unit.
    let fill_rate_policy = r.fill_rate.filter(|_| sigma_l > 0.0).map(|fill_rate| {
        let k = inventory::fill_rate_safety_factor(fill_rate, order_quantity, sigma_l);
        let stock = (k * sigma_l).max(0.0);
        FillRatePolicy {
            fill_rate,
            safety_factor: k,
            safety_stock: stock,
            reorder_point: d * r.lead_time_days_mean + stock,
        }
    });
    let order_up_to = r.review_period_days.map(|review| {
        inventory::order_up_to_level(
            d,
            r.demand_per_day_sd,
            review,
            r.lead_time_days_mean,
            r.lead_time_days_sd,
            r.service_level,
        )
    });
    let order_now = r.on_hand.map(|on_hand| {
        let (trigger, up_to) = match order_up_to {
            Some(s) => (s, s),
            None => (reorder_point, reorder_point + order_quantity),
        };
        inventory::replenishment_quantity(
            on_hand,
            r.on_order,
            r.backorders,
            trigger,
            up_to,
            r.case_pack,
        )
    });
    let levels = r
        .curve_levels
        .clone()
        .unwrap_or_else(|| CURVE_LEVELS_DEFAULT.to_vec());
    let service_curve = inventory::service_curve(sigma_l, r.unit_cost, &levels)
        .into_iter()
        .map(|pt| CurvePoint {
            service_level: pt.cycle_service_level,
            safety_stock: pt.safety_stock,
            investment: pt.investment,
            annual_carrying_cost: inventory::carrying_cost(
                pt.investment,
                r.annual_carrying_rate,
                365.0,
            ),
        })
        .collect();
    Ok(InventoryPolicyAnswer {
        lead_time_demand_sd: sigma_l,
        safety_stock,
        reorder_point,
        eoq,
        order_quantity,
        fill_rate_policy,
        order_up_to,
        order_now,
        safety_stock_investment: safety_stock * r.unit_cost,
        cycle_stock_investment: order_quantity / 2.0 * r.unit_cost,
        service_curve,
    })
}

/// Safety stock, reorder point, EOQ within MOQ and case packs, the fill-rate
/// and periodic-review variants, and service level against inventory investment.
#[utoipa::path(post, path = "/v1/planning/inventory-policy", tag = "planning",
    request_body = InventoryPolicyRequest,
    responses((status = 200, body = InventoryPolicyAnswer), (status = 422, body = Problem)))]
pub async fn inventory_policy(
    body: ApiJson<InventoryPolicyRequest>,
) -> ApiResult<Json<InventoryPolicyAnswer>> {
    Ok(Json(plan_inventory(&body.value)?))
}

// ---------------------------------------------------------------- labor

/// A warehouse process with its own engineered standard.
#[derive(Deserialize, Serialize, ToSchema, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[serde(rename_all = "snake_case")]
pub enum ProcessName {
    Receive,
    PutAway,
    Pick,
    Pack,
    Ship,
    Returns,
    Count,
}

impl ProcessName {
    pub(crate) fn process(self) -> Process {
        match self {
            ProcessName::Receive => Process::Receive,
            ProcessName::PutAway => Process::PutAway,
            ProcessName::Pick => Process::Pick,
            ProcessName::Pack => Process::Pack,
            ProcessName::Ship => Process::Ship,
            ProcessName::Returns => Process::Returns,
            ProcessName::Count => Process::Count,
        }
    }

    pub fn parse(name: &str) -> Option<ProcessName> {
        [
            ProcessName::Receive,
            ProcessName::PutAway,
            ProcessName::Pick,
            ProcessName::Pack,
            ProcessName::Ship,
            ProcessName::Returns,
            ProcessName::Count,
        ]
        .into_iter()
        .find(|p| p.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProcessName::Receive => "receive",
            ProcessName::PutAway => "put_away",
            ProcessName::Pick => "pick",
            ProcessName::Pack => "pack",
            ProcessName::Ship => "ship",
            ProcessName::Returns => "returns",
            ProcessName::Count => "count",
        }
    }
}

/// The standard a process is planned with.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct StandardBody {
    pub process: ProcessName,
    /// Engineered (or learned) units per labor hour.
    pub units_per_hour: f64,
    /// Paid hours less breaks.
    pub productive_hours_per_shift: f64,
    /// Share of productive time on the standard's work.
    pub utilization: f64,
}

/// A day or shift to staff, with its forecast units per process.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct LaborPeriod {
    pub name: String,
    /// Units per process: receive, put_away, pick, pack, ship, returns, count.
    #[schema(example = json!({"pick": 12000, "pack": 9000}))]
    pub units: std::collections::BTreeMap<String, f64>,
}

/// A shift pattern: the periods (indexes into `periods`) it works and its cost per head.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct PatternBody {
    pub name: String,
    pub covers: Vec<usize>,
    pub cost_per_head: f64,
}

fn default_cost_per_head() -> f64 {
    1.0
}

/// `POST /v1/planning/labor`.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct LaborRequest {
    pub periods: Vec<LaborPeriod>,
    /// Standards per process; when absent (or empty) the standards in effect
    /// at `GET /v1/planning/labor-standards` (edited, else learned from the events).
    #[serde(default)]
    pub standards: Vec<StandardBody>,
    /// Share of rostered time lost to absence, breaks outside the standard, training.
    #[serde(default)]
    pub shrinkage: f64,
    /// Each new hire's weeks since starting; they count at their ramp-up productivity.
    #[serde(default)]
    pub new_hires: Vec<usize>,
    /// A new hire's productivity in each week since starting, as a share of an experienced worker's.
    #[serde(default)]
    pub ramp_up: Vec<f64>,
    /// Shift patterns to choose from. Absent with seven periods (a week from
    /// Monday): the seven "five days on, two off" patterns at `cost_per_head`.
    #[serde(default)]
    pub patterns: Option<Vec<PatternBody>>,
    #[serde(default = "default_cost_per_head")]
    pub cost_per_head: f64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ProcessLoad {
    pub process: ProcessName,
    pub units: f64,
    /// Hours of direct work.
    pub hours: f64,
    /// Fractional heads: units / (units per hour x productive hours x utilization).
    pub heads: f64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct PeriodPlan {
    pub name: String,
    pub workload: Vec<ProcessLoad>,
    /// Sum of the processes' fractional heads.
    pub heads_needed: f64,
    /// Heads to roster after shrinkage and ramp-up, rounded up once.
    pub heads_rostered: u32,
    /// Heads the chosen shift plan puts on this period.
    pub heads_planned: u32,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct PatternPlan {
    pub name: String,
    pub covers: Vec<usize>,
    pub heads: u32,
    pub cost: f64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct LaborAnswer {
    pub periods: Vec<PeriodPlan>,
    pub patterns: Vec<PatternPlan>,
    /// Labor cost of the shift plan.
    pub cost: f64,
    /// Heads on the payroll: the sum over patterns.
    pub heads_total: u32,
}

pub(crate) fn plan_labor(r: &LaborRequest) -> ApiResult<LaborAnswer> {
    let mut p = Problems::default();
    if r.periods.is_empty() || r.periods.len() > LABOR_PERIODS_MAX {
        p.add("periods", format!("give 1 to {LABOR_PERIODS_MAX} periods"));
    }
    for (i, s) in r.standards.iter().enumerate() {
        p.positive(&format!("standards[{i}].units_per_hour"), s.units_per_hour);
        p.open(
            &format!("standards[{i}].productive_hours_per_shift"),
            s.productive_hours_per_shift,
            0.0,
            24.0 + f64::EPSILON,
        );
        if !(s.utilization > 0.0 && s.utilization <= 1.0) {
            p.add(
                format!("standards[{i}].utilization"),
                format!("{} is not above 0 and at most 1", s.utilization),
            );
        }
        if r.standards[..i].iter().any(|o| o.process == s.process) {
            p.add(
                format!("standards[{i}].process"),
                format!("`{}` has a standard already", s.process.as_str()),
            );
        }
    }
    // Process names are map keys, checked here so a misspelt one is named.
    let mut volumes: Vec<Vec<(ProcessName, f64)>> = Vec::with_capacity(r.periods.len());
    for (i, period) in r.periods.iter().enumerate() {
        let mut list = Vec::with_capacity(period.units.len());
        for (name, &units) in &period.units {
            let field = format!("periods[{i}].units.{name}");
            let Some(process) = ProcessName::parse(name) else {
                p.add(
                    field,
                    format!(
                        "`{name}` is not one of receive, put_away, pick, pack, ship, returns, count"
                    ),
                );
                continue;
            };
            p.non_negative(&field, units);
            if !r.standards.iter().any(|s| s.process == process) {
                p.add(field, format!("no standard for `{name}`"));
            }
            list.push((process, units));
        }
        volumes.push(list);
    }
    if !(0.0..0.95).contains(&r.shrinkage) {
        p.add(
            "shrinkage",
            format!("{} is not from 0 up to 0.95", r.shrinkage),
        );
    }
    if r.new_hires.len() > 100_000 {
        p.add("new_hires", "at most 100000 new hires");
    }
    if r.ramp_up.len() > 520 {
        p.add("ramp_up", "at most 520 weeks");
    }
    for (i, &w) in r.ramp_up.iter().enumerate() {
        if !(w > 0.0 && w <= 1.0) {
            p.add(
                format!("ramp_up[{i}]"),
                format!("{w} is not above 0 and at most 1"),
            );
        }
    }
    p.positive("cost_per_head", r.cost_per_head);
    let patterns: Vec<labor::shifts::ShiftPattern> = match &r.patterns {
        Some(list) => {
            if list.is_empty() || list.len() > labor::shifts::PATTERNS_MAX {
                p.add(
                    "patterns",
                    format!("give 1 to {} patterns", labor::shifts::PATTERNS_MAX),
                );
            }
            for (i, pat) in list.iter().enumerate() {
                p.positive(&format!("patterns[{i}].cost_per_head"), pat.cost_per_head);
                if let Some(&c) = pat.covers.iter().find(|&&c| c >= r.periods.len()) {
                    p.add(
                        format!("patterns[{i}].covers"),
                        format!("period {c} is outside the {} periods", r.periods.len()),
                    );
                }
            }
            list.iter()
                .map(|pat| labor::shifts::ShiftPattern {
                    name: pat.name.clone(),
                    covers: pat.covers.clone(),
                    cost_per_head: pat.cost_per_head,
                })
                .collect()
        }
        None if r.periods.len() == 7 => labor::shifts::five_on_two_off(r.cost_per_head),
        None => {
            p.add(
                "patterns",
                "required unless there are 7 periods (a week from Monday, planned five days on, two off)",
            );
            Vec::new()
        }
    };
    p.finish()?;

    let standards: Vec<Standard> = r
        .standards
        .iter()
        .map(|s| Standard {
            process: s.process.process(),
            units_per_hour: s.units_per_hour,
            productive_hours_per_shift: s.productive_hours_per_shift,
            utilization: s.utilization,
        })
        .collect();
    let ramp = RampUp {
        weekly_productivity: r.ramp_up.clone(),
    };
    let mut periods: Vec<PeriodPlan> = r
        .periods
        .iter()
        .zip(&volumes)
        .map(|(period, list)| {
            let volumes: Vec<(Process, f64)> =
                list.iter().map(|&(name, u)| (name.process(), u)).collect();
            let loads = labor::workload(&volumes, &standards);
            // A fold from +0.0: an empty float sum is -0.0.
            let heads_needed: f64 = loads.iter().fold(0.0, |sum, w| sum + w.heads);
            let heads_rostered = if heads_needed > 0.0 {
                labor::rostered_heads_with_ramp_up(heads_needed, r.shrinkage, &r.new_hires, &ramp)
            } else {
                0
            };
            PeriodPlan {
                name: period.name.clone(),
                workload: list
                    .iter()
                    .zip(&loads)
                    .map(|(&(process, _), w)| ProcessLoad {
                        process,
                        units: w.units,
                        hours: w.hours,
                        heads: w.heads,
                    })
                    .collect(),
                heads_needed,
                heads_rostered,
                heads_planned: 0,
            }
        })
        .collect();
    let required: Vec<u32> = periods.iter().map(|p| p.heads_rostered).collect();
    let plan = labor::shifts::plan_shifts(&required, &patterns).map_err(|e| match e {
        labor::shifts::ShiftPlanError::Uncovered { period, .. } => ApiError::field(
            "patterns",
            format!("{e}; period {period} is `{}`", r.periods[period].name),
        ),
        other => ApiError::field("patterns", other.to_string()),
    })?;
    for (period, &have) in periods.iter_mut().zip(&plan.coverage) {
        period.heads_planned = have;
    }
    Ok(LaborAnswer {
        periods,
        patterns: patterns
            .iter()
            .zip(&plan.heads)
            .map(|(pat, &heads)| PatternPlan {
                name: pat.name.clone(),
                covers: pat.covers.clone(),
                heads,
                cost: pat.cost_per_head * f64::from(heads),
            })
            .collect(),
        cost: plan.cost,
        heads_total: plan.heads.iter().sum(),
    })
}

/// Workload and heads per period (day or shift) from forecast units and
/// engineered standards, with shrinkage and ramp-up, and the least-cost
/// shift-pattern plan covering every period (an integer program).
#[utoipa::path(post, path = "/v1/planning/labor", tag = "planning", request_body = LaborRequest,
    responses((status = 200, body = LaborAnswer), (status = 422, body = Problem)))]
pub async fn labor(
    axum::extract::State(s): axum::extract::State<super::AppState>,
    body: ApiJson<LaborRequest>,
) -> ApiResult<Json<LaborAnswer>> {
    let mut r = body.value;
    if r.standards.is_empty() {
        let live = s
            .read(|q| super::planning_live::labor_standards_of(q, 0))
            .await?;
        r.standards = live
            .standards
            .into_iter()
            .filter_map(|x| {
                Some(StandardBody {
                    process: ProcessName::parse(&x.process)?,
                    units_per_hour: x.units_per_hour,
                    productive_hours_per_shift: x.productive_hours_per_shift,
                    utilization: x.utilization,
                })
            })
            .collect();
    }
    Ok(Json(blocking(move || plan_labor(&r)).await?))
}

// ---------------------------------------------------------------- peak

/// A processing step every order passes through, in order.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct StationBody {
    pub name: String,
    /// Minutes of one head per order.
    pub minutes_per_order: f64,
    /// Heads on duty in each hour, repeating (24 entries for a daily pattern, 168 weekly).
    pub heads_by_hour: Vec<u32>,
    /// Physical positions (pack benches); none for no cap.
    #[serde(default)]
    pub positions: Option<u32>,
}

/// A carrier pickup every day.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct PickupBody {
    /// `HH:MM`, node-local.
    pub at: String,
    pub capacity_orders: u32,
}

fn default_jitter() -> f64 {
    0.2
}

/// `POST /v1/planning/peak`: a node over a forecast peak, hour by hour.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct PeakRequest {
    /// Orders arriving in each simulated hour from midnight of day one.
    pub orders_by_hour: Vec<u32>,
    pub stations: Vec<StationBody>,
    pub pickups: Vec<PickupBody>,
    /// `HH:MM`: orders placed by then ship that day.
    pub order_cutoff: String,
    /// Service times vary uniformly by +/- this share.
    #[serde(default = "default_jitter")]
    pub service_jitter: f64,
    #[serde(default)]
    pub seed: u64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct StationResult {
    pub name: String,
    pub orders_done: u32,
    pub utilization: f64,
    pub wait_minutes_mean: f64,
    pub queue_max: u32,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct PeakAnswer {
    /// Orders arrived but not shipped at the end of each hour.
    pub backlog_by_hour: Vec<u32>,
    pub orders: u32,
    pub shipped: u32,
    pub shipped_on_time: u32,
    pub on_time_ship_rate: f64,
    pub stations: Vec<StationResult>,
    /// Where orders waited longest: the constraint to relieve first.
    pub bottleneck: String,
}

fn minute_of_day(field: &str, text: &str, p: &mut Problems) -> u32 {
    match chrono::NaiveTime::parse_from_str(text, "%H:%M") {
        Ok(t) => {
            use chrono::Timelike;
            t.hour() * 60 + t.minute()
        }
        Err(_) => {
            p.add(field, format!("`{text}` is not a time HH:MM"));
            0
        }
    }
}

pub(crate) fn plan_peak(r: &PeakRequest) -> ApiResult<PeakAnswer> {
    let mut p = Problems::default();
    if r.orders_by_hour.is_empty() || r.orders_by_hour.len() > peak::HOURS_MAX {
        p.add(
            "orders_by_hour",
            format!("give 1 to {} hours", peak::HOURS_MAX),
        );
    }
    let orders: u64 = r.orders_by_hour.iter().map(|&n| u64::from(n)).sum();
    if orders > PEAK_ORDERS_MAX {
        p.add(
            "orders_by_hour",
            format!("{orders} orders, more than {PEAK_ORDERS_MAX}"),
        );
    }
    if r.stations.is_empty() || r.stations.len() > PEAK_STATIONS_MAX {
        p.add(
            "stations",
            format!("give 1 to {PEAK_STATIONS_MAX} stations"),
        );
    }
    for (i, s) in r.stations.iter().enumerate() {
        // At least a second an order and at most a day, so the event count stays bounded.
        if !(s.minutes_per_order >= 1.0 / 60.0 && s.minutes_per_order <= 1_440.0) {
            p.add(
                format!("stations[{i}].minutes_per_order"),
                format!("{} is not between 1/60 and 1440", s.minutes_per_order),
            );
        }
        if s.heads_by_hour.is_empty() || s.heads_by_hour.len() > peak::HOURS_MAX {
            p.add(
                format!("stations[{i}].heads_by_hour"),
                format!("give 1 to {} hours", peak::HOURS_MAX),
            );
        }
        if s.heads_by_hour.iter().any(|&h| h > 100_000) {
            p.add(
                format!("stations[{i}].heads_by_hour"),
                "at most 100000 heads",
            );
        }
    }
    if r.pickups.len() > 48 {
        p.add("pickups", "at most 48 pickups a day");
    }
    let pickups: Vec<peak::Pickup> = r
        .pickups
        .iter()
        .enumerate()
        .map(|(i, pk)| peak::Pickup {
            minute_of_day: minute_of_day(&format!("pickups[{i}].at"), &pk.at, &mut p),
            capacity_orders: pk.capacity_orders,
        })
        .collect();
    let cutoff = minute_of_day("order_cutoff", &r.order_cutoff, &mut p);
    if !(0.0..1.0).contains(&r.service_jitter) {
        p.add(
            "service_jitter",
            format!("{} is not from 0 up to 1", r.service_jitter),
        );
    }
    p.finish()?;
    let scenario = PeakScenario {
        orders_by_hour: r.orders_by_hour.clone(),
        stations: r
            .stations
            .iter()
            .map(|s| peak::Station {
                name: s.name.clone(),
                minutes_per_order: s.minutes_per_order,
                heads_by_hour: s.heads_by_hour.clone(),
                positions: s.positions,
            })
            .collect(),
        pickups,
        order_cutoff_minute_of_day: cutoff,
        service_jitter: r.service_jitter,
        seed: r.seed,
    };
    let report: PeakReport = peak::simulate_peak(&scenario);
    Ok(PeakAnswer {
        backlog_by_hour: report.backlog_by_hour,
        orders: report.orders,
        shipped: report.shipped,
        shipped_on_time: report.shipped_on_time,
        on_time_ship_rate: report.on_time_ship_rate,
        stations: report
            .stations
            .into_iter()
            .map(|s| StationResult {
                name: s.name,
                orders_done: s.orders_done,
                utilization: s.utilization,
                wait_minutes_mean: s.wait_minutes_mean,
                queue_max: s.queue_max,
            })
            .collect(),
        bottleneck: report.bottleneck,
    })
}

/// A discrete-event simulation of a node over a peak: backlog by hour,
/// on-time ship rate and the bottleneck station.
#[utoipa::path(post, path = "/v1/planning/peak", tag = "planning", request_body = PeakRequest,
    responses((status = 200, body = PeakAnswer), (status = 422, body = Problem)))]
pub async fn peak(body: ApiJson<PeakRequest>) -> ApiResult<Json<PeakAnswer>> {
    let r = body.value;
    Ok(Json(blocking(move || plan_peak(&r)).await?))
}
