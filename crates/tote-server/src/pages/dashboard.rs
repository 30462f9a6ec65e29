//! The operations dashboard at `/`, its drill-down pages, the exception queue and
//! the scorecards. Every number comes from the same views as `/v1/metrics`,
//! `/v1/exceptions` and `/v1/scorecards` (`routes::kpi`), so page and API agree.

use super::chart::{self, COLOR_PRIMARY, COLOR_SECONDARY, Chart, Layer};
use super::{layout, page, problem_box};
use crate::extract::ApiQuery;
use crate::kpi::Kpi;
use crate::problem::ApiError;
use crate::routes::kpi::{
    self as api, ExceptionView, ExceptionsQuery, MetricView, MetricsQuery, ScorecardQuery,
    cut_code, day_text,
};
use crate::routes::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use std::collections::BTreeMap;
use tote_core::Timestamp;
use tote_core::order::{format_order_id, parse_order_id};
use tote_core::validate::Checker;
use tote_metrics::present;
use tote_metrics::{
    BACKLOG_AGE_HOURS, Cut, Day, ExceptionKind, Metric, Period, ScorecardKind, Step,
};

/// The headline tiles, in order; backlog is drawn among them after cycle time.
pub const TILES: [Metric; 8] = [
    Metric::UnitFillRate,
    Metric::Otif,
    Metric::OnTimeShip,
    Metric::OrderAccuracy,
    Metric::OrderCycleTime,
    Metric::CostPerOrder,
    Metric::InventoryAccuracy,
    Metric::ReturnRate,
];

/// Metrics drawn as daily trend charts.
const TRENDS: [Metric; 4] = [
    Metric::UnitFillRate,
    Metric::OnTimeShip,
    Metric::Otif,
    Metric::OrderCycleTime,
];

/// Trend charts cover at least this many days, ending with the period.
const TREND_DAYS_MIN: i32 = 28;
/// The most orders a drill-down lists (misses first); the count is always whole.
pub const ORDERS_LISTED_MAX: usize = 500;
/// Colours for several series: the Okabe-Ito palette, distinct for the common
/// forms of colour blindness.
const PALETTE: [&str; 6] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
];

const GOOD: &str = "#1a7f37";
const BAD: &str = "#b42318";

/// The query string that keeps the period and cut on every link.
fn keep(q: &MetricsQuery) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("from", &q.from),
        ("to", &q.to),
        ("cut", &q.cut),
        ("value", &q.value),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!(
                "{k}={}",
                form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            ));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Empty form fields mean "not given".
fn clean(q: MetricsQuery) -> MetricsQuery {
    let f = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    MetricsQuery {
        from: f(q.from),
        to: f(q.to),
        cut: f(q.cut),
        value: f(q.value),
    }
}

fn resolve(k: &Kpi, q: &MetricsQuery, at: Timestamp) -> Result<(Period, Cut), ApiError> {
    let mut c = Checker::new();
    let period = api::period_of(
        &mut c,
        q.from.as_deref(),
        q.to.as_deref(),
        api::default_end(k, at),
    );
    let cut = api::cut_of(&mut c, k, q.cut.as_deref(), q.value.as_deref());
    c.finish().map_err(ApiError::invalid)?;
    match (period, cut) {
        (Some(p), Some(c)) => Ok((p, c)),
        _ => Err(ApiError::internal(
            "a checked query without a period or cut",
        )),
    }
}

fn period_text(period: Period, k: &Kpi, cut: Cut) -> String {
    let whom = match cut_code(k, cut) {
        None => "the whole operation".to_owned(),
        Some((kind, code)) => format!("{kind} {code}"),
    };
    format!(
        "{} day(s), {} to {}, {whom}",
        period.days(),
        day_text(period.from),
        day_text(Day(period.to.0 - 1)),
    )
}

fn filter_form(action: &str, q: &MetricsQuery) -> Markup {
    let cut = q.cut.clone().unwrap_or_default();
    html! {
        form.filters method="get" action=(action) aria-label="Period and cut" {
            label for="from" { "From" input id="from" name="from" type="date" value=[q.from.as_deref()]; }
            label for="to" { "To" input id="to" name="to" type="date" value=[q.to.as_deref()]; }
            label for="cut" {
                "Cut by"
                select id="cut" name="cut" {
                    @for (v, name) in [("", "whole operation"), ("node", "node"), ("channel", "channel"), ("carrier", "carrier"), ("3pl", "3PL"), ("sku", "SKU")] {
                        option value=(v) selected[cut == v] { (name) }
                    }
                }
            }
            label for="value" { "Code" input id="value" name="value" value=[q.value.as_deref()] placeholder="DC1, web, UPS, SKU"; }
            button type="submit" { "Show" }
        }
    }
}

