//! The `/v1` handlers, one module per resource.

pub mod catalog;
pub mod events;
pub mod inventory;
pub mod kpi;
pub mod ops;
pub mod orders;
pub mod planning;
pub mod planning_live;
pub mod planning_tools;
pub mod returns;
pub mod scanner;
pub mod shipping;
pub mod sourcing;
pub mod transport;
pub mod warehouse;

use crate::metrics::Metrics;
use crate::problem::{ApiError, ApiResult};
use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::Serialize;
use std::sync::Arc;
use tote_core::{OrgId, Timestamp};
use tote_ledger::WriterHandle;
use tote_oms::{Applied, Command, Envelope, IdempotencyKey, OpError};
use tote_store::Queries;

pub type Writer = WriterHandle<Envelope, Result<Applied, OpError>>;

#[derive(Clone)]
pub struct AppState {
    pub writer: Writer,
    pub reader: Arc<dyn Queries>,
    pub metrics: Arc<Metrics>,
    /// The carrier set quotes and rate shopping use, fixed for the server's life.
    pub carriers: Arc<tote_transport::CarrierSet>,
    /// The metrics board, fed from the events by a background task.
    pub kpi: Arc<crate::kpi::KpiService>,
    /// The GS1 company prefix carton labels are numbered under.
    pub sscc_company_prefix: Arc<str>,
}

/// The most rows a list answers unless asked for fewer.
pub const PAGE_ROWS_DEFAULT: usize = 100;

impl AppState {
    /// Sends a command through the writer and waits until it is durable.
    pub async fn submit(
        &self,
        command: Command,
        key: Option<String>,
        request_hash: [u8; 32],
    ) -> ApiResult<Applied> {
        let envelope = Envelope {
            org: OrgId::DEFAULT,
            actor: "api".into(),
            at: now(),
            idempotency: key.map(|key| IdempotencyKey { key, request_hash }),
            command,
        };
        Ok(self.writer.submit(envelope).await??)
    }

    /// Runs a read query off the async workers.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Queries) -> Result<T, tote_store::StoreError> + Send + 'static,
    ) -> ApiResult<T> {
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || f(reader.as_ref()))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::from)
    }
}

/// The service reads the clock here, at the edge, and passes time inward.
/// `TOTE_CLOCK_OFFSET_DAYS` (whole days, may be negative) shifts it, so a
/// demo or a test can play past days' orders through the real service.
pub fn now() -> Timestamp {
    static OFFSET_US: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    let offset = *OFFSET_US.get_or_init(|| {
        std::env::var("TOTE_CLOCK_OFFSET_DAYS")
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|d| d.abs() <= 36_500)
            .map_or(0, |d| d * 86_400_000_000)
    });
    Timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_micros() as i64)
            .unwrap_or_default()
            + offset,
    )
}

/// A JSON answer with its status, marked when it replays a stored first answer.
pub fn answer<T: Serialize>(status: StatusCode, body: &T, replayed: bool) -> Response {
    let mut resp = (status, Json(body)).into_response();
    if replayed {
        resp.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    resp
}

/// A page of items and the cursor for the next one.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ListPage<T: utoipa::ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

pub fn encode_cursor(parts: &[&str]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(parts.join("\u{1f}"))
}

pub fn decode_cursor(cursor: &str, parts: usize) -> ApiResult<Vec<String>> {
    let bad = || ApiError::field("cursor", "is not a cursor this list gave out");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let out: Vec<String> = text.split('\u{1f}').map(str::to_owned).collect();
    if out.len() != parts {
        return Err(bad());
    }
    Ok(out)
}

pub fn page_limit(limit: Option<usize>) -> ApiResult<usize> {
    match limit {
        None => Ok(PAGE_ROWS_DEFAULT),
        Some(n) if (1..=tote_store::query::PAGE_ROWS_MAX).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::field(
            "limit",
            format!("must be between 1 and {}", tote_store::query::PAGE_ROWS_MAX),
        )),
    }
}
