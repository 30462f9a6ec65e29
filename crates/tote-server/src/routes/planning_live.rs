//! Planning from tote's own books: demand forecasts from the order history
//! (per SKU and node, by node, by channel and in total, reconciled so the SKU
//! forecasts add up), replenishment suggestions from that forecast and the
//! stock on hand and on order, approving one into a PO or a transfer order
//! (through the writer), and receiving transfers.

use super::planning::Problems;
use super::{AppState, warehouse};
use crate::extract::{ApiQuery, IdempotencyHeader};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tote_core::OrgId;
use tote_oms::planning::{PlanApprovalInput, TransferOrder};
use tote_oms::warehouse::{Asn, WmsCommand};
use tote_planning::forecast::reconcile::Hierarchy;
use tote_planning::forecast::{self, ForecastParams, events};
use tote_planning::history::Period;
use tote_planning::inventory::{self, OrderConstraints, StockPosition, Suggestion};
use tote_store::{InventoryFilter, Queries, StoreError};
use utoipa::{IntoParams, ToSchema};

/// The longest forecast horizon asked of the live history, periods.
pub const LIVE_HORIZON_MAX: usize = 366;
/// Days of order history read for a daily forecast (weekly: seven times as many).
pub const HISTORY_DAYS: i64 = 730;
/// Open ASNs and transfer orders read for stock on order.
pub const OPEN_RECORDS_MAX: usize = 1_000;
/// The most SKU-node rows of stock read.
pub const STOCK_ROWS_MAX: usize = 100_000;
const DAY_US: i64 = 86_400_000_000;
/// The node demand that could not be allocated is booked under.
pub const UNALLOCATED: &str = "unallocated";

fn default_horizon() -> usize {
    14
}

