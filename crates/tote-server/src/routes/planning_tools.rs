//! More stateless planning tools over HTTP: the newsvendor, Erlang C,
//! hierarchical reconciliation, forecast backtests, and the service level
//! against inventory investment curve of a set of SKUs. As in
//! `routes::planning`, every value the planning crate would assert on is
//! refused here first, naming the field.

use super::planning::{
    CURVE_LEVELS_DEFAULT, CURVE_LEVELS_MAX, HistoryRow, Problems, QUANTITY_MAX, SEASON_MAX,
    blocking, rows_to_csv,
};
use crate::extract::ApiJson;
use crate::problem::{ApiError, ApiResult, Problem};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tote_planning::cli::ORIGINS_MAX;
use tote_planning::forecast::HORIZON_MAX;
use tote_planning::forecast::reconcile::{self, Hierarchy};
use tote_planning::inventory;
use tote_planning::parse_history;
use utoipa::ToSchema;

/// The most servers an Erlang C question may be answered for.
pub const SERVERS_MAX: u32 = 10_000;
/// The most nodes one reconciliation may hold.
pub const HIERARCHY_NODES_MAX: usize = 10_000;
/// The most forecast values (nodes x horizon) one reconciliation may hold.
pub const HIERARCHY_VALUES_MAX: usize = 2_000_000;
/// The most SKUs on one service curve.
pub const CURVE_ITEMS_MAX: usize = 10_000;
/// The most series-origin cases one backtest may score (each a model fit).
pub const BACKTEST_CASES_MAX: usize = 5_000;

// ---------------------------------------------------------------- newsvendor

/// `POST /v1/planning/newsvendor`: a one-shot buy (a seasonal item, a
/// promotion's stock) against normal demand.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewsvendorRequest {
    pub demand_mean: f64,
    pub demand_sd: f64,
    /// Cost of each unit left over (overage): cost less salvage.
    pub holding_cost: f64,
    /// Cost of each unit short (underage): lost margin and goodwill.
    pub stockout_cost: f64,
}

#[derive(Serialize, ToSchema)]
pub struct NewsvendorAnswer {
    /// The quantity to stock: mean + sd z, z at the critical ratio.
    pub order_up_to: f64,
    /// p / (p + h): the chance of selling out at the optimum is one less this.
    pub critical_ratio: f64,
    pub expected_cost: f64,
    /// Units expected left over and short at the optimum.
    pub expected_leftover: f64,
    pub expected_shortage: f64,
}

/// The newsvendor: the stock level of a one-shot buy that minimizes the
/// expected cost of leftovers and shortages.
#[utoipa::path(post, path = "/v1/planning/newsvendor", tag = "planning",
    request_body = NewsvendorRequest,
    responses((status = 200, body = NewsvendorAnswer), (status = 422, body = Problem)))]
pub async fn newsvendor(body: ApiJson<NewsvendorRequest>) -> ApiResult<Json<NewsvendorAnswer>> {
    let r = body.value;
    let mut p = Problems::default();
    p.non_negative("demand_mean", r.demand_mean);
    p.positive("demand_sd", r.demand_sd);
    p.positive("holding_cost", r.holding_cost);
    p.positive("stockout_cost", r.stockout_cost);
    p.finish()?;
    let ratio = r.stockout_cost / (r.stockout_cost + r.holding_cost);
    if !(ratio > 1e-9 && ratio < 1.0 - 1e-9) {
        return Err(ApiError::field(
            "stockout_cost",
            "the costs are too far apart: the critical ratio is 0 or 1",
        ));
    }
    let demand = inventory::NormalDemand {
        mean: r.demand_mean,
        sd: r.demand_sd,
    };
    let n = inventory::newsvendor(r.holding_cost, r.stockout_cost, demand);
    let z = (n.order_up_to - demand.mean) / demand.sd;
    let shortage = demand.sd * tote_planning::normal::loss(z);
    Ok(Json(NewsvendorAnswer {
        order_up_to: n.order_up_to,
        critical_ratio: n.critical_ratio,
        expected_cost: n.expected_cost,
        expected_leftover: n.order_up_to - demand.mean + shortage,
        expected_shortage: shortage,
    }))
}

// ---------------------------------------------------------------- Erlang C

fn default_interval_s() -> f64 {
    3600.0
}

