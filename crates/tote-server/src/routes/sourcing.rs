//! Sourcing: node fulfilment profiles, channel policies, availability per
//! channel and delivery promises.

use super::{AppState, answer};
use crate::extract::{ApiJson, ApiQuery, IdempotencyHeader, IgnoredBody, parse_json};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tote_core::Qty;
use tote_oms::omni::{
    AvailabilityQuery, AvailabilityView, ChannelPolicy, ChannelPolicyView, CollectInput,
    LookAheadInput, LookAheadView, NodeProfile, NodeProfileView, PartnerCommand, PartnerOutcome,
    PartnerRejectInput, PartnerRequest, PartnerRequestsView, PartnerShipInput, PromiseQuery,
    PromiseView, RejectInput, ReplanInput, ReplanView, StockFeedInput, StockFeedLine,
    StockFeedView, StoreCommand, StoreOutcome, StoreTask, StoreTasksView,
};
use tote_oms::{Command, Outcome};

fn unexpected(other: Outcome) -> ApiError {
    ApiError::internal(format!("unexpected outcome {other:?}"))
}

/// Set a node's fulfilment profile: capabilities, handling costs, daily capacity, store buffer.
#[utoipa::path(put, path = "/v1/sourcing/nodes/{node}", tag = "sourcing", request_body = NodeProfile,
    params(("node" = String, Path, description = "node code")),
    responses((status = 200, body = NodeProfileView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_node_profile(
    State(s): State<AppState>,
    Path(node): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<NodeProfile>,
) -> ApiResult<Response> {
    let a = s
        .submit(
            Command::NodeProfile(node, body.value),
            key,
            body.request_hash,
        )
        .await?;
    match a.outcome {
        Outcome::NodeProfile(v) => Ok(answer(StatusCode::OK, &v, a.replayed)),
        other => Err(unexpected(other)),
    }
}

/// Set a channel's policy: the nodes that serve it, its share or cap of each
/// node's stock, its backorder priority, look-ahead, and its sourcing rules.
#[utoipa::path(put, path = "/v1/sourcing/channels/{channel}", tag = "sourcing", request_body = ChannelPolicy,
    params(("channel" = String, Path, description = "channel code, such as web or marketplace")),
    responses((status = 200, body = ChannelPolicyView), (status = 422, body = Problem)))]
pub async fn put_channel_policy(
    State(s): State<AppState>,
    Path(channel): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<ChannelPolicy>,
) -> ApiResult<Response> {
    let a = s
        .submit(
            Command::ChannelPolicy(channel, body.value),
            key,
            body.request_hash,
        )
        .await?;
    match a.outcome {
        Outcome::ChannelPolicy(v) => Ok(answer(StatusCode::OK, &v, a.replayed)),
        other => Err(unexpected(other)),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityParams {
    pub sku: String,
    pub channel: String,
}

/// Available-to-promise of a SKU for a channel, per node and in total, from the
/// writer's books (every acknowledged change is in it).
#[utoipa::path(get, path = "/v1/availability", tag = "sourcing", params(AvailabilityParams),
    responses((status = 200, body = AvailabilityView), (status = 422, body = Problem)))]
pub async fn availability(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<AvailabilityParams>,
) -> ApiResult<Response> {
    let a = s
        .submit(
            Command::Availability(AvailabilityQuery {
                sku: q.sku,
                channel: q.channel,
            }),
            None,
            [0; 32],
        )
        .await?;
    match a.outcome {
        Outcome::Availability(v) => Ok(answer(StatusCode::OK, &v, false)),
        other => Err(unexpected(other)),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PromiseParams {
    pub sku: String,
    pub qty: i64,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub channel: String,
}

/// The earliest delivery date per carrier service, with its cost, from the
/// nodes whose stock the channel may promise.
#[utoipa::path(get, path = "/v1/promise", tag = "sourcing", params(PromiseParams),
    responses((status = 200, body = PromiseView), (status = 422, body = Problem)))]
