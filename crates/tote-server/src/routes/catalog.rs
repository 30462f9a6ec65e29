//! SKUs, nodes and locations.

use super::{AppState, ListPage, answer, decode_cursor, encode_cursor, page_limit};
use crate::extract::{ApiJson, ApiQuery, IdempotencyHeader};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tote_core::{LocationInput, NodeInput, OrgId, SkuInput};
use tote_oms::{Command, Outcome, UpsertMode};

fn respond(outcome: Outcome, replayed: bool) -> ApiResult<Response> {
    let created = |c: bool| {
        if c {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        }
    };
    Ok(match outcome {
        Outcome::Sku { sku, created: c } => answer(created(c), &sku.input, replayed),
        Outcome::Node { node, created: c } => answer(created(c), &node.input, replayed),
        Outcome::Location(l) => answer(StatusCode::CREATED, &l.input, replayed),
        other => return Err(ApiError::internal(format!("unexpected outcome {other:?}"))),
    })
}

/// Submits a catalog command and answers with what it created or replaced.
async fn submit(
    s: &AppState,
    command: Command,
    key: Option<String>,
    request_hash: [u8; 32],
) -> ApiResult<Response> {
    let a = s.submit(command, key, request_hash).await?;
    respond(a.outcome, a.replayed)
}

/// A PUT names its record twice, in the path and in the body: they must agree.
fn same_code(field: &str, body: &str, path: &str) -> ApiResult<()> {
    if body == path {
        Ok(())
    } else {
        Err(ApiError::field(
            field,
            format!("must match the path's `{path}`"),
        ))
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 1000; 100 by default.
    pub limit: Option<usize>,
}

/// Create a SKU.
#[utoipa::path(post, path = "/v1/skus", tag = "catalog", request_body = SkuInput,
    responses((status = 201, body = SkuInput), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_sku(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<SkuInput>,
) -> ApiResult<Response> {
    submit(
        &s,
        Command::Sku(body.value, UpsertMode::Create),
        key,
        body.request_hash,
    )
    .await
}

/// Create or replace a SKU.
#[utoipa::path(put, path = "/v1/skus/{sku}", tag = "catalog", request_body = SkuInput,
    params(("sku" = String, Path, description = "SKU code")),
    responses((status = 200, body = SkuInput), (status = 201, body = SkuInput), (status = 422, body = Problem)))]
pub async fn put_sku(
    State(s): State<AppState>,
    Path(code): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<SkuInput>,
) -> ApiResult<Response> {
    same_code("sku", &body.value.sku, &code)?;
    submit(
        &s,
        Command::Sku(body.value, UpsertMode::Upsert),
        key,
        body.request_hash,
    )
    .await
}

/// Get a SKU.
#[utoipa::path(get, path = "/v1/skus/{sku}", tag = "catalog",
    params(("sku" = String, Path, description = "SKU code")),
    responses((status = 200, body = SkuInput), (status = 404, body = Problem)))]
pub async fn get_sku(State(s): State<AppState>, Path(code): Path<String>) -> ApiResult<Response> {
    let c = code.clone();
    let sku = s.read(move |r| r.sku(OrgId::DEFAULT, &c)).await?;
    let sku = sku.ok_or_else(|| ApiError::not_found(format!("sku `{code}` not found")))?;
    Ok(answer(StatusCode::OK, &sku.input, false))
}

/// List SKUs in code order.
#[utoipa::path(get, path = "/v1/skus", tag = "catalog", params(PageQuery),
    responses((status = 200, body = ListPage<SkuInput>)))]
pub async fn list_skus(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let limit = page_limit(q.limit)?;
    let after = q
        .cursor
        .as_deref()
        .map(|c| decode_cursor(c, 1))
        .transpose()?
        .map(|mut v| v.remove(0));
    let page = s
        .read(move |r| r.skus(OrgId::DEFAULT, after.as_deref(), limit))
        .await?;
    let next_cursor = page
        .more
        .then(|| page.items.last().map(|x| encode_cursor(&[&x.input.sku])))
        .flatten();
    let items: Vec<SkuInput> = page.items.into_iter().map(|x| x.input).collect();
    Ok(answer(
        StatusCode::OK,
        &ListPage { items, next_cursor },
        false,
    ))
}

