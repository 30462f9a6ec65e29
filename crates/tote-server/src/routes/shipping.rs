//! Shipments after they leave: labels, manifests as documents, carrier
//! tracking events (through the writer), the shipment list, and carrier
//! on-time against the committed dates.

use super::{AppState, ListPage, answer};
use crate::extract::{ApiQuery, IdempotencyHeader};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use tote_core::OrgId;
use tote_oms::warehouse::{
    Manifest, Shipment, TrackingBatch, TrackingInput, TrackingRowResult, WmsCommand, WmsOutcome,
};
use tote_oms::{Command, Outcome};
use tote_transport::gs1::Sscc;
use tote_transport::label::LabelData;
use tote_transport::tracking::{DeliveredShipment, ServiceOnTime, TrackingStatus};
use tote_transport::{Currency, Money, Weight};

/// The most tracking events one request carries.
pub const TRACKING_ROWS_MAX: usize = 10_000;
/// Columns of a tracking CSV, in this order (location and detail may be empty).
pub const TRACKING_CSV_HEADER: [&str; 5] = ["tracking", "status", "at", "location", "detail"];
/// The longest text field of a tracking event.
const TRACKING_TEXT_CHARS_MAX: usize = 200;

async fn shipment(s: &AppState, id: &str) -> ApiResult<Shipment> {
    let key = id.to_owned();
    let body = s
        .read(move |r| r.doc(OrgId::DEFAULT, "shipment", &key))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("shipment `{id}` not found")))?;
    serde_json::from_str(&body).map_err(ApiError::internal)
}

fn document(media: &'static str, bytes: Vec<u8>) -> Response {
    let mut resp = (StatusCode::OK, bytes).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    resp
}

/// One label per carton, from what the shipment recorded when it shipped;
/// the carrier is printed by its name when the service is still loaded.
fn labels(sh: &Shipment, carriers: &tote_transport::CarrierSet) -> ApiResult<Vec<LabelData>> {
    let carrier = carriers
        .service(&format!("{}/{}", sh.carrier, sh.service))
        .map_or(sh.carrier.as_str(), |s| s.carrier_name.as_str())
        .to_uppercase();
    let (Some(label), Some(quote), Some(ship_on)) = (&sh.label, &sh.quote, sh.ship_on) else {
        return Err(ApiError::not_found(format!(
            "shipment `{}` has no label: it shipped before labels were recorded",
            sh.id
        )));
    };
    let n = label.sscc.len();
    label
        .sscc
        .iter()
        .enumerate()
        .map(|(i, sscc)| {
            let weight = quote
                .cartons
                .get(i)
                .map(|q| format!("{} {}", q.actual_weight, q.weight_unit.to_uppercase()))
                .unwrap_or_default();
            Ok(LabelData {
                ship_from: label.ship_from.clone(),
                ship_to: label.ship_to.clone(),
                carrier: carrier.clone(),
                service: sh.service.replace('_', " "),
                tracking: sh.tracking.clone(),
                sscc: Sscc::parse(sscc).map_err(ApiError::internal)?,
                weight,
                ship_date: ship_on,
                reference: Some(sh.order.clone()),
                carton: (i as u32 + 1, n as u32),
            })
        })
        .collect()
}

/// A shipment's 4x6 labels, one per carton (a page each in the PDF, a
/// `^XA ... ^XZ` format each in ZPL), with the tracking barcode and each
/// carton's GS1-128 SSCC: `label.pdf` or `label.zpl`.
#[utoipa::path(get, path = "/v1/shipments/{id}/{file}", tag = "warehouse",
    params(("id" = String, Path, description = "such as SH1"),
           ("file" = String, Path, description = "`label.pdf` or `label.zpl`")),
    responses(
        (status = 200, description = "The labels", content(
            (Vec<u8> = "application/pdf"),
            (String = "application/zpl"))),
        (status = 404, body = Problem)))]
