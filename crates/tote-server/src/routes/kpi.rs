//! Metrics, exceptions and scorecards: read from the board the metrics service
//! keeps (`crate::kpi`); targets and scorecard settings go through the writer as
//! commands and come back to the board as events.

use std::collections::BTreeMap;

use super::{AppState, answer};
use crate::extract::{ApiJson, ApiQuery, IdempotencyHeader};
use crate::kpi::Kpi;
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tote_core::Timestamp;
use tote_core::validate::Checker;
use tote_metrics::present;
use tote_metrics::{
    AgedBacklog, Cut, Day, Exception, ExceptionKind, ExceptionRules, Measure, MeasureSetting,
    Metric, Period, Reading, ScorecardConfig, ScorecardKind, Targets, Value,
};
use tote_oms::{Command, MetricsSettings, Outcome};

/// The longest period a query may span.
pub const PERIOD_DAYS_MAX: i32 = 3_660;
/// The most points a series answers.
pub const SERIES_POINTS_MAX: usize = 1_000;

#[derive(Deserialize, utoipa::IntoParams, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct MetricsQuery {
    /// First day, `YYYY-MM-DD` (UTC); 6 days before `to` when absent.
    pub from: Option<String>,
    /// Last day, inclusive; today when absent.
    pub to: Option<String>,
    /// `node`, `channel`, `carrier`, `3pl` or `sku`; the whole operation when absent.
    pub cut: Option<String>,
    /// The code of the node, channel, carrier, 3PL or SKU to cut by.
    pub value: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct SeriesQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub cut: Option<String>,
    pub value: Option<String>,
    /// `day` (default) or `week` (ISO weeks, Monday first).
    pub grain: Option<String>,
}

fn parse_day(c: &mut Checker, field: &str, text: &str) -> Option<Day> {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => {
            let at = d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros();
            Some(Day::of(Timestamp(at)))
        }
        Err(_) => {
            c.fail(field, "is not a date YYYY-MM-DD");
            None
        }
    }
}