pub async fn promise(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<PromiseParams>,
) -> ApiResult<Response> {
    let a = s
        .submit(
            Command::Promise(PromiseQuery {
                sku: q.sku,
                qty: Qty(q.qty),
                postal_code: q.postal_code,
                country: q.country,
                channel: q.channel,
            }),
            None,
            [0; 32],
        )
        .await?;
    match a.outcome {
        Outcome::Promise(v) => Ok(answer(StatusCode::OK, &v, false)),
        other => Err(unexpected(other)),
    }
}

/// A node gives back its units of one order line (a store did not find them):
/// they are sourced again at once from the other nodes, the rest backordered.
#[utoipa::path(post, path = "/v1/orders/{id}/reject", tag = "sourcing", request_body = RejectInput,
    params(("id" = String, Path, description = "the order's id, such as O17")),
    responses((status = 200, body = tote_core::Order), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reject_line(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<RejectInput>,
) -> ApiResult<Response> {
    let oid = tote_core::order::parse_order_id(&id)
        .ok_or_else(|| ApiError::not_found(format!("order `{id}` not found")))?;
    let a = s
        .submit(Command::RejectLine(oid, body.value), key, body.request_hash)
        .await?;
    match a.outcome {
        Outcome::Order { order, .. } => Ok(answer(StatusCode::OK, &order, a.replayed)),
        other => Err(unexpected(other)),
    }
}

/// A node's fulfilment profile in force (the kind's defaults where none was set).
#[utoipa::path(get, path = "/v1/sourcing/nodes/{node}", tag = "sourcing",
    params(("node" = String, Path, description = "node code")),
    responses((status = 200, body = NodeProfileView), (status = 404, body = Problem)))]
pub async fn get_node_profile(
    State(s): State<AppState>,
    Path(node): Path<String>,
) -> ApiResult<Response> {
    let a = s
        .submit(Command::GetNodeProfile(node), None, [0; 32])
        .await?;
    match a.outcome {
        Outcome::NodeProfile(v) => Ok(answer(StatusCode::OK, &v, false)),
        other => Err(unexpected(other)),
    }
}

/// A channel's policy in force (the defaults where none was set).
#[utoipa::path(get, path = "/v1/sourcing/channels/{channel}", tag = "sourcing",
    params(("channel" = String, Path, description = "channel code")),
    responses((status = 200, body = ChannelPolicyView)))]
pub async fn get_channel_policy(
    State(s): State<AppState>,
    Path(channel): Path<String>,
) -> ApiResult<Response> {
    let a = s
        .submit(Command::GetChannelPolicy(channel), None, [0; 32])
        .await?;
    match a.outcome {
        Outcome::ChannelPolicy(v) => Ok(answer(StatusCode::OK, &v, false)),
        other => Err(unexpected(other)),
    }
}

/// A feed as CSV: `sku,qty` rows, with or without that header row.
fn parse_feed_csv(text: &str) -> ApiResult<StockFeedInput> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut lines = Vec::new();
    for (row, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| ApiError::malformed(format!("the CSV body: {e}")))?;
        if row == 0
            && rec.get(0).is_some_and(|c| c.eq_ignore_ascii_case("sku"))
            && rec.get(1).is_some_and(|c| c.eq_ignore_ascii_case("qty"))
        {
            continue;
        }
        let i = lines.len();
        if rec.len() != 2 {
            return Err(ApiError::field(
                &format!("lines[{i}]"),
                format!("must be two cells, sku,qty; got {}", rec.len()),
            ));
        }
        let qty = rec[1].parse::<i64>().map_err(|_| {
            ApiError::field(
                &format!("lines[{i}].qty"),
                format!("`{}` is not a whole number", &rec[1]),
            )
        })?;
        lines.push(StockFeedLine {
            sku: rec[0].to_owned(),
            qty: Qty(qty),
        });
    }
    Ok(StockFeedInput { lines, note: None })
}