pub async fn label(
    State(s): State<AppState>,
    Path((id, file)): Path<(String, String)>,
) -> ApiResult<Response> {
    let pdf = match file.as_str() {
        "label.pdf" => true,
        "label.zpl" => false,
        _ => {
            return Err(ApiError::not_found(format!(
                "no document `{file}`: label.pdf or label.zpl"
            )));
        }
    };
    let sh = shipment(&s, &id).await?;
    let l = labels(&sh, &s.carriers)?;
    Ok(if pdf {
        document("application/pdf", tote_transport::label::pdf_pages(&l))
    } else {
        document(
            "application/zpl",
            tote_transport::label::zpl_many(&l).into_bytes(),
        )
    })
}

/// A closed manifest as the end-of-day document the driver signs: `MF1.csv`
/// (a row per carton) or `MF1.pdf`.
#[utoipa::path(get, path = "/v1/manifests/{file}", tag = "warehouse",
    params(("file" = String, Path, description = "such as `MF1.csv` or `MF1.pdf`")),
    responses(
        (status = 200, description = "The manifest", content(
            (String = "text/csv"),
            (Vec<u8> = "application/pdf"))),
        (status = 404, body = Problem)))]
pub async fn manifest_document(
    State(s): State<AppState>,
    Path(file): Path<String>,
) -> ApiResult<Response> {
    let (id, pdf) = if let Some(id) = file.strip_suffix(".csv") {
        (id.to_owned(), false)
    } else if let Some(id) = file.strip_suffix(".pdf") {
        (id.to_owned(), true)
    } else {
        return Err(ApiError::not_found(format!(
            "no document `{file}`: ask for MF1.csv or MF1.pdf"
        )));
    };
    let key = id.clone();
    let body = s
        .read(move |r| r.doc(OrgId::DEFAULT, "manifest", &key))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("manifest `{id}` not found")))?;
    let m: Manifest = serde_json::from_str(&body).map_err(ApiError::internal)?;
    let mut lines = Vec::new();
    let mut node = String::new();
    for sid in &m.shipments {
        let sh = shipment(&s, sid).await?;
        node.clone_from(&sh.node);
        let Some(label) = &sh.label else {
            continue;
        };
        for (i, c) in sh.cartons.iter().enumerate() {
            let (charge, currency) = sh
                .quote
                .as_ref()
                .map(|q| {
                    (
                        q.cartons.get(i).map(|c| c.total.0).unwrap_or_default(),
                        q.currency.clone(),
                    )
                })
                .unwrap_or_default();
            lines.push(tote_transport::manifest::ManifestLine {
                tracking: sh.tracking.clone(),
                sscc: label.sscc.get(i).and_then(|x| Sscc::parse(x).ok()),
                service: sh.service.clone(),
                ship_to: label.ship_to.clone(),
                weight: Weight::from_g(c.gross_weight_g),
                charge: Money::new(
                    charge,
                    Currency::parse(&currency)
                        .or_else(|| Currency::parse("USD"))
                        .expect("USD is a currency"),
                ),
                reference: Some(sh.order.clone()),
            });
        }
    }
    let doc = tote_transport::manifest::Manifest {
        carrier: m.carrier.clone(),
        node,
        pickup_on: DateTime::parse_from_rfc3339(&m.closed_at)
            .map(|t| t.date_naive())
            .map_err(ApiError::internal)?,
        lines,
    };
    Ok(if pdf {
        document(
            "application/pdf",
            tote_transport::manifest::manifest_pdf(&doc),
        )
    } else {
        document(
            "text/csv",
            tote_transport::manifest::manifest_csv(&doc).into_bytes(),
        )
    })
}

