//! Warehouse execution: the commands a warehouse team runs (receive against an
//! ASN, put away, release a wave, pick, pack, ship, manifest, count) and the
//! records they keep. Every step is a ledger move made by the writer
//! (`engine::wms`), with the actor and time of its envelope, and an event.
//!
//! Units travel through locations of one node: the `RECEIVING` dock, storage
//! locations, and the `PACK` station (created with the first pick). An order's
//! reservation is a pending transfer from a location's on-hand to the customer;
//! whenever units under a reservation move, the reservation is voided and made
//! again at the new location inside the same command, so it always points where
//! the units are. Shipping posts it.

use serde::{Deserialize, Serialize};
use tote_core::Qty;
use tote_wms::{CartonChoice, NodeLayout, WaveRules};

/// The pack station every picked unit goes to.
pub const PACK_LOCATION: &str = "PACK";
/// Tracking numbers of the built-in local carrier start with this.
pub const TRACKING_PREFIX: &str = "TT";
/// The SSCC extension digits of the cartons tote ships and of the return cartons
/// it labels: different, so the two never share a number under the shop's one
/// company prefix.
pub const SSCC_EXTENSION_OUTBOUND: u8 = 0;
pub const SSCC_EXTENSION_RETURN: u8 = 1;
/// The most cartons in one ASN, and locations in one count.
pub const ASN_CARTONS_MAX: usize = 1_000;
pub const COUNT_LOCATIONS_MAX: usize = 1_000;
/// A counted line off the books by more units than this is counted again.
pub const COUNT_TOLERANCE_UNITS: i64 = 2;
/// The longest a count program may go between counts of a location.
pub const COUNT_EVERY_DAYS_MAX: u32 = 3_660;

#[derive(Clone, Debug)]
pub enum WmsCommand {
    SetLayout {
        node: String,
        layout: NodeLayout,
    },
    CreateAsn(AsnInput),
    ReceiveAsn {
        asn: String,
        input: AsnReceiptInput,
    },
    SuggestPutaway(PutawayQuery),
    PutAway(PutawayInput),
    ReleaseWave(WaveInput),
    ConfirmPick {
        task: String,
        input: PickInput,
    },
    ShortPick {
        task: String,
        input: ShortPickInput,
    },
    PackScan {
        order: String,
        input: PackScanInput,
    },
    Ship {
        order: String,
        input: ShipInput,
    },
    CloseManifest(ManifestInput),
    CreateCount(CountInput),
    RecordCount {
        count: String,
        input: CountRecordInput,
    },
    ApproveCount {
        count: String,
    },
    ReceiveCarton {
        sscc: String,
        input: AsnReceiptInput,
    },
    SetCountProgram(CountProgramInput),
    GenerateCounts {
        program: String,
        input: DueCountsInput,
    },
    SetPickFaces(PickFacesInput),
    ConfirmReplenishment {
        task: String,
        input: ReplenishmentInput,
    },
    /// Carrier tracking events, checked row by row (see `TrackingBatch`).
    Track(Vec<TrackingInput>),
    /// A planning suggestion approved into a purchase order or a shipped transfer.
    ApprovePlan(crate::planning::PlanApprovalInput),
    /// A transfer order's units arrive at the destination's dock.
    ReceiveTransfer {
        transfer: String,
    },
    /// An edited labor standard for a process (`pick`, `pack`, ...).
    SetLaborStandard {
        process: String,
        input: crate::planning::LaborStandardInput,
    },
}

// ---- inbound ----

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SkuQtyInput {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 1))]
    pub qty: Qty,
}

/// An advance ship notice: what a supplier says is coming, by carton.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AsnInput {
    pub node: String,
    /// The purchase order it ships against.
    pub po: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    pub cartons: Vec<AsnCartonInput>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AsnCartonInput {
    /// The supplier's number for the carton.
    pub id: String,
    /// The carton's SSCC (18 digits, GS1 check digit): scanning it receives
    /// the carton's lines in one step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sscc: Option<String>,
    pub lines: Vec<SkuQtyInput>,
}

/// Units scanned at the dock against an ASN.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AsnReceiptInput {
    /// With `sscc`: only the carton's SKUs that did not arrive as listed (what
    /// did arrive of each), and SKUs it did not list; without: every unit.
    #[serde(default)]
    pub lines: Vec<AsnReceiptLine>,
    /// A carton's SSCC: its listed lines are received as listed, except the
    /// SKUs `lines` names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sscc: Option<String>,
    /// Close the ASN after this receipt: what has not arrived is short for good.
    #[serde(default)]
    pub close: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AsnReceiptLine {
    pub sku: String,
    /// Good units: they land in on-hand at the dock.
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 0))]
    pub qty: Qty,
    /// Damaged units: they land in the dock's damaged bucket.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 0))]
    pub damaged: Qty,
}