/// `POST /v1/planning/erlang-c`: a queue-like station (returns desk,
/// problem solve) where work arrives at random.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErlangRequest {
    /// Arrivals per interval.
    pub arrivals: f64,
    /// The interval, seconds (default an hour).
    #[serde(default = "default_interval_s")]
    pub interval_s: f64,
    /// Handling time per arrival, seconds.
    pub handle_time_s: f64,
    /// Answer within this many seconds...
    pub answer_target_s: f64,
    /// ...for this share of arrivals.
    pub service_level: f64,
    /// Also answer the figures for this many servers.
    #[serde(default)]
    pub servers: Option<u32>,
    /// Share of paid time not at the station (breaks, absence): rostered heads.
    #[serde(default)]
    pub shrinkage: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ErlangFigures {
    pub servers: u32,
    pub load_erlangs: f64,
    pub wait_probability: f64,
    pub service_level: f64,
    pub occupancy: f64,
    pub average_wait_s: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ErlangAnswer {
    /// The fewest servers that meet the service level.
    pub servers_needed: u32,
    /// Heads to roster for them after shrinkage.
    pub rostered_heads: u32,
    pub at_servers_needed: ErlangFigures,
    /// With `servers`: that staffing's figures, or null when it cannot keep
    /// up (the queue grows without bound).
    pub at_servers: Option<ErlangFigures>,
}

fn figures(q: inventory::erlang::ErlangC, servers: u32) -> ErlangFigures {
    ErlangFigures {
        servers,
        load_erlangs: q.load_erlangs,
        wait_probability: q.wait_probability,
        service_level: q.service_level,
        occupancy: q.occupancy,
        average_wait_s: q.average_wait_s,
    }
}

/// Erlang C: servers needed for a queue's answer-time target, with wait
/// probability, occupancy and mean wait.
#[utoipa::path(post, path = "/v1/planning/erlang-c", tag = "planning",
    request_body = ErlangRequest,
    responses((status = 200, body = ErlangAnswer), (status = 422, body = Problem)))]
pub async fn erlang_c(body: ApiJson<ErlangRequest>) -> ApiResult<Json<ErlangAnswer>> {
    let r = body.value;
    let mut p = Problems::default();
    p.positive("arrivals", r.arrivals);
    p.positive("interval_s", r.interval_s);
    p.positive("handle_time_s", r.handle_time_s);
    p.non_negative("answer_target_s", r.answer_target_s);
    p.open("service_level", r.service_level, 0.0, 1.0);
    if !(0.0..1.0).contains(&r.shrinkage) {
        p.add("shrinkage", format!("{} is not in [0, 1)", r.shrinkage));
    }
    if let Some(n) = r.servers
        && !(1..=SERVERS_MAX).contains(&n)
    {
        p.add("servers", format!("{n} is not between 1 and {SERVERS_MAX}"));
    }
    p.finish()?;
    let load = r.arrivals * r.handle_time_s / r.interval_s;
    if !(load.is_finite() && load < f64::from(SERVERS_MAX) - 1.0) {
        return Err(ApiError::field(
            "arrivals",
            format!("the load of {load} Erlangs needs more than {SERVERS_MAX} servers"),
        ));
    }
    // The service level approaches 1 as servers grow past the load; a target
    // within rounding of 1 is refused rather than searched for.
    if r.service_level > 1.0 - 1e-9 {
        return Err(ApiError::field(
            "service_level",
            "too close to 1 to staff for",
        ));
    }
    let needed = inventory::servers_for_service_level(
        r.arrivals,
        r.interval_s,
        r.handle_time_s,
        r.answer_target_s,
        r.service_level,
    );
    let at_needed = inventory::erlang_c(
        r.arrivals,
        r.interval_s,
        r.handle_time_s,
        needed,
        r.answer_target_s,
    )
    .expect("the servers found exceed the load");
    let at_servers = r.servers.and_then(|n| {
        inventory::erlang_c(
            r.arrivals,
            r.interval_s,
            r.handle_time_s,
            n,
            r.answer_target_s,
        )
        .map(|q| figures(q, n))
    });
    Ok(Json(ErlangAnswer {
        servers_needed: needed,
        rostered_heads: inventory::rostered_heads(needed, r.shrinkage),
        at_servers_needed: figures(at_needed, needed),
        at_servers,
    }))
}

// ---------------------------------------------------------------- reconciliation