/// One tracking event as JSON.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // the schema of a row; rows are read one by one to answer per row
pub struct TrackingEventBody {
    pub tracking: String,
    /// picked_up, in_transit, out_for_delivery, delivered, exception, returned_to_sender
    pub status: String,
    /// RFC 3339 with the carrier's offset; the delivery date is the date in it.
    #[schema(format = DateTime)]
    pub at: String,
    pub location: Option<String>,
    pub detail: Option<String>,
}

/// A row checked at the edge: ready for the writer, or refused by name.
type Checked = Result<TrackingInput, Box<TrackingRowResult>>;

fn check_row(
    row: usize,
    tracking: &str,
    status: &str,
    at: &str,
    location: Option<&str>,
    detail: Option<&str>,
) -> Checked {
    let refuse = |field: &str, problem: String| {
        Box::new(TrackingRowResult {
            row,
            tracking: tracking.to_owned(),
            result: "refused".into(),
            shipment: None,
            status: None,
            field: Some(field.into()),
            problem: Some(problem),
        })
    };
    if tracking.is_empty() {
        return Err(refuse("tracking", "is required".into()));
    }
    if !tote_transport::label::tracking_is_valid(tracking) {
        return Err(refuse(
            "tracking",
            format!(
                "must be 1 to {} upper-case letters and digits",
                tote_transport::label::TRACKING_CHARS_MAX
            ),
        ));
    }
    let status = TrackingStatus::parse(status).ok_or_else(|| {
        refuse(
            "status",
            format!(
                "`{status}` is not one of picked_up, in_transit, out_for_delivery, delivered, exception, returned_to_sender"
            ),
        )
    })?;
    let at = DateTime::parse_from_rfc3339(at).map_err(|_| {
        refuse(
            "at",
            format!("`{at}` is not a time like 2026-11-24T15:04:00-05:00"),
        )
    })?;
    let text = |field: &str, v: Option<&str>| -> Result<Option<String>, Box<TrackingRowResult>> {
        match v.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v)
                if v.chars().count() > TRACKING_TEXT_CHARS_MAX
                    || v.chars().any(char::is_control) =>
            {
                Err(refuse(
                    field,
                    format!("must be at most {TRACKING_TEXT_CHARS_MAX} printable characters"),
                ))
            }
            v => Ok(v.map(str::to_owned)),
        }
    };
    Ok(TrackingInput {
        row,
        tracking: tracking.to_owned(),
        status,
        at,
        location: text("location", location)?,
        detail: text("detail", detail)?,
    })
}

fn json_rows(body: &[u8]) -> ApiResult<Vec<Checked>> {
    let rows: Vec<serde_json::Value> = crate::extract::parse_json(body)?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, v) in rows.iter().enumerate() {
        let row = i + 1;
        let str_of = |k: &str| v.get(k).and_then(|x| x.as_str());
        let tracking = str_of("tracking").unwrap_or_default();
        let bad = |field: &str, problem: &str| {
            Box::new(TrackingRowResult {
                row,
                tracking: tracking.to_owned(),
                result: "refused".into(),
                shipment: None,
                status: None,
                field: Some(field.into()),
                problem: Some(problem.into()),
            })
        };
        let Some(obj) = v.as_object() else {
            out.push(Err(bad("body", "must be an object")));
            continue;
        };
        if let Some(k) = obj
            .keys()
            .find(|k| !TRACKING_CSV_HEADER.contains(&k.as_str()))
        {
            out.push(Err(bad(k, "unknown field")));
            continue;
        }
        if let Some(k) = TRACKING_CSV_HEADER
            .iter()
            .find(|k| obj.get(**k).is_some_and(|x| !x.is_string() && !x.is_null()))
        {
            out.push(Err(bad(k, "must be a string")));
            continue;
        }
        if let Some(k) = ["status", "at"].iter().find(|k| str_of(k).is_none()) {
            out.push(Err(bad(k, "is required")));
            continue;
        }
        out.push(check_row(
            row,
            tracking,
            str_of("status").unwrap_or_default(),
            str_of("at").unwrap_or_default(),
            str_of("location"),
            str_of("detail"),
        ));
    }
    Ok(out)
}