fn trend_mark(m: &MetricView) -> Markup {
    let (arrow, word, color) = match (m.trend, m.improving) {
        (Some(t), Some(true)) if t > 0.0 => ("▲", "better", GOOD),
        (Some(_), Some(true)) => ("▼", "better", GOOD),
        (Some(t), Some(false)) if t > 0.0 => ("▲", "worse", BAD),
        (Some(_), Some(false)) => ("▼", "worse", BAD),
        _ => ("■", "flat", "#555"),
    };
    html! {
        span style={"color:" (color)} { (arrow) " " (m.trend_display) }
        " " span.sr { "(" (word) ")" }
        " vs " (m.previous_display) " before"
    }
}

fn tile(m: &MetricView, link: &str) -> Markup {
    let status = match m.on_target {
        Some(true) => html! { span.badge style={"background:" (GOOD)} { "on target" } },
        Some(false) => html! { span.badge style={"background:" (BAD)} { "off target" } },
        None => html! {},
    };
    html! {
        article.tile aria-labelledby={"tile-" (m.metric)} {
            h3 id={"tile-" (m.metric)} { a href=(link) { (m.label) } }
            p.value { a href=(link) data-metric=(m.metric) title=(m.counts) { (m.display) } }
            p.small {
                @if let Some(t) = &m.target_display { "target " (t) " " }
                (status)
            }
            p.small { (trend_mark(m)) }
            @if let (Some(n), Some(d)) = (&m.numerator, &m.denominator) {
                p.small.parts { (n) " / " (d) }
            } @else if let Some(d) = &m.denominator {
                p.small.parts { (d) " timed" }
            }
        }
    }
}

fn y_format(metric: Metric) -> fn(f64) -> String {
    match present::unit(metric) {
        present::Unit::Ratio => chart::percent,
        _ => chart::number,
    }
}

fn day_ticks(period: Period) -> Vec<(f64, String)> {
    let n = period.days().max(1);
    let every = (n / 7).max(1);
    period
        .iter()
        .enumerate()
        .filter(|(i, _)| (*i as i64) % every == 0)
        .map(|(i, d)| (i as f64, day_text(d)[5..].to_owned()))
        .collect()
}

fn trend_chart(k: &Kpi, metric: Metric, period: Period, cut: Cut, link: &str) -> Markup {
    let series = api::series_view(k, metric, period, cut, false);
    let points: Vec<(f64, f64)> = series
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i as f64, p.value?)))
        .collect();
    // A line needs two points; fewer are drawn as markers.
    let mut layers = vec![if points.len() < 3 {
        Layer::Markers {
            name: present::label(metric).to_owned(),
            points: points.clone(),
            color: COLOR_PRIMARY,
        }
    } else {
        Layer::Line {
            name: present::label(metric).to_owned(),
            points: points.clone(),
            color: COLOR_PRIMARY,
            dashed: false,
        }
    }];
    if let Some(t) = series.target
        && !points.is_empty()
    {
        layers.push(Layer::Line {
            name: "target".into(),
            points: vec![(0.0, t), ((series.points.len() - 1) as f64, t)],
            color: COLOR_SECONDARY,
            dashed: true,
        });
    }
    let last = series
        .points
        .iter()
        .rev()
        .find(|p| p.value.is_some())
        .map_or("no data".to_owned(), |p| {
            format!("{} on {}", p.display, p.to)
        });
    html! {
        section.chart-block {
            h3 { a href=(link) { (present::label(metric)) ", daily" } }
            @if points.is_empty() {
                p.small { "No data in these days yet." }
            } @else {
                (chart::render(&Chart {
                    id: format!("trend-{}", metric.name()),
                    title: format!("{}, daily", present::label(metric)),
                    description: format!(
                        "{} per day from {} to {}; latest {}{}.",
                        present::label(metric), day_text(period.from), day_text(Day(period.to.0 - 1)), last,
                        series.target.map(|t| format!("; target {}", present::display(metric, Some(t)))).unwrap_or_default()
                    ),
                    x_label: "day".into(),
                    y_label: present::label(metric).into(),
                    x_ticks: day_ticks(period),
                    y_format: y_format(metric),
                    layers,
                }))
            }
            details {
                summary { "Data table" }
                table {
                    caption { (present::label(metric)) " by day" }
                    thead { tr { th scope="col" { "day" } th scope="col" { "value" } th scope="col" { "numerator" } th scope="col" { "denominator" } } }
                    tbody {
                        @for p in &series.points {
                            tr { td { (p.from) } td { (p.display) } td { (p.numerator.as_deref().unwrap_or("")) } td { (p.denominator.as_deref().unwrap_or("")) } }
                        }
                    }
                }
            }
        }
    }
}

