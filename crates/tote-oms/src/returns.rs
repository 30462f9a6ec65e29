//! Returns: an RMA authorises units of a shipped order to come back; the
//! parcel is tracked to the dock, received, inspected unit by unit, and each
//! unit is sent to its disposition; the refund is computed by
//! `tote_returns::refund` and issued by the channel's rule.
//!
//! Ledger: received units enter the books from the customer into the
//! `returns_pending` bucket at the receiving node's `RECEIVING` location;
//! dispositions move them on (on-hand, `refurbish`, `liquidation`) or out
//! (supplier, donated, scrap). A wrong item found at inspection is booked as
//! what it is: the unit expected goes back to the customer's account, the one
//! found comes in. RMAs persist as `wms_docs` rows of kind `rma`.

use serde::{Deserialize, Serialize};
use tote_core::{Address, Money, Qty};
pub use tote_returns::{Disposition, Grade, Method, Policy, RefundTrigger, ReturnReason};

/// Tracking numbers of return labels start with this.
pub const RETURN_TRACKING_PREFIX: &str = "RT";
/// Record kinds in `wms_docs`.
pub const DOC_RMA: &str = "rma";
pub const DOC_RETURN_POLICY: &str = "return_policy";

#[derive(Clone, Debug)]
pub enum ReturnsCommand {
    SetPolicy {
        channel: String,
        policy: Policy,
    },
    GetPolicy(String),
    Create(RmaInput),
    Tracking {
        rma: String,
        input: ReturnTrackingInput,
    },
    /// `rma` is the RMA id or the return label's tracking number.
    Receive {
        rma: String,
        input: ReturnReceiveInput,
    },
    Inspect {
        rma: String,
        input: InspectionInput,
    },
    Dispose {
        rma: String,
        input: DispositionInput,
    },
    Refund {
        rma: String,
        input: RefundInput,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ReturnsOutcome {
    Policy(PolicyView),
    Rma(Box<Rma>),
}

/// A channel's return policy as in force.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyView {
    pub channel: String,
    pub policy: Policy,
}

/// A return asked for: units of a shipped order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RmaInput {
    /// tote's order id (`O12`) or the order's number on its channel.
    pub order: String,
    /// The email on the order; when given it must match (the customer's page
    /// always sends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub method: Method,
    pub lines: Vec<RmaLineInput>,
    /// The node the units go to; the policy's `return_to`, else the node
    /// that shipped, when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RmaLineInput {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 1))]
    pub qty: Qty,
    pub reason: ReturnReason,
    /// Exchange for this SKU: a replacement order is placed and reserved at
    /// once, and these units are not refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_for: Option<String>,
}

/// A carrier scan of the return parcel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnTrackingInput {
    /// `in_transit` or `delivered`.
    pub status: String,
}

/// The parcel scanned at the dock.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnReceiveInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InspectionInput {
    pub units: Vec<UnitInspection>,
}

/// One unit on the inspection bench.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitInspection {
    /// The unit's number on the RMA (from 1).
    pub unit: u32,
    /// What the unit is: a SKU code or GTIN scanned off it.
    pub scanned: String,
    pub grade: Grade,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// An http(s) link to a photo of the unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
}

/// Run the disposition rules over every inspected unit not yet disposed of;
/// `overrides` decide some units by hand, each with a reason.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DispositionInput {
    #[serde(default)]
    pub overrides: Vec<DispositionOverride>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DispositionOverride {
    pub unit: u32,
    pub disposition: Disposition,
    pub reason: String,
}

/// Issue the refund now (whatever the channel's trigger).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundInput {}

/// An RMA as stored and shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rma {
    pub id: String,
    pub order: String,
    pub external_id: String,
    pub channel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub method: Method,
    /// The node the units go to.
    pub node: String,
    /// `authorized`, `in_transit`, `delivered`, `received`, `inspected`, `closed`.
    pub status: String,
    pub lines: Vec<RmaLine>,
    /// One per unit received, numbered from 1.
    pub units: Vec<ReturnUnit>,
    /// The return label's tracking number (carrier label only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<String>,
    /// Where the parcel comes from (the order's ship-to) and goes to.
    pub ship_from: Address,
    pub ship_to: Address,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund: Option<RefundRecord>,
    /// The replacement order of an exchange.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_order: Option<String>,
    /// Ledger transfers made for this RMA.
    pub transfers: Vec<u64>,
    pub shipped_at: String,
    pub authorized_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_transit_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RmaLine {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub qty: Qty,
    pub reason: ReturnReason,
    /// The order line it returns (from 0).
    pub order_line: usize,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit_price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_for: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnUnit {
    pub unit: u32,
    /// The RMA line it came back under.
    pub line: usize,
    pub expected_sku: String,
    /// What the inspector found: the SKU (on the books), or none for an item
    /// that is no SKU of ours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned: Option<String>,
    pub wrong_item: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspected_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspected_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<Disposition>,
    /// The rule that chose the disposition, or `override: <reason>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The unit's selling price when it was disposed of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub value: Option<Money>,
    /// Resale value less handling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub recovered: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispositioned_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundRecord {
    /// `carrier_scan`, `receipt` or `manual`.
    pub trigger: RefundTrigger,
    pub lines: Vec<RefundLineView>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub merchandise: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub shipping: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub restocking_fee: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total: Money,
    pub issued_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundLineView {
    pub order_line: usize,
    pub sku: String,
    pub qty: i64,
    pub reason: ReturnReason,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub merchandise: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub shipping: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub restocking_fee: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Money,
}