/// What an ASN expected of a SKU, what arrived, and the variance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AsnLine {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub expected: Qty,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub received: Qty,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub damaged: Qty,
    /// Received and damaged beyond expected.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub over: Qty,
    /// Expected but not (yet) arrived.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub short: Qty,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Asn {
    pub id: String,
    pub node: String,
    pub po: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    pub cartons: Vec<AsnCartonInput>,
    /// `open` or `closed`.
    pub status: String,
    pub lines: Vec<AsnLine>,
    pub created_at: String,
    /// The first receipt's time: dock-to-stock counts from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_received_at: Option<String>,
    /// SSCCs of the cartons received by scanning them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cartons_received: Vec<String>,
}

// ---- put-away ----

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PutawayQuery {
    pub node: String,
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 1))]
    pub qty: Qty,
    /// A, B or C (default B): the zone put-away prefers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub velocity: Option<String>,
}

/// Moving units from the dock (or any location) to storage, confirmed by
/// scanning the storage location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PutawayInput {
    pub node: String,
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 1))]
    pub qty: Qty,
    /// Defaults to `RECEIVING`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The location the associate scanned.
    pub location: String,
    /// Required when `location` is not the suggested one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
    /// A, B or C (default B), for the suggestion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub velocity: Option<String>,
    /// The ASN the units arrived on, for dock-to-stock time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PutawaySuggestion {
    /// None when no location qualifies.
    pub location: Option<String>,
    /// `same_sku`, `velocity_zone` or `free_space`.
    pub rule: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PutAway {
    pub node: String,
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
    pub from: String,
    pub to: String,
    pub suggested: PutawaySuggestion,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
    /// Reservations that followed the units to the new location.
    pub repointed: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dock_to_stock_s: Option<i64>,
    pub at: String,
}

// ---- waves and picking ----

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WaveInput {
    pub node: String,
    /// Totes on a cart: the most orders in one pick list.
    pub cart_totes: usize,
    #[serde(default)]
    pub rules: WaveRules,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickTask {
    pub id: String,
    pub wave: String,
    pub list: String,
    /// Place in the list's walking order, from 1.
    pub seq: usize,
    pub order: String,
    /// The cart tote the units go in (1-based).
    pub tote: usize,
    pub sku: String,
    pub location: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
    /// `open`, `picked` or `short`.
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub picked: Qty,
    /// The reservation (pending transfer) the task picks.
    pub reservation: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickListView {
    pub id: String,
    pub orders: Vec<String>,
    /// Task ids in walking order.
    pub tasks: Vec<String>,
    pub distance_m: f64,
    /// False: sorted by location code (a location has no place on the layout).
    pub routed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Wave {
    pub id: String,
    pub node: String,
    pub orders: Vec<String>,
    pub lists: Vec<PickListView>,
    pub tasks: Vec<PickTask>,
    pub distance_m: f64,
    /// The same orders, `cart_totes` a trip in release order, each walked in
    /// location-code order; None when a location has no place on the layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_order_distance_m: Option<f64>,
    pub released_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PickInput {
    /// The scanned location code.
    pub location: String,
    /// The scanned GTIN or SKU code.
    pub item: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 1))]
    pub qty: Qty,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShortPickInput {
    pub location: String,
    /// Units found and picked (fewer than the task's); the location is then
    /// taken to hold nothing else that is not reserved for another order.
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 0))]
    pub found: Qty,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A pick's result: the task, any tasks made to re-source a short, and the
/// order's state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickResult {
    pub task: PickTask,
    pub new_tasks: Vec<PickTask>,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub backordered: Qty,
    pub order_status: String,
    /// Replenishments the pick left a pick face needing.
    pub replenishments: Vec<Replenishment>,
}