fn default_grain() -> String {
    "day".into()
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DemandQuery {
    /// Only this SKU's series (and the levels above it).
    pub sku: Option<String>,
    /// Only this node's series.
    pub node: Option<String>,
    /// Periods to forecast (default 14), 1 to 366.
    #[serde(default = "default_horizon")]
    pub horizon: usize,
    /// `day` (default) or `week` (weeks from Monday).
    #[serde(default = "default_grain")]
    pub grain: String,
    /// The last day of history, `YYYY-MM-DD` (default today, UTC).
    pub as_of: Option<String>,
    /// Treat the built-in holiday calendar as known events: each holiday's
    /// uplift is learned per series and applied ahead.
    #[serde(default)]
    pub holidays: bool,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct DemandPoint {
    pub period: String,
    pub forecast: f64,
    pub q10: f64,
    pub q90: f64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct DemandSeries {
    /// `total`, `node`, `sku_node` or `channel`.
    pub level: String,
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    pub model: String,
    /// Units per period, oldest first, ending at `as_of`.
    pub history: Vec<f64>,
    /// Learned holiday uplifts (with `holidays=true`).
    pub events: Vec<super::planning::UpliftBody>,
    pub forecast: Vec<DemandPoint>,
}

#[derive(Serialize, ToSchema)]
pub struct DemandForecastAnswer {
    pub grain: String,
    pub as_of: String,
    /// The first period of history.
    pub from: String,
    pub horizon: usize,
    /// Total, node and SKU-node series add up at every period (reconciled);
    /// channel series are forecast on their own.
    pub series: Vec<DemandSeries>,
}

/// The checked parameters of a live forecast.
struct DemandParams {
    weekly: bool,
    horizon: usize,
    as_of_day: i64,
    holidays: bool,
}

fn check_demand(q: &DemandQuery) -> ApiResult<DemandParams> {
    let mut p = Problems::default();
    if q.horizon == 0 || q.horizon > LIVE_HORIZON_MAX {
        p.add(
            "horizon",
            format!("{} is not between 1 and {LIVE_HORIZON_MAX}", q.horizon),
        );
    }
    let weekly = match q.grain.as_str() {
        "day" => false,
        "week" => true,
        other => {
            p.add("grain", format!("`{other}` is not `day` or `week`"));
            false
        }
    };
    let today = super::now().0.div_euclid(DAY_US);
    let as_of_day = match &q.as_of {
        None => today,
        Some(text) => match Period::parse(text) {
            Some(Period::Day { days }) => days,
            _ => {
                p.add("as_of", format!("`{text}` is not a date YYYY-MM-DD"));
                today
            }
        },
    };
    p.finish()?;
    Ok(DemandParams {
        weekly,
        horizon: q.horizon,
        as_of_day,
        holidays: q.holidays,
    })
}

/// Demand series built from the order history, before forecasting.
struct Built {
    /// The first period (a day, or a week from Monday).
    start: Period,
    /// Units per period in total, per node, per SKU and node, per channel.
    total: Vec<f64>,
    nodes: BTreeMap<String, Vec<f64>>,
    sku_nodes: BTreeMap<(String, String), Vec<f64>>,
    channels: BTreeMap<String, Vec<f64>>,
}

fn build_history(reader: &dyn Queries, org: OrgId, d: &DemandParams) -> Result<Built, StoreError> {
    let step = if d.weekly { 7 } else { 1 };
    // Weeks start on Monday; day 0 (1970-01-01) was a Thursday.
    let last_start = if d.weekly {
        d.as_of_day - (d.as_of_day + 3).rem_euclid(7)
    } else {
        d.as_of_day
    };
    let first_start = last_start - HISTORY_DAYS * step + step;
    let lines = reader.demand_lines(org, first_start * DAY_US)?;
    let end_us = (last_start + step) * DAY_US;
    let first_seen = lines
        .iter()
        .filter(|l| l.placed_at < end_us)
        .map(|l| l.placed_at.div_euclid(DAY_US))
        .min();
    let start_day = match first_seen {
        // The start of the period holding the first order.
        Some(day) => last_start - (last_start - day + step - 1).div_euclid(step) * step,
        None => last_start,
    };
    let n = ((last_start - start_day) / step + 1) as usize;
    let mut b = Built {
        start: if d.weekly {
            Period::Week { days: start_day }
        } else {
            Period::Day { days: start_day }
        },
        total: vec![0.0; n],
        nodes: BTreeMap::new(),
        sku_nodes: BTreeMap::new(),
        channels: BTreeMap::new(),
    };
    for l in &lines {
        if l.placed_at >= end_us {
            continue;
        }
        let day = l.placed_at.div_euclid(DAY_US);
        if day < start_day {
            continue;
        }
        let t = ((day - start_day) / step) as usize;
        let q = l.qty as f64;
        let node = l.node.clone().unwrap_or_else(|| UNALLOCATED.into());
        b.total[t] += q;
        b.nodes.entry(node.clone()).or_insert_with(|| vec![0.0; n])[t] += q;
        b.sku_nodes
            .entry((l.sku.clone(), node))
            .or_insert_with(|| vec![0.0; n])[t] += q;
        b.channels
            .entry(l.channel.clone())
            .or_insert_with(|| vec![0.0; n])[t] += q;
    }
    Ok(b)
}

/// A series' level, key, SKU, node and channel.
type SeriesLabel = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Forecasts the live history: the total -> node -> SKU-node tree
/// reconciled, and the channels on their own.
fn forecast_live(b: &Built, d: &DemandParams) -> Vec<DemandSeries> {
    let season = if d.weekly { 52 } else { 7 };
    let mut params = ForecastParams::new(d.horizon, season);
    params.quantiles = vec![0.1, 0.9];
    let mut meta: Vec<SeriesLabel> = vec![("total".into(), "total".into(), None, None, None)];
    let mut values: Vec<&[f64]> = vec![&b.total];
    let mut parent: Vec<Option<usize>> = vec![None];
    let mut node_index = HashMap::new();
    for (node, v) in &b.nodes {
        node_index.insert(node.clone(), values.len());
        meta.push(("node".into(), node.clone(), None, Some(node.clone()), None));
        values.push(v);
        parent.push(Some(0));
    }
    for ((sku, node), v) in &b.sku_nodes {
        meta.push((
            "sku_node".into(),
            format!("{sku}@{node}"),
            Some(sku.clone()),
            Some(node.clone()),
            None,
        ));
        values.push(v);
        parent.push(Some(node_index[node]));
    }
    let hierarchy = Hierarchy { parent };
    let (tree, tree_uplifts, channel_forecasts, channel_uplifts) = if d.holidays {
        let as_series = |v: &[f64]| tote_planning::Series {
            id: String::new(),
            start: b.start,
            values: v.to_vec(),
        };
        let tree_series: Vec<tote_planning::Series> = values.iter().map(|v| as_series(v)).collect();
        let known = events::holidays_for(&tree_series[..1], d.horizon);
        let with_events = |series: &[tote_planning::Series]| -> (Vec<_>, Vec<_>) {
            let seasons = vec![season; series.len()];
            events::forecast_all_with_events(series, &seasons, d.horizon, &[0.1, 0.9], &known)
                .into_iter()
                .unzip()
        };
        let (mut tree, tree_uplifts) = with_events(&tree_series);
        forecast::reconcile_forecasts(&hierarchy, &mut tree, d.horizon)
            .expect("the tree built here has no cycles and one forecast per node");
        let channel_series: Vec<tote_planning::Series> =
            b.channels.values().map(|v| as_series(v)).collect();
        let (channels, channel_uplifts) = with_events(&channel_series);
        (tree, tree_uplifts, channels, channel_uplifts)
    } else {
        let tree = forecast::forecast_hierarchy(&values, &hierarchy, &params)
            .expect("the tree built here has no cycles and one forecast per node");
        let channel_values: Vec<&[f64]> = b.channels.values().map(Vec::as_slice).collect();
        let channels = forecast::forecast_many(&channel_values, &params);
        let (t, c) = (
            vec![Vec::new(); tree.len()],
            vec![Vec::new(); channels.len()],
        );
        (tree, t, channels, c)
    };
    let uplift_bodies = |u: &Vec<events::Uplift>| -> Vec<super::planning::UpliftBody> {
        u.iter()
            .map(|x| super::planning::UpliftBody {
                event: x.event.clone(),
                occurrences: x.occurrences,
                uplift: x.uplift,
            })
            .collect()
    };
    let point = |f: &forecast::SeriesForecast, j: usize| DemandPoint {
        period: b.start.step((b.total.len() + j) as i64).to_string(),
        forecast: f.mean[j],
        q10: f.quantiles[0][j],
        q90: f.quantiles[1][j],
    };
    let mut out = Vec::new();
    for ((((level, key, sku, node, channel), v), f), u) in
        meta.into_iter().zip(&values).zip(&tree).zip(&tree_uplifts)
    {
        out.push(DemandSeries {
            level,
            key,
            sku,
            node,
            channel,
            model: f.model.clone(),
            history: v.to_vec(),
            events: uplift_bodies(u),
            forecast: (0..d.horizon).map(|j| point(f, j)).collect(),
        });
    }
    for (((channel, v), f), u) in b
        .channels
        .iter()
        .zip(&channel_forecasts)
        .zip(&channel_uplifts)
    {
        out.push(DemandSeries {
            level: "channel".into(),
            key: channel.clone(),
            sku: None,
            node: None,
            channel: Some(channel.clone()),
            model: f.model.clone(),
            history: v.clone(),
            events: uplift_bodies(u),
            forecast: (0..d.horizon).map(|j| point(f, j)).collect(),
        });
    }
    out
}

pub(crate) async fn demand_forecast_of(
    s: &AppState,
    q: DemandQuery,
) -> ApiResult<DemandForecastAnswer> {
    let d = check_demand(&q)?;
    let reader = s.reader.clone();
    super::planning::blocking(move || {
        let b = build_history(reader.as_ref(), OrgId::DEFAULT, &d).map_err(ApiError::from)?;
        let mut series = forecast_live(&b, &d);
        if q.sku.is_some() || q.node.is_some() {
            series.retain(|x| {
                let sku_ok = q.sku.is_none() || x.sku == q.sku;
                let node_ok = q.node.is_none() || x.node == q.node;
                match x.level.as_str() {
                    "sku_node" => sku_ok && node_ok,
                    "node" => node_ok,
                    _ => false,
                }
            });
        }
        Ok(DemandForecastAnswer {
            grain: if d.weekly { "week" } else { "day" }.into(),
            as_of: Period::Day { days: d.as_of_day }.to_string(),
            from: b.start.to_string(),
            horizon: d.horizon,
            series,
        })
    })
    .await
}

/// Demand forecast from tote's own orders: per SKU and node, per node, per
/// channel and in total, by day or week, reconciled so SKU forecasts add up
/// to their node and the nodes to the total.
#[utoipa::path(get, path = "/v1/planning/demand-forecast", tag = "planning", params(DemandQuery),
    responses((status = 200, body = DemandForecastAnswer), (status = 422, body = Problem)))]
pub async fn demand_forecast(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<DemandQuery>,
) -> ApiResult<Json<DemandForecastAnswer>> {
    Ok(Json(demand_forecast_of(&s, q).await?))
}

// ---------------------------------------------------------------- replenishment

fn default_service_level() -> f64 {
    0.95
}
fn default_lead_time() -> f64 {
    7.0
}
fn default_review() -> f64 {
    7.0
}
fn default_case_pack() -> i64 {
    1
}
fn default_carrying_rate() -> f64 {
    0.25
}

#[derive(Deserialize, IntoParams, Clone)]
#[serde(deny_unknown_fields)]
pub struct ReplenishmentQuery {
    /// Only this SKU.
    pub sku: Option<String>,
    /// Cycle service level (default 0.95).
    #[serde(default = "default_service_level")]
    pub service_level: f64,
    /// Lead time in days from supplier or source node (default 7).
    #[serde(default = "default_lead_time")]
    pub lead_time_days: f64,
    #[serde(default)]
    pub lead_time_sd_days: f64,
    /// Days between replans (default 7).
    #[serde(default = "default_review")]
    pub review_days: f64,
    /// Minimum order quantity of a purchase, units.
    #[serde(default)]
    pub moq: i64,
    /// Units per case; orders and transfers are whole cases.
    #[serde(default = "default_case_pack")]
    pub case_pack: i64,
    /// The most the purchases may cost together (decimal, at unit cost);
    /// purchases are scaled down in whole cases to fit.
    pub budget: Option<String>,
    /// The cost of placing one purchase order (decimal): with it, a purchase
    /// is at least the economic order quantity (in whole cases, at least the MOQ).
    pub order_cost: Option<String>,
    /// Annual carrying rate, a share of unit cost, for the EOQ (default 0.25).
    #[serde(default = "default_carrying_rate")]
    pub annual_carrying_rate: f64,
    /// The last day of demand history, `YYYY-MM-DD` (default today).
    pub as_of: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ReplenishmentSuggestion {
    /// Stable for the same kind, SKU and nodes: approve it with this.
    pub id: String,
    /// `purchase` (to a supplier) or `transfer` (between nodes).
    pub kind: String,
    pub sku: String,
    /// The node that receives.
    pub node: String,
    /// The node that ships, for a transfer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    pub units: i64,
    /// Units at unit cost (decimal).
    #[schema(value_type = String)]
    pub value: String,
    /// The receiving node's figures the suggestion comes from: units
    /// available (on hand less reserved), on order, and forecast demand.
    pub on_hand: i64,
    pub on_order: i64,
    pub demand_per_day: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ReplenishmentAnswer {
    pub as_of: String,
    pub suggestions: Vec<ReplenishmentSuggestion>,
    /// The purchases' total value (decimal).
    #[schema(value_type = String)]
    pub purchase_value: String,
}

/// FNV-1a, so a suggestion's id is the same on every replan.
fn suggestion_id(kind: &str, sku: &str, from: &str, to: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in [kind, sku, from, to].join("\u{1f}").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let prefix = if kind == "purchase" { "PO" } else { "TR" };
    format!("{prefix}-{:012x}", h >> 16)
}

/// Units on order per (sku, node): open ASNs' units not yet arrived, and
/// transfer orders in transit to the node.
fn on_order(
    reader: &dyn Queries,
    org: OrgId,
) -> Result<HashMap<(String, String), i64>, StoreError> {
    let mut out: HashMap<(String, String), i64> = HashMap::new();
    for body in reader.docs(org, "asn", OPEN_RECORDS_MAX)? {
        let asn: Asn =
            serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(format!("asn: {e}")))?;
        if asn.status != "open" {
            continue;
        }
        for l in &asn.lines {
            let due = (l.expected - l.received - l.damaged).0.max(0);
            *out.entry((l.sku.clone(), asn.node.clone())).or_default() += due;
        }
    }
    for body in reader.docs(org, "transfer_order", OPEN_RECORDS_MAX)? {
        let t: TransferOrder = serde_json::from_str(&body)
            .map_err(|e| StoreError::Corrupt(format!("transfer_order: {e}")))?;
        if t.status == "in_transit" {
            *out.entry((t.sku.clone(), t.to.clone())).or_default() += t.units.0;
        }
    }
    Ok(out)
}

/// The checked money parameters of a replenishment query.
struct Amounts {
    budget: Option<rust_decimal::Decimal>,
    order_cost: Option<f64>,
}

fn check_replenishment(q: &ReplenishmentQuery) -> ApiResult<Amounts> {
    let mut p = Problems::default();
    p.open("service_level", q.service_level, 0.0, 1.0);
    if !(q.lead_time_days > 0.0 && q.lead_time_days <= 3650.0) {
        p.add("lead_time_days", "must be above 0 and at most 3650");
    }
    if !(0.0..=3650.0).contains(&q.lead_time_sd_days) {
        p.add("lead_time_sd_days", "must be between 0 and 3650");
    }
    if !(q.review_days > 0.0 && q.review_days <= 3650.0) {
        p.add("review_days", "must be above 0 and at most 3650");
    }
    if !(0..=tote_core::limits::LINE_QTY_MAX).contains(&q.moq) {
        p.add("moq", "must be between 0 and 1000000000");
    }
    if !(1..=1_000_000).contains(&q.case_pack) {
        p.add("case_pack", "must be between 1 and 1000000");
    }
    let mut amount = |field: &str, text: &Option<String>| match text {
        None => None,
        Some(text) => match text.parse::<rust_decimal::Decimal>() {
            Ok(b)
                if b >= rust_decimal::Decimal::ZERO
                    && b <= rust_decimal::Decimal::from(1_000_000_000_000i64) =>
            {
                Some(b)
            }
            _ => {
                p.add(
                    field,
                    format!("`{text}` is not a decimal amount between 0 and 1e12"),
                );
                None
            }
        },
    };
    let budget = amount("budget", &q.budget);
    let order_cost = amount("order_cost", &q.order_cost);
    p.open("annual_carrying_rate", q.annual_carrying_rate, 0.0, 10.0);
    p.finish()?;
    use rust_decimal::prelude::ToPrimitive;
    Ok(Amounts {
        budget,
        order_cost: order_cost.and_then(|c| c.to_f64()),
    })
}

pub(crate) async fn replenishment_of(
    s: &AppState,
    q: ReplenishmentQuery,
) -> ApiResult<ReplenishmentAnswer> {
    let amounts = check_replenishment(&q)?;
    let d = check_demand(&DemandQuery {
        sku: None,
        node: None,
        horizon: q
            .review_days
            .ceil()
            .max(q.lead_time_days.ceil())
            .min(LIVE_HORIZON_MAX as f64) as usize,
        grain: "day".into(),
        as_of: q.as_of.clone(),
        holidays: false,
    })?;
    let reader = s.reader.clone();
    super::planning::blocking(move || plan_replenishment(reader.as_ref(), &q, &d, &amounts)).await
}

fn plan_replenishment(
    reader: &dyn Queries,
    q: &ReplenishmentQuery,
    d: &DemandParams,
    amounts: &Amounts,
) -> ApiResult<ReplenishmentAnswer> {
    let org = OrgId::DEFAULT;
    let b = build_history(reader, org, d).map_err(ApiError::from)?;
    let series = forecast_live(&b, d);
    let mut demand: HashMap<(String, String), (f64, f64)> = HashMap::new();
    for x in series.iter().filter(|x| x.level == "sku_node") {
        let (Some(sku), Some(node)) = (&x.sku, &x.node) else {
            continue;
        };
        let mean = x.forecast.iter().map(|p| p.forecast.max(0.0)).sum::<f64>()
            / x.forecast.len().max(1) as f64;
        let n = x.history.len() as f64;
        let hm = x.history.iter().sum::<f64>() / n;
        let sd =
            (x.history.iter().map(|v| (v - hm).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
        demand.insert((sku.clone(), node.clone()), (mean, sd));
    }
    let mut stock: HashMap<(String, String), i64> = HashMap::new();
    let mut after = None;
    loop {
        let page = reader
            .inventory(
                org,
                &InventoryFilter {
                    sku: q.sku.clone(),
                    node: None,
                    by_location: false,
                    after: after.clone(),
                    limit: tote_store::query::PAGE_ROWS_MAX,
                },
            )
            .map_err(ApiError::from)?;
        for r in &page.items {
            stock.insert((r.sku.clone(), r.node.clone()), r.available);
        }
        match page.items.last() {
            Some(last) if page.more && stock.len() < STOCK_ROWS_MAX => {
                after = Some((last.sku.clone(), last.node.clone(), String::new()));
            }
            _ => break,
        }
    }
    let ordered = on_order(reader, org).map_err(ApiError::from)?;
    let nodes: BTreeSet<String> = reader
        .nodes(org)
        .map_err(ApiError::from)?
        .into_iter()
        .map(|n| n.input.code)
        .collect();
    let mut keys: BTreeSet<(String, String)> = BTreeSet::new();
    keys.extend(demand.keys().cloned());
    keys.extend(stock.keys().cloned());
    keys.extend(ordered.keys().cloned());
    let positions: Vec<StockPosition> = keys
        .into_iter()
        .filter(|(sku, node)| nodes.contains(node) && q.sku.as_ref().is_none_or(|s| s == sku))
        .map(|(sku, node)| {
            let (mean, sd) = demand
                .get(&(sku.clone(), node.clone()))
                .copied()
                .unwrap_or_default();
            StockPosition {
                on_hand: stock
                    .get(&(sku.clone(), node.clone()))
                    .copied()
                    .unwrap_or(0)
                    .max(0) as f64,
                on_order: ordered
                    .get(&(sku.clone(), node.clone()))
                    .copied()
                    .unwrap_or(0) as f64,
                backorders: 0.0,
                demand_per_day: mean,
                demand_sd_per_day: sd,
                lead_time_days: q.lead_time_days,
                lead_time_sd_days: q.lead_time_sd_days,
                review_days: q.review_days,
                cycle_service_level: q.service_level,
                terms: OrderConstraints {
                    moq: q.moq as f64,
                    case_pack: q.case_pack as f64,
                },
                sku,
                node,
            }
        })
        .collect();
    let position =
        |sku: &str, node: &str| positions.iter().find(|p| p.sku == sku && p.node == node);
    let mut costs: HashMap<String, rust_decimal::Decimal> = HashMap::new();
    let mut out = Vec::new();
    for s in inventory::suggest_replenishment(&positions) {
        let (kind, sku, node, from, units) = match s {
            Suggestion::Purchase { sku, node, units } => ("purchase", sku, node, None, units),
            Suggestion::Transfer {
                sku,
                from,
                to,
                units,
            } => ("transfer", sku, to, Some(from), units),
        };
        if !costs.contains_key(&sku) {
            let cost = reader
                .sku(org, &sku)
                .map_err(ApiError::from)?
                .map(|x| x.input.unit_cost.0)
                .unwrap_or_default();
            costs.insert(sku.clone(), cost);
        }
        let p = position(&sku, &node).expect("a suggestion is for a listed position");
        let mut units = units;
        if let (Some(k), "purchase") = (amounts.order_cost, kind) {
            use rust_decimal::prelude::ToPrimitive;
            let holding = costs[&sku].to_f64().unwrap_or(0.0) * q.annual_carrying_rate;
            let annual = p.demand_per_day * 365.0;
            if k > 0.0 && holding > 0.0 && annual > 0.0 {
                let eoq = inventory::constrained_order_quantity(annual, k, holding, p.terms);
                units = units.max(eoq.min(tote_core::limits::LINE_QTY_MAX as f64));
            }
        }
        out.push(ReplenishmentSuggestion {
            id: suggestion_id(kind, &sku, from.as_deref().unwrap_or(""), &node),
            kind: kind.into(),
            on_hand: p.on_hand as i64,
            on_order: p.on_order as i64,
            demand_per_day: p.demand_per_day,
            units: units.round() as i64,
            value: String::new(),
            sku,
            node,
            from,
        });
    }
    if let Some(budget) = amounts.budget {
        fit_budget(&mut out, &costs, budget, q.case_pack);
    }
    let mut total = rust_decimal::Decimal::ZERO;
    for s in &mut out {
        let v = costs[&s.sku] * rust_decimal::Decimal::from(s.units);
        if s.kind == "purchase" {
            total += v;
        }
        s.value = v.round_dp(2).to_string();
    }
    Ok(ReplenishmentAnswer {
        as_of: Period::Day { days: d.as_of_day }.to_string(),
        suggestions: out,
        purchase_value: total.round_dp(2).to_string(),
    })
}

/// Scales purchases down in whole cases, in proportion, until they cost at
/// most the budget (the EOQ-under-budget rule with equal multipliers);
/// purchases scaled to nothing are dropped.
fn fit_budget(
    out: &mut Vec<ReplenishmentSuggestion>,
    costs: &HashMap<String, rust_decimal::Decimal>,
    budget: rust_decimal::Decimal,
    case_pack: i64,
) {
    use rust_decimal::prelude::ToPrimitive;
    let spend: rust_decimal::Decimal = out
        .iter()
        .filter(|s| s.kind == "purchase")
        .map(|s| costs[&s.sku] * rust_decimal::Decimal::from(s.units))
        .sum();
    if spend <= budget || spend.is_zero() {
        return;
    }
    let share = (budget / spend).to_f64().unwrap_or(0.0);
    for s in out.iter_mut().filter(|s| s.kind == "purchase") {
        let cases = ((s.units as f64 * share) / case_pack as f64).floor() as i64;
        s.units = cases * case_pack;
    }
    out.retain(|s| s.units > 0);
}

/// Replenishment suggestions from the live demand forecast, stock available
/// at each node and stock on order (open ASNs, transfers in transit): nodes
/// at or below their reorder point get transfers from nodes above their
/// order-up-to level first, then purchase orders (whole cases, at least the
/// MOQ, within the budget).
#[utoipa::path(get, path = "/v1/planning/replenishment", tag = "planning", params(ReplenishmentQuery),
    responses((status = 200, body = ReplenishmentAnswer), (status = 422, body = Problem)))]
pub async fn replenishment(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<ReplenishmentQuery>,
) -> ApiResult<Json<ReplenishmentAnswer>> {
    Ok(Json(replenishment_of(&s, q).await?))
}

/// Approve a suggestion (listed by `GET /v1/planning/replenishment` with
/// the same query): a purchase becomes an ASN (its PO number the
/// suggestion id) to receive against; a transfer ships now, its units leaving
/// the source node for the destination's in-transit stock.
#[utoipa::path(post, path = "/v1/planning/replenishment/{id}/approve", tag = "planning",
    params(("id" = String, Path, description = "a suggestion id such as PO-0a1b2c3d4e5f"), ReplenishmentQuery),
    responses((status = 201, body = tote_oms::planning::Approved), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn approve(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    ApiQuery(q): ApiQuery<ReplenishmentQuery>,
) -> ApiResult<Response> {
    let listed = replenishment_of(&s, q).await?;
    let Some(sg) = listed.suggestions.into_iter().find(|x| x.id == id) else {
        return Err(ApiError::not_found(format!(
            "no suggestion {id} in the current plan (approved already, or no longer needed)"
        )));
    };
    let cmd = WmsCommand::ApprovePlan(PlanApprovalInput {
        suggestion: sg.id,
        kind: sg.kind,
        sku: sg.sku,
        node: sg.node,
        from: sg.from,
        units: tote_core::Qty(sg.units),
        supplier: None,
    });
    let hash = {
        use sha2::{Digest, Sha256};
        Sha256::digest(format!("approve {id}").as_bytes()).into()
    };
    warehouse::run(&s, cmd, key, hash, StatusCode::CREATED).await
}

/// A transfer order.
#[utoipa::path(get, path = "/v1/planning/transfers/{id}", tag = "planning",
    params(("id" = String, Path, description = "such as TO1")),
    responses((status = 200, body = TransferOrder), (status = 404, body = Problem)))]
pub async fn get_transfer(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let key = id.clone();
    let body = s
        .read(move |r| r.doc(OrgId::DEFAULT, "transfer_order", &key))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no transfer order {id}")))?;
    let t: TransferOrder = serde_json::from_str(&body).map_err(ApiError::internal)?;
    Ok(super::answer(StatusCode::OK, &t, false))
}

/// Receive a transfer order at its destination: the units move from in
/// transit to on-hand at the node's `RECEIVING` dock, to be put away.
#[utoipa::path(post, path = "/v1/planning/transfers/{id}/receive", tag = "planning",
    params(("id" = String, Path, description = "such as TO1")),
    responses((status = 200, body = TransferOrder), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn receive_transfer(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
) -> ApiResult<Response> {
    let hash = {
        use sha2::{Digest, Sha256};
        Sha256::digest(format!("receive {id}").as_bytes()).into()
    };
    let cmd = WmsCommand::ReceiveTransfer { transfer: id };
    warehouse::run(&s, cmd, key, hash, StatusCode::OK).await
}

// ---------------------------------------------------------------- labor standards

/// The most events one learning pass reads.
pub const LABOR_EVENTS_MAX: usize = 200_000;
/// Productive hours and utilization a learned standard is planned with.
pub const DEFAULT_PRODUCTIVE_HOURS: f64 = 7.5;
pub const DEFAULT_UTILIZATION: f64 = 0.85;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LaborStandardsQuery {
    /// Learn from events after this cursor of `/v1/events` (default: from the start).
    pub after: Option<u64>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct LearnedBody {
    pub units_per_hour: f64,
    /// Work sessions (an actor's run of events without a 30-minute break).
    pub sessions: usize,
    pub actors: usize,
    pub units: f64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct StandardInEffect {
    pub process: String,
    /// The edited standard when there is one, else the learned rate.
    pub units_per_hour: f64,
    pub productive_hours_per_shift: f64,
    pub utilization: f64,
    /// `edited` or `learned`.
    pub source: String,
    pub learned: Option<LearnedBody>,
    pub edited: Option<tote_oms::planning::LaborStandard>,
}

#[derive(Serialize, ToSchema)]
pub struct LaborStandardsAnswer {
    pub events_read: usize,
    pub standards: Vec<StandardInEffect>,
}

/// Units of work an event records, by process.
fn activity_of(e: &tote_core::Event) -> Option<tote_planning::labor::Activity> {
    use tote_planning::labor::Process;
    let data: serde_json::Value = serde_json::from_str(e.data.get()).ok()?;
    let sum_qty = |v: &serde_json::Value| -> f64 {
        v.as_array()
            .map(|a| a.iter().filter_map(|x| x["qty"].as_f64()).sum())
            .unwrap_or(0.0)
    };
    let (process, units) = match e.kind.as_str() {
        "pick.picked" => (Process::Pick, data["qty"].as_f64()?),
        "order.packed" => (Process::Pack, data["scans_accepted"].as_f64()?),
        "inventory.put_away" => (Process::PutAway, data["qty"].as_f64()?),
        "inventory.received" if data.get("moved").is_some() => {
            (Process::Receive, sum_qty(&data["moved"]))
        }
        "count.counted" => (Process::Count, data["lines"].as_array()?.len() as f64),
        _ => return None,
    };
    let at = tote_core::Timestamp::parse_rfc3339(&e.at)?;
    Some(tote_planning::labor::Activity {
        actor: e.actor.clone(),
        process,
        at: at.0.div_euclid(1_000_000),
        units,
    })
}

/// The standards in effect: edits where made, else rates learned from events.
pub(crate) fn labor_standards_of(
    reader: &dyn Queries,
    after: u64,
) -> Result<LaborStandardsAnswer, StoreError> {
    let org = OrgId::DEFAULT;
    let mut activity = Vec::new();
    let mut cursor = after;
    let mut read = 0;
    while read < LABOR_EVENTS_MAX {
        let page = reader.events(org, cursor, tote_store::query::PAGE_ROWS_MAX)?;
        if page.items.is_empty() {
            break;
        }
        read += page.items.len();
        activity.extend(page.items.iter().filter_map(activity_of));
        match page.last_seq {
            Some(seq) => cursor = seq,
            None => break,
        }
    }
    let learned = tote_planning::labor::learn_rates(&activity);
    let mut out = Vec::new();
    for name in tote_oms::planning::LABOR_PROCESSES {
        let process = super::planning::ProcessName::parse(name)
            .expect("the writer's process names are the planner's");
        let l = learned
            .iter()
            .find(|r| r.process == process.process())
            .map(|r| LearnedBody {
                units_per_hour: r.units_per_hour,
                sessions: r.sessions,
                actors: r.actors,
                units: r.units,
            });
        let edited: Option<tote_oms::planning::LaborStandard> = reader
            .doc(org, "labor_standard", name)?
            .map(|b| serde_json::from_str(&b))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("labor_standard: {e}")))?;
        let (units_per_hour, hours, utilization, source) = match (&edited, &l) {
            (Some(e), _) => (
                e.units_per_hour,
                e.productive_hours_per_shift,
                e.utilization,
                "edited",
            ),
            (None, Some(l)) => (
                l.units_per_hour,
                DEFAULT_PRODUCTIVE_HOURS,
                DEFAULT_UTILIZATION,
                "learned",
            ),
            (None, None) => continue,
        };
        out.push(StandardInEffect {
            process: name.into(),
            units_per_hour,
            productive_hours_per_shift: hours,
            utilization,
            source: source.into(),
            learned: l,
            edited,
        });
    }
    Ok(LaborStandardsAnswer {
        events_read: read,
        standards: out,
    })
}

/// Labor standards learned from the events: units per hour per process from
/// the times of each actor's picks, packs, receipts, put-aways and counts
/// (the median of work-session rates), with edits taking their place.
#[utoipa::path(get, path = "/v1/planning/labor-standards", tag = "planning", params(LaborStandardsQuery),
    responses((status = 200, body = LaborStandardsAnswer), (status = 422, body = Problem)))]
