//! Returns: RMAs (authorise, track, receive, inspect, dispose, refund), their
//! labels and QR codes, the channels' return policies and return analytics.
//! Every mutation is one writer command; reads come from the stored RMAs.

use super::{AppState, answer, now};
use crate::extract::{ApiJson, ApiQuery, IdempotencyHeader};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tote_core::{OrgId, Timestamp};
use tote_oms::returns::*;
use tote_oms::{Command, Outcome};
use tote_store::OrderFilter;

/// The most RMAs a list or the analytics read (the newest).
pub const RMAS_READ_MAX: usize = tote_store::query::PAGE_ROWS_MAX;
/// The most shipped orders the analytics read, newest first.
pub const ANALYTICS_ORDERS_MAX: usize = 100 * tote_store::query::PAGE_ROWS_MAX;

pub(crate) async fn run(
    s: &AppState,
    cmd: ReturnsCommand,
    key: Option<String>,
    hash: [u8; 32],
    status: StatusCode,
) -> ApiResult<Response> {
    let a = s.submit(Command::Returns(cmd), key, hash).await?;
    let r = a.replayed;
    match a.outcome {
        Outcome::Returns(ReturnsOutcome::Rma(v)) => Ok(answer(status, &v, r)),
        Outcome::Returns(ReturnsOutcome::Policy(v)) => Ok(answer(status, &v, r)),
        other => Err(ApiError::internal(format!("unexpected outcome {other:?}"))),
    }
}

pub(crate) async fn read_rma(s: &AppState, id: &str) -> ApiResult<Rma> {
    let key = id.to_owned();
    let body = s
        .read(move |r| r.doc(OrgId::DEFAULT, DOC_RMA, &key))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("return `{id}` not found")))?;
    serde_json::from_str(&body).map_err(ApiError::internal)
}

async fn read_rmas(s: &AppState) -> ApiResult<Vec<Rma>> {
    let bodies = s
        .read(|r| r.docs(OrgId::DEFAULT, DOC_RMA, RMAS_READ_MAX))
        .await?;
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).map_err(ApiError::internal))
        .collect()
}

