//! Rating, rate shopping, labels, customs estimates and manifests over HTTP.
//!
//! Stateless: nothing here touches the books or the writer. Each request is
//! read twice on purpose: first into the typed shapes below, whose field types
//! are the transport crate's own (so a bad country, date or amount is answered
//! with the JSON path of the field), then by the transport crate's string-level
//! entry point, which makes the checks that need several fields and answers
//! the same JSON as `tote rate` and `tote rate-shop`.

use super::AppState;
use crate::extract::{ApiJson, parse_json};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tote_transport::customs::{Declaration, FxRates};
use tote_transport::{Address, Country, Currency, InputError, PostalCode};
use utoipa::ToSchema;

/// The transport crate's input errors, as problem+json naming the field.
fn input_error(e: InputError) -> ApiError {
    match e {
        InputError::Field { field, problem } => ApiError::field(&field, problem),
        // The typed first read already refused what the crate's parser would,
        // so these name the body as a whole.
        other => ApiError::field("body", other.to_string()),
    }
}

/// A JSON answer the transport crate already rendered.
fn json_text(text: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        text,
    )
        .into_response()
}

fn body_text(body: &Bytes) -> ApiResult<&str> {
    std::str::from_utf8(body).map_err(|_| ApiError::malformed("the body is not UTF-8"))
}

/// A place on a lane: country and postal code.
// Read only to check the body (the transport crate reads the text again).
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceBody {
    /// ISO 3166 two-letter code.
    #[schema(value_type = String, example = "US")]
    pub country: Country,
    #[schema(value_type = String, example = "10041")]
    pub postal: PostalCode,
    /// Delivery to a home (the residential surcharge applies).
    #[serde(default)]
    pub residential: bool,
}

/// A carton: exactly one of `dims_in`/`dims_cm` and one of `weight_lb`/`weight_kg`,
/// decimals as strings or numbers.
// Read only to check the body (the transport crate reads the text again).
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParcelBody {
    #[schema(value_type = Option<Vec<String>>, example = json!(["12", "10", "8"]))]
    pub dims_in: Option<[Decimal; 3]>,
    #[schema(value_type = Option<Vec<String>>)]
    pub dims_cm: Option<[Decimal; 3]>,
    #[schema(value_type = Option<String>, example = "4.2")]
    pub weight_lb: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub weight_kg: Option<Decimal>,
}

/// `POST /v1/rates/quote`: one quote per service (all when none named).
// Read only to check the body (the transport crate reads the text again).
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    pub origin: PlaceBody,
    pub destination: PlaceBody,
    /// The ship date, which selects dated surcharges (fuel, peak).
    #[schema(value_type = String, format = Date)]
    pub ship_on: NaiveDate,
    /// Service keys such as `parcelo/ground`; every service when empty.
    #[serde(default)]
    pub services: Vec<String>,
    pub parcels: Vec<ParcelBody>,
}

/// The shipping node: where and when parcels leave.
// Read only to check the body (the transport crate reads the text again).
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeBody {
    pub id: String,
    #[schema(value_type = String)]
    pub country: Country,
    #[schema(value_type = String)]
    pub postal: PostalCode,
    /// IANA time zone, such as `America/Chicago`.
    pub time_zone: String,
    /// The node's own cut-off, HH:MM local.
    pub cutoff: String,
    /// Such as `Mon-Fri` (the default) or `Mon,Wed,Fri`.
    #[serde(default = "mon_fri")]
    pub working_days: String,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub holidays: Vec<NaiveDate>,
}

fn mon_fri() -> String {
    "Mon-Fri".into()
}

/// `POST /v1/rates/shop`: the cheapest service delivering by `deliver_by`.
// Read only to check the body (the transport crate reads the text again).
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShopRequest {
    pub node: NodeBody,
    pub destination: PlaceBody,
    /// When the cartons are ready to leave (UTC, RFC 3339).
    #[schema(value_type = String, format = DateTime)]
    pub ready_at: DateTime<Utc>,
    /// The promised delivery date; without it the cheapest service wins.
    #[schema(value_type = Option<String>, format = Date)]
    pub deliver_by: Option<NaiveDate>,
    pub parcels: Vec<ParcelBody>,
    /// UN numbers or hazard classes in the shipment; services refusing one are skipped.
    #[serde(default)]
    pub hazmat: Vec<String>,
    /// Only these service keys; every service when empty.
    #[serde(default)]
    pub services: Vec<String>,
    /// The currency to shop in (USD when absent).
    #[schema(value_type = Option<String>)]
    pub currency: Option<Currency>,
}