/// One series of a hierarchy: its forecast over the horizon and the series
/// it adds up into.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HierarchyNode {
    pub id: String,
    /// The id of the series this one is part of; absent for the total.
    #[serde(default)]
    pub parent: Option<String>,
    /// The base forecast, one value per period (the same length for every node).
    pub forecast: Vec<f64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReconcileRequest {
    pub nodes: Vec<HierarchyNode>,
}

#[derive(Serialize, ToSchema)]
pub struct ReconciledNode {
    pub id: String,
    pub parent: Option<String>,
    pub forecast: Vec<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ReconcileAnswer {
    /// Every node, in the request's order, adding up exactly at each parent.
    pub nodes: Vec<ReconciledNode>,
}

/// Checks a hierarchy and reconciles it (structural weights, WLS).
pub(crate) fn plan_reconcile(r: &ReconcileRequest) -> ApiResult<ReconcileAnswer> {
    let n = r.nodes.len();
    if n == 0 || n > HIERARCHY_NODES_MAX {
        return Err(ApiError::field(
            "nodes",
            format!("give 1 to {HIERARCHY_NODES_MAX} nodes"),
        ));
    }
    let mut p = Problems::default();
    let h = r.nodes[0].forecast.len();
    if h == 0 || h.saturating_mul(n) > HIERARCHY_VALUES_MAX {
        p.add(
            "nodes[0].forecast",
            format!("give 1 or more values, at most {HIERARCHY_VALUES_MAX} over all nodes"),
        );
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, node) in r.nodes.iter().enumerate() {
        if node.id.is_empty() {
            p.add(format!("nodes[{i}].id"), "empty");
        } else if index.insert(node.id.as_str(), i).is_some() {
            p.add(
                format!("nodes[{i}].id"),
                format!("`{}` appears twice", node.id),
            );
        }
        if node.forecast.len() != h {
            p.add(
                format!("nodes[{i}].forecast"),
                format!("has {} values; the first node has {h}", node.forecast.len()),
            );
        }
        for (j, &v) in node.forecast.iter().enumerate() {
            if !(v.is_finite() && v.abs() <= QUANTITY_MAX) {
                p.add(
                    format!("nodes[{i}].forecast[{j}]"),
                    format!("{v} is not a number of magnitude at most {QUANTITY_MAX:e}"),
                );
            }
        }
    }
    let mut parent = Vec::with_capacity(n);
    for (i, node) in r.nodes.iter().enumerate() {
        parent.push(match &node.parent {
            None => None,
            Some(id) => match index.get(id.as_str()) {
                Some(&j) if j == i => {
                    p.add(
                        format!("nodes[{i}].parent"),
                        "a node cannot be its own parent",
                    );
                    None
                }
                Some(&j) => Some(j),
                None => {
                    p.add(format!("nodes[{i}].parent"), format!("unknown node `{id}`"));
                    None
                }
            },
        });
    }
    p.finish()?;
    let hierarchy = Hierarchy { parent };
    let mut out: Vec<Vec<f64>> = vec![Vec::with_capacity(h); n];
    for j in 0..h {
        let step: Vec<f64> = r.nodes.iter().map(|node| node.forecast[j]).collect();
        let rec = reconcile::reconcile(&hierarchy, &step).map_err(|e| match e {
            reconcile::HierarchyError::Cycle { node } => {
                ApiError::field(&format!("nodes[{node}].parent"), "the parents form a cycle")
            }
            other => ApiError::field("nodes", other.to_string()),
        })?;
        for (o, v) in out.iter_mut().zip(rec) {
            o.push(v);
        }
    }
    Ok(ReconcileAnswer {
        nodes: r
            .nodes
            .iter()
            .zip(out)
            .map(|(node, forecast)| ReconciledNode {
                id: node.id.clone(),
                parent: node.parent.clone(),
                forecast,
            })
            .collect(),
    })
}

/// Hierarchical reconciliation: forecasts made separately for SKUs,
/// categories, nodes and the total are adjusted, as little as possible, so
/// every parent equals the sum of its children.
#[utoipa::path(post, path = "/v1/planning/reconcile", tag = "planning",
    request_body = ReconcileRequest,
    responses((status = 200, body = ReconcileAnswer), (status = 422, body = Problem)))]
pub async fn reconcile(body: ApiJson<ReconcileRequest>) -> ApiResult<Json<ReconcileAnswer>> {
    let r = body.value;
    Ok(Json(blocking(move || plan_reconcile(&r)).await?))
}

