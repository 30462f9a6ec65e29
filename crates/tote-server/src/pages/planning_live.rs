//! The demand page: tote's own order history per series with its forecast
//! and interval, and the replenishment the forecast suggests. It calls the
//! same functions as `/v1/planning/demand-forecast` and
//! `/v1/planning/replenishment`.

use super::chart::{self, COLOR_PRIMARY, COLOR_SECONDARY, Chart, Layer};
use super::{layout, page, problem_box};
use crate::routes::AppState;
use crate::routes::planning_live::{
    DemandQuery, DemandSeries, ReplenishmentQuery, demand_forecast_of, replenishment_of,
};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use std::collections::HashMap;

/// The most series the page draws (total and nodes first, then SKU-nodes).
pub const DEMAND_SERIES_SHOWN_MAX: usize = 8;

fn form(q: &HashMap<String, String>) -> Markup {
    let v = |k: &str, d: &str| q.get(k).cloned().unwrap_or_else(|| d.to_owned());
    html! {
        form method="get" action="/planning/demand" {
            div.fields {
                label for="sku" { "SKU (all when empty)" input id="sku" name="sku" value=(v("sku", "")); }
                label for="node" { "Node (all when empty)" input id="node" name="node" value=(v("node", "")); }
                label for="grain" { "Grain"
                    select id="grain" name="grain" {
                        option value="day" selected[v("grain", "day") == "day"] { "day" }
                        option value="week" selected[v("grain", "day") == "week"] { "week" }
                    }
                }
                label for="horizon" { "Periods ahead" input id="horizon" name="horizon" value=(v("horizon", "14")) inputmode="numeric"; }
            }
            button type="submit" { "Forecast" }
        }
    }
}

fn series_chart(i: usize, s: &DemandSeries) -> Markup {
    let n = s.history.len();
    let h = s.forecast.len();
    let label_every = ((n + h) / 8).max(1);
    let first_period = |j: usize| -> String {
        if j >= n {
            s.forecast[j - n].period.clone()
        } else {
            format!("-{}", n - j)
        }
    };
    html! {
        section aria-labelledby=(format!("demand-{i}")) {
            h2 id=(format!("demand-{i}")) { (s.level) ": " (s.key) }
            (chart::render(&Chart {
                id: format!("demand-chart-{i}"),
                title: format!("{}: order history and forecast", s.key),
                description: format!(
                    "{n} periods of orders, then {h} forecast periods (80% interval shaded). Model: {}.",
                    s.model
                ),
                x_label: "period".into(),
                y_label: "units".into(),
                x_ticks: (0..n + h).step_by(label_every).map(|j| (j as f64, first_period(j))).collect(),
                y_format: chart::number,
                layers: vec![
                    Layer::Band {
                        name: "80% interval".into(),
                        lower: s.forecast.iter().enumerate().map(|(j, p)| ((n + j) as f64, p.q10)).collect(),
                        upper: s.forecast.iter().enumerate().map(|(j, p)| ((n + j) as f64, p.q90)).collect(),
                        color: COLOR_SECONDARY,
                    },
                    Layer::Line {
                        name: "orders".into(),
                        points: s.history.iter().enumerate().map(|(j, &v)| (j as f64, v)).collect(),
                        color: COLOR_PRIMARY,
                        dashed: false,
                    },
                    Layer::Line {
                        name: "forecast".into(),
                        points: s.forecast.iter().enumerate().map(|(j, p)| ((n + j) as f64, p.forecast)).collect(),
                        color: COLOR_SECONDARY,
                        dashed: true,
                    },
                ],
            }))
        }
    }
}

pub async fn demand_get(
    State(s): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let title = "Demand and replenishment";
    let path = "/planning/demand";
    let horizon = match q.get("horizon").map(|h| h.trim().parse::<usize>()) {
        None => Ok(14),
        Some(Ok(h)) => Ok(h),
        Some(Err(_)) => Err(crate::problem::ApiError::field(
            "horizon",
            "is not a whole number",
        )),
    };
    let nonempty = |k: &str| q.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let result = match horizon {
        Err(e) => Err(e),
        Ok(horizon) => {
            demand_forecast_of(
                &s,
                DemandQuery {
                    sku: nonempty("sku"),
                    node: nonempty("node"),
                    horizon,
                    grain: q.get("grain").cloned().unwrap_or_else(|| "day".into()),
                    as_of: None,
                    holidays: false,
                },
            )
            .await
        }
    };
    let f = match result {
        Ok(f) => f,
        Err(e) => {
            return page(
                StatusCode::UNPROCESSABLE_ENTITY,
                layout(
                    title,
                    path,
                    html! { h1 { (title) } (problem_box(&e)) (form(&q)) },
                ),
            );
        }
    };
    let plan = replenishment_of(
        &s,
        ReplenishmentQuery {
            sku: nonempty("sku"),
            service_level: 0.95,
            lead_time_days: 7.0,
            lead_time_sd_days: 0.0,
            review_days: 7.0,
            moq: 0,
            case_pack: 1,
            budget: None,
            order_cost: None,
            annual_carrying_rate: 0.25,
            as_of: None,
        },
    )
    .await;
    let mut shown: Vec<&DemandSeries> = f.series.iter().filter(|x| x.level != "sku_node").collect();
    shown.extend(f.series.iter().filter(|x| x.level == "sku_node"));
    let body = html! {
        h1 { (title) }
        p { "Units ordered per " (f.grain) " from " (f.from) " to " (f.as_of) ", forecast " (f.horizon) " periods ahead. "
            "SKU-node forecasts add up to their node and the nodes to the total (reconciled); channels are forecast on their own." }
        (form(&q))
        @if shown.is_empty() { p { "No orders yet." } }
        @for (i, s) in shown.iter().take(DEMAND_SERIES_SHOWN_MAX).enumerate() {
            (series_chart(i, s))
        }
        @if shown.len() > DEMAND_SERIES_SHOWN_MAX {
            p { "Showing " (DEMAND_SERIES_SHOWN_MAX) " of " (shown.len()) " series; " code { "GET /v1/planning/demand-forecast" } " answers every one." }
        }
        h2 { "Suggested replenishment" }
        p { "At a 95% cycle service level, 7-day lead time and weekly review. Approve one with "
            code { "POST /v1/planning/replenishment/{id}/approve" } "." }
        @match plan {
            Err(e) => (problem_box(&e)),
            Ok(plan) => {
                @if plan.suggestions.is_empty() { p { "Nothing to order or move." } } @else {
                    table {
                        thead { tr { th scope="col" { "id" } th scope="col" { "kind" } th scope="col" { "SKU" } th scope="col" { "from" } th scope="col" { "to" } th scope="col" { "units" } th scope="col" { "value" } th scope="col" { "on hand" } th scope="col" { "on order" } th scope="col" { "demand / day" } } }
                        tbody {
                            @for x in &plan.suggestions {
                                tr { td { (x.id) } td { (x.kind) } td { (x.sku) } td { (x.from.as_deref().unwrap_or("supplier")) } td { (x.node) } td { (x.units) } td { (x.value) } td { (x.on_hand) } td { (x.on_order) } td { (chart::number(x.demand_per_day)) } }
                            }
                        }
                    }
                }
            }
        }
    };
    page(StatusCode::OK, layout(title, path, body))
}