/// A 3PL's or drop-ship vendor's stock feed: the units it holds now per SKU,
/// as JSON or as a `text/csv` body of `sku,qty` rows. The difference from the
/// books is booked per SKU as a `count_variance` adjustment (never
/// overwritten), and backorders of SKUs that grew are filled at once.
#[utoipa::path(post, path = "/v1/partners/{node}/stock", tag = "sourcing",
    params(("node" = String, Path, description = "a 3pl or drop_ship node's code")),
    request_body(content(
        (StockFeedInput = "application/json"),
        (String = "text/csv", example = "sku,qty\nTEE-M,120\n")
    )),
    responses((status = 200, body = StockFeedView), (status = 404, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn partner_stock(
    State(s): State<AppState>,
    Path(node): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(format!(
                "the body is larger than {} bytes",
                crate::serve::BODY_BYTES_MAX
            ))
        } else {
            ApiError::malformed(format!("could not read the body: {e}"))
        }
    })?;
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let feed = match media.as_str() {
        "application/json" => parse_json::<StockFeedInput>(&body)?,
        "text/csv" => {
            let text = std::str::from_utf8(&body)
                .map_err(|_| ApiError::malformed("the CSV body is not UTF-8"))?;
            parse_feed_csv(text)?
        }
        _ => {
            return Err(ApiError::unsupported_media(
                "send the body as application/json or text/csv",
            ));
        }
    };
    let mut h = Sha256::new();
    h.update(format!("POST /v1/partners/{node}/stock\n{media}\n").as_bytes());
    h.update(&body);
    partner(
        &s,
        PartnerCommand::Stock(node, feed),
        key,
        h.finalize().into(),
    )
    .await
}

async fn partner(
    s: &AppState,
    cmd: PartnerCommand,
    key: Option<String>,
    hash: [u8; 32],
) -> ApiResult<Response> {
    let a = s.submit(Command::Partner(cmd), key, hash).await?;
    match a.outcome {
        Outcome::Partner(PartnerOutcome::Stock(v)) => Ok(answer(StatusCode::OK, &v, a.replayed)),
        Outcome::Partner(PartnerOutcome::Request(v)) => Ok(answer(StatusCode::OK, &v, a.replayed)),
        Outcome::Partner(PartnerOutcome::Requests(v)) => Ok(answer(StatusCode::OK, &v, false)),
        other => Err(unexpected(other)),
    }
}