pub fn day_text(day: Day) -> String {
    let secs = i64::from(day.0) * 86_400;
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Where a period ends when the query does not say: today, or the day of the
/// last event when the books stop earlier (a replayed history or the demo's
/// simulated weeks), so the default view shows the latest activity.
pub fn default_end(k: &Kpi, now: Timestamp) -> Timestamp {
    let last = k.projector.last_event_at;
    if last.0 > 0 && last < now { last } else { now }
}

/// The period asked for: `from` to `to` inclusive, by default the 7 days to `now`.
pub fn period_of(
    c: &mut Checker,
    from: Option<&str>,
    to: Option<&str>,
    now: Timestamp,
) -> Option<Period> {
    let to = match to {
        Some(t) => parse_day(c, "to", t),
        None => Some(Day::of(now)),
    };
    let from = match (from, to) {
        (Some(f), _) => parse_day(c, "from", f),
        (None, Some(t)) => Some(Day(t.0 - 6)),
        (None, None) => None,
    };
    let (from, to) = (from?, to?);
    if from > to {
        c.fail("from", "is after `to`");
        return None;
    }
    if to.0 - from.0 >= PERIOD_DAYS_MAX {
        c.fail("from", format!("spans more than {PERIOD_DAYS_MAX} days"));
        return None;
    }
    Some(Period::new(from, Day(to.0 + 1)))
}

/// The cut asked for, resolved against the codes the events named.
pub fn cut_of(c: &mut Checker, k: &Kpi, cut: Option<&str>, value: Option<&str>) -> Option<Cut> {
    let names = &k.projector.names;
    let (kind, value) = match (cut, value) {
        (None, None) => return Some(Cut::All),
        (None, Some(_)) => {
            c.fail("cut", "is needed with `value`");
            return None;
        }
        (Some(_), None) => {
            c.fail("value", "is needed with `cut`: the code to cut by");
            return None;
        }
        (Some(k), Some(v)) => (k, v),
    };
    let unknown = |c: &mut Checker, what: &str| {
        c.fail("value", format!("no event names the {what} `{value}`"));
        None
    };
    match kind {
        "node" => names
            .find_node(value)
            .map(Cut::Node)
            .or_else(|| unknown(c, "node")),
        "3pl" => match names.find_node(value) {
            Some(n) if names.is_three_pl(n) => Some(Cut::ThreePl(n)),
            _ => unknown(c, "3PL"),
        },
        "channel" => names
            .find_channel(value)
            .map(Cut::Channel)
            .or_else(|| unknown(c, "channel")),
        "carrier" => names
            .find_carrier(value)
            .map(Cut::Carrier)
            .or_else(|| unknown(c, "carrier")),
        "sku" => names
            .find_sku(value)
            .map(Cut::Sku)
            .or_else(|| unknown(c, "SKU")),
        _ => {
            c.fail("cut", "must be node, channel, carrier, 3pl or sku");
            None
        }
    }
}

/// The code a cut names, for links and labels.
pub fn cut_code(k: &Kpi, cut: Cut) -> Option<(&'static str, String)> {
    let n = &k.projector.names;
    match cut {
        Cut::All => None,
        Cut::Node(id) => Some(("node", n.node_code(id).to_owned())),
        Cut::ThreePl(id) => Some(("3pl", n.node_code(id).to_owned())),
        Cut::Channel(id) => Some(("channel", n.channel_code(id).to_owned())),
        Cut::Carrier(id) => Some(("carrier", n.carrier_code(id).to_owned())),
        Cut::Sku(id) => Some(("sku", n.sku_code(id).to_owned())),
    }
}

/// One metric over a period, with what explains it.
#[derive(Serialize, utoipa::ToSchema, Clone, Debug)]
pub struct MetricView {
    /// The name in paths, such as `otif`.
    pub metric: String,
    pub label: String,
    /// `ratio` (a fraction), `hours` (at the median), `money`, `per_year`, `days` or `units_per_hour`.
    pub unit: String,
    /// The headline; absent when nothing was counted.
    pub value: Option<f64>,
    /// The headline as the dashboard shows it.
    pub display: String,
    /// Exact decimals behind the headline (see `counts`).
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    /// What the numerator and denominator count.
    pub counts: String,
    /// 90th percentile, for times.
    pub p90_hours: Option<f64>,
    pub target: Option<f64>,
    pub target_display: Option<String>,
    pub on_target: Option<bool>,
    /// The previous period of the same length.
    pub previous: Option<f64>,
    pub previous_display: String,
    /// This period's headline minus the previous period's.
    pub trend: Option<f64>,
    pub trend_display: String,
    pub improving: Option<bool>,
}

impl MetricView {
    pub fn of(r: &Reading) -> MetricView {
        let (numerator, denominator) = present::parts(&r.value);
        let value = r.value.headline();
        let previous = r.previous.headline();
        MetricView {
            metric: r.metric.name().to_owned(),
            label: present::label(r.metric).to_owned(),
            unit: present::unit(r.metric).name().to_owned(),
            value,
            display: present::display(r.metric, value),
            numerator,
            denominator,
            counts: present::parts_meaning(r.metric).to_owned(),
            p90_hours: match &r.value {
                Value::Durations(d) => d.p90_us.map(|us| us as f64 / 3_600_000_000.0),
                _ => None,
            },
            target: r.target,
            target_display: r.target.map(|t| present::display(r.metric, Some(t))),
            on_target: r.on_target(),
            previous,
            previous_display: present::display(r.metric, previous),
            trend: r.trend(),
            trend_display: present::display_trend(r),
            improving: r.improving(),
        }
    }
}

/// Open orders aged by hours past their ship-by, now.
#[derive(Serialize, utoipa::ToSchema, Clone, Debug)]
pub struct BacklogView {
    pub orders: i64,
    pub not_yet_due: i64,
    /// Up to 4 h, 4 to 24 h, 24 to 72 h and over 72 h past ship-by.
    pub past_ship_by: [i64; 4],
}

impl From<AgedBacklog> for BacklogView {
    fn from(b: AgedBacklog) -> BacklogView {
        BacklogView {
            orders: b.orders,
            not_yet_due: b.not_yet_due,
            past_ship_by: b.past_ship_by,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema, Clone, Debug)]
pub struct MetricsView {
    /// First day of the period.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    pub cut: Option<String>,
    pub value: Option<String>,
    /// The events the board has applied, up to this cursor of `/v1/events`.
    pub cursor: u64,
    pub metrics: Vec<MetricView>,
    pub backlog: BacklogView,
}

pub fn metrics_view(k: &Kpi, period: Period, cut: Cut, now: Timestamp) -> MetricsView {
    let code = cut_code(k, cut);
    MetricsView {
        from: day_text(period.from),
        to: day_text(Day(period.to.0 - 1)),
        cut: code.as_ref().map(|c| c.0.to_owned()),
        value: code.map(|c| c.1),
        cursor: k.projector.seq,
        metrics: Metric::ALL
            .iter()
            .map(|&m| MetricView::of(&k.board.reading(m, period, cut)))
            .collect(),
        backlog: k.board.backlog(cut, now).into(),
    }
}

/// Every metric over a period (the last 7 days unless said), for the whole
/// operation or one node, channel, carrier, 3PL or SKU, each with its numerator
/// and denominator, target, previous period and trend, and the backlog now.
#[utoipa::path(get, path = "/v1/metrics", tag = "metrics", params(MetricsQuery),
    responses((status = 200, body = MetricsView), (status = 422, body = Problem)))]