/// A postal address on a label, manifest or invoice.
#[derive(ToSchema)]
#[allow(dead_code)] // a schema for the OpenAPI document; the crate's `Address` is parsed
pub struct AddressDoc {
    name: String,
    company: Option<String>,
    lines: Vec<String>,
    city: String,
    region: Option<String>,
    postal: String,
    /// ISO 3166 two-letter code.
    country: String,
    phone: Option<String>,
}

/// `POST /v1/labels`: a 4x6 label. `format` (`zpl` or `pdf`) wins over `Accept`.
// Read only to check the body (the transport crate reads the text again).
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelRequest {
    #[schema(value_type = AddressDoc)]
    pub ship_from: Address,
    #[schema(value_type = AddressDoc)]
    pub ship_to: Address,
    pub carrier: String,
    pub service: String,
    pub tracking: String,
    /// 18 digits with a correct GS1 check digit.
    pub sscc: String,
    #[schema(value_type = Option<String>)]
    pub weight_lb: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub weight_kg: Option<Decimal>,
    #[schema(value_type = String, format = Date)]
    pub ship_date: NaiveDate,
    #[serde(default)]
    pub reference: Option<String>,
    /// This carton's number, 1 to `cartons`.
    #[serde(default = "one")]
    pub carton: u32,
    #[serde(default = "one")]
    pub cartons: u32,
    /// `zpl` or `pdf`; when absent the `Accept` header decides (ZPL by default).
    #[serde(default)]
    pub format: Option<String>,
}

fn one() -> u32 {
    1
}

/// One carton handed to the carrier.
// Read only to check the body (the transport crate reads the text again).
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManifestLineBody {
    pub tracking: String,
    #[serde(default)]
    pub sscc: Option<String>,
    pub service: String,
    #[schema(value_type = AddressDoc)]
    pub ship_to: Address,
    #[schema(value_type = String)]
    pub weight_lb: Decimal,
    #[schema(value_type = String)]
    pub charge: Decimal,
    #[schema(value_type = String)]
    pub currency: Currency,
    #[serde(default)]
    pub reference: Option<String>,
}

/// `POST /v1/manifests`: the end-of-day list for one carrier pickup.
/// `format` (`csv` or `pdf`) wins over `Accept`.
// Read only to check the body (the transport crate reads the text again).
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManifestRequest {
    pub carrier: String,
    pub node: String,
    #[schema(value_type = String, format = Date)]
    pub pickup_on: NaiveDate,
    pub lines: Vec<ManifestLineBody>,
    /// `csv` or `pdf`; when absent the `Accept` header decides (CSV by default).
    #[serde(default)]
    pub format: Option<String>,
}

/// One line of a customs declaration.
#[derive(ToSchema)]
#[allow(dead_code)] // a schema for the OpenAPI document; the crate's type is parsed
pub struct CustomsItemDoc {
    description: String,
    /// At least six digits.
    hs_code: String,
    /// Country of origin, two letters.
    origin: String,
    quantity: u32,
    unit_value: String,
    sku: Option<String>,
}

/// A shipment's customs data.
#[derive(ToSchema)]
#[allow(dead_code)] // a schema for the OpenAPI document; the crate's type is parsed
pub struct DeclarationDoc {
    /// Destination country, two letters.
    destination: String,
    /// The import date, which selects the dated rules.
    #[schema(format = Date)]
    date: String,
    currency: String,
    items: Vec<CustomsItemDoc>,
    shipping: Option<String>,
    /// `DAP` (recipient pays) or `DDP` (shipper pays).
    incoterm: String,
}

/// `POST /v1/customs/estimate`: duties and import VAT under the shipped rules.
// Read only to check the body (the transport crate reads the text again).
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomsRequest {
    #[schema(value_type = DeclarationDoc)]
    pub declaration: Declaration,
    /// Exchange rates as `[from, to, rate]`, such as `["USD", "EUR", "0.92"]`.
    #[serde(default)]
    #[schema(value_type = Vec<Vec<String>>)]
    pub fx: FxRates,
}