fn backlog_section(b: &api::BacklogView) -> Markup {
    let labels = [
        "not yet due".to_owned(),
        format!("≤ {} h late", BACKLOG_AGE_HOURS[0]),
        format!("{}–{} h late", BACKLOG_AGE_HOURS[0], BACKLOG_AGE_HOURS[1]),
        format!("{}–{} h late", BACKLOG_AGE_HOURS[1], BACKLOG_AGE_HOURS[2]),
        format!("> {} h late", BACKLOG_AGE_HOURS[2]),
    ];
    let values = [
        b.not_yet_due,
        b.past_ship_by[0],
        b.past_ship_by[1],
        b.past_ship_by[2],
        b.past_ship_by[3],
    ];
    html! {
        section.chart-block aria-labelledby="backlog-h" {
            h2 id="backlog-h" { "Backlog by age" }
            p { a href="/exceptions?kind=past_ship_by" data-metric="backlog" { (b.orders) } " open orders allocated or released and not shipped; "
                a href="/exceptions?kind=past_ship_by" { (b.orders - b.not_yet_due) " past their ship-by" } "." }
            @if b.orders > 0 { (chart::render(&Chart {
                id: "backlog".into(),
                title: "Open orders by hours past ship-by".into(),
                description: format!("{} open orders: {}.", b.orders,
                    labels.iter().zip(values).map(|(l, v)| format!("{v} {l}")).collect::<Vec<_>>().join(", ")),
                x_label: "age past ship-by".into(),
                y_label: "orders".into(),
                x_ticks: labels.iter().enumerate().map(|(i, l)| (i as f64, l.clone())).collect(),
                y_format: chart::number,
                layers: vec![Layer::Bars {
                    name: "open orders".into(),
                    points: values.iter().enumerate().map(|(i, &v)| (i as f64, v as f64)).collect(),
                    color: COLOR_PRIMARY,
                }],
            })) }
            table {
                caption { "Backlog by age" }
                thead { tr { @for l in &labels { th scope="col" { (l) } } } }
                tbody { tr { @for v in values { td { (v) } } } }
            }
        }
    }
}

fn throughput_section(k: &Kpi, period: Period, cut: Cut) -> Markup {
    let t = k.board.hourly_throughput.over(period, cut);
    let steps: Vec<(Step, [i64; 24])> = Step::ALL.iter().map(|&s| (s, t.value(s))).collect();
    let name = |s: Step| match s {
        Step::Receive => "receive",
        Step::PutAway => "put away",
        Step::Pick => "pick",
        Step::Pack => "pack",
    };
    let total: i64 = steps.iter().flat_map(|(_, h)| h.iter()).sum();
    html! {
        section.chart-block aria-labelledby="throughput-h" {
            h2 id="throughput-h" { "Throughput by hour and step" }
            p.small { "Units per UTC hour of the day, summed over the period's days: " (total) " units in all." }
            @if total > 0 {
                (chart::render(&Chart {
                    id: "throughput".into(),
                    title: "Units processed by hour of day and step".into(),
                    description: steps.iter().map(|(s, h)| {
                        let (peak, units) = h.iter().enumerate().max_by_key(|(_, u)| **u).map(|(i, u)| (i, *u)).unwrap_or((0, 0));
                        format!("{}: {} units, peak {} at {:02}:00", name(*s), h.iter().sum::<i64>(), units, peak)
                    }).collect::<Vec<_>>().join("; "),
                    x_label: "hour of day (UTC)".into(),
                    y_label: "units".into(),
                    x_ticks: (0..24).step_by(3).map(|h| (h as f64, format!("{h:02}:00"))).collect(),
                    y_format: chart::number,
                    layers: steps.iter().enumerate().map(|(i, (s, h))| Layer::Line {
                        name: name(*s).into(),
                        points: h.iter().enumerate().map(|(x, &u)| (x as f64, u as f64)).collect(),
                        color: PALETTE[i % PALETTE.len()],
                        dashed: false,
                    }).collect(),
                }))
            }
            details {
                summary { "Data table" }
                table {
                    caption { "Units by hour and step" }
                    thead { tr { th scope="col" { "hour" } @for (s, _) in &steps { th scope="col" { (name(*s)) } } } }
                    tbody {
                        @for hour in 0..24 {
                            tr { td { (format!("{hour:02}:00")) } @for (_, h) in &steps { td { (h[hour]) } } }
                        }
                    }
                }
            }
        }
    }
}