pub async fn labor_standards(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<LaborStandardsQuery>,
) -> ApiResult<Json<LaborStandardsAnswer>> {
    let after = q.after.unwrap_or(0);
    Ok(Json(s.read(move |r| labor_standards_of(r, after)).await?))
}

/// Edit a process's labor standard (`receive`, `put_away`, `pick`, `pack`,
/// `ship`, `returns`, `count`); it replaces the learned rate in labor plans.
#[utoipa::path(put, path = "/v1/planning/labor-standards/{process}", tag = "planning",
    params(("process" = String, Path, description = "such as pick")),
    request_body = tote_oms::planning::LaborStandardInput,
    responses((status = 200, body = tote_oms::planning::LaborStandard), (status = 422, body = Problem)))]
pub async fn set_labor_standard(
    State(s): State<AppState>,
    Path(process): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: crate::extract::ApiJson<tote_oms::planning::LaborStandardInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::SetLaborStandard {
        process,
        input: body.value,
    };
    warehouse::run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggestion(kind: &str, sku: &str, units: i64) -> ReplenishmentSuggestion {
        ReplenishmentSuggestion {
            id: suggestion_id(kind, sku, "", "DC1"),
            kind: kind.into(),
            sku: sku.into(),
            node: "DC1".into(),
            from: None,
            units,
            value: String::new(),
            on_hand: 0,
            on_order: 0,
            demand_per_day: 1.0,
        }
    }

    #[test]
    fn suggestion_ids_are_stable_per_kind_sku_and_nodes() {
        let a = suggestion_id("purchase", "TEE", "", "DC1");
        assert_eq!(a, suggestion_id("purchase", "TEE", "", "DC1"));
        assert!(a.starts_with("PO-") && a.len() == 15, "{a}");
        assert_ne!(a, suggestion_id("purchase", "TEE", "", "DC2"));
        assert_ne!(a, suggestion_id("purchase", "TE", "E", "DC1"));
        assert!(suggestion_id("transfer", "TEE", "DC2", "DC1").starts_with("TR-"));
    }

    #[test]
    fn a_budget_scales_purchases_down_in_whole_cases_and_leaves_transfers() {
        let costs: HashMap<String, rust_decimal::Decimal> = [
            ("A".to_string(), rust_decimal::Decimal::from(2)),
            ("B".to_string(), rust_decimal::Decimal::from(10)),
        ]
        .into_iter()
        .collect();
        let mut out = vec![
            suggestion("purchase", "A", 100),
            suggestion("purchase", "B", 30),
            suggestion("transfer", "B", 50),
        ];
        // 200 + 300 = 500 against a budget of 250: half of each, in cases of 10.
        fit_budget(&mut out, &costs, rust_decimal::Decimal::from(250), 10);
        let units: Vec<i64> = out.iter().map(|s| s.units).collect();
        assert_eq!(units, vec![50, 10, 50]);
        let spent: i64 = 50 * 2 + 10 * 10;
        assert!(spent <= 250);
        // A budget of nothing buys nothing; the transfer stays.
        fit_budget(&mut out, &costs, rust_decimal::Decimal::ZERO, 10);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, "transfer");
    }
}