// ---- pack, ship, manifest ----

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PackScanInput {
    /// The scanned GTIN or SKU code.
    pub item: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackRemaining {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
}

/// An order at the pack station.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pack {
    pub order: String,
    /// Whether the last scan was accepted.
    pub accepted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    pub remaining: Vec<PackRemaining>,
    pub scans_accepted: u64,
    /// Wrong items scanned and refused: order accuracy counts them.
    pub scans_refused: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub cartons: Vec<CartonChoice>,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShipInput {
    /// A loaded service as `carrier/service` (such as `parcelo/ground`), which is
    /// rated; when absent, rate shopping chooses the cheapest service that
    /// delivers by the order's `deliver_by` (none meets it: the fastest, late).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shipment {
    pub id: String,
    pub order: String,
    pub node: String,
    pub carrier: String,
    pub service: String,
    pub tracking: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub cartons: Vec<CartonChoice>,
    /// Transfers that posted the reservations: the units left the books.
    pub posted: Vec<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
    pub shipped_at: String,
    /// `rate_shop` (no service was named) or `named`.
    #[serde(default)]
    pub chosen_by: String,
    /// What the carrier will bill, itemised per carton.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<ShipmentQuote>,
    /// The carrier's pickup date at the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub ship_on: Option<chrono::NaiveDate>,
    /// The carrier's committed delivery date for the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub committed_on: Option<chrono::NaiveDate>,
    /// The order's promise when it shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub deliver_by: Option<chrono::NaiveDate>,
    /// The committed date is after `deliver_by` (no service met it, or the named one does not).
    #[serde(default)]
    pub late: bool,
    /// Every service considered, with its total and date or why it was skipped.
    #[serde(default)]
    pub candidates: Vec<ServiceCandidate>,
    /// What the 4x6 labels print (`/v1/shipments/{id}/label.pdf|.zpl`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<ShipmentLabel>,
    /// `shipped`, then the latest tracking status (`picked_up` ... `delivered`).
    #[serde(default = "shipped")]
    pub status: String,
    /// Tracking events applied, oldest first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub history: Vec<tote_transport::tracking::TrackingEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    /// The delivery date at the destination (the date of the carrier's
    /// delivery time in its own offset): carrier on-time compares it with
    /// `committed_on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub delivered_on: Option<chrono::NaiveDate>,
}

fn shipped() -> String {
    "shipped".into()
}

/// A shipment's price: the sum of its cartons' quotes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipmentQuote {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total: tote_core::Money,
    pub currency: String,
    pub cartons: Vec<CartonQuote>,
}

/// One carton's quote: zone, weights and every charge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartonQuote {
    pub zone: u16,
    /// `lb` or `kg`: the unit of the weights.
    pub weight_unit: String,
    pub actual_weight: u64,
    pub dimensional_weight: u64,
    pub billable_weight: u64,
    pub charges: Vec<QuoteCharge>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total: tote_core::Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteCharge {
    /// base, residential, additional_handling, large_package, delivery_area, peak, fuel.
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: tote_core::Money,
    /// What the charge is for, such as `zone 5, 9 lb billable`.
    pub why: String,
}

/// A service rate shopping looked at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceCandidate {
    /// `carrier/service`.
    pub service: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub total: Option<tote_core::Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub deliver_on: Option<chrono::NaiveDate>,
    /// `meets`, `late` or `skipped`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// What the labels print besides the service and tracking number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipmentLabel {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub ship_from: tote_transport::Address,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub ship_to: tote_transport::Address,
    /// One GS1 SSCC (18 digits) per carton, in carton order.
    pub sscc: Vec<String>,
}

/// One carrier tracking event, checked at the edge; `row` names it in the answer.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackingInput {
    pub row: usize,
    pub tracking: String,
    pub status: tote_transport::tracking::TrackingStatus,
    /// With the carrier's offset: the delivery date is the date in it.
    pub at: chrono::DateTime<chrono::FixedOffset>,
    pub location: Option<String>,
    pub detail: Option<String>,
}

/// What became of each row of a tracking batch, in row order. Rows are
/// applied in time order and each stands alone: a good row is applied whole,
/// a refused one changes nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackingBatch {
    pub applied: usize,
    pub refused: usize,
    pub rows: Vec<TrackingRowResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackingRowResult {
    /// The row: 1-based position in a JSON array, or the line in a CSV file
    /// (the header is line 1).
    pub row: usize,
    pub tracking: String,
    /// `applied` or `refused`.
    pub result: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment: Option<String>,
    /// The shipment's status after the row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// For a refused row: the field at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ManifestInput {
    pub carrier: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Manifest {
    pub id: String,
    pub carrier: String,
    pub shipments: Vec<String>,
    pub tracking: Vec<String>,
    pub closed_at: String,
}

// ---- replenishment ----

/// Pick faces of a node: locations pickers take a SKU from, kept between `min`
/// and `max` units by replenishment from reserve storage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PickFacesInput {
    pub node: String,
    pub faces: Vec<PickFace>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PickFace {
    pub location: String,
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 0))]
    pub min: Qty,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 1))]
    pub max: Qty,
}

/// Move `qty` of `sku` from reserve storage `from` to the pick face `to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Replenishment {
    pub id: String,
    pub node: String,
    pub sku: String,
    pub from: String,
    pub to: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
    /// `open` or `done`.
    pub status: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<String>,
}

