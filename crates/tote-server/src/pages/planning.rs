//! The planning pages: forecast, inventory, labor and peak, each a form that
//! posts back to its page and a chart of the answer. They call the same
//! `plan_*` functions as `/v1/planning`, so page and API cannot disagree.

use super::chart::{self, COLOR_PRIMARY, COLOR_SECONDARY, Chart, Layer};
use super::{FormFields, layout, page, problem_box};
use crate::problem::{ApiError, ApiResult};
use crate::routes::planning::{
    self as plan, HistorySource, InventoryPolicyRequest, LaborPeriod, LaborRequest, PeakRequest,
    PickupBody, Problems, ProcessName, StandardBody, StationBody, blocking,
};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use std::collections::BTreeMap;

/// The example history shown until a planner sends their own: three SKUs at
/// two nodes, five years of invented monthly units with trend and season.
pub const EXAMPLE_HISTORY: &str = include_str!("example_history.csv");

/// The most periods of history a forecast chart draws (the latest ones):
/// more would not show at the chart's width.
pub const HISTORY_DRAWN_MAX: usize = 600;
const _: () =
    assert!(HISTORY_DRAWN_MAX + tote_planning::forecast::HORIZON_MAX <= chart::LAYER_POINTS_MAX);

/// The most series the forecast page draws; the rest are counted, not drawn
/// (the API answers them all).
pub const SERIES_SHOWN_MAX: usize = 8;

/// A form's values: posted ones over the page's defaults, kept as text so a
/// bad value is shown back as typed.
struct Inputs {
    posted: Option<FormFields>,
}

impl Inputs {
    fn text(&self, name: &str, default: &str) -> String {
        self.posted
            .as_ref()
            .and_then(|f| f.get(name))
            .unwrap_or(default)
            .to_owned()
    }

    fn number(&self, name: &str, default: &str, p: &mut Problems) -> f64 {
        let text = self.text(name, default);
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                p.add(name, format!("`{text}` is not a number"));
                0.0
            }
        }
    }

    fn whole(&self, name: &str, default: &str, p: &mut Problems) -> u32 {
        let text = self.text(name, default);
        text.parse::<u32>().unwrap_or_else(|_| {
            p.add(name, format!("`{text}` is not a whole number"));
            0
        })
    }
}

fn field(inputs: &Inputs, name: &str, label: &str, default: &str, hint: &str) -> Markup {
    html! {
        label for=(name) {
            (label)
            input id=(name) name=(name) value=(inputs.text(name, default)) inputmode="decimal"
                aria-describedby=[(!hint.is_empty()).then(|| format!("{name}-hint"))];
            @if !hint.is_empty() { small id=(format!("{name}-hint")) { (hint) } }
        }
    }
}

/// The page or its form with the problem shown, status 422.
fn answer(title: &str, path: &str, result: Result<Markup, (Markup, ApiError)>) -> Response {
    match result {
        Ok(body) => page(StatusCode::OK, layout(title, path, body)),
        Err((form, e)) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            layout(
                title,
                path,
                html! { h1 { (title) } (problem_box(&e)) (form) },
            ),
        ),
    }
}

// ---------------------------------------------------------------- index

pub async fn index() -> Response {
    let body = html! {
        h1 { "Planning" }
        p { "Plan ahead from your own numbers. Each page takes a form (or the example data it opens with) and draws the answer; the same calculations are in the API under " code { "/v1/planning" } "." }
        ul {
            li { a href="/planning/forecast" { "Demand forecast" } ": history and forecast per series with its prediction interval, from a pasted or uploaded CSV." }
            li { a href="/planning/inventory" { "Inventory policy" } ": safety stock, reorder point and order quantity, and what each service level costs in inventory." }
            li { a href="/planning/labor" { "Labor plan" } ": heads per day from forecast volume and engineered standards, and the least-cost shift patterns that cover them." }
            li { a href="/planning/peak" { "Peak simulation" } ": a node hour by hour through the peak: backlog, on-time shipping and the bottleneck." }
            li { a href="/planning/demand" { "Demand and replenishment" } ": tote's own orders per SKU and node with their forecast, and the purchase orders and transfers it suggests." }
        }
    };
    page(StatusCode::OK, layout("Planning", "/planning", body))
}