pub async fn metrics(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<MetricsQuery>,
) -> ApiResult<Response> {
    let now = super::now();
    let k = s.kpi.read();
    let mut c = Checker::new();
    let period = period_of(
        &mut c,
        q.from.as_deref(),
        q.to.as_deref(),
        default_end(&k, now),
    );
    let cut = cut_of(&mut c, &k, q.cut.as_deref(), q.value.as_deref());
    c.finish().map_err(ApiError::invalid)?;
    let (Some(period), Some(cut)) = (period, cut) else {
        return Err(ApiError::internal(
            "a checked query without a period or cut",
        ));
    };
    Ok(answer(
        StatusCode::OK,
        &metrics_view(&k, period, cut, now),
        false,
    ))
}

#[derive(Serialize, utoipa::ToSchema, Clone, Debug)]
pub struct SeriesPoint {
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    pub value: Option<f64>,
    pub display: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema, Clone, Debug)]
pub struct SeriesView {
    pub metric: String,
    pub label: String,
    pub unit: String,
    pub grain: String,
    pub target: Option<f64>,
    pub points: Vec<SeriesPoint>,
}

/// The buckets of a series: each day, or each ISO week touching the period.
pub fn buckets(period: Period, weekly: bool) -> Vec<Period> {
    if !weekly {
        return period.iter().map(Period::day).collect();
    }
    let mut out = Vec::new();
    let mut week = Period::week_of(period.from);
    while week.from < period.to {
        out.push(week);
        week = Period::new(week.to, Day(week.to.0 + 7));
    }
    out
}

pub fn series_view(k: &Kpi, metric: Metric, period: Period, cut: Cut, weekly: bool) -> SeriesView {
    SeriesView {
        metric: metric.name().to_owned(),
        label: present::label(metric).to_owned(),
        unit: present::unit(metric).name().to_owned(),
        grain: if weekly { "week" } else { "day" }.to_owned(),
        target: k.board.target(metric),
        points: buckets(period, weekly)
            .into_iter()
            .map(|p| {
                let v = k.board.value(metric, p, cut);
                let (numerator, denominator) = present::parts(&v);
                let value = v.headline();
                SeriesPoint {
                    from: day_text(p.from),
                    to: day_text(Day(p.to.0 - 1)),
                    value,
                    display: present::display(metric, value),
                    numerator,
                    denominator,
                }
            })
            .collect(),
    }
}

