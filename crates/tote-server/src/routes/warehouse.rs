//! Warehouse execution: layouts, ASNs and receiving, put-away, waves, picking,
//! packing, shipping, manifests and cycle counts. Each mutation is one writer
//! command (a ledger move with actor, time and an event).

use super::{AppState, answer};
use crate::extract::{ApiJson, IdempotencyHeader, IgnoredBody};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::de::DeserializeOwned;
use tote_core::OrgId;
use tote_oms::warehouse::*;
use tote_oms::{Command, Outcome};
use tote_wms::NodeLayout;

pub(crate) async fn run(
    s: &AppState,
    cmd: WmsCommand,
    key: Option<String>,
    hash: [u8; 32],
    status: StatusCode,
) -> ApiResult<Response> {
    let a = s.submit(Command::Warehouse(cmd), key, hash).await?;
    let Outcome::Warehouse(out) = a.outcome else {
        return Err(ApiError::internal(format!(
            "unexpected outcome {:?}",
            a.outcome
        )));
    };
    let r = a.replayed;
    Ok(match out {
        WmsOutcome::Layout(v) => answer(status, &v, r),
        WmsOutcome::Asn(v) => answer(status, &v, r),
        WmsOutcome::Suggestion(v) => answer(status, &v, r),
        WmsOutcome::PutAway(v) => answer(status, &v, r),
        WmsOutcome::Wave(v) => answer(status, &v, r),
        WmsOutcome::Pick(v) => answer(status, &v, r),
        WmsOutcome::Pack(v) => answer(status, &v, r),
        WmsOutcome::Shipment(v) => answer(status, &v, r),
        WmsOutcome::Manifest(v) => answer(status, &v, r),
        WmsOutcome::Count(v) => answer(status, &blind(v), r),
        WmsOutcome::PickFaces(v) => answer(status, &v, r),
        WmsOutcome::Replenishment(v) => answer(status, &v, r),
        WmsOutcome::Tracking(v) => answer(status, &v, r),
        WmsOutcome::PlanApproval(v) => answer(status, &v, r),
        WmsOutcome::Transfer(v) => answer(status, &v, r),
        WmsOutcome::LaborStandard(v) => answer(status, &v, r),
    })
}

/// A count is blind until counted: its lines carry the books' quantities.
fn blind(mut c: Count) -> Count {
    if c.status == "open" || c.status == "recount" {
        c.lines.clear();
    }
    c
}

fn path_hash(what: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(what.as_bytes()).into()
}

/// A stored warehouse record by kind and id.
async fn doc<T: DeserializeOwned + serde::Serialize + Send + 'static>(
    s: &AppState,
    kind: &'static str,
    what: &'static str,
    id: String,
) -> ApiResult<Response> {
    let key = id.clone();
    let body = s
        .read(move |r| r.doc(OrgId::DEFAULT, kind, &key))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("{what} `{id}` not found")))?;
    let v: T = serde_json::from_str(&body).map_err(ApiError::internal)?;
    Ok(answer(StatusCode::OK, &v, false))
}

/// Set a node's layout: how its locations (aisle, bay) sit on the picker
/// routing model. Without one, pick lists go in location-code order.
#[utoipa::path(put, path = "/v1/nodes/{node}/layout", tag = "warehouse", request_body = NodeLayout,
    params(("node" = String, Path, description = "the node's code")),
    responses((status = 200, body = NodeLayout), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_layout(
    State(s): State<AppState>,
    Path(node): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<NodeLayout>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::SetLayout {
        node,
        layout: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Announce an inbound shipment (ASN) against a purchase order, by carton.
#[utoipa::path(post, path = "/v1/asns", tag = "warehouse", request_body = AsnInput,
    responses((status = 201, body = Asn), (status = 422, body = Problem)))]
pub async fn create_asn(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<AsnInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::CreateAsn(body.value);
    run(&s, cmd, key, body.request_hash, StatusCode::CREATED).await
}

/// Get an ASN with its variances (expected, received, damaged, over, short).
#[utoipa::path(get, path = "/v1/asns/{id}", tag = "warehouse",
    params(("id" = String, Path, description = "such as ASN1")),
    responses((status = 200, body = Asn), (status = 404, body = Problem)))]