fn csv_rows(body: &[u8]) -> ApiResult<Vec<Checked>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(body);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| ApiError::field("header", e.to_string()))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if header != TRACKING_CSV_HEADER {
        return Err(ApiError::field(
            "header",
            format!(
                "must be `{}`, found `{}`",
                TRACKING_CSV_HEADER.join(","),
                header.join(",")
            ),
        ));
    }
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or_default();
            ApiError::field(&format!("row {line}"), e.to_string())
        })?;
        let line = rec
            .position()
            .map(|p| p.line() as usize)
            .unwrap_or_default();
        let f = |i: usize| rec.get(i).unwrap_or_default().trim();
        if rec.len() != TRACKING_CSV_HEADER.len() {
            out.push(Err(Box::new(TrackingRowResult {
                row: line,
                tracking: f(0).to_owned(),
                result: "refused".into(),
                shipment: None,
                status: None,
                field: Some("row".into()),
                problem: Some(format!(
                    "has {} fields, the header {}",
                    rec.len(),
                    TRACKING_CSV_HEADER.len()
                )),
            })));
            continue;
        }
        out.push(check_row(line, f(0), f(1), f(2), Some(f(3)), Some(f(4))));
    }
    Ok(out)
}

/// Apply carrier tracking events: a JSON array of events, or `text/csv` with
/// the header `tracking,status,at,location,detail`. Rows are applied in time
/// order (equal times in the order given). Each row moves its shipment on (status, history, delivery date) and a delivery moves the
/// order to `delivered`. Rows stand alone: an unknown tracking number, a
/// duplicate, an event older than the shipment's latest or after its
/// delivery, or a malformed field refuses that row by name and changes
/// nothing; the other rows are applied. The answer lists every row.
#[utoipa::path(post, path = "/v1/tracking/events", tag = "warehouse",
    request_body(content(
        (Vec<TrackingEventBody> = "application/json"),
        (String = "text/csv"))),
    responses((status = 200, body = TrackingBatch), (status = 413, body = Problem),
              (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn track(
    State(s): State<AppState>,
    headers: HeaderMap,
    IdempotencyHeader(key): IdempotencyHeader,
    body: Bytes,
) -> ApiResult<Response> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let rows = match media.as_str() {
        "application/json" => json_rows(&body)?,
        "text/csv" => csv_rows(&body)?,
        other => {
            return Err(ApiError::unsupported_media(format!(
                "send application/json or text/csv, not `{other}`"
            )));
        }
    };
    if rows.len() > TRACKING_ROWS_MAX {
        return Err(ApiError::field(
            "body",
            format!(
                "{} events; at most {TRACKING_ROWS_MAX} a request",
                rows.len()
            ),
        ));
    }
    let (good, mut refused): (Vec<_>, Vec<_>) = rows.into_iter().partition(Result::is_ok);
    let good: Vec<TrackingInput> = good.into_iter().filter_map(Result::ok).collect();
    let mut refused: Vec<TrackingRowResult> = refused
        .drain(..)
        .filter_map(Result::err)
        .map(|b| *b)
        .collect();
    let mut batch = if good.is_empty() {
        TrackingBatch {
            applied: 0,
            refused: 0,
            rows: Vec::new(),
        }
    } else {
        let hash = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            h.update(b"POST /v1/tracking/events\n");
            h.update(media.as_bytes());
            h.update(&body);
            h.finalize().into()
        };
        let a = s
            .submit(Command::Warehouse(WmsCommand::Track(good)), key, hash)
            .await?;
        match a.outcome {
            Outcome::Warehouse(WmsOutcome::Tracking(b)) => b,
            other => {
                return Err(ApiError::internal(format!("unexpected outcome {other:?}")));
            }
        }
    };
    batch.refused += refused.len();
    batch.rows.append(&mut refused);
    batch.rows.sort_by_key(|r| r.row);
    Ok(answer(StatusCode::OK, &batch, false))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ShipmentQuery {
    /// shipped, picked_up, in_transit, out_for_delivery, delivered, exception, returned_to_sender
    pub status: Option<String>,
    /// A carrier code, such as `parcelo`.
    pub carrier: Option<String>,
    /// An order id, such as `O17`.
    pub order: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<usize>,
}

/// List shipments in the order they shipped, filtered by status, carrier and order.
#[utoipa::path(get, path = "/v1/shipments", tag = "warehouse", params(ShipmentQuery),
    responses((status = 200, body = ListPage<Shipment>), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<ShipmentQuery>,
) -> ApiResult<Response> {
    if let Some(st) = &q.status
        && st != "shipped"
        && TrackingStatus::parse(st).is_none()
    {
        return Err(ApiError::field(
            "status",
            format!("`{st}` is not a shipment status"),
        ));
    }
    let f = super::warehouse::filters([
        ("$.status", q.status),
        ("$.carrier", q.carrier),
        ("$.order", q.order),
    ]);
    super::warehouse::list::<Shipment>(&s, "shipment", f, q.cursor, q.limit, |x| x).await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OnTimeQuery {
    /// First delivery date counted (YYYY-MM-DD); from the start when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<NaiveDate>,
    /// Last delivery date counted; to the end when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<NaiveDate>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OnTimeAnswer {
    #[schema(value_type = Option<String>, format = Date)]
    from: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    to: Option<NaiveDate>,
    /// Per carrier and service: shipments delivered, delivered by the
    /// carrier's committed date, the rate, and mean days late over the late ones.
    #[schema(value_type = Vec<Object>)]
    services: Vec<ServiceOnTime>,
}

/// Carrier on-time (DOMAIN.md: shipments delivered by the carrier's committed
/// date / shipments delivered) per carrier and service, over shipments
/// delivered from `from` to `to` (delivery dates, inclusive).
#[utoipa::path(get, path = "/v1/carriers/on-time", tag = "warehouse", params(OnTimeQuery),
    responses((status = 200, body = OnTimeAnswer), (status = 422, body = Problem)))]
