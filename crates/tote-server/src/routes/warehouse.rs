//! Warehouse execution: layouts, ASNs and receiving, put-away, waves, picking,
//! packing, shipping, manifests and cycle counts. Each mutation is one writer
//! command (a ledger move with actor, time and an event).

use super::{AppState, ListPage, answer, decode_cursor, encode_cursor, page_limit};
use crate::extract::{ApiJson, ApiQuery, IdempotencyHeader, IgnoredBody};
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
        WmsOutcome::CountProgram(v) => answer(status, &v, r),
        WmsOutcome::DueCounts(mut v) => {
            v.counts = v.counts.into_iter().map(blind).collect();
            answer(status, &v, r)
        }
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

/// Receive a carton by scanning its SSCC: the lines its ASN lists for it
/// arrive as listed, except the SKUs `lines` names (what did arrive of each:
/// over, short and damaged variances as by item).
#[utoipa::path(post, path = "/v1/asn-cartons/{sscc}/receipts", tag = "warehouse", request_body = AsnReceiptInput,
    params(("sscc" = String, Path, description = "the carton's SSCC, 18 digits")),
    responses((status = 200, body = Asn), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn receive_carton(
    State(s): State<AppState>,
    Path(sscc): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<AsnReceiptInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::ReceiveCarton {
        sscc,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Set a cycle-count program (by ABC class, by zone, or after an exception).
#[utoipa::path(post, path = "/v1/count-programs", tag = "warehouse", request_body = CountProgramInput,
    responses((status = 200, body = CountProgram), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_count_program(
    State(s): State<AppState>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<CountProgramInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::SetCountProgram(body.value);
    run(&s, cmd, key, body.request_hash, StatusCode::OK).await
}

/// Get a count program.
#[utoipa::path(get, path = "/v1/count-programs/{code}", tag = "warehouse",
    params(("code" = String, Path, description = "the program's code")),
    responses((status = 200, body = CountProgram), (status = 404, body = Problem)))]
pub async fn get_count_program(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Response> {
    doc::<CountProgram>(&s, "count_program", "count program", code).await
}

/// Open the counts a program has due on a date (blind counts of the due
/// locations); each date once, in order.
#[utoipa::path(post, path = "/v1/count-programs/{code}/due-counts", tag = "warehouse", request_body = DueCountsInput,
    params(("code" = String, Path, description = "the program's code")),
    responses((status = 201, body = DueCounts), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn generate_counts(
    State(s): State<AppState>,
    Path(code): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    body: ApiJson<DueCountsInput>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::GenerateCounts {
        program: code,
        input: body.value,
    };
    run(&s, cmd, key, body.request_hash, StatusCode::CREATED).await
}

// ---- lists ----

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct WmsListQuery {
    /// Only records of this node.
    pub node: Option<String>,
    /// Only records in this status.
    pub status: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 1000; 100 by default.
    pub limit: Option<usize>,
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PickTaskQuery {
    /// Only tasks of this wave.
    pub wave: Option<String>,
    /// `open`, `picked`, `short` or `cancelled`.
    pub status: Option<String>,
    /// Only tasks this actor confirmed.
    pub picker: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 1000; 100 by default.
    pub limit: Option<usize>,
}

/// One page of a kind of record, oldest first, filtered by JSON fields.
pub(crate) async fn list<
    T: DeserializeOwned + serde::Serialize + utoipa::ToSchema + Send + 'static,
>(
    s: &AppState,
    kind: &'static str,
    filters: Vec<(&'static str, String)>,
    cursor: Option<String>,
    limit: Option<usize>,
    view: fn(T) -> T,
) -> ApiResult<Response> {
    let limit = page_limit(limit)?;
    let after = match cursor.as_deref() {
        None => None,
        Some(c) => Some(
            decode_cursor(c, 1)?[0]
                .parse::<i64>()
                .map_err(|_| ApiError::field("cursor", "is not a cursor this list gave out"))?,
        ),
    };
    let page = s
        .read(move |r| r.docs_page(OrgId::DEFAULT, kind, &filters, after, limit))
        .await?;
    let next_cursor = page
        .more
        .then(|| {
            page.items
                .last()
                .map(|(seq, _)| encode_cursor(&[&seq.to_string()]))
        })
        .flatten();
    let items = page
        .items
        .into_iter()
        .map(|(_, b)| serde_json::from_str::<T>(&b).map(view))
        .collect::<Result<Vec<T>, _>>()
        .map_err(ApiError::internal)?;
    Ok(answer(
        StatusCode::OK,
        &ListPage { items, next_cursor },
        false,
    ))
}

pub(crate) fn filters(pairs: [(&'static str, Option<String>); 3]) -> Vec<(&'static str, String)> {
    pairs
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
}

/// List ASNs, oldest first.
#[utoipa::path(get, path = "/v1/asns", tag = "warehouse", params(WmsListQuery),
    responses((status = 200, body = ListPage<Asn>), (status = 422, body = Problem)))]
pub async fn list_asns(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<WmsListQuery>,
) -> ApiResult<Response> {
    let f = filters([("$.node", q.node), ("$.status", q.status), ("$.id", None)]);
    list::<Asn>(&s, "asn", f, q.cursor, q.limit, |a| a).await
}

/// List waves, oldest first (`status` does not apply).
#[utoipa::path(get, path = "/v1/waves", tag = "warehouse", params(WmsListQuery),
    responses((status = 200, body = ListPage<Wave>), (status = 422, body = Problem)))]
pub async fn list_waves(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<WmsListQuery>,
) -> ApiResult<Response> {
    if q.status.is_some() {
        return Err(ApiError::field(
            "status",
            "waves have no status to filter by",
        ));
    }
    let f = filters([("$.node", q.node), ("$.id", None), ("$.id", None)]);
    list::<Wave>(&s, "wave", f, q.cursor, q.limit, |w| w).await
}

/// List pick tasks, in the order they were created.
#[utoipa::path(get, path = "/v1/pick-tasks", tag = "warehouse", params(PickTaskQuery),
    responses((status = 200, body = ListPage<PickTask>), (status = 422, body = Problem)))]
pub async fn list_pick_tasks(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<PickTaskQuery>,
) -> ApiResult<Response> {
    let f = filters([
        ("$.wave", q.wave),
        ("$.status", q.status),
        ("$.done_by", q.picker),
    ]);
    list::<PickTask>(&s, "pick_task", f, q.cursor, q.limit, |t| t).await
}

/// List counts, oldest first; open counts are blind.
#[utoipa::path(get, path = "/v1/counts", tag = "warehouse", params(WmsListQuery),
    responses((status = 200, body = ListPage<Count>), (status = 422, body = Problem)))]