pub async fn get_asn(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    doc::<Asn>(&s, "asn", "ASN", id).await
}

/// Receive scanned units against an ASN: good units land in on-hand at the
/// node's `RECEIVING` dock, damaged ones in its damaged bucket.
#[utoipa::path(post, path = "/v1/asns/{id}/receipts", tag = "warehouse", request_body = AsnReceiptInput,
    params(("id" = String, Path, description = "such as ASN1")),
    responses((status = 200, body = Asn), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn receive_asn(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<AsnReceiptInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::ReceiveAsn {
        asn: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Where units should be put away, by the put-away rules. Changes nothing.
#[utoipa::path(post, path = "/v1/putaways/suggestions", tag = "warehouse", request_body = PutawayQuery,
    responses((status = 200, body = PutawaySuggestion), (status = 422, body = Problem)))]
pub async fn suggest_putaway(
    State(s): State<AppState>,
    body: ApiJson<PutawayQuery>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::SuggestPutaway(body.value);
    run(&s, cmd, None, body.request_hash, StatusCode::OK).await
}

/// Put units away: move them from the dock to the scanned storage location.
/// A location other than the suggested one needs `override_reason`.
#[utoipa::path(post, path = "/v1/putaways", tag = "warehouse", request_body = PutawayInput,
    responses((status = 201, body = PutAway), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_away(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<PutawayInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::PutAway(body.value);
    run(&s, cmd, key, body.request_hash, StatusCode::CREATED).await
}

/// Release a wave: allocated orders at a node by the rules, batched into cart
/// trips and sequenced in walking order; the orders become `released`.
#[utoipa::path(post, path = "/v1/waves", tag = "warehouse", request_body = WaveInput,
    responses((status = 201, body = Wave), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn release_wave(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<WaveInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::ReleaseWave(body.value);
    run(&s, cmd, key, body.request_hash, StatusCode::CREATED).await
}

/// Get a wave: its orders and pick lists (task ids in walking order).
#[utoipa::path(get, path = "/v1/waves/{id}", tag = "warehouse",
    params(("id" = String, Path, description = "such as W1")),
    responses((status = 200, body = Wave), (status = 404, body = Problem)))]
pub async fn get_wave(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    doc::<Wave>(&s, "wave", "wave", id).await
}

/// Get a pick task.
#[utoipa::path(get, path = "/v1/pick-tasks/{id}", tag = "warehouse",
    params(("id" = String, Path, description = "such as PT1")),
    responses((status = 200, body = PickTask), (status = 404, body = Problem)))]
pub async fn get_pick_task(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    doc::<PickTask>(&s, "pick_task", "pick task", id).await
}