/// Authorise a return of units of a shipped order, by the channel's return
/// policy (window, final sale, hazmat by parcel, returns per customer). A
/// carrier label gets a tracking number; lines with `exchange_for` place a
/// replacement order, reserved at once.
#[utoipa::path(post, path = "/v1/returns", tag = "returns", request_body = RmaInput,
    responses((status = 201, body = Rma), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<RmaInput>,
) -> ApiResult<Response> {
    let cmd = ReturnsCommand::Create(body.value);
    run(&s, cmd, key, body.request_hash, StatusCode::CREATED).await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReturnsQuery {
    /// tote's order id (such as O12) or the order's number on its channel.
    pub order: Option<String>,
    /// `authorized`, `in_transit`, `delivered`, `received`, `inspected` or `closed`.
    pub status: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RmaList {
    pub items: Vec<Rma>,
}

const STATUSES: [&str; 6] = [
    "authorized",
    "in_transit",
    "delivered",
    "received",
    "inspected",
    "closed",
];

/// RMAs, newest first (the newest 1,000), by order and status.
#[utoipa::path(get, path = "/v1/returns", tag = "returns", params(ReturnsQuery),
    responses((status = 200, body = RmaList), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<ReturnsQuery>,
) -> ApiResult<Response> {
    if let Some(st) = &q.status
        && !STATUSES.contains(&st.as_str())
    {
        return Err(ApiError::field(
            "status",
            format!("`{st}` is not one of {}", STATUSES.join(", ")),
        ));
    }
    let items: Vec<Rma> = read_rmas(&s)
        .await?
        .into_iter()
        .filter(|r| {
            q.order
                .as_ref()
                .is_none_or(|o| &r.order == o || &r.external_id == o)
        })
        .filter(|r| q.status.as_ref().is_none_or(|st| &r.status == st))
        .collect();
    Ok(answer(StatusCode::OK, &RmaList { items }, false))
}

/// An RMA with its lines, units (inspection, disposition, recovery) and refund.
#[utoipa::path(get, path = "/v1/returns/{id}", tag = "returns",
    params(("id" = String, Path, description = "such as RMA1")),
    responses((status = 200, body = Rma), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    Ok(answer(StatusCode::OK, &read_rma(&s, &id).await?, false))
}

/// A carrier scan of the return parcel: `in_transit` or `delivered`. Under a
/// `carrier_scan` refund trigger the first scan issues the refund.
#[utoipa::path(post, path = "/v1/returns/{id}/tracking", tag = "returns", request_body = ReturnTrackingInput,
    params(("id" = String, Path, description = "the RMA id or the return tracking number")),
    responses((status = 200, body = Rma), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn tracking(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<ReturnTrackingInput>,
) -> ApiResult<Response> {
    let cmd = ReturnsCommand::Tracking {
        rma: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// The parcel scanned at the dock (by RMA id or return tracking number): its
/// units enter the books from the customer into `returns_pending` at the
/// node's `RECEIVING` location, one numbered unit each for inspection.
#[utoipa::path(post, path = "/v1/returns/{id}/receive", tag = "returns", request_body = ReturnReceiveInput,
    params(("id" = String, Path, description = "the RMA id or the return tracking number")),
    responses((status = 200, body = Rma), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn receive(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<ReturnReceiveInput>,
) -> ApiResult<Response> {
    let cmd = ReturnsCommand::Receive {
        rma: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Inspect units: the SKU scanned off each (a wrong item is booked as what
/// it is), its grade, notes and a photo link. Under the `receipt` refund
/// trigger the refund is issued once every unit is inspected.
#[utoipa::path(post, path = "/v1/returns/{id}/inspections", tag = "returns", request_body = InspectionInput,
    params(("id" = String, Path, description = "such as RMA1")),
    responses((status = 200, body = Rma), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn inspect(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<InspectionInput>,
) -> ApiResult<Response> {
    let cmd = ReturnsCommand::Inspect {
        rma: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Run the disposition rules (reason, grade, value, category) over every
/// inspected unit, with optional overrides: each is a ledger move out of
/// `returns_pending` (to on-hand, `refurbish`, `liquidation`, or out to the
/// supplier, a charity or scrap) with its recovery value.
#[utoipa::path(post, path = "/v1/returns/{id}/dispositions", tag = "returns", request_body = DispositionInput,
    params(("id" = String, Path, description = "such as RMA1")),
    responses((status = 200, body = Rma), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn dispose(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<DispositionInput>,
) -> ApiResult<Response> {
    let cmd = ReturnsCommand::Dispose {
        rma: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Issue the refund now, whatever the channel's trigger (once per RMA).
#[utoipa::path(post, path = "/v1/returns/{id}/refund", tag = "returns", request_body = RefundInput,
    params(("id" = String, Path, description = "such as RMA1")),
    responses((status = 200, body = Rma), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn refund(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<RefundInput>,
) -> ApiResult<Response> {
    let cmd = ReturnsCommand::Refund {
        rma: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// A channel's return policy (`{}` sets the defaults).
#[utoipa::path(put, path = "/v1/returns/policy/{channel}", tag = "returns", request_body = tote_returns::Policy,
    params(("channel" = String, Path, description = "such as web")),
    responses((status = 200, body = PolicyView), (status = 422, body = Problem)))]
pub async fn put_policy(
    State(s): State<AppState>,
    Path(channel): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<tote_returns::Policy>,
) -> ApiResult<Response> {
    let cmd = ReturnsCommand::SetPolicy {
        channel,
        policy: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// The return policy in force on a channel (the defaults where none was set).
#[utoipa::path(get, path = "/v1/returns/policy/{channel}", tag = "returns",
    params(("channel" = String, Path, description = "such as web")),
    responses((status = 200, body = PolicyView), (status = 422, body = Problem)))]
pub async fn get_policy(
    State(s): State<AppState>,
    Path(channel): Path<String>,
) -> ApiResult<Response> {
    let hash = [0u8; 32];
    run(
        &s,
        ReturnsCommand::GetPolicy(channel),
        None,
        hash,
        StatusCode::OK,
    )
    .await
}

// ---- label and QR code ----

fn label_address(
    a: &tote_core::Address,
    fallback_name: &str,
) -> ApiResult<tote_transport::Address> {
    let country = tote_transport::Country::parse(&a.country)
        .ok_or_else(|| ApiError::internal(format!("stored country `{}`", a.country)))?;
    Ok(tote_transport::Address {
        name: a.name.clone().unwrap_or_else(|| fallback_name.to_owned()),
        company: None,
        lines: std::iter::once(a.line1.clone())
            .chain(a.line2.clone())
            .collect(),
        city: a.city.clone(),
        region: a.region.clone().unwrap_or_default(),
        postal: a.postal_code.clone(),
        country,
        phone: None,
    })
}

async fn label_data(s: &AppState, id: &str) -> ApiResult<tote_transport::label::LabelData> {
    let rma = read_rma(s, id).await?;
    let tracking = rma.tracking.clone().ok_or_else(|| {
        ApiError::not_found(format!(
            "{} is a {} return: it has no carrier label",
            rma.id,
            rma.method.as_str()
        ))
    })?;
    let serial: u64 = rma
        .id
        .trim_start_matches("RMA")
        .parse()
        .map_err(ApiError::internal)?;
    let sscc = tote_transport::gs1::Sscc::new(
        tote_oms::warehouse::SSCC_EXTENSION_RETURN,
        &s.sscc_company_prefix,
        serial,
    )
    .map_err(|e| {
        // A long company prefix leaves few digits for the serial.
        ApiError::from(tote_oms::OpError::Conflict(format!(
            "no SSCC left for return labels: {e}"
        )))
    })?;
    let mut weight_g: u64 = 0;
    for l in &rma.lines {
        let code = l.sku.clone();
        let sku = s.read(move |r| r.sku(OrgId::DEFAULT, &code)).await?;
        let per = sku.map_or(0, |k| u64::from(k.input.weight_g));
        weight_g += per * u64::try_from(l.qty.0).unwrap_or(0);
    }
    let ship_date = Timestamp::parse_rfc3339(&rma.authorized_at)
        .unwrap_or_else(now)
        .to_datetime()
        .date_naive();
    Ok(tote_transport::label::LabelData {
        ship_from: label_address(&rma.ship_from, "Customer")?,
        ship_to: label_address(&rma.ship_to, "Returns")?,
        carrier: RETURN_CARRIER.into(),
        service: "RETURN".into(),
        tracking,
        sscc,
        weight: format!("{:.1} KG", weight_g.max(1) as f64 / 1000.0),
        ship_date,
        reference: Some(format!("{} {}", rma.id, rma.order)),
        carton: (1, 1),
    })
}

/// Return parcels travel with the built-in carrier adapter's labels and numbers.
const RETURN_CARRIER: &str = "LOCAL";

fn document(media: &'static str, bytes: Vec<u8>) -> Response {
    let mut resp = (StatusCode::OK, bytes).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    resp
}

/// The 4x6 return label as PDF (carrier-label returns only).
#[utoipa::path(get, path = "/v1/returns/{id}/label.pdf", tag = "returns",
    params(("id" = String, Path, description = "such as RMA1")),
    responses((status = 200, description = "The label", content((Vec<u8> = "application/pdf"))), (status = 404, body = Problem)))]
pub async fn label_pdf(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let data = label_data(&s, &id).await?;
    Ok(document(
        "application/pdf",
        tote_transport::label::pdf(&data),
    ))
}

/// The 4x6 return label as ZPL for a thermal printer.
#[utoipa::path(get, path = "/v1/returns/{id}/label.zpl", tag = "returns",
    params(("id" = String, Path, description = "such as RMA1")),
    responses((status = 200, description = "The label", content((String = "application/zpl"))), (status = 404, body = Problem)))]
pub async fn label_zpl(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let data = label_data(&s, &id).await?;
    Ok(document(
        "application/zpl",
        tote_transport::label::zpl(&data).into_bytes(),
    ))
}

/// What a drop-off point scans: the RMA id, and the tracking number if any.
pub fn qr_payload(rma: &Rma) -> String {
    match &rma.tracking {
        Some(t) => format!("{} {t}", rma.id),
        None => rma.id.clone(),
    }
}

/// The QR code as an SVG document.
pub fn qr_svg(payload: &str) -> ApiResult<String> {
    let code = qrcode::QrCode::new(payload.as_bytes()).map_err(ApiError::internal)?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build())
}

/// The QR code a drop-off point scans, as SVG.
#[utoipa::path(get, path = "/v1/returns/{id}/qr.svg", tag = "returns",
    params(("id" = String, Path, description = "such as RMA1")),
    responses((status = 200, description = "The QR code", content((String = "image/svg+xml"))), (status = 404, body = Problem)))]
pub async fn qr(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let rma = read_rma(&s, &id).await?;
    Ok(document(
        "image/svg+xml",
        qr_svg(&qr_payload(&rma))?.into_bytes(),
    ))
}

// ---- analytics ----

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsQuery {
    /// Start of the period (RFC 3339 or `YYYY-MM-DD`); 90 days before `to` when absent.
    pub from: Option<String>,
    /// End of the period, exclusive; now when absent.
    pub to: Option<String>,
    /// The fewest units shipped for a SKU to be tested for a high return rate (20).
    pub min_shipped: Option<u64>,
    /// Standard deviations above the overall rate that flag a SKU (3).
    pub z: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema, Default)]
pub struct RateRow {
    pub key: String,
    pub shipped: u64,
    pub returned: u64,
    /// returned / shipped; absent when nothing shipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema, Default)]
pub struct RecoveryRow {
    pub disposition: String,
    pub units: u64,
    /// The units' selling price.
    #[schema(value_type = String)]
    pub value: Decimal,
    /// Resale value less handling.
    #[schema(value_type = String)]
    pub recovered: Decimal,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReturnsAnalytics {
    pub from: String,
    pub to: String,
    /// Units shipped in the period and units of those orders returned (received).
    pub shipped: u64,
    pub returned: u64,
    pub by_sku: Vec<RateRow>,
    pub by_channel: Vec<RateRow>,
    /// Units returned per reason, over the units shipped.
    pub by_reason: Vec<RateRow>,
    /// Units disposed of in the period, by disposition.
    pub recovery: Vec<RecoveryRow>,
    /// recovered / value over every disposition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_rate: Option<f64>,
    /// Seconds from receipt to sellable (restocked units disposed of in the period).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_to_sellable_s_p50: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_to_sellable_s_p90: Option<i64>,
    /// SKUs whose return rate is abnormally high (binomial z-score against the
    /// overall rate), the exceptions to look into.
    #[schema(value_type = Vec<Object>)]
    pub exceptions: Vec<tote_returns::analytics::RateFlag>,
}

fn parse_time(field: &str, v: &str) -> ApiResult<Timestamp> {
    if let Some(t) = Timestamp::parse_rfc3339(v) {
        return Ok(t);
    }
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| Timestamp::from_datetime(d.and_utc()))
        .ok_or_else(|| ApiError::field(field, "must be RFC 3339 or YYYY-MM-DD"))
}

fn rows(m: BTreeMap<String, (u64, u64)>) -> Vec<RateRow> {
    m.into_iter()
        .map(|(key, (shipped, returned))| RateRow {
            key,
            shipped,
            returned,
            rate: (shipped > 0).then(|| returned as f64 / shipped as f64),
        })
        .collect()
}

/// Return rates by SKU, reason and channel (orders shipped in the period),
/// value recovered per disposition, receipt-to-sellable time, and the SKUs
/// whose return rate is abnormally high.
#[utoipa::path(get, path = "/v1/returns/analytics", tag = "returns", params(AnalyticsQuery),
    responses((status = 200, body = ReturnsAnalytics), (status = 422, body = Problem)))]
pub async fn analytics(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<AnalyticsQuery>,
) -> ApiResult<Response> {
    let to = match &q.to {
        Some(v) => parse_time("to", v)?,
        None => now(),
    };
    let from = match &q.from {
        Some(v) => parse_time("from", v)?,
        None => Timestamp(to.0 - 90 * tote_returns::DAY_US),
    };
    if from >= to {
        return Err(ApiError::field("from", "must be before `to`"));
    }
    let z = q.z.unwrap_or(3.0);
    if !(z.is_finite() && (0.0..=100.0).contains(&z)) {
        return Err(ApiError::field("z", "must be between 0 and 100"));
    }
    let min_shipped = q.min_shipped.unwrap_or(20);
    let in_period = |t: &str| Timestamp::parse_rfc3339(t).is_some_and(|t| from <= t && t < to);

    // Units shipped in the period, by order, SKU and channel.
    let mut shipped_orders: BTreeMap<String, String> = BTreeMap::new();
    let mut by_sku: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut by_channel: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    // Delivered orders shipped too: their carrier has since scanned them in.
    let mut read = 0;
    for status in ["shipped", "delivered"] {
        let mut before_id = None;
        while read < ANALYTICS_ORDERS_MAX {
            let filter = OrderFilter {
                status: Some(status.into()),
                channel: None,
                external_id: None,
                before_id,
                limit: tote_store::query::PAGE_ROWS_MAX,
            };
            let page = s.read(move |r| r.orders(OrgId::DEFAULT, &filter)).await?;
            read += page.items.len();
            for o in page.items.iter().filter(|o| in_period(&o.updated_at)) {
                shipped_orders.insert(o.id.clone(), o.channel.clone());
                for l in &o.lines {
                    let units = u64::try_from(l.allocated().0).unwrap_or(0);
                    by_sku.entry(l.sku.clone()).or_default().0 += units;
                    by_channel.entry(o.channel.clone()).or_default().0 += units;
                }
            }
            match page.next_before_id {
                Some(id) => before_id = Some(id),
                None => break,
            }
        }
    }
    let shipped: u64 = by_sku.values().map(|v| v.0).sum();
    let mut by_reason: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut recovery: BTreeMap<String, RecoveryRow> = BTreeMap::new();
    let mut to_sellable = Vec::new();
    let mut returned = 0u64;
    for rma in read_rmas(&s).await? {
        if let Some(channel) = shipped_orders.get(&rma.order) {
            for u in &rma.units {
                let line = &rma.lines[u.line];
                returned += 1;
                by_sku.entry(line.sku.clone()).or_default().1 += 1;
                by_channel.entry(channel.clone()).or_default().1 += 1;
                by_reason
                    .entry(line.reason.as_str().to_owned())
                    .or_default()
                    .1 += 1;
            }
        }
        for u in &rma.units {
            let (Some(d), Some(at)) = (u.disposition, &u.dispositioned_at) else {
                continue;
            };
            if !in_period(at) {
                continue;
            }
            let row = recovery.entry(d.as_str().to_owned()).or_default();
            row.disposition = d.as_str().to_owned();
            row.units += 1;
            row.value += u.value.map_or(Decimal::ZERO, |m| m.0);
            row.recovered += u.recovered.map_or(Decimal::ZERO, |m| m.0);
            if d == Disposition::Restock
                && let (Some(r), Some(a)) = (
                    rma.received_at
                        .as_deref()
                        .and_then(Timestamp::parse_rfc3339),
                    Timestamp::parse_rfc3339(at),
                )
            {
                to_sellable.push((a.0 - r.0) / 1_000_000);
            }
        }
    }
    for v in by_reason.values_mut() {
        v.0 = shipped;
    }
    let value: Decimal = recovery.values().map(|r| r.value).sum();
    let recovered: Decimal = recovery.values().map(|r| r.recovered).sum();
    let flags_input: Vec<(String, u64, u64)> = by_sku
        .iter()
        .map(|(k, (n, x))| (k.clone(), *n, *x))
        .collect();
    let exceptions = tote_returns::analytics::abnormal_rates(&flags_input, min_shipped, z);
    let pct = tote_returns::analytics::median_p90(to_sellable);
    let out = ReturnsAnalytics {
        from: from.to_rfc3339(),
        to: to.to_rfc3339(),
        shipped,
        returned,
        by_sku: rows(by_sku),
        by_channel: rows(by_channel),
        by_reason: rows(by_reason),
        recovery: recovery.into_values().collect(),
        recovery_rate: (value > Decimal::ZERO).then(|| {
            use rust_decimal::prelude::ToPrimitive;
            (recovered / value).to_f64().unwrap_or(0.0)
        }),
        receipt_to_sellable_s_p50: pct.map(|p| p.0),
        receipt_to_sellable_s_p90: pct.map(|p| p.1),
        exceptions,
    };
    Ok(answer(StatusCode::OK, &out, false))
}