pub async fn list_counts(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<WmsListQuery>,
) -> ApiResult<Response> {
    let f = filters([("$.node", q.node), ("$.status", q.status), ("$.id", None)]);
    list::<Count>(&s, "count", f, q.cursor, q.limit, blind).await
}

/// List replenishment tasks, oldest first.
#[utoipa::path(get, path = "/v1/replenishments", tag = "warehouse", params(WmsListQuery),
    responses((status = 200, body = ListPage<Replenishment>), (status = 422, body = Problem)))]
pub async fn list_replenishments(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<WmsListQuery>,
) -> ApiResult<Response> {
    let f = filters([("$.node", q.node), ("$.status", q.status), ("$.id", None)]);
    list::<Replenishment>(&s, "replenishment", f, q.cursor, q.limit, |r| r).await
}

// ---- inventory accuracy ----

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AccuracyQuery {
    pub node: String,
    /// Counts approved at or after this time (RFC 3339).
    pub from: Option<String>,
    /// Counts approved before this time (RFC 3339).
    pub to: Option<String>,
    /// Units a line may be off and still count as matched in the
    /// `*_within_tolerance` figures (default `COUNT_TOLERANCE_UNITS`).
    pub tolerance: Option<i64>,
}

/// Inventory accuracy of a node from its approved counts.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct InventoryAccuracy {
    pub node: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    pub counts: usize,
    /// Over every counted line.
    pub total: tote_wms::Accuracy,
    /// By location: each location's lines over the period.
    pub locations: Vec<LocationAccuracy>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct LocationAccuracy {
    pub location: String,
    pub counts: usize,
    pub units_counted: i64,
    pub units_expected: i64,
    pub abs_unit_variance: i64,
    /// Counts of it whose every line matched the books.
    pub counts_matched: usize,
    pub counts_within_tolerance: usize,
}