/// One itemised charge of a quote.
#[derive(Serialize, ToSchema)]
pub struct ChargeDoc {
    /// base, residential, additional_handling, large_package, delivery_area, peak, fuel.
    kind: String,
    amount: String,
    /// What the charge is for, such as `zone 5, 9 lb billable`.
    why: String,
}

/// One carton's quote: zone, weights and every charge.
#[derive(Serialize, ToSchema)]
pub struct ParcelQuoteDoc {
    zone: u16,
    weight_unit: String,
    actual_weight: u64,
    dimensional_weight: u64,
    billable_weight: u64,
    charges: Vec<ChargeDoc>,
    total: String,
    currency: String,
}

/// A service's quote for all cartons, or why it cannot quote.
#[derive(Serialize, ToSchema)]
pub struct ServiceQuoteDoc {
    service: String,
    name: String,
    total: Option<String>,
    currency: Option<String>,
    parcels: Option<Vec<ParcelQuoteDoc>>,
    /// Set instead of a total when the service cannot carry or zone the parcels.
    error: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QuoteAnswer {
    #[schema(format = Date)]
    ship_on: String,
    quotes: Vec<ServiceQuoteDoc>,
}

/// A service considered by the shop, with why it was or was not chosen.
#[derive(Serialize, ToSchema)]
pub struct CandidateDoc {
    service: String,
    name: String,
    kind: String,
    /// `meets`, `late` or `skipped`.
    status: String,
    reason: String,
    total: Option<String>,
    currency: Option<String>,
    ship_on: Option<String>,
    deliver_on: Option<String>,
    transit_days: Option<u32>,
    parcels: Option<Vec<ParcelQuoteDoc>>,
    chosen: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ShopAnswer {
    /// The chosen service key; null when no service can carry the shipment.
    chosen: Option<String>,
    /// True when no service meets `deliver_by` and the fastest was chosen.
    late: bool,
    why: String,
    total: Option<String>,
    currency: Option<String>,
    ship_on: Option<String>,
    deliver_on: Option<String>,
    deliver_by: Option<String>,
    candidates: Vec<CandidateDoc>,
}

/// Duties and taxes of one declaration.
#[derive(Serialize, ToSchema)]
pub struct CustomsEstimateDoc {
    currency: String,
    goods_value: String,
    shipping: String,
    /// How the destination taxes this value: `de_minimis` (nothing due), `vat_at_sale` (the seller collects VAT) or `import` (duty and VAT at import).
    scheme: String,
    lines: Vec<serde_json::Value>,
    duty: String,
    vat_percent: String,
    vat: String,
    vat_at_sale: String,
    total_at_import: serde_json::Value,
    /// `recipient` (DAP) or `shipper` (DDP).
    payer: String,
}

/// Price parcels with each requested service, every charge itemised.
#[utoipa::path(post, path = "/v1/rates/quote", tag = "transport", request_body = QuoteRequest,
    responses((status = 200, body = QuoteAnswer), (status = 422, body = Problem)))]
pub async fn quote(State(s): State<AppState>, body: ApiJson<QuoteRequest>) -> ApiResult<Response> {
    let text = body_text(&body.body)?;
    let out = tote_transport::cli::rate(&s.carriers, text).map_err(input_error)?;
    Ok(json_text(out))
}

/// The cheapest service delivering by `deliver_by`, else the fastest flagged
/// late; every candidate with why it was chosen, late or skipped.
#[utoipa::path(post, path = "/v1/rates/shop", tag = "transport", request_body = ShopRequest,
    responses((status = 200, body = ShopAnswer), (status = 422, body = Problem)))]
pub async fn shop(State(s): State<AppState>, body: ApiJson<ShopRequest>) -> ApiResult<Response> {
    let text = body_text(&body.body)?;
    let out = tote_transport::cli::rate_shop(&s.carriers, text).map_err(input_error)?;
    Ok(json_text(out))
}

/// The media types a document can be answered in, and the default.
struct Formats {
    /// (format name, media type), the default first.
    offered: &'static [(&'static str, &'static str)],
}