// ---------------------------------------------------------------- forecast

fn forecast_form(inputs: &Inputs) -> Markup {
    let interval = inputs.text("interval", "80");
    html! {
        form method="post" action="/planning/forecast" enctype="multipart/form-data" {
            fieldset {
                legend { "History" }
                label for="history" {
                    "Paste CSV with the header series,period,value (period YYYY-MM, YYYY-Qn or YYYY-MM-DD; each series' rows together, in time order)"
                    textarea id="history" name="history" rows="8" { (inputs.text("history", EXAMPLE_HISTORY)) }
                }
                label for="history_file" {
                    "or upload a CSV file (used instead of the text when given)"
                    input id="history_file" name="history_file" type="file" accept=".csv,text/csv";
                }
            }
            div.fields {
                (field(inputs, "horizon", "Horizon (periods)", "12", ""))
                (field(inputs, "season", "Season length", "", "blank: from the periods (12 for months)"))
                label for="interval" {
                    "Prediction interval"
                    select id="interval" name="interval" {
                        @for (v, name) in [("80", "80%"), ("90", "90%"), ("95", "95%")] {
                            option value=(v) selected[interval == v] { (name) }
                        }
                    }
                }
            }
            button type="submit" { "Forecast" }
        }
    }
}

async fn forecast_page(inputs: Inputs) -> Response {
    let form = forecast_form(&inputs);
    let mut p = Problems::default();
    let file = inputs.text("history_file", "");
    let history = if file.trim().is_empty() {
        inputs.text("history", EXAMPLE_HISTORY)
    } else {
        file
    };
    let horizon = inputs.whole("horizon", "12", &mut p) as usize;
    let season_text = inputs.text("season", "");
    let season = if season_text.is_empty() {
        None
    } else {
        Some(inputs.whole("season", "", &mut p) as usize)
    };
    let level = match inputs.text("interval", "80").as_str() {
        "90" => 0.90,
        "95" => 0.95,
        "80" => 0.80,
        other => {
            p.add("interval", format!("`{other}` is not 80, 90 or 95"));
            0.80
        }
    };
    if let Err(e) = p.finish() {
        return answer("Demand forecast", "/planning/forecast", Err((form, e)));
    }
    let quantiles = vec![(1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0];
    let q = quantiles.clone();
    let result = blocking(move || {
        plan::plan_forecast(&history, HistorySource::Csv("history"), horizon, season, &q)
    })
    .await;
    let f = match result {
        Ok(f) => f,
        Err(e) => return answer("Demand forecast", "/planning/forecast", Err((form, e))),
    };
    let pct = format!("{}%", (level * 100.0).round());
    let body = html! {
        h1 { "Demand forecast" }
        p { (f.series.len()) " series, " (horizon) " periods ahead, with the " (pct) " prediction interval shaded. "
            "Each series gets the forecast combination of tote's forecasting (exponential smoothing, Theta and the airline model; TSB for intermittent demand)." }
        @if f.series.len() > SERIES_SHOWN_MAX {
            p { "Showing the first " (SERIES_SHOWN_MAX) "; " code { "POST /v1/planning/forecast" } " answers every series." }
        }
        @for (i, ((s, fc), &m)) in f.series.iter().zip(&f.forecasts).zip(&f.seasons).enumerate().take(SERIES_SHOWN_MAX) {
            @let n = s.values.len();
            @let first = n.saturating_sub(HISTORY_DRAWN_MAX);
            @let end = s.end();
            @let period = |j: usize| s.start.step(j as i64).to_string();
            @let label_every = ((n - first + horizon) / 8).max(1);
            @let last = fc.mean.len().saturating_sub(1);
            section aria-labelledby=(format!("series-{i}")) {
                h2 id=(format!("series-{i}")) { (s.id) }
                (chart::render(&Chart {
                    id: format!("forecast-{i}"),
                    title: format!("{}: history and forecast", s.id),
                    description: format!(
                        "{} periods of history from {} to {}, then a {horizon}-period forecast to {} ending at {} ({} interval {} to {}). Model: {}, season {m}.",
                        n - first, period(first), end, end.step(horizon as i64), chart::number(fc.mean[last]), pct,
                        chart::number(fc.quantiles[0][last]), chart::number(fc.quantiles[1][last]), fc.model
                    ),
                    x_label: "period".into(),
                    y_label: "units".into(),
                    x_ticks: (first..n + horizon).step_by(label_every).map(|j| (j as f64, period(j))).collect(),
                    y_format: chart::number,
                    layers: vec![
                        Layer::Band {
                            name: format!("{pct} interval"),
                            lower: (0..horizon).map(|j| ((n + j) as f64, fc.quantiles[0][j])).collect(),
                            upper: (0..horizon).map(|j| ((n + j) as f64, fc.quantiles[1][j])).collect(),
                            color: COLOR_SECONDARY,
                        },
                        Layer::Line {
                            name: "history".into(),
                            points: s.values.iter().enumerate().skip(first).map(|(j, &v)| (j as f64, v)).collect(),
                            color: COLOR_PRIMARY,
                            dashed: false,
                        },
                        Layer::Line {
                            name: "forecast".into(),
                            points: std::iter::once(((n - 1) as f64, s.values[n - 1]))
                                .chain(fc.mean.iter().enumerate().map(|(j, &v)| ((n + j) as f64, v)))
                                .collect(),
                            color: COLOR_SECONDARY,
                            dashed: true,
                        },
                    ],
                }))
                details {
                    summary { "Forecast as a table" }
                    table {
                        thead { tr { th scope="col" { "period" } th scope="col" { "forecast" } th scope="col" { "low" } th scope="col" { "high" } } }
                        tbody {
                            @for j in 0..horizon {
                                tr { td { (period(n + j)) } td { (chart::number(fc.mean[j])) } td { (chart::number(fc.quantiles[0][j])) } td { (chart::number(fc.quantiles[1][j])) } }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Try your own" }
        (form)
    };
    answer("Demand forecast", "/planning/forecast", Ok(body))
}

pub async fn forecast_get() -> Response {
    forecast_page(Inputs { posted: None }).await
}

pub async fn forecast_post(form: ApiResult<FormFields>) -> Response {
    match form {
        Ok(f) => forecast_page(Inputs { posted: Some(f) }).await,
        Err(e) => answer(
            "Demand forecast",
            "/planning/forecast",
            Err((forecast_form(&Inputs { posted: None }), e)),
        ),
    }
}

// ---------------------------------------------------------------- inventory

const INVENTORY_FIELDS: [(&str, &str, &str, &str); 10] = [
    (
        "demand_per_day_mean",
        "Demand per day, mean",
        "100",
        "units",
    ),
    (
        "demand_per_day_sd",
        "Demand per day, std. dev.",
        "20",
        "units",
    ),
    ("lead_time_days_mean", "Lead time, mean", "9", "days"),
    ("lead_time_days_sd", "Lead time, std. dev.", "2", "days"),
    (
        "service_level",
        "Cycle service level",
        "0.95",
        "0.5 to 0.999",
    ),
    ("unit_cost", "Unit cost", "12.50", "money per unit"),
    ("order_cost", "Cost per order", "50", "money per order"),
    (
        "annual_carrying_rate",
        "Annual carrying rate",
        "0.25",
        "share of unit cost a year",
    ),
    ("moq", "Minimum order quantity", "0", "units"),
    ("case_pack", "Case pack", "12", "units per case"),
];

fn inventory_form(inputs: &Inputs) -> Markup {
    html! {
        form method="post" action="/planning/inventory" {
            div.fields {
                @for (name, label, default, hint) in INVENTORY_FIELDS {
                    (field(inputs, name, label, default, hint))
                }
            }
            button type="submit" { "Plan" }
        }
    }
}

async fn inventory_page(inputs: Inputs) -> Response {
    let form = inventory_form(&inputs);
    let mut p = Problems::default();
    let v: BTreeMap<&str, f64> = INVENTORY_FIELDS
        .iter()
        .map(|(name, _, default, _)| (*name, inputs.number(name, default, &mut p)))
        .collect();
    if let Err(e) = p.finish() {
        return answer("Inventory policy", "/planning/inventory", Err((form, e)));
    }
    // A fine curve for the chart, with the chosen level on it.
    let mut levels: Vec<f64> = (0..=49).map(|i| 0.5 + 0.01 * f64::from(i)).collect();
    levels.extend([0.995, 0.999]);
    let request = InventoryPolicyRequest {
        demand_per_day_mean: v["demand_per_day_mean"],
        demand_per_day_sd: v["demand_per_day_sd"],
        lead_time_days_mean: v["lead_time_days_mean"],
        lead_time_days_sd: v["lead_time_days_sd"],
        service_level: v["service_level"],
        fill_rate: None,
        unit_cost: v["unit_cost"],
        order_cost: v["order_cost"],
        annual_carrying_rate: v["annual_carrying_rate"],
        moq: v["moq"],
        case_pack: v["case_pack"],
        review_period_days: None,
        on_hand: None,
        on_order: 0.0,
        backorders: 0.0,
        curve_levels: Some(levels),
    };
    let a = match plan::plan_inventory(&request) {
        Ok(a) => a,
        Err(e) => return answer("Inventory policy", "/planning/inventory", Err((form, e))),
    };
    let chosen = request.service_level;
    let body = html! {
        h1 { "Inventory policy" }
        dl.figures {
            dt { "Lead-time demand std. dev." } dd { (chart::number(a.lead_time_demand_sd)) " units" }
            dt { "Safety stock at " (chart::percent(chosen)) } dd { (chart::number(a.safety_stock)) " units, " (chart::number(a.safety_stock_investment)) " invested" }
            dt { "Reorder point" } dd { (chart::number(a.reorder_point)) " units" }
            dt { "EOQ" } dd { (chart::number(a.eoq)) " units" }
            dt { "Order quantity (MOQ, whole cases)" } dd { (chart::number(a.order_quantity)) " units" }
            dt { "Cycle stock" } dd { (chart::number(a.cycle_stock_investment)) " invested on average" }
        }
        (chart::render(&Chart {
            id: "service-curve".into(),
            title: "Service level against inventory investment".into(),
            description: format!(
                "Safety stock investment needed for cycle service levels from 50% to 99.9%: {} at 90%, {} at 95%, {} at 99%. The chosen {} needs {}.",
                money_at(&a.service_curve, 0.90), money_at(&a.service_curve, 0.95), money_at(&a.service_curve, 0.99),
                chart::percent(chosen), chart::number(a.safety_stock_investment)
            ),
            x_label: "safety stock investment".into(),
            y_label: "cycle service level".into(),
            x_ticks: Vec::new(),
            y_format: chart::percent,
            layers: vec![
                Layer::Line {
                    name: "service level".into(),
                    points: a.service_curve.iter().map(|c| (c.investment, c.service_level)).collect(),
                    color: COLOR_PRIMARY,
                    dashed: false,
                },
                Layer::Markers {
                    name: format!("chosen: {}", chart::percent(chosen)),
                    points: vec![(a.safety_stock_investment, chosen)],
                    color: COLOR_SECONDARY,
                },
            ],
        }))
        details {
            summary { "The curve as a table" }
            table {
                thead { tr { th scope="col" { "service level" } th scope="col" { "safety stock" } th scope="col" { "investment" } th scope="col" { "carrying cost a year" } } }
                tbody {
                    @for c in a.service_curve.iter().filter(|c| plan::CURVE_LEVELS_DEFAULT.iter().any(|l| (l - c.service_level).abs() < 1e-9)) {
                        tr { td { (chart::percent(c.service_level)) } td { (chart::number(c.safety_stock)) } td { (chart::number(c.investment)) } td { (chart::number(c.annual_carrying_cost)) } }
                    }
                }
            }
        }
        h2 { "Change the inputs" }
        (form)
    };
    answer("Inventory policy", "/planning/inventory", Ok(body))
}

fn money_at(curve: &[plan::CurvePoint], level: f64) -> String {
    curve
        .iter()
        .find(|c| (c.service_level - level).abs() < 1e-9)
        .map_or_else(|| "-".into(), |c| chart::number(c.investment))
}

pub async fn inventory_get() -> Response {
    inventory_page(Inputs { posted: None }).await
}

pub async fn inventory_post(form: ApiResult<FormFields>) -> Response {
    match form {
        Ok(f) => inventory_page(Inputs { posted: Some(f) }).await,
        Err(e) => answer(
            "Inventory policy",
            "/planning/inventory",
            Err((inventory_form(&Inputs { posted: None }), e)),
        ),
    }
}

// ---------------------------------------------------------------- labor

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// The example week: units to pick, pack and receive each day.
const WEEK_PICK: [&str; 7] = ["12000", "10400", "11200", "13300", "15800", "9000", "6000"];
const WEEK_PACK: [&str; 7] = ["11000", "9800", "10500", "12400", "14600", "8500", "5600"];
const WEEK_RECEIVE: [&str; 7] = ["4000", "4000", "3000", "3000", "3000", "0", "0"];
const LABOR_PROCESSES: [(ProcessName, &str, &[&str; 7], &str); 3] = [
    (ProcessName::Pick, "Pick", &WEEK_PICK, "120"),
    (ProcessName::Pack, "Pack", &WEEK_PACK, "90"),
    (ProcessName::Receive, "Receive", &WEEK_RECEIVE, "250"),
];

fn labor_form(inputs: &Inputs) -> Markup {
    html! {
        form method="post" action="/planning/labor" {
            table {
                caption { "Forecast units per day" }
                thead { tr { th scope="col" { "process" } @for d in DAYS { th scope="col" { (d) } } th scope="col" { "units per hour" } } }
                tbody {
                    @for (process, label, week, uph) in LABOR_PROCESSES {
                        tr {
                            th scope="row" { (label) }
                            @for (i, d) in DAYS.iter().enumerate() {
                                @let name = format!("{}_{}", process.as_str(), i);
                                td { input name=(name) value=(inputs.text(&name, week[i])) size="6" inputmode="decimal"
                                    aria-label=(format!("{label} units {d}")); }
                            }
                            @let name = format!("{}_uph", process.as_str());
                            td { input name=(name) value=(inputs.text(&name, uph)) size="5" inputmode="decimal"
                                aria-label=(format!("{label} units per hour")); }
                        }
                    }
                }
            }
            div.fields {
                (field(inputs, "productive_hours", "Productive hours per shift", "7.5", "paid hours less breaks"))
                (field(inputs, "utilization", "Utilization", "0.85", "share of productive time on the work"))
                (field(inputs, "shrinkage", "Shrinkage", "0.12", "absence, training: 0 to 0.95"))
                (field(inputs, "cost_per_head", "Cost per head per week", "780", "money"))
            }
            button type="submit" { "Plan" }
        }
    }
}

async fn labor_page(inputs: Inputs) -> Response {
    let form = labor_form(&inputs);
    let mut p = Problems::default();
    let productive = inputs.number("productive_hours", "7.5", &mut p);
    let utilization = inputs.number("utilization", "0.85", &mut p);
    let standards: Vec<StandardBody> = LABOR_PROCESSES
        .iter()
        .map(|(process, _, _, uph)| StandardBody {
            process: *process,
            units_per_hour: inputs.number(&format!("{}_uph", process.as_str()), uph, &mut p),
            productive_hours_per_shift: productive,
            utilization,
        })
        .collect();
    let periods: Vec<LaborPeriod> = DAYS
        .iter()
        .enumerate()
        .map(|(i, d)| LaborPeriod {
            name: (*d).into(),
            units: LABOR_PROCESSES
                .iter()
                .map(|(process, _, week, _)| {
                    (
                        process.as_str().to_owned(),
                        inputs.number(&format!("{}_{i}", process.as_str()), week[i], &mut p),
                    )
                })
                .collect(),
        })
        .collect();
    let request = LaborRequest {
        periods,
        standards,
        shrinkage: inputs.number("shrinkage", "0.12", &mut p),
        new_hires: Vec::new(),
        ramp_up: Vec::new(),
        patterns: None,
        cost_per_head: inputs.number("cost_per_head", "780", &mut p),
    };
    if let Err(e) = p.finish() {
        return answer("Labor plan", "/planning/labor", Err((form, e)));
    }
    let a = match blocking(move || plan::plan_labor(&request)).await {
        Ok(a) => a,
        Err(e) => return answer("Labor plan", "/planning/labor", Err((form, e))),
    };
    let needed: Vec<String> = a
        .periods
        .iter()
        .map(|d| format!("{} {}", d.name, d.heads_rostered))
        .collect();
    let body = html! {
        h1 { "Labor plan" }
        p { "Heads each day from forecast units and engineered standards (grossed up for shrinkage), and the least-cost plan of five-days-on, two-off shift patterns covering every day: "
            strong { (a.heads_total) " heads" } ", costing " (chart::number(a.cost)) " a week." }
        (chart::render(&Chart {
            id: "heads".into(),
            title: "Heads by day: workload against the shift plan".into(),
            description: format!(
                "Bars: heads the workload needs each day ({}). Line: heads the shift plan puts on each day ({}).",
                needed.join(", "),
                a.periods.iter().map(|d| format!("{} {}", d.name, d.heads_planned)).collect::<Vec<_>>().join(", ")
            ),
            x_label: "day".into(),
            y_label: "heads".into(),
            x_ticks: a.periods.iter().enumerate().map(|(i, d)| (i as f64, d.name.clone())).collect(),
            y_format: chart::number,
            layers: vec![
                Layer::Bars {
                    name: "heads needed (workload)".into(),
                    points: a.periods.iter().enumerate().map(|(i, d)| (i as f64, f64::from(d.heads_rostered))).collect(),
                    color: COLOR_PRIMARY,
                },
                Layer::Line {
                    name: "heads planned (shifts)".into(),
                    points: a.periods.iter().enumerate().map(|(i, d)| (i as f64, f64::from(d.heads_planned))).collect(),
                    color: COLOR_SECONDARY,
                    dashed: false,
                },
            ],
        }))
        h2 { "Shift patterns" }
        table {
            thead { tr { th scope="col" { "pattern" } th scope="col" { "heads" } th scope="col" { "cost" } } }
            tbody {
                @for pat in a.patterns.iter().filter(|p| p.heads > 0) {
                    tr { td { (pat.name) } td { (pat.heads) } td { (chart::number(pat.cost)) } }
                }
            }
        }
        details {
            summary { "Workload by day as a table" }
            table {
                thead { tr { th scope="col" { "day" } th scope="col" { "heads (fractional)" } th scope="col" { "heads rostered" } th scope="col" { "heads planned" } } }
                tbody {
                    @for d in &a.periods {
                        tr { td { (d.name) } td { (chart::number(d.heads_needed)) } td { (d.heads_rostered) } td { (d.heads_planned) } }
                    }
                }
            }
        }
        h2 { "Change the week" }
        (form)
    };
    answer("Labor plan", "/planning/labor", Ok(body))
}

pub async fn labor_get() -> Response {
    labor_page(Inputs { posted: None }).await
}

pub async fn labor_post(form: ApiResult<FormFields>) -> Response {
    match form {
        Ok(f) => labor_page(Inputs { posted: Some(f) }).await,
        Err(e) => answer(
            "Labor plan",
            "/planning/labor",
            Err((labor_form(&Inputs { posted: None }), e)),
        ),
    }
}

// ---------------------------------------------------------------- peak

/// The most days the peak page simulates (the API takes a quarter).
pub const PEAK_PAGE_DAYS_MAX: u32 = 28;

const PEAK_FIELDS: [(&str, &str, &str, &str); 13] = [
    ("days", "Days", "7", "1 to 28"),
    (
        "orders_per_hour",
        "Orders per hour",
        "400",
        "while orders arrive",
    ),
    ("arrive_from", "Orders arrive from", "8", "hour of day"),
    ("arrive_to", "Orders arrive until", "20", "hour of day"),
    ("shift_from", "Shifts from", "7", "hour of day"),
    ("shift_to", "Shifts until", "23", "hour of day"),
    ("pickers", "Pickers", "20", "heads on shift"),
    ("pick_minutes", "Pick minutes per order", "2", ""),
    ("packers", "Packers", "6", "heads on shift"),
    ("pack_minutes", "Pack minutes per order", "1.5", ""),
    ("benches", "Pack benches", "6", "physical stations"),
    (
        "pickups",
        "Carrier pickups",
        "17:00,22:00",
        "HH:MM, comma-separated",
    ),
    (
        "order_cutoff",
        "Order cut-off",
        "15:00",
        "orders by then ship that day",
    ),
];

fn peak_form(inputs: &Inputs) -> Markup {
    html! {
        form method="post" action="/planning/peak" {
            div.fields {
                @for (name, label, default, hint) in PEAK_FIELDS {
                    (field(inputs, name, label, default, hint))
                }
            }
            button type="submit" { "Simulate" }
        }
    }
}

/// The scenario of the peak form: one daily pattern of arrivals and shifts,
/// pick then pack, repeated for the days asked.
fn peak_request(inputs: &Inputs) -> ApiResult<PeakRequest> {
    let mut p = Problems::default();
    let days = inputs.whole("days", "7", &mut p);
    if !(1..=PEAK_PAGE_DAYS_MAX).contains(&days) {
        p.add(
            "days",
            format!("{days} is not between 1 and {PEAK_PAGE_DAYS_MAX}"),
        );
    }
    let hour = |name: &str, default: &str, p: &mut Problems| {
        let h = inputs.whole(name, default, p);
        if h > 24 {
            p.add(name, format!("{h} is not an hour from 0 to 24"));
        }
        h
    };
    let (arrive_from, arrive_to) = (
        hour("arrive_from", "8", &mut p),
        hour("arrive_to", "20", &mut p),
    );
    let (shift_from, shift_to) = (
        hour("shift_from", "7", &mut p),
        hour("shift_to", "23", &mut p),
    );
    let per_hour = inputs.whole("orders_per_hour", "400", &mut p);
    let pickers = inputs.whole("pickers", "20", &mut p);
    let packers = inputs.whole("packers", "6", &mut p);
    let benches = inputs.whole("benches", "6", &mut p);
    let pick_minutes = inputs.number("pick_minutes", "2", &mut p);
    let pack_minutes = inputs.number("pack_minutes", "1.5", &mut p);
    let pickups: Vec<PickupBody> = inputs
        .text("pickups", "17:00,22:00")
        .split(',')
        .map(|t| PickupBody {
            at: t.trim().to_owned(),
            capacity_orders: 1_000_000,
        })
        .collect();
    let cutoff = inputs.text("order_cutoff", "15:00");
    p.finish()?;
    let day_orders: Vec<u32> = (0..24)
        .map(|h| {
            if (arrive_from..arrive_to).contains(&h) {
                per_hour
            } else {
                0
            }
        })
        .collect();
    let shift = |heads: u32| -> Vec<u32> {
        (0..24)
            .map(|h| {
                if (shift_from..shift_to).contains(&h) {
                    heads
                } else {
                    0
                }
            })
            .collect()
    };
    Ok(PeakRequest {
        orders_by_hour: day_orders.repeat(days as usize),
        stations: vec![
            StationBody {
                name: "pick".into(),
                minutes_per_order: pick_minutes,
                heads_by_hour: shift(pickers),
                positions: None,
            },
            StationBody {
                name: "pack".into(),
                minutes_per_order: pack_minutes,
                heads_by_hour: shift(packers),
                positions: Some(benches),
            },
        ],
        pickups,
        order_cutoff: cutoff,
        service_jitter: 0.2,
        seed: 42,
    })
}

async fn peak_page(inputs: Inputs) -> Response {
    let form = peak_form(&inputs);
    let request = match peak_request(&inputs) {
        Ok(r) => r,
        Err(e) => return answer("Peak simulation", "/planning/peak", Err((form, e))),
    };
    let a = match blocking(move || plan::plan_peak(&request)).await {
        Ok(a) => a,
        Err(e) => return answer("Peak simulation", "/planning/peak", Err((form, e))),
    };
    let hours = a.backlog_by_hour.len();
    let (peak_hour, peak_backlog) = a
        .backlog_by_hour
        .iter()
        .enumerate()
        .max_by_key(|(_, b)| **b)
        .map_or((0, 0), |(h, &b)| (h, b));
    let body = html! {
        h1 { "Peak simulation" }
        dl.figures {
            dt { "Orders" } dd { (chart::number(f64::from(a.orders))) }
            dt { "Shipped" } dd { (chart::number(f64::from(a.shipped))) }
            dt { "On-time ship rate" } dd { (chart::percent(a.on_time_ship_rate)) }
            dt { "Bottleneck" } dd { strong { (a.bottleneck) } }
            dt { "Largest backlog" } dd { (chart::number(f64::from(peak_backlog))) " orders, day " (peak_hour / 24 + 1) " at " (format!("{:02}:00", peak_hour % 24 + 1)) }
        }
        (chart::render(&Chart {
            id: "backlog".into(),
            title: "Backlog by hour".into(),
            description: format!(
                "Orders arrived but not shipped at the end of each of {hours} hours. The backlog peaks at {} orders on day {}; {} of orders due shipped on time; the bottleneck is {}.",
                chart::number(f64::from(peak_backlog)), peak_hour / 24 + 1, chart::percent(a.on_time_ship_rate), a.bottleneck
            ),
            x_label: "hour".into(),
            y_label: "orders in backlog".into(),
            x_ticks: (0..=hours).step_by(24).map(|h| (h as f64, format!("day {}", h / 24 + 1))).collect(),
            y_format: chart::number,
            layers: vec![Layer::Line {
                name: "backlog".into(),
                points: a.backlog_by_hour.iter().enumerate().map(|(h, &b)| ((h + 1) as f64, f64::from(b))).collect(),
                color: COLOR_PRIMARY,
                dashed: false,
            }],
        }))
        h2 { "Stations" }
        table {
            thead { tr { th scope="col" { "station" } th scope="col" { "orders done" } th scope="col" { "utilization" } th scope="col" { "mean wait (min)" } th scope="col" { "longest queue" } } }
            tbody {
                @for s in &a.stations {
                    tr { td { (s.name) @if s.name == a.bottleneck { " (bottleneck)" } } td { (chart::number(f64::from(s.orders_done))) } td { (chart::percent(s.utilization)) } td { (chart::number(s.wait_minutes_mean)) } td { (chart::number(f64::from(s.queue_max))) } }
                }
            }
        }
        h2 { "Try another plan" }
        p { "Add packers or benches, move the shifts or the pickups, and simulate again." }
        (form)
    };
    answer("Peak simulation", "/planning/peak", Ok(body))
}

pub async fn peak_get() -> Response {
    peak_page(Inputs { posted: None }).await
}

pub async fn peak_post(form: ApiResult<FormFields>) -> Response {
    match form {
        Ok(f) => peak_page(Inputs { posted: Some(f) }).await,
        Err(e) => answer(
            "Peak simulation",
            "/planning/peak",
            Err((peak_form(&Inputs { posted: None }), e)),
        ),
    }
}