/// One metric day by day or week by week: a trend chart's points.
#[utoipa::path(get, path = "/v1/metrics/{metric}/series", tag = "metrics", params(SeriesQuery,
        ("metric" = String, Path, description = "a metric name, such as otif or unit_fill_rate")),
    responses((status = 200, body = SeriesView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn series(
    State(s): State<AppState>,
    Path(metric): Path<String>,
    ApiQuery(q): ApiQuery<SeriesQuery>,
) -> ApiResult<Response> {
    let Some(metric) = Metric::from_name(&metric) else {
        return Err(ApiError::not_found(format!("no metric `{metric}`")));
    };
    let now = super::now();
    let k = s.kpi.read();
    let mut c = Checker::new();
    let period = period_of(
        &mut c,
        q.from.as_deref(),
        q.to.as_deref(),
        default_end(&k, now),
    );
    let cut = cut_of(&mut c, &k, q.cut.as_deref(), q.value.as_deref());
    let weekly = match q.grain.as_deref() {
        None | Some("day") => false,
        Some("week") => true,
        Some(_) => {
            c.fail("grain", "must be day or week");
            false
        }
    };
    if let Some(p) = period
        && buckets(p, weekly).len() > SERIES_POINTS_MAX
    {
        c.fail(
            "from",
            format!("gives more than {SERIES_POINTS_MAX} points: use grain=week"),
        );
    }
    c.finish().map_err(ApiError::invalid)?;
    let (Some(period), Some(cut)) = (period, cut) else {
        return Err(ApiError::internal(
            "a checked query without a period or cut",
        ));
    };
    Ok(answer(
        StatusCode::OK,
        &series_view(&k, metric, period, cut, weekly),
        false,
    ))
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct ExceptionsQuery {
    /// Only this kind: past_ship_by, at_risk, hold, short_pick, stuck or count_variance.
    pub kind: Option<String>,
    /// Hours without an event after which an open order is stuck (default 24).
    pub stuck_hours: Option<i64>,
    /// Hours before ship-by within which an unreleased order is at risk (default 4).
    pub at_risk_hours: Option<i64>,
    pub limit: Option<usize>,
}

#[derive(Serialize, utoipa::ToSchema, Clone, Debug)]
pub struct ExceptionView {
    pub kind: String,
    pub label: String,
    pub subject: String,
    pub order: Option<String>,
    pub summary: String,
    pub root_cause: String,
    /// Since when (RFC 3339).
    pub since: String,
    pub age_hours: i64,
    /// Where to look: the order's page, or the count awaiting approval.
    pub link: String,
}

impl ExceptionView {
    pub fn of(e: &Exception) -> ExceptionView {
        ExceptionView {
            kind: e.kind.name().to_owned(),
            label: e.kind.label().to_owned(),
            subject: e.subject.clone(),
            order: e.order.clone(),
            summary: e.summary.clone(),
            root_cause: e.root_cause.clone(),
            since: e.since.to_rfc3339(),
            age_hours: e.age_hours,
            link: match (&e.order, e.kind) {
                (Some(o), _) => format!("/orders/{o}"),
                (None, ExceptionKind::CountVariance) => format!("/v1/counts/{}", e.subject),
                (None, _) => "/v1/events".to_owned(),
            },
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ExceptionsView {
    /// How many of each kind, before `limit`.
    pub counts: BTreeMap<String, usize>,
    /// Oldest first.
    pub items: Vec<ExceptionView>,
}

pub fn exception_rules(
    c: &mut Checker,
    stuck: Option<i64>,
    at_risk: Option<i64>,
) -> ExceptionRules {
    let mut rules = ExceptionRules::default();
    for (field, v, slot) in [
        ("stuck_hours", stuck, &mut rules.stuck_hours),
        ("at_risk_hours", at_risk, &mut rules.at_risk_hours),
    ] {
        match v {
            Some(h) if (1..=24 * 365).contains(&h) => *slot = h,
            Some(_) => c.fail(field, "must be whole hours from 1 to 8760"),
            None => {}
        }
    }
    rules
}

/// What needs a person now: orders past ship-by or at risk, holds, short picks,
/// stuck orders and count variances awaiting approval, oldest first.
#[utoipa::path(get, path = "/v1/exceptions", tag = "metrics", params(ExceptionsQuery),
    responses((status = 200, body = ExceptionsView), (status = 422, body = Problem)))]
pub async fn exceptions(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<ExceptionsQuery>,
) -> ApiResult<Response> {
    let mut c = Checker::new();
    let rules = exception_rules(&mut c, q.stuck_hours, q.at_risk_hours);
    let kind = match q.kind.as_deref() {
        None => None,
        Some(k) => {
            let found = ExceptionKind::from_name(k);
            if found.is_none() {
                c.fail("kind", "is not a kind of exception");
            }
            found
        }
    };
    let limit = super::page_limit(q.limit);
    c.finish().map_err(ApiError::invalid)?;
    let limit = limit?;
    let k = s.kpi.read();
    let all = tote_metrics::exceptions(&k.projector, super::now(), rules);
    let mut counts = BTreeMap::new();
    for e in &all {
        *counts.entry(e.kind.name().to_owned()).or_insert(0) += 1;
    }
    let items = all
        .iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .take(limit)
        .map(ExceptionView::of)
        .collect();
    Ok(answer(
        StatusCode::OK,
        &ExceptionsView { counts, items },
        false,
    ))
}

/// Targets per metric, as the metric's headline: a fraction for rates, hours for
/// times, money in the currency.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetsBody {
    pub targets: BTreeMap<String, f64>,
}

fn settle(problems: Vec<(String, String)>) -> ApiResult<()> {
    let mut c = Checker::new();
    for (f, p) in problems {
        c.fail(f, p);
    }
    c.finish().map_err(ApiError::invalid)
}

/// Submits settings and waits until the board has read them back.
async fn put_settings(
    s: &AppState,
    settings: MetricsSettings,
    key: Option<String>,
    hash: [u8; 32],
) -> ApiResult<(serde_json::Value, bool)> {
    let a = s
        .submit(Command::MetricsSettings(settings), key, hash)
        .await?;
    let kpi = s.kpi.clone();
    tokio::task::spawn_blocking(move || kpi.catch_up(super::now()))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::from)?;
    match a.outcome {
        Outcome::MetricsSettings(v) => Ok((v, a.replayed)),
        other => Err(ApiError::internal(format!("unexpected outcome {other:?}"))),
    }
}

/// The targets in force.
#[utoipa::path(get, path = "/v1/metrics/targets", tag = "metrics",
    responses((status = 200, body = TargetsBody)))]