// ---------------------------------------------------------------- backtest

fn default_origins() -> usize {
    3
}

/// `POST /v1/planning/backtest`: accuracy of the forecasting methods over
/// rolling origins.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BacktestRequest {
    #[serde(default)]
    pub history: Option<Vec<HistoryRow>>,
    #[serde(default)]
    pub history_csv: Option<String>,
    pub horizon: usize,
    #[serde(default)]
    pub season: Option<usize>,
    /// Forecast origins, one period apart, ending `horizon` periods before each series' end.
    #[serde(default = "default_origins")]
    pub origins: usize,
}

#[derive(Serialize, ToSchema)]
pub struct MethodScore {
    pub method: String,
    pub cases: usize,
    pub mase: f64,
    pub smape: f64,
    pub rmsse: f64,
    pub wrmsse: Option<f64>,
    pub bias: f64,
    /// Share of actuals inside the 80% interval.
    pub coverage_80: f64,
}

#[derive(Serialize, ToSchema)]
pub struct BacktestAnswer {
    pub series: usize,
    pub horizon: usize,
    pub season: usize,
    pub origins: usize,
    /// Series-origin cases skipped: fewer than 4 periods before the origin.
    pub skipped: usize,
    pub methods: Vec<MethodScore>,
}

/// Forecast backtest: MASE, sMAPE, RMSSE, WRMSSE, bias and 80% interval
/// coverage of each method over rolling origins.
#[utoipa::path(post, path = "/v1/planning/backtest", tag = "planning",
    request_body = BacktestRequest,
    responses((status = 200, body = BacktestAnswer), (status = 422, body = Problem)))]
pub async fn backtest(body: ApiJson<BacktestRequest>) -> ApiResult<Json<BacktestAnswer>> {
    let r = body.value;
    let mut p = Problems::default();
    if r.horizon == 0 || r.horizon > HORIZON_MAX {
        p.add(
            "horizon",
            format!("{} is not between 1 and {HORIZON_MAX}", r.horizon),
        );
    }
    if let Some(m) = r.season
        && (m == 0 || m > SEASON_MAX)
    {
        p.add(
            "season",
            format!("{m} is not between 1 (no season) and {SEASON_MAX}"),
        );
    }
    if r.origins == 0 || r.origins > ORIGINS_MAX {
        p.add(
            "origins",
            format!("{} is not between 1 and {ORIGINS_MAX}", r.origins),
        );
    }
    p.finish()?;
    let (text, field) = match (r.history, r.history_csv) {
        (Some(rows), None) => (rows_to_csv(&rows), "history"),
        (None, Some(text)) => (text, "history_csv"),
        _ => {
            return Err(ApiError::field(
                "history",
                "give exactly one of history (rows) or history_csv",
            ));
        }
    };
    let answer = blocking(move || {
        let series = parse_history(&text).map_err(|e| ApiError::field(field, e.to_string()))?;
        if series.len().saturating_mul(r.origins) > BACKTEST_CASES_MAX {
            return Err(ApiError::field(
                "origins",
                format!(
                    "{} series x {} origins is more than {BACKTEST_CASES_MAX} cases",
                    series.len(),
                    r.origins
                ),
            ));
        }
        let m = r.season.unwrap_or(series[0].start.season_length());
        let scores = tote_planning::cli::backtest_scores(&series, r.horizon, m, r.origins);
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        Ok(BacktestAnswer {
            series: series.len(),
            horizon: r.horizon,
            season: m,
            origins: r.origins,
            skipped: scores.first().map_or(0, |s| s.skipped),
            methods: scores
                .into_iter()
                .map(|s| MethodScore {
                    method: s.method.into(),
                    cases: s.cases,
                    mase: finite(s.mase),
                    smape: finite(s.smape),
                    rmsse: finite(s.rmsse),
                    wrmsse: s.wrmsse.is_finite().then_some(s.wrmsse),
                    bias: finite(s.bias),
                    coverage_80: finite(s.coverage),
                })
                .collect(),
        })
    })
    .await?;
    Ok(Json(answer))
}

// ---------------------------------------------------------------- service curve

/// One SKU (at one node) on the curve.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurveItem {
    pub sku: String,
    pub demand_per_day_mean: f64,
    pub demand_per_day_sd: f64,
    pub lead_time_days_mean: f64,
    #[serde(default)]
    pub lead_time_days_sd: f64,
    pub unit_cost: f64,
}

