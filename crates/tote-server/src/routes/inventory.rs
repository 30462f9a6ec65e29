//! Receipts, adjustments and balances.

use super::{AppState, ListPage, answer, decode_cursor, encode_cursor, page_limit};
use crate::extract::{ApiJson, ApiQuery, IdempotencyHeader};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tote_core::OrgId;
use tote_oms::command::Movement;
use tote_oms::{AdjustmentInput, Command, Outcome, ReceiptInput};
use tote_store::InventoryFilter;

fn movement(outcome: Outcome) -> ApiResult<Movement> {
    match outcome {
        Outcome::Receipt(m) | Outcome::Adjustment(m) => Ok(m),
        other => Err(ApiError::internal(format!("unexpected outcome {other:?}"))),
    }
}

/// Receive units at a node: supplier -> on-hand at the line's location
/// (the node's `RECEIVING` location when none is given).
#[utoipa::path(post, path = "/v1/inventory/receipts", tag = "inventory", request_body = ReceiptInput,
    responses((status = 201, body = Movement), (status = 422, body = Problem)))]
pub async fn receive(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<ReceiptInput>,
) -> ApiResult<Response> {
    let a = s
        .submit(Command::Receive(body.value), key, body.request_hash)
        .await?;
    Ok(answer(
        StatusCode::CREATED,
        &movement(a.outcome)?,
        a.replayed,
    ))
}

/// Correct on-hand with a reason: damage, shrink, count_variance or found.
#[utoipa::path(post, path = "/v1/inventory/adjustments", tag = "inventory", request_body = AdjustmentInput,
    responses((status = 201, body = Movement), (status = 422, body = Problem)))]
pub async fn adjust(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<AdjustmentInput>,
) -> ApiResult<Response> {
    let a = s
        .submit(Command::Adjust(body.value), key, body.request_hash)
        .await?;
    Ok(answer(
        StatusCode::CREATED,
        &movement(a.outcome)?,
        a.replayed,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InventoryQuery {
    pub sku: Option<String>,
    pub node: Option<String>,
    /// `node` (default) for one row per node and SKU, `location` for one per location.
    pub by: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<usize>,
}

/// Units of one SKU at one node (or location).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Balance {
    pub node: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub sku: String,
    pub on_hand: i64,
    /// Held by pending reservations.
    pub reserved: i64,
    /// on_hand - reserved: what can still be promised.
    pub available: i64,
    pub damaged: i64,
    pub quarantine: i64,
    /// Returned units waiting for inspection and disposition.
    pub returns_pending: i64,
    /// Returned units set aside for repair or repackaging.
    pub refurbish: i64,
    /// Returned units set aside for a liquidator.
    pub liquidation: i64,
}

/// Balances per SKU and node, or per location with `by=location`.
#[utoipa::path(get, path = "/v1/inventory", tag = "inventory", params(InventoryQuery),
    responses((status = 200, body = ListPage<Balance>), (status = 422, body = Problem)))]
pub async fn balances(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<InventoryQuery>,
) -> ApiResult<Response> {
    let by_location = match q.by.as_deref() {
        None | Some("node") => false,
        Some("location") => true,
        Some(other) => {
            return Err(ApiError::field(
                "by",
                format!("`{other}` is not node or location"),
            ));
        }
    };
    let after = match q.cursor.as_deref() {
        Some(c) => {
            let v = decode_cursor(c, 3)?;
            Some((v[0].clone(), v[1].clone(), v[2].clone()))
        }
        None => None,
    };
    let filter = InventoryFilter {
        sku: q.sku,
        node: q.node,
        by_location,
        after,
        limit: page_limit(q.limit)?,
    };
    let page = s
        .read(move |r| r.inventory(OrgId::DEFAULT, &filter))
        .await?;
    let next_cursor = page
        .more
        .then(|| {
            page.items
                .last()
                .map(|x| encode_cursor(&[&x.sku, &x.node, x.location.as_deref().unwrap_or("")]))
        })
        .flatten();
    let items: Vec<Balance> = page
        .items
        .into_iter()
        .map(|r| Balance {
            node: r.node,
            location: r.location,
            sku: r.sku,
            on_hand: r.on_hand,
            reserved: r.reserved,
            available: r.available,
            damaged: r.damaged,
            quarantine: r.quarantine,
            returns_pending: r.returns_pending,
            refurbish: r.refurbish,
            liquidation: r.liquidation,
        })
        .collect();
    Ok(answer(
        StatusCode::OK,
        &ListPage { items, next_cursor },
        false,
    ))
}