/// Create a node: a DC, store, 3PL or drop-ship vendor. It gets a `RECEIVING` location.
#[utoipa::path(post, path = "/v1/nodes", tag = "network", request_body = NodeInput,
    responses((status = 201, body = NodeInput), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_node(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<NodeInput>,
) -> ApiResult<Response> {
    submit(
        &s,
        Command::Node(body.value, UpsertMode::Create),
        key,
        body.request_hash,
    )
    .await
}

/// Create or replace a node.
#[utoipa::path(put, path = "/v1/nodes/{node}", tag = "network", request_body = NodeInput,
    params(("node" = String, Path, description = "node code")),
    responses((status = 200, body = NodeInput), (status = 201, body = NodeInput), (status = 422, body = Problem)))]
pub async fn put_node(
    State(s): State<AppState>,
    Path(code): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<NodeInput>,
) -> ApiResult<Response> {
    same_code("code", &body.value.code, &code)?;
    submit(
        &s,
        Command::Node(body.value, UpsertMode::Upsert),
        key,
        body.request_hash,
    )
    .await
}

/// Get a node.
#[utoipa::path(get, path = "/v1/nodes/{node}", tag = "network",
    params(("node" = String, Path, description = "node code")),
    responses((status = 200, body = NodeInput), (status = 404, body = Problem)))]
pub async fn get_node(State(s): State<AppState>, Path(code): Path<String>) -> ApiResult<Response> {
    let c = code.clone();
    let node = s.read(move |r| r.node(OrgId::DEFAULT, &c)).await?;
    let node = node.ok_or_else(|| ApiError::not_found(format!("node `{code}` not found")))?;
    Ok(answer(StatusCode::OK, &node.input, false))
}

/// List nodes in code order.
#[utoipa::path(get, path = "/v1/nodes", tag = "network", responses((status = 200, body = ListPage<NodeInput>)))]
pub async fn list_nodes(State(s): State<AppState>) -> ApiResult<Response> {
    let nodes = s.read(|r| r.nodes(OrgId::DEFAULT)).await?;
    let items: Vec<NodeInput> = nodes.into_iter().map(|n| n.input).collect();
    Ok(answer(
        StatusCode::OK,
        &ListPage {
            items,
            next_cursor: None,
        },
        false,
    ))
}

/// Create a location in a node.
#[utoipa::path(post, path = "/v1/locations", tag = "network", request_body = LocationInput,
    responses((status = 201, body = LocationInput), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_location(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<LocationInput>,
) -> ApiResult<Response> {
    submit(&s, Command::Location(body.value), key, body.request_hash).await
}

/// List a node's locations in code order.
#[utoipa::path(get, path = "/v1/nodes/{node}/locations", tag = "network", params(("node" = String, Path, description = "node code"), PageQuery),
    responses((status = 200, body = ListPage<LocationInput>)))]
pub async fn list_locations(
    State(s): State<AppState>,
    Path(node): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let limit = page_limit(q.limit)?;
    let after = q
        .cursor
        .as_deref()
        .map(|c| decode_cursor(c, 1))
        .transpose()?
        .map(|mut v| v.remove(0));
    let n = node.clone();
    let known = s.read(move |r| r.node(OrgId::DEFAULT, &n)).await?;
    if known.is_none() {
        return Err(ApiError::not_found(format!("node `{node}` not found")));
    }
    let page = s
        .read(move |r| r.locations(OrgId::DEFAULT, &node, after.as_deref(), limit))
        .await?;
    let next_cursor = page
        .more
        .then(|| page.items.last().map(|x| encode_cursor(&[&x.input.code])))
        .flatten();
    let items: Vec<LocationInput> = page.items.into_iter().map(|x| x.input).collect();
    Ok(answer(
        StatusCode::OK,
        &ListPage { items, next_cursor },
        false,
    ))
}