pub async fn on_time(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<OnTimeQuery>,
) -> ApiResult<Response> {
    if let (Some(f), Some(t)) = (q.from, q.to)
        && t < f
    {
        return Err(ApiError::field("to", format!("is before from ({f})")));
    }
    let (from, to) = (q.from, q.to);
    let delivered = s
        .read(move |r| {
            let mut out = Vec::new();
            let mut after = 0;
            loop {
                let page = r.docs_page(
                    OrgId::DEFAULT,
                    "shipment",
                    &[("$.status", "delivered".to_owned())],
                    Some(after),
                    tote_store::query::PAGE_ROWS_MAX,
                )?;
                let Some((last, _)) = page.items.last() else {
                    break;
                };
                after = *last;
                for (_, body) in &page.items {
                    let sh: Shipment = serde_json::from_str(body)
                        .map_err(|e| tote_store::StoreError::Corrupt(format!("shipment: {e}")))?;
                    let (Some(committed_on), Some(delivered_on)) =
                        (sh.committed_on, sh.delivered_on)
                    else {
                        continue;
                    };
                    if from.is_some_and(|f| delivered_on < f)
                        || to.is_some_and(|t| delivered_on > t)
                    {
                        continue;
                    }
                    out.push(DeliveredShipment {
                        carrier: sh.carrier,
                        service: sh.service,
                        committed_on,
                        delivered_on,
                    });
                }
                if !page.more {
                    break;
                }
            }
            Ok(out)
        })
        .await?;
    let services = tote_transport::tracking::on_time_by_service(&delivered);
    Ok(answer(
        StatusCode::OK,
        &OnTimeAnswer { from, to, services },
        false,
    ))
}