/// A partner's open fulfilment requests (open and acknowledged), oldest order first.
#[utoipa::path(get, path = "/v1/partners/{node}/requests", tag = "sourcing",
    params(("node" = String, Path, description = "a 3pl or drop_ship node's code")),
    responses((status = 200, body = PartnerRequestsView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn partner_requests(
    State(s): State<AppState>,
    Path(node): Path<String>,
) -> ApiResult<Response> {
    partner(&s, PartnerCommand::Requests(node), None, [0; 32]).await
}

/// The partner has the request and will ship it.
#[utoipa::path(post, path = "/v1/partners/{node}/requests/{id}/acknowledge", tag = "sourcing",
    params(("node" = String, Path, description = "the partner node's code"),
        ("id" = String, Path, description = "the request's id, such as O12-V1")),
    responses((status = 200, body = PartnerRequest), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn acknowledge_request(
    State(s): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    IdempotencyHeader(key): IdempotencyHeader,
    _: IgnoredBody,
) -> ApiResult<Response> {
    let hash = Sha256::digest(format!(
        "POST /v1/partners/{node}/requests/{id}/acknowledge\n"
    ));
    partner(&s, PartnerCommand::Acknowledge(node, id), key, hash.into()).await
}

/// The partner cannot ship the request: its units are sourced again at once
/// from the other nodes, the rest backordered.
#[utoipa::path(post, path = "/v1/partners/{node}/requests/{id}/reject", tag = "sourcing",
    request_body = PartnerRejectInput,
    params(("node" = String, Path, description = "the partner node's code"),
        ("id" = String, Path, description = "the request's id")),
    responses((status = 200, body = PartnerRequest), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reject_request(
    State(s): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<PartnerRejectInput>,
) -> ApiResult<Response> {
    partner(
        &s,
        PartnerCommand::Reject(node, id, body.value),
        key,
        body.request_hash,
    )
    .await
}

/// The partner shipped the request: its reservations are posted (the units
/// leave the books) and the order closes when nothing else is left to ship.
#[utoipa::path(post, path = "/v1/partners/{node}/requests/{id}/ship", tag = "sourcing",
    request_body = PartnerShipInput,
    params(("node" = String, Path, description = "the partner node's code"),
        ("id" = String, Path, description = "the request's id")),
    responses((status = 200, body = PartnerRequest), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn ship_request(
    State(s): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<PartnerShipInput>,
) -> ApiResult<Response> {
    partner(
        &s,
        PartnerCommand::Ship(node, id, body.value),
        key,
        body.request_hash,
    )
    .await
}

async fn store(
    s: &AppState,
    cmd: StoreCommand,
    key: Option<String>,
    hash: [u8; 32],
) -> ApiResult<Response> {
    let a = s.submit(Command::Store(cmd), key, hash).await?;
    match a.outcome {
        Outcome::Store(StoreOutcome::Task(v)) => Ok(answer(StatusCode::OK, &v, a.replayed)),
        Outcome::Store(StoreOutcome::Tasks(v)) => Ok(answer(StatusCode::OK, &v, false)),
        other => Err(unexpected(other)),
    }
}

/// A store associate's list: the store's open pick tasks (pickup and
/// ship-from-store orders), by due day; each day holds at most the store's
/// `capacity_orders_day` tasks.
#[utoipa::path(get, path = "/v1/stores/{node}/tasks", tag = "sourcing",
    params(("node" = String, Path, description = "a store's code")),
    responses((status = 200, body = StoreTasksView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn store_tasks(
    State(s): State<AppState>,
    Path(node): Path<String>,
) -> ApiResult<Response> {
    store(&s, StoreCommand::Tasks(node), None, [0; 32]).await
}

fn action_hash(node: &str, id: &str, action: &str) -> [u8; 32] {
    Sha256::digest(format!("POST /v1/stores/{node}/tasks/{id}/{action}\n")).into()
}

/// The task's units are picked.
#[utoipa::path(post, path = "/v1/stores/{node}/tasks/{id}/picked", tag = "sourcing",
    params(("node" = String, Path, description = "the store's code"),
        ("id" = String, Path, description = "the task's id, such as O12-S1")),
    responses((status = 200, body = StoreTask), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn task_picked(
    State(s): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    IdempotencyHeader(key): IdempotencyHeader,
    _: IgnoredBody,
) -> ApiResult<Response> {
    let hash = action_hash(&node, &id, "picked");
    store(&s, StoreCommand::Picked(node, id), key, hash).await
}

/// A pickup order is picked and staged: an `order.ready_for_pickup` event
/// carries the code the customer shows.
#[utoipa::path(post, path = "/v1/stores/{node}/tasks/{id}/ready", tag = "sourcing",
    params(("node" = String, Path, description = "the store's code"),
        ("id" = String, Path, description = "the task's id")),
    responses((status = 200, body = StoreTask), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn task_ready(
    State(s): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    IdempotencyHeader(key): IdempotencyHeader,
    _: IgnoredBody,
) -> ApiResult<Response> {
    let hash = action_hash(&node, &id, "ready");
    store(&s, StoreCommand::Ready(node, id), key, hash).await
}

/// The customer collected a ready pickup order with its code: the
/// reservations are posted (the units leave the books).
#[utoipa::path(post, path = "/v1/stores/{node}/tasks/{id}/collected", tag = "sourcing",
    request_body = CollectInput,
    params(("node" = String, Path, description = "the store's code"),
        ("id" = String, Path, description = "the task's id")),
    responses((status = 200, body = StoreTask), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn task_collected(
    State(s): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<CollectInput>,
) -> ApiResult<Response> {
    store(
        &s,
        StoreCommand::Collected(node, id, body.value),
        key,
        body.request_hash,
    )
    .await
}

/// A ship-from-store order left the store with a carrier.
#[utoipa::path(post, path = "/v1/stores/{node}/tasks/{id}/shipped", tag = "sourcing",
    request_body = PartnerShipInput,
    params(("node" = String, Path, description = "the store's code"),
        ("id" = String, Path, description = "the task's id")),
    responses((status = 200, body = StoreTask), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn task_shipped(
    State(s): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<PartnerShipInput>,
) -> ApiResult<Response> {
    store(
        &s,
        StoreCommand::Shipped(node, id, body.value),
        key,
        body.request_hash,
    )
    .await
}

/// The store cannot fill the task (units not found): they are sourced again at
/// once elsewhere, the rest backordered.
#[utoipa::path(post, path = "/v1/stores/{node}/tasks/{id}/reject", tag = "sourcing",
    request_body = PartnerRejectInput,
    params(("node" = String, Path, description = "the store's code"),
        ("id" = String, Path, description = "the task's id")),
    responses((status = 200, body = StoreTask), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn task_rejected(
    State(s): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<PartnerRejectInput>,
) -> ApiResult<Response> {
    store(
        &s,
        StoreCommand::Reject(node, id, body.value),
        key,
        body.request_hash,
    )
    .await
}

/// Recompute the look-ahead prices: demand per destination region from the
/// last `window_days` of orders, a transportation LP per SKU over the next
/// `horizon_days`, and each node's dual price per unit, which channels with
/// `look_ahead: true` add to a unit's cost. Also done on the first order of
/// each day.
#[utoipa::path(post, path = "/v1/sourcing/lookahead/refresh", tag = "sourcing",
    request_body = LookAheadInput,
    responses((status = 200, body = LookAheadView), (status = 422, body = Problem)))]
pub async fn refresh_look_ahead(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<LookAheadInput>,
) -> ApiResult<Response> {
    let a = s
        .submit(Command::LookAhead(body.value), key, body.request_hash)
        .await?;
    match a.outcome {
        Outcome::LookAhead(v) => Ok(answer(StatusCode::OK, &v, a.replayed)),
        other => Err(unexpected(other)),
    }
}

/// Re-source open orders not yet released to the floor (or only those with
/// backordered units): each moves when its new plan fills more units or costs
/// less by more than `threshold_cents`. Answers what moved and the saving.
#[utoipa::path(post, path = "/v1/sourcing/replan", tag = "sourcing",
    request_body = ReplanInput,
    responses((status = 200, body = ReplanView), (status = 422, body = Problem)))]
pub async fn replan(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<ReplanInput>,
) -> ApiResult<Response> {
    let a = s
        .submit(Command::Replan(body.value), key, body.request_hash)
        .await?;
    match a.outcome {
        Outcome::Replan(v) => Ok(answer(StatusCode::OK, &v, a.replayed)),
        other => Err(unexpected(other)),
    }
}

/// The end-of-day sweep: ready pickup orders not collected by their
/// `collect_by` day (the store profile's `pickup_hold_days` after they were
/// ready) are cancelled and their units return to stock. Answers the expired
/// tasks.
#[utoipa::path(post, path = "/v1/stores/{node}/tasks/expire", tag = "sourcing",
    params(("node" = String, Path, description = "the store's code")),
    responses((status = 200, body = StoreTasksView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn expire_pickups(
    State(s): State<AppState>,
    Path(node): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    _: IgnoredBody,
) -> ApiResult<Response> {
    let hash = Sha256::digest(format!("POST /v1/stores/{node}/tasks/expire\n")).into();
    store(&s, StoreCommand::Expire(node), key, hash).await
}