/// SKUs short on open orders now: units waiting for stock or re-sourced.
pub fn stockouts(k: &Kpi) -> Vec<(String, i64, usize)> {
    let mut by_sku: BTreeMap<tote_core::SkuId, (i64, usize)> = BTreeMap::new();
    for o in k.projector.open_orders() {
        if o.backordered_units == 0 {
            continue;
        }
        for l in o.lines.iter().filter(|l| l.not_first_attempt > 0) {
            let e = by_sku.entry(l.sku).or_default();
            e.0 += l.not_first_attempt;
            e.1 += 1;
        }
    }
    let mut out: Vec<(String, i64, usize)> = by_sku
        .into_iter()
        .map(|(sku, (units, orders))| (k.projector.names.sku_code(sku).to_owned(), units, orders))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

fn stockout_section(k: &Kpi, stockout: &MetricView, link: &str) -> Markup {
    let list = stockouts(k);
    html! {
        section aria-labelledby="stockouts-h" {
            h2 id="stockouts-h" { "Stockouts" }
            p { "Stockout rate over the period: " a href=(link) data-metric=(stockout.metric) { (stockout.display) }
                " (" (stockout.counts) "). SKUs short on open orders now: " a href="/exceptions?kind=hold" { (list.len()) } "." }
            @if !list.is_empty() {
                table {
                    caption { "SKUs short on open orders" }
                    thead { tr { th scope="col" { "SKU" } th scope="col" { "units short" } th scope="col" { "orders waiting" } } }
                    tbody {
                        @for (sku, units, orders) in list.iter().take(20) {
                            tr { td { a href={"/metrics/unit_fill_rate?cut=sku&value=" (sku)} { (sku) } } td { (units) } td { (orders) } }
                        }
                    }
                }
            }
        }
    }
}

/// Orders short of full marks first, then by id.
fn misses_first(
    list: &[tote_metrics::project::Contribution],
) -> Vec<&tote_metrics::project::Contribution> {
    let mut rows: Vec<_> = list.iter().collect();
    rows.sort_by_key(|c| (c.numerator >= c.denominator, c.order));
    rows
}

fn error_page(title: &str, current: &str, e: &ApiError) -> Response {
    page(
        StatusCode::from_u16(e.problem().status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
        layout(title, current, html! { h1 { (title) } (problem_box(e)) }),
    )
}

/// The dashboard.
pub async fn home(
    State(s): State<AppState>,
    q: Result<ApiQuery<MetricsQuery>, ApiError>,
) -> Response {
    let title = "Operations dashboard";
    let q = match q {
        Ok(ApiQuery(q)) => q,
        Err(e) => return error_page(title, "/", &e),
    };
    let k = s.kpi.read();
    respond(home_page(&k, q, now()), title, "/")
}

/// A page's markup, or its problem shown in the page.
fn respond(markup: Result<Markup, ApiError>, title: &str, current: &str) -> Response {
    match markup {
        Ok(m) => page(StatusCode::OK, m),
        Err(e) => error_page(title, current, &e),
    }
}

/// The dashboard's markup.
pub fn home_page(k: &Kpi, q: MetricsQuery, at: Timestamp) -> Result<Markup, ApiError> {
    let q = clean(q);
    let (period, cut) = resolve(k, &q, at)?;
    let view = api::metrics_view(k, period, cut, at);
    let by_name: BTreeMap<&str, &MetricView> = view
        .metrics
        .iter()
        .map(|m| (m.metric.as_str(), m))
        .collect();
    let keep_q = keep(&q);
    let link = |m: Metric| format!("/metrics/{}{}", m.name(), keep_q);
    let trend_period = Period::new(
        Day(period.to.0 - (period.days() as i32).max(TREND_DAYS_MIN)),
        period.to,
    );
    let body = html! {
        h1 { "Operations dashboard" }
        p.sub { (period_text(period, k, cut)) ". " (k.projector.events_applied) " events read, up to event " (k.projector.seq) "." }
        (filter_form("/", &q))
        section aria-labelledby="kpi-h" {
            h2 id="kpi-h" { "Headline KPIs against target" }
            div.tiles {
                @for (i, m) in TILES.iter().enumerate() {
                    @if i == 5 {
                        article.tile aria-labelledby="tile-backlog" {
                            h3 id="tile-backlog" { a href="/exceptions?kind=past_ship_by" { "Backlog" } }
                            p.value { a href="/exceptions?kind=past_ship_by" data-metric="backlog" { (view.backlog.orders) } }
                            p.small { "target: none late " @if view.backlog.orders - view.backlog.not_yet_due > 0 {
                                span.badge style={"background:" (BAD)} { "off target" } } @else { span.badge style={"background:" (GOOD)} { "on target" } } }
                            p.small { (view.backlog.orders - view.backlog.not_yet_due) " past ship-by, " (view.backlog.not_yet_due) " not yet due" }
                        }
                    }
                    @if let Some(v) = by_name.get(m.name()) { (tile(v, &link(*m))) }
                }
            }
        }
        section aria-labelledby="trends-h" {
            h2 id="trends-h" { "Trends" }
            div.charts {
                @for m in TRENDS { (trend_chart(k, m, trend_period, cut, &link(m))) }
            }
        }
        (backlog_section(&view.backlog))
        (throughput_section(k, period, cut))
        @if let Some(so) = by_name.get("stockout_rate") { (stockout_section(k, so, &link(Metric::StockoutRate))) }
        section aria-labelledby="all-h" {
            h2 id="all-h" { "Every metric" }
            table {
                caption { "Every metric over the period, against target and the previous period" }
                thead { tr { th scope="col" { "metric" } th scope="col" { "value" } th scope="col" { "numerator / denominator" } th scope="col" { "target" } th scope="col" { "previous" } th scope="col" { "trend" } } }
                tbody {
                    @for m in &view.metrics {
                        tr {
                            td { a href={"/metrics/" (m.metric) (keep_q)} { (m.label) } }
                            td { (m.display) }
                            td { (m.numerator.as_deref().unwrap_or("")) @if m.numerator.is_some() { " / " } (m.denominator.as_deref().unwrap_or("")) }
                            td { (m.target_display.as_deref().unwrap_or("")) }
                            td { (m.previous_display) }
                            td { (m.trend_display) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout("Operations dashboard", "/", body))
}

/// One metric: its reading, its days, and the orders behind it.
pub async fn metric(
    State(s): State<AppState>,
    Path(name): Path<String>,
    q: Result<ApiQuery<MetricsQuery>, ApiError>,
) -> Response {
    let q = match q {
        Ok(ApiQuery(q)) => q,
        Err(e) => return error_page("Metric", "/", &e),
    };
    let k = s.kpi.read();
    respond(metric_page(&k, &name, q, now()), "Metric", "/")
}

/// A metric's drill-down markup.
pub fn metric_page(
    k: &Kpi,
    name: &str,
    q: MetricsQuery,
    at: Timestamp,
) -> Result<Markup, ApiError> {
    let Some(metric) = Metric::from_name(name) else {
        return Err(ApiError::not_found(format!("no metric `{name}`")));
    };
    let title = present::label(metric);
    let q = clean(q);
    let (period, cut) = resolve(k, &q, at)?;
    let r = MetricView::of(&k.board.reading(metric, period, cut));
    let behind = k.projector.behind(metric, period, cut);
    let keep_q = keep(&q);
    let body = html! {
        h1 { (title) }
        p.sub { (period_text(period, k, cut)) ". " a href={"/" (keep_q)} { "Back to the dashboard" } }
        (filter_form(&format!("/metrics/{}", metric.name()), &q))
        dl.figures {
            dt { "Value" } dd data-metric=(r.metric) { (r.display) }
            dt { "Counts" } dd { (r.numerator.as_deref().unwrap_or("")) @if r.numerator.is_some() { " / " } (r.denominator.as_deref().unwrap_or("")) ": " (r.counts) }
            @if let Some(p90) = r.p90_hours { dt { "90th percentile" } dd { (format!("{p90:.1} h")) } }
            dt { "Target" } dd { (r.target_display.as_deref().unwrap_or("none")) }
            dt { "Previous period" } dd { (r.previous_display) }
            dt { "Trend" } dd { (trend_mark(&r)) }
            dt { "API" } dd { a href={"/v1/metrics/" (metric.name()) "/series" (keep_q)} { "/v1/metrics/" (metric.name()) "/series" } }
        }
        (trend_chart(k, metric, Period::new(Day(period.to.0 - (period.days() as i32).max(TREND_DAYS_MIN)), period.to), cut, &format!("/metrics/{}{}", metric.name(), keep_q)))
        section aria-labelledby="behind-h" {
            h2 id="behind-h" { "Behind this number" }
            @match &behind {
                None => p { "This metric is made of receipts, counts, snapshots, labor or costs rather than orders: see the "
                    a href="/v1/events" { "event feed" } " for the records behind it." },
                Some(list) => {
                    @let rows = misses_first(list);
                    p { (list.len()) " order(s) counted; " (list.iter().filter(|c| c.duration_us.is_none() && c.numerator < c.denominator).count()) " short of full marks"
                        @if list.len() > ORDERS_LISTED_MAX { ", the first " (ORDERS_LISTED_MAX) " listed (misses first)" } "." }
                    table {
                        caption { "Orders behind " (title) }
                        thead { tr { th scope="col" { "order" } th scope="col" { "adds" } th scope="col" { "stage" } th scope="col" { "placed" } th scope="col" { "ship-by" } } }
                        tbody {
                            @for c in rows.iter().take(ORDERS_LISTED_MAX) {
                                @let id = format_order_id(c.order);
                                @let o = k.projector.orders.get(&c.order);
                                tr {
                                    td { a href={"/orders/" (id)} { (id) } }
                                    td { @if let Some(us) = c.duration_us { (format!("{:.1} h", us as f64 / 3.6e9)) } @else { (c.numerator) " / " (c.denominator) } }
                                    td { (o.map_or("", |o| o.stage.as_str())) }
                                    td { (o.map(|o| o.fact.placed_at.to_rfc3339()).unwrap_or_default()) }
                                    td { (o.map(|o| o.fact.ship_by.to_rfc3339()).unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(title, "/", body))
}

/// One order as the metrics see it.
pub async fn order(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    let k = s.kpi.read();
    let Some(o) = parse_order_id(&id).and_then(|oid| k.projector.orders.get(&oid)) else {
        return error_page(
            "Order",
            "/",
            &ApiError::not_found(format!("order `{id}` is not in the events read")),
        );
    };
    let n = &k.projector.names;
    let f = &o.fact;
    let t = |x: Option<Timestamp>| {
        x.map(|x| x.to_rfc3339())
            .unwrap_or_else(|| "not yet".into())
    };
    let body = html! {
        h1 { "Order " (id) }
        p.sub { "As the metrics see it, from its events. " a href={"/v1/orders/" (id)} { "The order record (JSON)" } "." }
        dl.figures {
            dt { "Stage" } dd { (o.stage.as_str()) }
            dt { "Channel" } dd { (f.cuts.channel.map_or("", |c| n.channel_code(c))) }
            dt { "Node" } dd { (f.cuts.node.map_or("not allocated", |c| n.node_code(c))) }
            dt { "Carrier" } dd { (f.cuts.carrier.map_or("not shipped", |c| n.carrier_code(c))) }
            dt { "Placed" } dd { (f.placed_at.to_rfc3339()) }
            dt { "Allocated" } dd { (t(f.allocated_at)) }
            dt { "Ship-by" } dd { (f.ship_by.to_rfc3339()) }
            dt { "Deliver-by" } dd { (f.deliver_by.to_rfc3339()) }
            dt { "Shipped" } dd { (t(f.shipped_at)) }
            dt { "Delivered" } dd { (t(f.delivered_at)) }
            dt { "Units" } dd { (f.units_ordered) " ordered, " (f.units_shipped) " shipped, " (f.units_shipped_first_attempt) " from stock on the first attempt" }
            dt { "Waiting for stock" } dd { (o.backordered_units) " unit(s)" }
            dt { "Short picks" } dd { (o.short_picks) }
            dt { "Cancelled" } dd { (match f.cancelled { None => "no", Some(tote_metrics::Cancellation::ByCustomer) => "by the customer", Some(tote_metrics::Cancellation::ByOperation) => "by the operation" }) }
            dt { "Last event" } dd { (o.last_event) " at " (o.last_event_at.to_rfc3339()) }
        }
        table {
            caption { "Lines" }
            thead { tr { th scope="col" { "SKU" } th scope="col" { "ordered" } th scope="col" { "not from stock on the first attempt" } } }
            tbody { @for l in &o.lines { tr { td { (n.sku_code(l.sku)) } td { (l.ordered) } td { (l.not_first_attempt) } } } }
        }
    };
    page(StatusCode::OK, layout(&format!("Order {id}"), "/", body))
}

/// The exception queue.
pub async fn exceptions(
    State(s): State<AppState>,
    q: Result<ApiQuery<ExceptionsQuery>, ApiError>,
) -> Response {
    let title = "Exceptions";
    let q = match q {
        Ok(ApiQuery(q)) => q,
        Err(e) => return error_page(title, "/exceptions", &e),
    };
    let k = s.kpi.read();
    respond(exceptions_page(&k, q, now()), title, "/exceptions")
}

/// The exception queue's markup.
pub fn exceptions_page(k: &Kpi, q: ExceptionsQuery, at: Timestamp) -> Result<Markup, ApiError> {
    let title = "Exceptions";
    let mut c = Checker::new();
    let rules = api::exception_rules(&mut c, q.stuck_hours, q.at_risk_hours);
    let kind = q.kind.as_deref().filter(|k| !k.is_empty()).and_then(|k| {
        let found = ExceptionKind::from_name(k);
        if found.is_none() {
            c.fail("kind", "is not a kind of exception");
        }
        found
    });
    c.finish().map_err(ApiError::invalid)?;
    let all = tote_metrics::exceptions(&k.projector, at, rules);
    let mut counts: BTreeMap<ExceptionKind, usize> = BTreeMap::new();
    for e in &all {
        *counts.entry(e.kind).or_default() += 1;
    }
    let shown: Vec<ExceptionView> = all
        .iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .take(crate::routes::PAGE_ROWS_DEFAULT * 5)
        .map(ExceptionView::of)
        .collect();
    let body = html! {
        h1 { "Exceptions" }
        p.sub { "What needs a person now, oldest first: stuck after " (rules.stuck_hours) " h without an event, at risk within " (rules.at_risk_hours) " h of ship-by. Also at " a href="/v1/exceptions" { "/v1/exceptions" } "." }
        nav.kinds aria-label="Kinds of exception" {
            a href="/exceptions" aria-current=[kind.is_none().then_some("page")] { "All (" (all.len()) ")" }
            @for k in ExceptionKind::ALL {
                a href={"/exceptions?kind=" (k.name())} aria-current=[(kind == Some(k)).then_some("page")] { (k.label()) " (" (counts.get(&k).copied().unwrap_or(0)) ")" }
            }
        }
        @if shown.is_empty() {
            p { "Nothing needs attention." }
        } @else {
            table.wide {
                caption { (kind.map_or("All exceptions", |k| k.label())) }
                thead { tr { th scope="col" { "kind" } th scope="col" { "subject" } th scope="col" { "what" } th scope="col" { "cause" } th scope="col" { "age (h)" } th scope="col" { "since" } } }
                tbody {
                    @for e in &shown {
                        tr {
                            td { (e.label) }
                            td { a href=(e.link) { (e.subject) } }
                            td { (e.summary) }
                            td { (e.root_cause) }
                            td { (e.age_hours) }
                            td { (e.since) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(title, "/exceptions", body))
}

/// A scorecard page: nodes, carriers or 3PLs.
pub async fn scorecards(
    State(s): State<AppState>,
    Path(kind): Path<String>,
    q: Result<ApiQuery<ScorecardQuery>, ApiError>,
) -> Response {
    let current = format!("/scorecards/{kind}");
    let q = match q {
        Ok(ApiQuery(q)) => q,
        Err(e) => return error_page("Scorecards", &current, &e),
    };
    let k = s.kpi.read();
    respond(scorecards_page(&k, &kind, q, now()), "Scorecards", &current)
}

/// A scorecard page's markup.
pub fn scorecards_page(
    k: &Kpi,
    kind: &str,
    q: ScorecardQuery,
    at: Timestamp,
) -> Result<Markup, ApiError> {
    let current = format!("/scorecards/{kind}");
    let Some(kind) = ScorecardKind::from_name(kind) else {
        return Err(ApiError::not_found(format!(
            "no scorecard `{kind}`: nodes, carriers or 3pls"
        )));
    };
    let title = match kind {
        ScorecardKind::Nodes => "Node scorecards",
        ScorecardKind::Carriers => "Carrier scorecards",
        ScorecardKind::ThreePls => "3PL scorecards",
    };
    let mut c = Checker::new();
    let period = api::period_of(
        &mut c,
        q.from.as_deref().filter(|s| !s.is_empty()),
        q.to.as_deref().filter(|s| !s.is_empty()),
        api::default_end(k, at),
    );
    let weeks = q.weeks.unwrap_or(8);
    if !(1..=104).contains(&weeks) {
        c.fail("weeks", "must be from 1 to 104");
    }
    c.finish().map_err(ApiError::invalid)?;
    let period = period.ok_or_else(|| ApiError::internal("a checked query without a period"))?;
    let v = api::scorecards_view(k, kind, period, weeks);
    let measures: Vec<(String, String, f64, String)> = v
        .rows
        .first()
        .map(|r| {
            r.measures
                .iter()
                .map(|m| {
                    (
                        m.measure.clone(),
                        m.label.clone(),
                        m.weight,
                        m.target_display.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let cut_kind = match kind {
        ScorecardKind::Nodes => "node",
        ScorecardKind::Carriers => "carrier",
        ScorecardKind::ThreePls => "3pl",
    };
    let body = html! {
        h1 { (title) }
        p.sub { (v.from) " to " (v.to) ". Each measure scores its share of its target (full marks at or beyond it); the score is their weighted mean, out of 100. Weights and targets: "
            a href="/v1/scorecards/config" { "/v1/scorecards/config" } "." }
        @if v.rows.is_empty() {
            p { "No " (kind.name()) " in the events yet." }
        } @else {
            table.wide {
                caption { (title) ", " (v.from) " to " (v.to) }
                thead {
                    tr {
                        th scope="col" { "code" }
                        @for (_, label, weight, target) in &measures { th scope="col" { (label) br; span.small { "target " (target) ", weight " (format!("{weight:.2}")) } } }
                        th scope="col" { "score" }
                    }
                }
                tbody {
                    @for r in &v.rows {
                        tr {
                            td { a href={"/?cut=" (cut_kind) "&value=" (r.code)} { (r.code) } }
                            @for m in &r.measures { td { (m.display) @if let Some(s) = m.score { br; span.small { (format!("{:.0}", s * 100.0)) " pts" } } } }
                            td data-score=(r.code) { (r.score.map_or("n/a".to_owned(), |s| format!("{s:.1}"))) }
                        }
                    }
                }
            }
            @let drawn: Vec<_> = v.rows.iter().filter(|r| r.history.iter().any(Option::is_some)).take(PALETTE.len()).collect();
            @if !drawn.is_empty() {
                (chart::render(&Chart {
                    id: format!("score-{}", kind.name()),
                    title: format!("Weighted score by week, {}", kind.name()),
                    description: drawn.iter().map(|r| format!("{}: {}", r.code,
                        r.history.iter().map(|h| h.map_or("n/a".to_owned(), |s| format!("{s:.0}"))).collect::<Vec<_>>().join(", "))).collect::<Vec<_>>().join("; "),
                    x_label: "week starting".into(),
                    y_label: "score".into(),
                    x_ticks: v.weeks.iter().enumerate().map(|(i, w)| (i as f64, w[5..].to_owned())).collect(),
                    y_format: chart::number,
                    layers: drawn.iter().enumerate().map(|(i, r)| Layer::Line {
                        name: r.code.clone(),
                        points: r.history.iter().enumerate().filter_map(|(x, h)| Some((x as f64, (*h)?))).collect(),
                        color: PALETTE[i % PALETTE.len()],
                        dashed: false,
                    }).collect(),
                }))
            }
            details {
                summary { "Weekly scores table" }
                table {
                    caption { "Weighted score by week" }
                    thead { tr { th scope="col" { "code" } @for w in &v.weeks { th scope="col" { (w) } } } }
                    tbody { @for r in &v.rows { tr { td { (r.code) } @for h in &r.history { td { (h.map_or("n/a".to_owned(), |s| format!("{s:.1}"))) } } } } }
                }
            }
        }
    };
    Ok(layout(title, &current, body))
}

/// Renders one dashboard page from a board, as the server would answer
/// `path?query` at `at`: for benchmarks and offline rendering.
pub fn render(k: &Kpi, path: &str, query: &str, at: Timestamp) -> Result<String, String> {
    fn q<T: serde::de::DeserializeOwned>(query: &str) -> Result<T, String> {
        serde_urlencoded::from_str(query).map_err(|e| e.to_string())
    }
    let markup = match path.trim_end_matches('/') {
        "" => home_page(k, q(query)?, at),
        "/exceptions" => exceptions_page(k, q(query)?, at),
        p => match (p.strip_prefix("/metrics/"), p.strip_prefix("/scorecards/")) {
            (Some(m), _) => metric_page(k, m, q(query)?, at),
            (_, Some(kind)) => scorecards_page(k, kind, q(query)?, at),
            _ => return Err(format!("no page {path}")),
        },
    };
    markup
        .map(Markup::into_string)
        .map_err(|e| e.problem().detail.clone())
}