pub async fn get_targets(State(s): State<AppState>) -> ApiResult<Response> {
    let k = s.kpi.read();
    Ok(answer(StatusCode::OK, &k.targets, false))
}

/// Replace the targets: every metric named gets its target, the others none.
#[utoipa::path(put, path = "/v1/metrics/targets", tag = "metrics", request_body = TargetsBody,
    responses((status = 200, body = TargetsBody), (status = 422, body = Problem)))]
pub async fn put_targets(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<TargetsBody>,
) -> ApiResult<Response> {
    let t = Targets {
        targets: body.value.targets,
    };
    settle(t.problems())?;
    let json = serde_json::to_value(&t).map_err(ApiError::internal)?;
    let (v, replayed) =
        put_settings(&s, MetricsSettings::Targets(json), key, body.request_hash).await?;
    Ok(answer(StatusCode::OK, &v, replayed))
}

/// Weights and targets per measure (on_time, accuracy, dock_to_stock,
/// cost_per_order, damage), for the `nodes`, `carriers` and `3pls` scorecards:
/// `{"nodes": {"on_time": {"weight": 0.4, "target": 0.98}, ...}, ...}`.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardConfigBody {
    #[schema(value_type = Object)]
    pub nodes: BTreeMap<Measure, MeasureSetting>,
    #[schema(value_type = Object)]
    pub carriers: BTreeMap<Measure, MeasureSetting>,
    #[serde(rename = "3pls")]
    #[schema(value_type = Object)]
    pub three_pls: BTreeMap<Measure, MeasureSetting>,
}

/// The scorecard settings in force.
#[utoipa::path(get, path = "/v1/scorecards/config", tag = "metrics",
    responses((status = 200, body = ScorecardConfigBody)))]
pub async fn get_scorecard_config(State(s): State<AppState>) -> ApiResult<Response> {
    let k = s.kpi.read();
    Ok(answer(StatusCode::OK, &k.scorecards, false))
}

/// Replace the scorecard settings.
#[utoipa::path(put, path = "/v1/scorecards/config", tag = "metrics", request_body = ScorecardConfigBody,
    responses((status = 200, body = ScorecardConfigBody), (status = 422, body = Problem)))]
pub async fn put_scorecard_config(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<ScorecardConfigBody>,
) -> ApiResult<Response> {
    let b = body.value;
    let config = ScorecardConfig {
        nodes: b.nodes,
        carriers: b.carriers,
        three_pls: b.three_pls,
    };
    settle(config.problems())?;
    let json = serde_json::to_value(&config).map_err(ApiError::internal)?;
    let (v, replayed) = put_settings(
        &s,
        MetricsSettings::Scorecards(json),
        key,
        body.request_hash,
    )
    .await?;
    Ok(answer(StatusCode::OK, &v, replayed))
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct ScorecardQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    /// Weeks of weighted score history to give, ending with the week of `to` (default 8).
    pub weeks: Option<usize>,
}

#[derive(Serialize, utoipa::ToSchema, Clone, Debug)]
pub struct MeasureView {
    pub measure: String,
    pub label: String,
    pub value: Option<f64>,
    pub display: String,
    pub target: f64,
    pub target_display: String,
    pub weight: f64,
    /// 0 to 1.
    pub score: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema, Clone, Debug)]
pub struct ScorecardRow {
    /// The node, carrier or 3PL code.
    pub code: String,
    pub measures: Vec<MeasureView>,
    /// 0 to 100.
    pub score: Option<f64>,
    /// The weighted score of each week, oldest first (`weeks` long).
    pub history: Vec<Option<f64>>,
}

