//! Orders: intake with reservation, get, list, cancel.

use super::{AppState, ListPage, answer, decode_cursor, encode_cursor, page_limit};
use crate::extract::{ApiJson, ApiQuery, IdempotencyHeader, IgnoredBody};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tote_core::order::parse_order_id;
use tote_core::{Order, OrderId, OrderInput, OrderStatus, OrgId};
use tote_oms::{Command, Outcome};
use tote_store::OrderFilter;

fn order_id(id: &str) -> ApiResult<OrderId> {
    parse_order_id(id).ok_or_else(|| ApiError::not_found(format!("order `{id}` not found")))
}

fn order(outcome: Outcome) -> ApiResult<(Order, bool)> {
    match outcome {
        Outcome::Order { order, created } => Ok((order, created)),
        other => Err(ApiError::internal(format!("unexpected outcome {other:?}"))),
    }
}

/// Place an order: every line is reserved at once where stock is, the rest backordered.
#[utoipa::path(post, path = "/v1/orders", tag = "orders", request_body = OrderInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "a retry with the same key and body returns the first answer")),
    responses((status = 201, body = Order), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn place(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<OrderInput>,
) -> ApiResult<Response> {
    let a = s
        .submit(Command::PlaceOrder(body.value), key, body.request_hash)
        .await?;
    let (order, _) = order(a.outcome)?;
    Ok(answer(StatusCode::CREATED, &order, a.replayed))
}

/// Get an order.
#[utoipa::path(get, path = "/v1/orders/{id}", tag = "orders",
    params(("id" = String, Path, description = "the order's id, such as O17")),
    responses((status = 200, body = Order), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let oid = order_id(&id)?;
    let found = s.read(move |r| r.order(OrgId::DEFAULT, oid)).await?;
    let order = found.ok_or_else(|| ApiError::not_found(format!("order `{id}` not found")))?;
    Ok(answer(StatusCode::OK, &order, false))
}

/// Cancel an order: its reservations are released. Cancelling twice is harmless.
#[utoipa::path(post, path = "/v1/orders/{id}/cancel", tag = "orders",
    params(("id" = String, Path, description = "the order's id")),
    responses((status = 200, body = Order), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    _: IgnoredBody,
) -> ApiResult<Response> {
    let oid = order_id(&id)?;
    let hash = {
        use sha2::{Digest, Sha256};
        Sha256::digest(format!("POST /v1/orders/{id}/cancel\n")).into()
    };
    let a = s.submit(Command::CancelOrder(oid), key, hash).await?;
    let (order, _) = order(a.outcome)?;
    Ok(answer(StatusCode::OK, &order, a.replayed))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OrderQuery {
    /// allocated, partially_allocated, backordered, released, picked, packed, cancelled, shipped, delivered
    pub status: Option<String>,
    pub channel: Option<String>,
    pub external_id: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<usize>,
}

/// List orders, newest first.
#[utoipa::path(get, path = "/v1/orders", tag = "orders", params(OrderQuery),
    responses((status = 200, body = ListPage<Order>), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Response> {
    if let Some(st) = &q.status
        && OrderStatus::parse(st).is_none()
    {
        return Err(ApiError::field(
            "status",
            format!("`{st}` is not an order status"),
        ));
    }
    let before_id = match q.cursor.as_deref() {
        Some(c) => Some(
            decode_cursor(c, 1)?[0]
                .parse::<u64>()
                .map_err(|_| ApiError::field("cursor", "is not a cursor this list gave out"))?,
        ),
        None => None,
    };
    let filter = OrderFilter {
        status: q.status,
        channel: q.channel,
        external_id: q.external_id,
        before_id,
        limit: page_limit(q.limit)?,
    };
    let page = s.read(move |r| r.orders(OrgId::DEFAULT, &filter)).await?;
    let next_cursor = page
        .next_before_id
        .map(|id| encode_cursor(&[&id.to_string()]));
    Ok(answer(
        StatusCode::OK,
        &ListPage {
            items: page.items,
            next_cursor,
        },
        false,
    ))
}