/// Inventory accuracy from approved cycle counts: counted locations whose
/// count matched the books over counted locations (exactly, and within a
/// tolerance of units a line), and one minus the absolute unit variance over
/// units counted; by location too.
#[utoipa::path(get, path = "/v1/inventory/accuracy", tag = "warehouse", params(AccuracyQuery),
    responses((status = 200, body = InventoryAccuracy), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn inventory_accuracy(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<AccuracyQuery>,
) -> ApiResult<Response> {
    let time = |field: &str, v: &Option<String>| -> ApiResult<Option<i64>> {
        v.as_deref()
            .map(|t| {
                tote_core::Timestamp::parse_rfc3339(t)
                    .map(|t| t.0)
                    .ok_or_else(|| ApiError::field(field, "must be an RFC 3339 time"))
            })
            .transpose()
    };
    let from = time("from", &q.from)?;
    let to = time("to", &q.to)?;
    let tolerance = q.tolerance.unwrap_or(COUNT_TOLERANCE_UNITS);
    if !(0..=tote_core::limits::LINE_QTY_MAX).contains(&tolerance) {
        return Err(ApiError::field(
            "tolerance",
            "must be between 0 and 1000000000",
        ));
    }
    let code = q.node.clone();
    if s.read(move |r| r.node(OrgId::DEFAULT, &code))
        .await?
        .is_none()
    {
        return Err(ApiError::not_found(format!("node `{}` not found", q.node)));
    }
    // Every approved count of the node, a page at a time.
    let mut counts: Vec<Count> = Vec::new();
    let mut after = None;
    loop {
        let node = q.node.clone();
        let page = s
            .read(move |r| {
                r.docs_page(
                    OrgId::DEFAULT,
                    "count",
                    &[("$.node", node), ("$.status", "approved".into())],
                    after,
                    tote_store::query::PAGE_ROWS_MAX,
                )
            })
            .await?;
        after = page.items.last().map(|(seq, _)| *seq);
        for (_, body) in &page.items {
            let c: Count = serde_json::from_str(body).map_err(ApiError::internal)?;
            let at = c
                .approved_at
                .as_deref()
                .and_then(tote_core::Timestamp::parse_rfc3339)
                .map(|t| t.0);
            let inside =
                at.is_some_and(|at| from.is_none_or(|f| at >= f) && to.is_none_or(|t| at < t));
            if inside {
                counts.push(c);
            }
        }
        if !page.more {
            break;
        }
    }
    let lines: Vec<tote_wms::CountedLine> = counts
        .iter()
        .flat_map(|c| {
            // A counted location with no line held nothing and was found empty.
            let empty = c
                .locations
                .iter()
                .filter(|l| !c.lines.iter().any(|x| &x.location == *l))
                .map(|l| tote_wms::CountedLine {
                    location: format!("{}\u{1f}{l}", c.id),
                    expected: 0,
                    counted: 0,
                });
            c.lines
                .iter()
                .map(|l| tote_wms::CountedLine {
                    location: format!("{}\u{1f}{}", c.id, l.location),
                    expected: l.expected.0,
                    counted: l.counted.0,
                })
                .chain(empty)
                .collect::<Vec<_>>()
        })
        .collect();
    // Each count of a location is one counted location.
    let total = tote_wms::inventory_accuracy(&lines, tolerance);
    let mut by_loc: std::collections::BTreeMap<String, Vec<tote_wms::CountedLine>> =
        std::collections::BTreeMap::new();
    for l in &lines {
        let (count, loc) = l.location.split_once('\u{1f}').expect("joined above");
        by_loc
            .entry(loc.to_owned())
            .or_default()
            .push(tote_wms::CountedLine {
                location: count.to_owned(),
                ..l.clone()
            });
    }
    let locations = by_loc
        .into_iter()
        .map(|(location, ls)| {
            let a = tote_wms::inventory_accuracy(&ls, tolerance);
            LocationAccuracy {
                location,
                counts: a.locations_counted,
                units_counted: a.units_counted,
                units_expected: a.units_expected,
                abs_unit_variance: a.abs_unit_variance,
                counts_matched: a.locations_matched,
                counts_within_tolerance: a.locations_within_tolerance,
            }
        })
        .collect();
    Ok(answer(
        StatusCode::OK,
        &InventoryAccuracy {
            node: q.node,
            from: q.from,
            to: q.to,
            counts: counts.len(),
            total,
            locations,
        },
        false,
    ))
}