/// The scans that confirm a replenishment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReplenishmentInput {
    pub from: String,
    pub to: String,
}

/// Pick faces as set, and the replenishments their levels call for now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickFaces {
    pub node: String,
    pub faces: Vec<PickFace>,
    pub replenishments: Vec<Replenishment>,
}

// ---- cycle counts ----

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CountInput {
    pub node: String,
    pub locations: Vec<String>,
    /// Units a line may be off before the count is counted again (default
    /// `COUNT_TOLERANCE_UNITS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub tolerance_units: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CountRecordInput {
    /// Every SKU found at the counted locations; a SKU the books hold at a
    /// counted location but the counter did not list counts as zero.
    pub lines: Vec<CountLineInput>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CountLineInput {
    pub location: String,
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 0))]
    pub qty: Qty,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountLine {
    pub location: String,
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub counted: Qty,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub expected: Qty,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub variance: Qty,
}

/// A blind count: until it is counted, it shows only the locations to count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub id: String,
    pub node: String,
    pub locations: Vec<String>,
    /// `open`, `recount` (a line was off by more than the tolerance),
    /// `counted` or `approved`.
    pub status: String,
    /// Shown once counted: while open or up for recount the API answers none
    /// (the counter does not see the books).
    pub lines: Vec<CountLine>,
    #[serde(default)]
    pub recounts: u32,
    /// Counted locations whose every line matched the books (inventory
    /// accuracy is this over the counted locations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations_matched: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// Transfers of the count_variance adjustment.
    pub adjustments: Vec<u64>,
    /// The program that made it (`by: exception` counts name the short pick).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Units a line may be off before the count is counted again.
    #[serde(default = "count_tolerance_default")]
    pub tolerance_units: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_at: Option<String>,
}

fn count_tolerance_default() -> i64 {
    COUNT_TOLERANCE_UNITS
}

/// How often a program counts a location of each ABC class, in days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AbcFrequencies {
    #[serde(default = "days_a")]
    pub a_days: u32,
    #[serde(default = "days_b")]
    pub b_days: u32,
    #[serde(default = "days_c")]
    pub c_days: u32,
}

fn days_a() -> u32 {
    30
}
fn days_b() -> u32 {
    90
}
fn days_c() -> u32 {
    365
}

impl Default for AbcFrequencies {
    fn default() -> Self {
        AbcFrequencies {
            a_days: days_a(),
            b_days: days_b(),
            c_days: days_c(),
        }
    }
}

/// A cycle-count program of a node: by ABC class (each class its frequency;
/// a location's class is the fastest of the SKUs it holds, classes from units
/// shipped), by zone (every location of the zones once every `every_days`), or
/// after an exception (a short pick counts its location at once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CountProgramInput {
    /// The program's code; setting it again replaces it.
    pub code: String,
    pub node: String,
    /// `abc`, `zone` or `exception`.
    pub by: String,
    /// For `abc`: defaults A 30, B 90, C 365 days.
    #[serde(default)]
    pub frequencies: AbcFrequencies,
    /// For `zone`: the zones counted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    /// For `zone`: every location once in this many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every_days: Option<u32>,
    /// Units a line may be off before a count is counted again (default
    /// `COUNT_TOLERANCE_UNITS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub tolerance_units: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountProgram {
    pub program: CountProgramInput,
    /// The last date counts were generated for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub generated_through: Option<chrono::NaiveDate>,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DueCountsInput {
    /// The day (`YYYY-MM-DD`) to generate the due counts of.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: chrono::NaiveDate,
}

/// The counts a program generated for a day (one count of all due locations,
/// none when nothing is due).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueCounts {
    pub program: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: chrono::NaiveDate,
    /// Locations due, with the class that made them due (`A`, `B`, `C`, or
    /// the zone).
    pub due: Vec<DueLocation>,
    pub counts: Vec<Count>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueLocation {
    pub location: String,
    pub class: String,
}

/// What a warehouse command answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum WmsOutcome {
    Layout(NodeLayout),
    Asn(Asn),
    Suggestion(PutawaySuggestion),
    PutAway(PutAway),
    Wave(Wave),
    Pick(PickResult),
    Pack(Pack),
    Shipment(Box<Shipment>),
    Manifest(Manifest),
    Count(Count),
    PickFaces(PickFaces),
    Replenishment(Replenishment),
    Tracking(TrackingBatch),
    PlanApproval(Box<crate::planning::Approved>),
    Transfer(crate::planning::TransferOrder),
    LaborStandard(crate::planning::LaborStandard),
    CountProgram(CountProgram),
    DueCounts(DueCounts),
}