fn default_carrying() -> f64 {
    0.25
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceCurveRequest {
    pub items: Vec<CurveItem>,
    /// Cycle service levels to price (default 0.5 to 0.999).
    #[serde(default)]
    pub levels: Option<Vec<f64>>,
    /// Annual carrying rate, a share of unit cost.
    #[serde(default = "default_carrying")]
    pub annual_carrying_rate: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ServiceCurveLevel {
    pub service_level: f64,
    /// Safety stock over every item, units.
    pub safety_stock_units: f64,
    /// That stock valued at unit cost.
    pub investment: f64,
    pub annual_carrying_cost: f64,
    /// Expected units short per year over every item at this level, with one
    /// replenishment cycle per lead time.
    pub expected_units_short_per_year: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ServiceCurveAnswer {
    pub items: usize,
    pub levels: Vec<ServiceCurveLevel>,
}

/// What-if: service level against inventory investment over a set of SKUs,
/// the money each step of service ties up and what it saves in shortages.
#[utoipa::path(post, path = "/v1/planning/service-curve", tag = "planning",
    request_body = ServiceCurveRequest,
    responses((status = 200, body = ServiceCurveAnswer), (status = 422, body = Problem)))]
pub async fn service_curve(
    body: ApiJson<ServiceCurveRequest>,
) -> ApiResult<Json<ServiceCurveAnswer>> {
    let r = body.value;
    let mut p = Problems::default();
    if r.items.is_empty() || r.items.len() > CURVE_ITEMS_MAX {
        p.add("items", format!("give 1 to {CURVE_ITEMS_MAX} items"));
    }
    for (i, it) in r.items.iter().enumerate() {
        if it.sku.is_empty() {
            p.add(format!("items[{i}].sku"), "empty");
        }
        p.non_negative(
            &format!("items[{i}].demand_per_day_mean"),
            it.demand_per_day_mean,
        );
        p.non_negative(
            &format!("items[{i}].demand_per_day_sd"),
            it.demand_per_day_sd,
        );
        p.positive(
            &format!("items[{i}].lead_time_days_mean"),
            it.lead_time_days_mean,
        );
        p.non_negative(
            &format!("items[{i}].lead_time_days_sd"),
            it.lead_time_days_sd,
        );
        p.positive(&format!("items[{i}].unit_cost"), it.unit_cost);
    }
    let levels = r.levels.unwrap_or_else(|| CURVE_LEVELS_DEFAULT.to_vec());
    if levels.is_empty() || levels.len() > CURVE_LEVELS_MAX {
        p.add("levels", format!("give 1 to {CURVE_LEVELS_MAX} levels"));
    }
    for (i, &l) in levels.iter().enumerate() {
        p.open(&format!("levels[{i}]"), l, 0.0, 1.0);
    }
    p.open("annual_carrying_rate", r.annual_carrying_rate, 0.0, 10.0);
    p.finish()?;
    let sigmas: Vec<f64> = r
        .items
        .iter()
        .map(|it| {
            inventory::lead_time_demand_sd(
                it.demand_per_day_mean,
                it.demand_per_day_sd,
                it.lead_time_days_mean,
                it.lead_time_days_sd,
            )
        })
        .collect();
    let out = levels
        .iter()
        .map(|&level| {
            let (mut units, mut money, mut short) = (0.0, 0.0, 0.0);
            for (it, &sigma) in r.items.iter().zip(&sigmas) {
                let pt = inventory::service_curve(sigma, it.unit_cost, &[level])[0];
                units += pt.safety_stock;
                money += pt.investment;
                let z = if sigma > 0.0 {
                    pt.safety_stock / sigma
                } else {
                    0.0
                };
                let cycles = 365.0 / it.lead_time_days_mean;
                short += cycles * sigma * tote_planning::normal::loss(z);
            }
            ServiceCurveLevel {
                service_level: level,
                safety_stock_units: units,
                investment: money,
                annual_carrying_cost: inventory::carrying_cost(
                    money,
                    r.annual_carrying_rate,
                    365.0,
                ),
                expected_units_short_per_year: short,
            }
        })
        .collect();
    Ok(Json(ServiceCurveAnswer {
        items: r.items.len(),
        levels: out,
    }))
}