#[derive(Serialize, utoipa::ToSchema, Clone, Debug)]
pub struct ScorecardsView {
    pub kind: String,
    pub from: String,
    pub to: String,
    /// The first day of each week of `history`.
    pub weeks: Vec<String>,
    pub rows: Vec<ScorecardRow>,
}

pub fn measure_display(m: tote_metrics::Measure, v: Option<f64>) -> String {
    match v {
        None => "n/a".into(),
        Some(v) if m.is_rate() => format!("{:.1}%", v * 100.0),
        Some(v) if m == tote_metrics::Measure::DockToStock => format!("{v:.1} h"),
        Some(v) => format!("{v:.2}"),
    }
}

pub fn scorecards_view(
    k: &Kpi,
    kind: ScorecardKind,
    period: Period,
    weeks: usize,
) -> ScorecardsView {
    let names = &k.projector.names;
    let cuts: Vec<(Cut, String)> = match kind {
        ScorecardKind::Nodes => names
            .nodes()
            .map(|(id, c)| (Cut::Node(id), c.to_owned()))
            .collect(),
        ScorecardKind::ThreePls => names
            .nodes()
            .filter(|(id, _)| names.is_three_pl(*id))
            .map(|(id, c)| (Cut::ThreePl(id), c.to_owned()))
            .collect(),
        ScorecardKind::Carriers => names
            .carriers()
            .map(|(id, c)| (Cut::Carrier(id), c.to_owned()))
            .collect(),
    };
    let last_week = Period::week_of(Day(period.to.0 - 1));
    let week_list: Vec<Period> = (0..weeks)
        .rev()
        .map(|i| {
            let from = Day(last_week.from.0 - 7 * i as i32);
            Period::new(from, Day(from.0 + 7))
        })
        .collect();
    let rows = cuts
        .into_iter()
        .map(|(cut, code)| {
            let card =
                tote_metrics::settings::scorecard(&k.board, &k.scorecards, kind, period, cut);
            ScorecardRow {
                code,
                measures: card
                    .measures
                    .iter()
                    .map(|m| MeasureView {
                        measure: m.measure.name().to_owned(),
                        label: m.measure.label().to_owned(),
                        value: m.value,
                        display: measure_display(m.measure, m.value),
                        target: m.setting.target,
                        target_display: measure_display(m.measure, Some(m.setting.target)),
                        weight: m.setting.weight,
                        score: m.score,
                    })
                    .collect(),
                score: card.score,
                history: week_list
                    .iter()
                    .map(|w| {
                        tote_metrics::settings::scorecard(&k.board, &k.scorecards, kind, *w, cut)
                            .score
                    })
                    .collect(),
            }
        })
        .collect();
    ScorecardsView {
        kind: kind.name().to_owned(),
        from: day_text(period.from),
        to: day_text(Day(period.to.0 - 1)),
        weeks: week_list.iter().map(|w| day_text(w.from)).collect(),
        rows,
    }
}

/// Scorecards of every node, carrier or 3PL: on-time, accuracy, dock-to-stock,
/// cost per order and damage against their targets, the weighted score, and the
/// weighted score week by week.
#[utoipa::path(get, path = "/v1/scorecards/{kind}", tag = "metrics", params(ScorecardQuery,
        ("kind" = String, Path, description = "nodes, carriers or 3pls")),
    responses((status = 200, body = ScorecardsView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn scorecards(
    State(s): State<AppState>,
    Path(kind): Path<String>,
    ApiQuery(q): ApiQuery<ScorecardQuery>,
) -> ApiResult<Response> {
    let Some(kind) = ScorecardKind::from_name(&kind) else {
        return Err(ApiError::not_found(format!(
            "no scorecard `{kind}`: nodes, carriers or 3pls"
        )));
    };
    let now = default_end(&s.kpi.read(), super::now());
    let mut c = Checker::new();
    let period = period_of(&mut c, q.from.as_deref(), q.to.as_deref(), now);
    let weeks = q.weeks.unwrap_or(8);
    if !(1..=104).contains(&weeks) {
        c.fail("weeks", "must be from 1 to 104");
    }
    c.finish().map_err(ApiError::invalid)?;
    let Some(period) = period else {
        return Err(ApiError::internal("a checked query without a period"));
    };
    let k = s.kpi.read();
    Ok(answer(
        StatusCode::OK,
        &scorecards_view(&k, kind, period, weeks),
        false,
    ))
}