impl Formats {
    /// The `format` field wins; then the first offered type the `Accept`
    /// header names (ignoring quality values, which clients rarely send for
    /// documents); then the default when `Accept` is absent or a wildcard.
    fn choose(
        &self,
        field: Option<&str>,
        headers: &HeaderMap,
    ) -> ApiResult<(&'static str, &'static str)> {
        if let Some(asked) = field {
            return self
                .offered
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(asked))
                .copied()
                .ok_or_else(|| {
                    ApiError::field(
                        "format",
                        format!("`{asked}` is not one of {}", self.names()),
                    )
                });
        }
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Ok(self.offered[0]);
        };
        let ranges: Vec<&str> = accept
            .split(',')
            .map(|r| r.split(';').next().unwrap_or("").trim())
            .collect();
        for range in &ranges {
            if let Some(hit) = self
                .offered
                .iter()
                .find(|(_, media)| media.eq_ignore_ascii_case(range))
            {
                return Ok(*hit);
            }
        }
        if ranges.iter().any(|r| *r == "*/*" || r.is_empty()) {
            return Ok(self.offered[0]);
        }
        Err(ApiError::not_acceptable(format!(
            "this document is offered as {}; send Accept with one of those or a `format` field",
            self.offered
                .iter()
                .map(|(_, m)| *m)
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }

    fn names(&self) -> String {
        self.offered
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

const LABEL_FORMATS: Formats = Formats {
    offered: &[("zpl", "application/zpl"), ("pdf", "application/pdf")],
};

const MANIFEST_FORMATS: Formats = Formats {
    offered: &[("csv", "text/csv"), ("pdf", "application/pdf")],
};

/// The body without its `format` field, which the transport crate does not take.
fn without_format(body: &Bytes) -> ApiResult<String> {
    let mut v: serde_json::Value = parse_json(body)?;
    if let Some(m) = v.as_object_mut() {
        m.remove("format");
    }
    Ok(v.to_string())
}

fn document(media: &'static str, bytes: Vec<u8>) -> Response {
    let mut resp = (StatusCode::OK, bytes).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    resp
}

/// A 4x6 shipping label as ZPL (thermal printers) or PDF, with the tracking
/// barcode and the GS1-128 SSCC carton barcode.
#[utoipa::path(post, path = "/v1/labels", tag = "transport", request_body = LabelRequest,
    responses(
        (status = 200, description = "The label", content(
            (String = "application/zpl"),
            (Vec<u8> = "application/pdf"))),
        (status = 406, body = Problem),
        (status = 422, body = Problem)))]
pub async fn label(headers: HeaderMap, body: ApiJson<LabelRequest>) -> ApiResult<Response> {
    let (format, media) = LABEL_FORMATS.choose(body.value.format.as_deref(), &headers)?;
    let text = without_format(&body.body)?;
    let bytes = tote_transport::cli::label(&text, format).map_err(input_error)?;
    Ok(document(media, bytes))
}

/// The end-of-day manifest of one carrier pickup, as CSV or PDF.
#[utoipa::path(post, path = "/v1/documents/manifests", tag = "transport", request_body = ManifestRequest,
    responses(
        (status = 200, description = "The manifest", content(
            (String = "text/csv"),
            (Vec<u8> = "application/pdf"))),
        (status = 406, body = Problem),
        (status = 422, body = Problem)))]
pub async fn manifest(headers: HeaderMap, body: ApiJson<ManifestRequest>) -> ApiResult<Response> {
    let (format, media) = MANIFEST_FORMATS.choose(body.value.format.as_deref(), &headers)?;
    let text = without_format(&body.body)?;
    let bytes = tote_transport::cli::manifest(&text, format).map_err(input_error)?;
    Ok(document(media, bytes))
}

/// Estimated duties and import VAT of a declaration under the dated rules
/// shipped with tote (EU EUR 150 and UK GBP 135 schemes, de minimis per country).
#[utoipa::path(post, path = "/v1/customs/estimate", tag = "transport", request_body = CustomsRequest,
    responses((status = 200, body = CustomsEstimateDoc), (status = 422, body = Problem)))]
pub async fn customs_estimate(body: ApiJson<CustomsRequest>) -> ApiResult<Response> {
    let text = body_text(&body.body)?;
    let out = tote_transport::cli::customs_estimate(text).map_err(input_error)?;
    Ok(json_text(out))
}