/// Confirm a pick by scanning the location and the item (GTIN or SKU code):
/// the units move to the pack station with their reservation.
#[utoipa::path(post, path = "/v1/pick-tasks/{id}/confirm", tag = "warehouse", request_body = PickInput,
    params(("id" = String, Path, description = "such as PT1")),
    responses((status = 200, body = PickResult), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn confirm_pick(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<PickInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::ConfirmPick {
        task: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Report a short pick: what was found is picked, the rest of the location is
/// written off (count_variance), and the line is re-sourced from another
/// location (a new task on the same list) or backordered.
#[utoipa::path(post, path = "/v1/pick-tasks/{id}/short", tag = "warehouse", request_body = ShortPickInput,
    params(("id" = String, Path, description = "such as PT1")),
    responses((status = 200, body = PickResult), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn short_pick(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<ShortPickInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::ShortPick {
        task: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Scan one unit at the pack station. A wrong item is refused (`accepted:
/// false`) and counted; the last unit closes the pack with cartons chosen.
#[utoipa::path(post, path = "/v1/orders/{id}/pack-scans", tag = "warehouse", request_body = PackScanInput,
    params(("id" = String, Path, description = "the order's id")),
    responses((status = 200, body = Pack), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn pack_scan(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<PackScanInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::PackScan {
        order: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Ship a packed order: its reservations are posted (the units leave the
/// books), it gets a carrier service and a tracking number, and waits for the
/// carrier's manifest.
#[utoipa::path(post, path = "/v1/orders/{id}/ship", tag = "warehouse", request_body = ShipInput,
    params(("id" = String, Path, description = "the order's id")),
    responses((status = 201, body = Shipment), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn ship(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<ShipInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::Ship {
        order: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::CREATED).await
}

/// Get a shipment.
#[utoipa::path(get, path = "/v1/shipments/{id}", tag = "warehouse",
    params(("id" = String, Path, description = "such as SH1")),
    responses((status = 200, body = Shipment), (status = 404, body = Problem)))]
pub async fn get_shipment(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    doc::<Shipment>(&s, "shipment", "shipment", id).await
}

/// Close a manifest: every shipment of the carrier not yet on one.
#[utoipa::path(post, path = "/v1/manifests", tag = "warehouse", request_body = ManifestInput,
    responses((status = 201, body = Manifest), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn close_manifest(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<ManifestInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::CloseManifest(body.value);
    run(&s, cmd, key, body.request_hash, StatusCode::CREATED).await
}

/// Start a blind cycle count of some locations.
#[utoipa::path(post, path = "/v1/counts", tag = "warehouse", request_body = CountInput,
    responses((status = 201, body = Count), (status = 422, body = Problem)))]
pub async fn create_count(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<CountInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::CreateCount(body.value);
    run(&s, cmd, key, body.request_hash, StatusCode::CREATED).await
}

/// Get a count. While open it shows only the locations (the count is blind).
#[utoipa::path(get, path = "/v1/counts/{id}", tag = "warehouse",
    params(("id" = String, Path, description = "such as CC1")),
    responses((status = 200, body = Count), (status = 404, body = Problem)))]
pub async fn get_count(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let key = id.clone();
    let body = s
        .read(move |r| r.doc(OrgId::DEFAULT, "count", &key))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("count `{id}` not found")))?;
    let c: Count = serde_json::from_str(&body).map_err(ApiError::internal)?;
    Ok(answer(StatusCode::OK, &blind(c), false))
}

/// Record what was counted; the variances against the books appear now.
#[utoipa::path(post, path = "/v1/counts/{id}/results", tag = "warehouse", request_body = CountRecordInput,
    params(("id" = String, Path, description = "such as CC1")),
    responses((status = 200, body = Count), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn record_count(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<CountRecordInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::RecordCount {
        count: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Approve a counted count: each variance becomes a count_variance adjustment.
#[utoipa::path(post, path = "/v1/counts/{id}/approve", tag = "warehouse",
    params(("id" = String, Path, description = "such as CC1")),
    responses((status = 200, body = Count), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn approve_count(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    _: IgnoredBody,
) -> ApiResult<Response> {
    let hash = path_hash(&format!("POST /v1/counts/{id}/approve\n"));
    run(
        &s,
        WmsCommand::ApproveCount { count: id },
        key,
        hash,
        StatusCode::OK,
    )
    .await
}

/// Set a node's pick faces (min and max units of a SKU at a location); faces
/// already below min get a replenishment from reserve storage at once.
#[utoipa::path(post, path = "/v1/pick-faces", tag = "warehouse", request_body = PickFacesInput,
    responses((status = 200, body = PickFaces), (status = 422, body = Problem)))]
pub async fn set_pick_faces(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<PickFacesInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::SetPickFaces(body.value);
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Get a replenishment task.
#[utoipa::path(get, path = "/v1/replenishments/{id}", tag = "warehouse",
    params(("id" = String, Path, description = "such as RP1")),
    responses((status = 200, body = Replenishment), (status = 404, body = Problem)))]
pub async fn get_replenishment(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    doc::<Replenishment>(&s, "replenishment", "replenishment", id).await
}

/// Confirm a replenishment by scanning the reserve location and the pick face:
/// the units move (reservations of unreleased orders follow them).
#[utoipa::path(post, path = "/v1/replenishments/{id}/confirm", tag = "warehouse", request_body = ReplenishmentInput,
    params(("id" = String, Path, description = "such as RP1")),
    responses((status = 200, body = Replenishment), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn confirm_replenishment(
    State(s): State<AppState>,
    Path(id): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<ReplenishmentInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::ConfirmReplenishment {
        task: id,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}
