//! Events to facts: the projector turns the domain events, in commit order, into
//! the facts the board counts, and keeps the board up to date as they arrive.
//!
//! Each event kind is one small function (`on_order_placed`, `on_order_shipped`,
//! ...) reached from one `match` in `Projector::apply`. A function changes the
//! state of one order (or count, or receipt) through `Projector::update_order`,
//! which retracts the order's facts as they stood and observes them as they stand
//! now, so the board is maintained incrementally and never recomputed.
//!
//! Time: the projector's clock is the latest time it was given, by an event or by
//! `advance` (the service passes the wall clock, the weekly report the end of the
//! week). Facts whose outcome depends on a deadline (OTIF once the deliver-by has
//! passed, on-time ship once the ship-by has passed) are refreshed when the clock
//! passes their deadline, from a queue of deadlines, so nothing is rescanned.

use foldhash::HashMap;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};

use rust_decimal::Decimal;
use serde::Deserialize;
use tote_core::{Money, NodeId, OrderId, SkuId, Timestamp};

use crate::board::Board;
use crate::fact::{
    AdjustmentFact, AdjustmentReason, Cancellation, CarrierId, ChannelId, CostFact, CountFact,
    Cuts, LaborFact, OrderFact, OrderLineFact, ReceiptFact, ReturnFact, ShipmentFact,
    ShippingErrors, Step,
};
use crate::period::Day;

const HOUR_US: i64 = 3_600_000_000;
const DAY_US: i64 = 24 * HOUR_US;
/// Ship-by of an order placed without one: a day after it was placed.
pub const DEFAULT_SHIP_BY_HOURS: i64 = 24;
/// Deliver-by of an order placed without one: three days after its ship-by.
pub const DEFAULT_DELIVER_DAYS_AFTER_SHIP_BY: i64 = 3;
/// Short picks kept for the exception queue (the most recent).
pub const SHORT_PICKS_KEPT: usize = 1_000;

/// One domain event as the projector reads it: the store's row, unparsed.
#[derive(Clone, Copy, Debug)]
pub struct EventIn<'a> {
    pub seq: u64,
    /// The wire name, such as `order.placed`. Kinds the projector does not know
    /// are skipped, so events added later need only a new match arm.
    pub kind: &'a str,
    pub at: Timestamp,
    pub actor: &'a str,
    pub subject: &'a str,
    /// The JSON payload.
    pub data: &'a str,
}

/// Where an open order stands on the floor (for exceptions and drill-down).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Placed, nothing reserved: waiting for stock.
    Backordered,
    Allocated,
    Released,
    Picked,
    Packed,
    Shipped,
    Cancelled,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Backordered => "backordered",
            Stage::Allocated => "allocated",
            Stage::Released => "released",
            Stage::Picked => "picked",
            Stage::Packed => "packed",
            Stage::Shipped => "shipped",
            Stage::Cancelled => "cancelled",
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Shipped | Stage::Cancelled)
    }
}

/// One line of an order as the projector follows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineState {
    pub sku: SkuId,
    pub ordered: i64,
    /// Units not shipped from stock on the first attempt: backordered at
    /// placing, re-sourced after a node rejected them, or short at the pick face.
    pub not_first_attempt: i64,
}

/// Everything the projector knows of one order.
#[derive(Clone, Debug)]
pub struct OrderState {
    pub fact: OrderFact,
    /// The order's shipment (tote ships an order in one shipment); planned from
    /// placing, so a shipment still on the floor after its ship-by counts late.
    pub shipment: Option<ShipmentFact>,
    pub lines: Vec<LineState>,
    pub stage: Stage,
    pub ever_backordered: bool,
    /// Units waiting for stock now.
    pub backordered_units: i64,
    pub last_event_at: Timestamp,
    pub last_event: &'static str,
    pub short_picks: u32,
}

impl OrderState {
    fn line_facts(&self) -> impl Iterator<Item = OrderLineFact> + '_ {
        let shipped = self.fact.shipped_at.is_some();
        self.lines.iter().map(move |l| OrderLineFact {
            order: self.fact.order,
            sku: l.sku,
            placed_at: self.fact.placed_at,
            units_ordered: l.ordered,
            units_shipped_first_attempt: if shipped && self.fact.units_shipped > 0 {
                (l.ordered - l.not_first_attempt).max(0)
            } else {
                0
            },
            cancelled: self.fact.cancelled,
        })
    }
}

/// A short pick, for the exception queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShortPick {
    pub seq: u64,
    pub at: Timestamp,
    pub task: String,
    pub order: String,
    pub sku: String,
    pub location: String,
    pub expected: i64,
    pub found: i64,
    pub reason: Option<String>,
}

/// A cycle count as the projector follows it.
#[derive(Clone, Debug, Default)]
pub struct CountState {
    pub node: Option<NodeId>,
    pub facts: Vec<CountFact>,
    pub counted_at: Option<Timestamp>,
    /// Counted with a variance, and the variance is not yet approved.
    pub awaiting_approval: bool,
    pub variance_units: i64,
}

/// Codes interned to the small ids facts carry, and back.
#[derive(Clone, Debug, Default)]
pub struct Names {
    nodes: Interner,
    channels: Interner,
    carriers: Interner,
    skus: Interner,
    three_pl: HashMap<u32, bool>,
    sku_cost: HashMap<u32, Decimal>,
}

#[derive(Clone, Debug, Default)]
struct Interner {
    ids: HashMap<String, u32>,
    codes: Vec<String>,
}

impl Interner {
    fn id(&mut self, code: &str) -> u32 {
        if let Some(&id) = self.ids.get(code) {
            return id;
        }
        let id = u32::try_from(self.codes.len()).expect("fewer than 4 billion codes");
        self.codes.push(code.to_owned());
        self.ids.insert(code.to_owned(), id);
        id
    }

    fn find(&self, code: &str) -> Option<u32> {
        self.ids.get(code).copied()
    }

    fn code(&self, id: u32) -> Option<&str> {
        self.codes.get(id as usize).map(String::as_str)
    }
}

impl Names {
    pub fn node(&mut self, code: &str) -> NodeId {
        NodeId(self.nodes.id(code))
    }
    pub fn channel(&mut self, code: &str) -> ChannelId {
        ChannelId(u16::try_from(self.channels.id(code)).unwrap_or(u16::MAX))
    }
    pub fn carrier(&mut self, code: &str) -> CarrierId {
        CarrierId(u16::try_from(self.carriers.id(code)).unwrap_or(u16::MAX))
    }
    pub fn sku(&mut self, code: &str) -> SkuId {
        SkuId(self.skus.id(code))
    }
    pub fn find_node(&self, code: &str) -> Option<NodeId> {
        self.nodes.find(code).map(NodeId)
    }
    pub fn find_channel(&self, code: &str) -> Option<ChannelId> {
        self.channels
            .find(code)
            .and_then(|i| u16::try_from(i).ok())
            .map(ChannelId)
    }
    pub fn find_carrier(&self, code: &str) -> Option<CarrierId> {
        self.carriers
            .find(code)
            .and_then(|i| u16::try_from(i).ok())
            .map(CarrierId)
    }
    pub fn find_sku(&self, code: &str) -> Option<SkuId> {
        self.skus.find(code).map(SkuId)
    }
    pub fn node_code(&self, id: NodeId) -> &str {
        self.nodes.code(id.0).unwrap_or("?")
    }
    pub fn channel_code(&self, id: ChannelId) -> &str {
        self.channels.code(u32::from(id.0)).unwrap_or("?")
    }
    pub fn carrier_code(&self, id: CarrierId) -> &str {
        self.carriers.code(u32::from(id.0)).unwrap_or("?")
    }
    pub fn sku_code(&self, id: SkuId) -> &str {
        self.skus.code(id.0).unwrap_or("?")
    }
    pub fn is_three_pl(&self, id: NodeId) -> bool {
        self.three_pl.get(&id.0).copied().unwrap_or(false)
    }
    /// Every node, carrier and channel code, in the order first seen.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &str)> {
        self.nodes
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (NodeId(i as u32), c.as_str()))
    }
    pub fn carriers(&self) -> impl Iterator<Item = (CarrierId, &str)> {
        self.carriers
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (CarrierId(i as u16), c.as_str()))
    }
    pub fn channels(&self) -> impl Iterator<Item = (ChannelId, &str)> {
        self.channels
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (ChannelId(i as u16), c.as_str()))
    }
    fn cost(&self, sku: SkuId) -> Decimal {
        self.sku_cost.get(&sku.0).copied().unwrap_or_default()
    }
}

/// Settings carried by events: metric targets and scorecard configuration, as
/// their JSON bodies (the service validates them before they are written).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub targets: Option<String>,
    pub scorecards: Option<String>,
}

/// The state behind the board: every order's facts and what the exception
/// queue needs.
#[derive(Clone, Debug, Default)]
pub struct Projector {
    pub now: Timestamp,
    pub names: Names,
    pub orders: HashMap<OrderId, OrderState>,
    /// The orders not shipped or cancelled, so the exception queue and the
    /// stockouts read only those.
    open: std::collections::BTreeSet<OrderId>,
    /// Orders by the day they were placed, for drill-downs over a period.
    placed_on: BTreeMap<Day, Vec<OrderId>>,
    /// Open orders' deadlines (ship-by and deliver-by) not yet passed.
    deadlines: BinaryHeap<Reverse<(Timestamp, OrderId)>>,
    pub counts: BTreeMap<String, CountState>,
    pub short_picks: VecDeque<ShortPick>,
    pub settings: Settings,
    /// Received returns by RMA, as last observed.
    returns: HashMap<String, ReturnFact>,
    /// The time of the latest event applied (the clock may run ahead of it).
    pub last_event_at: Timestamp,
    /// The last event applied.
    pub seq: u64,
    pub events_applied: u64,
}

// ---- payloads: only the fields the metrics read ----

#[derive(Deserialize)]
struct NodeData {
    node: NodeBody,
}
#[derive(Deserialize)]
struct NodeBody {
    code: String,
    kind: String,
}
#[derive(Deserialize)]
struct SkuData {
    sku: SkuBody,
}
#[derive(Deserialize)]
struct SkuBody {
    sku: String,
    unit_cost: Money,
}
#[derive(Deserialize)]
struct SkuQty {
    sku: String,
    #[serde(default)]
    node: Option<String>,
    qty: i64,
}
#[derive(Deserialize)]
struct Placed {
    channel: String,
    lines: Vec<SkuQty>,
    #[serde(default)]
    ship_by: Option<String>,
    #[serde(default)]
    deliver_by: Option<String>,
}
#[derive(Deserialize)]
struct Allocated {
    allocations: Vec<SkuQty>,
}
#[derive(Deserialize)]
struct Lines {
    lines: Vec<SkuQty>,
    /// The order the engine placed for units a shipped order left behind.
    #[serde(default)]
    follow_up: Option<String>,
}
#[derive(Deserialize)]
struct LineRejected {
    sku: String,
    qty: i64,
    #[serde(default)]
    allocations: Vec<SkuQty>,
    #[serde(default)]
    backordered: i64,
}
#[derive(Deserialize)]
struct Picked {
    order: String,
    qty: i64,
}
#[derive(Deserialize)]
struct ShortPicked {
    order: String,
    sku: String,
    location: String,
    expected: i64,
    found: i64,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    backordered: i64,
}
#[derive(Deserialize)]
struct Shipped {
    /// The warehouse's shipment; a partner's shipment is a `fulfilment`.
    #[serde(default)]
    shipment: Option<ShipmentBody>,
    #[serde(default)]
    fulfilment: Option<PartnerBody>,
    #[serde(default)]
    backordered: Vec<SkuOnly>,
}
#[derive(Deserialize)]
struct PartnerBody {
    node: String,
    #[serde(default)]
    carrier: Option<String>,
}
#[derive(Deserialize)]
struct PickedUp {
    task: PartnerBody,
    #[serde(default)]
    closed: bool,
}
#[derive(Deserialize)]
struct ShipmentBody {
    node: String,
    carrier: String,
    /// The carrier's price, when the shipment was rated.
    #[serde(default)]
    quote: Option<QuoteBody>,
}
#[derive(Deserialize)]
struct QuoteBody {
    total: Money,
}
#[derive(Deserialize)]
struct Delivered {
    #[serde(default)]
    delivered_at: Option<String>,
    /// The carrier's committed date, `YYYY-MM-DD`.
    #[serde(default)]
    committed_on: Option<String>,
}
#[derive(Deserialize)]
struct ReturnReceived {
    order: String,
    lines: Vec<SkuQty>,
}
#[derive(Deserialize)]
struct ReturnDispositioned {
    units: Vec<DisposedUnit>,
}
#[derive(Deserialize)]
struct DisposedUnit {
    disposition: String,
    value: Money,
    recovered: Money,
}
#[derive(Deserialize)]
struct SkuOnly {
    sku: String,
    qty: i64,
}
#[derive(Deserialize)]
struct PutAway {
    node: String,
    qty: i64,
    #[serde(default)]
    dock_to_stock_s: Option<i64>,
}
#[derive(Deserialize)]
struct Received {
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    moved: Vec<QtyOnly>,
    #[serde(default)]
    receipt: Option<Receipt>,
}
#[derive(Deserialize)]
struct Receipt {
    node: String,
    lines: Vec<QtyOnly>,
}
#[derive(Deserialize)]
struct QtyOnly {
    qty: i64,
}
#[derive(Deserialize)]
struct Adjusted {
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    sku: Option<String>,
    #[serde(default)]
    qty: Option<i64>,
    #[serde(default)]
    count: Option<String>,
    #[serde(default)]
    lines: Vec<AdjustedLine>,
}
#[derive(Deserialize)]
struct AdjustedLine {
    sku: String,
    qty: i64,
}
#[derive(Deserialize)]
struct CountCreated {
    node: String,
}
#[derive(Deserialize)]
struct Counted {
    lines: Vec<CountLine>,
    status: String,
}
#[derive(Deserialize)]
struct CountLine {
    location: String,
    counted: i64,
    expected: i64,
}

fn parse<'a, T: Deserialize<'a>>(e: &EventIn<'a>) -> Option<T> {
    serde_json::from_str(e.data).ok()
}

/// The last microsecond of a calendar date (UTC), `YYYY-MM-DD`.
fn end_of_date(date: &str) -> Option<Timestamp> {
    let start = Timestamp::parse_rfc3339(&format!("{date}T00:00:00Z"))?;
    Some(Timestamp(start.0 + DAY_US - 1))
}

impl Projector {
    pub fn new() -> Projector {
        Projector::default()
    }

    /// Applies one event: its facts change on the board. Events of kinds the
    /// projector does not read, or whose payload it cannot read, change nothing.
    pub fn apply(&mut self, board: &mut Board, e: &EventIn<'_>) {
        self.advance(board, e.at);
        self.seq = self.seq.max(e.seq);
        self.last_event_at = self.last_event_at.max(e.at);
        self.events_applied += 1;
        match e.kind {
            "node.created" | "node.updated" => self.on_node(e),
            "sku.created" | "sku.updated" => self.on_sku(e),
            "order.placed" => self.on_order_placed(board, e),
            "order.allocated" => self.on_order_allocated(board, e),
            "order.backordered" => self.on_order_backordered(board, e),
            "order.line_rejected" => self.on_line_rejected(board, e),
            "order.cancelled" => self.on_order_cancelled(board, e),
            "order.released" => self.on_stage(board, e, Stage::Released),
            "order.picked" => self.on_stage(board, e, Stage::Picked),
            "order.packed" => self.on_order_packed(board, e),
            "pick.picked" => self.on_pick(board, e),
            "pick.short_picked" => self.on_short_pick(board, e),
            "order.shipped" => self.on_order_shipped(board, e),
            "inventory.received" => self.on_received(board, e),
            "inventory.put_away" => self.on_put_away(board, e),
            "inventory.adjusted" => self.on_adjusted(board, e),
            "count.created" => self.on_count_created(e),
            "count.counted" => self.on_counted(board, e),
            "count.approved" => {
                if let Some(c) = self.counts.get_mut(e.subject) {
                    c.awaiting_approval = false;
                }
            }
            "order.delivered" => self.on_order_delivered(board, e),
            "order.picked_up" => self.on_order_picked_up(board, e),
            "return.received" => self.on_return_received(board, e),
            "return.dispositioned" => self.on_return_dispositioned(board, e),
            "metrics.targets_set" => self.settings.targets = Some(e.data.to_owned()),
            "scorecards.configured" => self.settings.scorecards = Some(e.data.to_owned()),
            _ => {}
        }
    }

    /// Moves the clock to `now` (never back) and refreshes the orders whose
    /// ship-by or deliver-by it passed.
    pub fn advance(&mut self, board: &mut Board, now: Timestamp) {
        if now <= self.now {
            return;
        }
        self.now = now;
        while let Some(&Reverse((deadline, id))) = self.deadlines.peek() {
            if deadline >= now {
                break;
            }
            self.deadlines.pop();
            if self.orders.contains_key(&id) {
                self.refresh(board, id);
            }
        }
    }

    fn refresh(&mut self, board: &mut Board, id: OrderId) {
        let now = self.now;
        let Some(o) = self.orders.get_mut(&id) else {
            return;
        };
        // Only on-time ship and OTIF read the clock: refresh only when a
        // deadline they wait on has passed since the facts were observed.
        let f = &o.fact;
        let ship_due = o
            .shipment
            .as_ref()
            .is_some_and(|s| s.handed_at.is_none() && s.as_of <= s.ship_by && s.ship_by < now);
        let delivery_due = !f.is_customer_cancelled()
            && f.delivered_at.is_none()
            && f.as_of <= f.deliver_by
            && f.deliver_by < now;
        if !ship_due && !delivery_due {
            return;
        }
        retract_order(board, o);
        o.fact.as_of = now;
        if let Some(s) = &mut o.shipment {
            s.as_of = now;
        }
        observe_order(board, o);
    }

    /// Changes one order: its facts as they stood are retracted and, after `f`,
    /// observed as they stand, when anything the metrics read changed.
    fn update_order(
        &mut self,
        board: &mut Board,
        e: &EventIn<'_>,
        subject: &str,
        f: impl FnOnce(&mut OrderState, &mut Names),
    ) {
        let Some(id) = tote_core::order::parse_order_id(subject) else {
            return;
        };
        let Some(o) = self.orders.get_mut(&id) else {
            return;
        };
        let before = (o.fact.clone(), o.shipment.clone(), o.lines.clone());
        f(o, &mut self.names);
        o.last_event_at = e.at;
        o.last_event = event_name(e.kind);
        if !o.stage.is_open() {
            self.open.remove(&id);
        }
        let changed = before.0 != o.fact || before.1 != o.shipment || before.2 != o.lines;
        if changed {
            let (new_fact, new_shipment, new_lines) = (
                std::mem::replace(&mut o.fact, before.0),
                std::mem::replace(&mut o.shipment, before.1),
                std::mem::replace(&mut o.lines, before.2),
            );
            retract_order(board, o);
            o.fact = new_fact;
            o.shipment = new_shipment;
            o.lines = new_lines;
            o.fact.as_of = self.now;
            if let Some(s) = &mut o.shipment {
                s.as_of = self.now;
            }
            observe_order(board, o);
        }
    }

    fn on_node(&mut self, e: &EventIn<'_>) {
        let Some(d) = parse::<NodeData>(e) else {
            return;
        };
        let id = self.names.node(&d.node.code);
        self.names.three_pl.insert(id.0, d.node.kind == "3pl");
    }

    fn on_sku(&mut self, e: &EventIn<'_>) {
        let Some(d) = parse::<SkuData>(e) else {
            return;
        };
        let id = self.names.sku(&d.sku.sku);
        self.names.sku_cost.insert(id.0, d.sku.unit_cost.0);
    }

    fn on_order_placed(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(id) = tote_core::order::parse_order_id(e.subject) else {
            return;
        };
        let Some(d) = parse::<Placed>(e) else {
            return;
        };
        let ship_by = d
            .ship_by
            .as_deref()
            .and_then(Timestamp::parse_rfc3339)
            .unwrap_or(Timestamp(e.at.0 + DEFAULT_SHIP_BY_HOURS * HOUR_US));
        let deliver_by = d
            .deliver_by
            .as_deref()
            .and_then(end_of_date)
            .unwrap_or_else(|| {
                let day = Day::of(ship_by);
                Timestamp(
                    Day(day.0 + DEFAULT_DELIVER_DAYS_AFTER_SHIP_BY as i32)
                        .start()
                        .0
                        + DAY_US
                        - 1,
                )
            });
        let lines: Vec<LineState> = d
            .lines
            .iter()
            .map(|l| LineState {
                sku: self.names.sku(&l.sku),
                ordered: l.qty,
                not_first_attempt: 0,
            })
            .collect();
        let cuts = Cuts {
            channel: Some(self.names.channel(&d.channel)),
            ..Cuts::default()
        };
        let units: i64 = lines.iter().map(|l| l.ordered).sum();
        let fact = OrderFact {
            order: id,
            cuts,
            as_of: self.now,
            placed_at: e.at,
            allocated_at: None,
            ship_by,
            deliver_by,
            units_ordered: units,
            units_shipped_first_attempt: 0,
            units_shipped: 0,
            units_delivered: 0,
            shipped_complete_in_one_go: false,
            shipped_at: None,
            delivered_at: None,
            cancelled: None,
            errors: ShippingErrors::default(),
            goods_cost_shipped: Decimal::ZERO,
        };
        let shipment = ShipmentFact {
            cuts,
            as_of: self.now,
            ship_by,
            handed_at: None,
            committed_delivery_at: deliver_by,
            delivered_at: None,
        };
        let state = OrderState {
            fact,
            shipment: Some(shipment),
            lines,
            stage: Stage::Backordered,
            ever_backordered: false,
            backordered_units: 0,
            last_event_at: e.at,
            last_event: "order.placed",
            short_picks: 0,
        };
        self.open.insert(id);
        self.placed_on.entry(Day::of(e.at)).or_default().push(id);
        if let Some(old) = self.orders.insert(id, state) {
            retract_order(board, &old);
        }
        self.deadlines.push(Reverse((ship_by, id)));
        self.deadlines.push(Reverse((deliver_by, id)));
        observe_order(board, &self.orders[&id]);
    }

    fn on_order_allocated(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<Allocated>(e) else {
            return;
        };
        let at = e.at;
        self.update_order(board, e, e.subject, |o, names| {
            if o.fact.allocated_at.is_none() {
                o.fact.allocated_at = Some(at);
            }
            let allocated: i64 = d.allocations.iter().map(|a| a.qty).sum();
            o.backordered_units = (o.backordered_units - allocated).max(0);
            if let Some(node) = d.allocations.iter().find_map(|a| a.node.as_deref()) {
                set_node(o, names, node);
            }
            if o.stage == Stage::Backordered {
                o.stage = Stage::Allocated;
            }
        });
    }

    fn on_order_backordered(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<Lines>(e) else {
            return;
        };
        self.update_order(board, e, e.subject, |o, names| {
            for l in &d.lines {
                let sku = names.sku(&l.sku);
                add_not_first(o, sku, l.qty);
                o.backordered_units += l.qty;
            }
            o.ever_backordered = true;
        });
        // A follow-up carries units its first order already counts as
        // ordered and not shipped on the first attempt: it orders nothing new.
        if let Some(follow_up) = &d.follow_up {
            self.update_order(board, e, follow_up, |o, _| {
                o.fact.units_ordered = 0;
                for l in &mut o.lines {
                    l.ordered = 0;
                    l.not_first_attempt = 0;
                }
            });
        }
    }

    fn on_line_rejected(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<LineRejected>(e) else {
            return;
        };
        self.update_order(board, e, e.subject, |o, names| {
            let sku = names.sku(&d.sku);
            add_not_first(o, sku, d.qty);
            if d.backordered > 0 {
                o.ever_backordered = true;
                o.backordered_units += d.backordered;
            }
            if let Some(node) = d.allocations.iter().find_map(|a| a.node.as_deref()) {
                set_node(o, names, node);
            }
        });
    }

    fn on_order_cancelled(&mut self, board: &mut Board, e: &EventIn<'_>) {
        // A cancellation by a client of the API is the customer's; one by the
        // system (no stock, fraud, address) is a failure to fulfil.
        let reason = if e.actor == "system" {
            Cancellation::ByOperation
        } else {
            Cancellation::ByCustomer
        };
        self.update_order(board, e, e.subject, |o, _| {
            o.fact.cancelled = Some(reason);
            o.stage = Stage::Cancelled;
            o.backordered_units = 0;
            if o.fact.units_shipped == 0 {
                o.shipment = None;
            } else {
                o.fact.shipped_at = o.shipment.as_ref().and_then(|s| s.handed_at);
            }
        });
    }

    fn on_stage(&mut self, board: &mut Board, e: &EventIn<'_>, stage: Stage) {
        self.update_order(board, e, e.subject, |o, _| {
            if o.stage.is_open() {
                o.stage = stage;
            }
        });
    }

    fn on_order_packed(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let mut units = 0;
        self.update_order(board, e, e.subject, |o, _| {
            o.stage = Stage::Packed;
            units = o.lines.iter().map(|l| l.ordered).sum::<i64>() - o.backordered_units;
        });
        let cuts = self.order_node_cuts(e.subject);
        board.observe(&LaborFact {
            cuts,
            at: e.at,
            step: Step::Pack,
            units: units.max(0),
            hours: Decimal::ZERO,
        });
    }

    fn on_pick(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<Picked>(e) else {
            return;
        };
        self.update_order(board, e, &d.order, |_, _| {});
        let cuts = self.order_node_cuts(&d.order);
        board.observe(&LaborFact {
            cuts,
            at: e.at,
            step: Step::Pick,
            units: d.qty,
            hours: Decimal::ZERO,
        });
    }

    fn on_short_pick(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<ShortPicked>(e) else {
            return;
        };
        let missing = (d.expected - d.found).max(0);
        self.update_order(board, e, &d.order, |o, names| {
            let sku = names.sku(&d.sku);
            add_not_first(o, sku, missing);
            o.short_picks += 1;
            if d.backordered > 0 {
                o.ever_backordered = true;
                o.backordered_units += d.backordered;
            }
        });
        if d.found > 0 {
            let cuts = self.order_node_cuts(&d.order);
            board.observe(&LaborFact {
                cuts,
                at: e.at,
                step: Step::Pick,
                units: d.found,
                hours: Decimal::ZERO,
            });
        }
        if self.short_picks.len() == SHORT_PICKS_KEPT {
            self.short_picks.pop_front();
        }
        self.short_picks.push_back(ShortPick {
            seq: e.seq,
            at: e.at,
            task: e.subject.to_owned(),
            order: d.order,
            sku: d.sku,
            location: d.location,
            expected: d.expected,
            found: d.found,
            reason: d.reason,
        });
    }

    fn on_order_shipped(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<Shipped>(e) else {
            return;
        };
        let (node, carrier) = match (&d.shipment, &d.fulfilment) {
            (Some(s), _) => (s.node.as_str(), Some(s.carrier.as_str())),
            (None, Some(f)) => (f.node.as_str(), f.carrier.as_deref()),
            (None, None) => return,
        };
        let quote = d.shipment.as_ref().and_then(|s| s.quote.as_ref());
        self.mark_shipped(board, e, node, carrier, &d.backordered, quote);
    }

    /// A pickup order the customer collected left the store and arrived at once.
    fn on_order_picked_up(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<PickedUp>(e) else {
            return;
        };
        if !d.closed {
            return;
        }
        self.mark_shipped(board, e, &d.task.node, None, &[], None);
        let at = e.at;
        self.update_order(board, e, e.subject, |o, _| {
            o.fact.delivered_at = Some(at);
            o.fact.units_delivered = o.fact.units_shipped;
        });
    }

    fn mark_shipped(
        &mut self,
        board: &mut Board,
        e: &EventIn<'_>,
        node: &str,
        carrier: Option<&str>,
        backordered: &[SkuOnly],
        quote: Option<&QuoteBody>,
    ) {
        let at = e.at;
        self.update_order(board, e, e.subject, |o, names| {
            set_node(o, names, node);
            if let Some(c) = carrier {
                o.fact.cuts.carrier = Some(names.carrier(c));
            }
            let mut left_behind: HashMap<SkuId, i64> = HashMap::default();
            for b in backordered {
                *left_behind.entry(names.sku(&b.sku)).or_default() += b.qty;
            }
            let mut shipped = 0;
            let mut first = 0;
            let mut cost = Decimal::ZERO;
            for l in &o.lines {
                let not_shipped = left_behind.get(&l.sku).copied().unwrap_or(0);
                let units = (l.ordered - not_shipped).max(0);
                shipped += units;
                first += units.min((l.ordered - l.not_first_attempt).max(0));
                cost += names.cost(l.sku) * Decimal::from(units);
            }
            o.fact.units_shipped = shipped;
            o.fact.units_shipped_first_attempt = first;
            o.fact.shipped_complete_in_one_go =
                !o.ever_backordered && shipped == o.fact.units_ordered;
            o.fact.shipped_at = Some(at);
            o.fact.goods_cost_shipped = cost;
            if o.fact.allocated_at.is_none() {
                o.fact.allocated_at = Some(at);
            }
            o.stage = Stage::Shipped;
            o.backordered_units = 0;
            if let Some(s) = &mut o.shipment {
                s.cuts = o.fact.cuts;
                s.handed_at = Some(at);
            }
        });
        if let Some(q) = quote
            && let Some(o) =
                tote_core::order::parse_order_id(e.subject).and_then(|id| self.orders.get(&id))
        {
            board.observe(&CostFact {
                cuts: o.fact.cuts,
                at,
                labor: Decimal::ZERO,
                shipping: q.total.0,
                packaging: Decimal::ZERO,
                overhead: Decimal::ZERO,
            });
        }
    }

    fn on_order_delivered(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<Delivered>(e) else {
            return;
        };
        let at = d
            .delivered_at
            .as_deref()
            .and_then(Timestamp::parse_rfc3339)
            .unwrap_or(e.at);
        let committed = d.committed_on.as_deref().and_then(end_of_date);
        self.update_order(board, e, e.subject, |o, _| {
            o.fact.delivered_at = Some(at);
            o.fact.units_delivered = o.fact.units_shipped;
            if let Some(s) = &mut o.shipment {
                s.delivered_at = Some(at);
                if let Some(c) = committed {
                    s.committed_delivery_at = c;
                }
            }
        });
    }

    fn on_return_received(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<ReturnReceived>(e) else {
            return;
        };
        let Some(order) =
            tote_core::order::parse_order_id(&d.order).and_then(|id| self.orders.get(&id))
        else {
            return;
        };
        let fact = ReturnFact {
            cuts: order.fact.cuts,
            shipped_at: order.fact.shipped_at.unwrap_or(e.at),
            received_at: e.at,
            available_again_at: None,
            units: d.lines.iter().map(|l| l.qty).sum(),
            // Known per unit once the dispositions are made.
            value: Decimal::ZERO,
            recovered_value: None,
        };
        board.observe(&fact);
        if let Some(old) = self.returns.insert(e.subject.to_owned(), fact) {
            board.retract(&old);
        }
    }

    fn on_return_dispositioned(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<ReturnDispositioned>(e) else {
            return;
        };
        let Some(old) = self.returns.get(e.subject).cloned() else {
            return;
        };
        let mut new = old.clone();
        new.value = d.units.iter().map(|u| u.value.0).sum();
        new.recovered_value = Some(d.units.iter().map(|u| u.recovered.0).sum());
        if d.units.iter().any(|u| u.disposition == "restock") {
            new.available_again_at = Some(e.at);
        }
        board.retract(&old);
        board.observe(&new);
        self.returns.insert(e.subject.to_owned(), new);
    }

    fn on_received(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<Received>(e) else {
            return;
        };
        let (node, units) = match &d.receipt {
            Some(r) => (Some(r.node.as_str()), r.lines.iter().map(|l| l.qty).sum()),
            None => (d.node.as_deref(), d.moved.iter().map(|l| l.qty).sum()),
        };
        let cuts = self.node_cuts(node);
        board.observe(&LaborFact {
            cuts,
            at: e.at,
            step: Step::Receive,
            units,
            hours: Decimal::ZERO,
        });
    }

    fn on_put_away(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<PutAway>(e) else {
            return;
        };
        let cuts = self.node_cuts(Some(&d.node));
        board.observe(&LaborFact {
            cuts,
            at: e.at,
            step: Step::PutAway,
            units: d.qty,
            hours: Decimal::ZERO,
        });
        if let Some(s) = d.dock_to_stock_s {
            board.observe(&ReceiptFact {
                cuts,
                received_at: Timestamp(e.at.0 - s * 1_000_000),
                available_at: Some(e.at),
                units: d.qty,
            });
        }
    }

    fn on_adjusted(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<Adjusted>(e) else {
            return;
        };
        let mut lines: Vec<(String, i64)> =
            d.lines.iter().map(|l| (l.sku.clone(), l.qty)).collect();
        if let (Some(sku), Some(qty)) = (&d.sku, d.qty) {
            lines.push((sku.clone(), qty));
        }
        if let Some(count) = &d.count
            && let Some(c) = self.counts.get_mut(count)
        {
            c.awaiting_approval = false;
        }
        let reason = match d.reason.as_deref() {
            Some("short_pick") | Some("count_variance") => AdjustmentReason::Error,
            Some("damage") => AdjustmentReason::Damage,
            Some("theft") => AdjustmentReason::Theft,
            _ => AdjustmentReason::Other,
        };
        let node = d.node.clone();
        for (sku, qty) in lines {
            let sku = self.names.sku(&sku);
            let mut cuts = self.node_cuts(node.as_deref());
            cuts.sku = Some(sku);
            let reason = if qty > 0 {
                AdjustmentReason::Found
            } else {
                reason
            };
            board.observe(&AdjustmentFact {
                cuts,
                at: e.at,
                reason,
                units: qty,
                value: self.names.cost(sku) * Decimal::from(qty),
            });
        }
    }

    fn on_count_created(&mut self, e: &EventIn<'_>) {
        let Some(d) = parse::<CountCreated>(e) else {
            return;
        };
        let node = self.names.node(&d.node);
        self.counts.entry(e.subject.to_owned()).or_default().node = Some(node);
    }

    fn on_counted(&mut self, board: &mut Board, e: &EventIn<'_>) {
        let Some(d) = parse::<Counted>(e) else {
            return;
        };
        let node = self.counts.get(e.subject).and_then(|c| c.node);
        let cuts = Cuts {
            node,
            three_pl: node.filter(|n| self.names.is_three_pl(*n)),
            ..Cuts::default()
        };
        let mut by_location: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for l in &d.lines {
            let entry = by_location.entry(l.location.as_str()).or_default();
            entry.0 += l.expected;
            entry.1 += l.counted;
        }
        let facts: Vec<CountFact> = by_location
            .iter()
            .enumerate()
            .map(|(i, (_, &(expected, counted)))| CountFact {
                location: tote_core::LocationId(i as u32),
                cuts,
                counted_at: e.at,
                units_expected: expected,
                units_counted: counted,
            })
            .collect();
        let c = self.counts.entry(e.subject.to_owned()).or_default();
        // A recount replaces the first count: only the last count of a location counts.
        for f in c.facts.drain(..) {
            board.retract(&f);
        }
        for f in &facts {
            board.observe(f);
        }
        c.variance_units = d.lines.iter().map(|l| (l.counted - l.expected).abs()).sum();
        c.awaiting_approval = d.status == "counted" && c.variance_units != 0;
        c.counted_at = Some(e.at);
        c.facts = facts;
    }

    fn node_cuts(&mut self, node: Option<&str>) -> Cuts {
        let node = node.map(|n| self.names.node(n));
        Cuts {
            node,
            three_pl: node.filter(|n| self.names.is_three_pl(*n)),
            ..Cuts::default()
        }
    }

    fn order_node_cuts(&self, order: &str) -> Cuts {
        let node = tote_core::order::parse_order_id(order)
            .and_then(|id| self.orders.get(&id))
            .and_then(|o| o.fact.cuts.node);
        Cuts {
            node,
            three_pl: node.filter(|n| self.names.is_three_pl(*n)),
            ..Cuts::default()
        }
    }

    /// Open orders (not shipped, not cancelled).
    pub fn open_orders(&self) -> impl Iterator<Item = &OrderState> {
        self.open.iter().filter_map(|id| self.orders.get(id))
    }
}

fn event_name(kind: &str) -> &'static str {
    match kind {
        "order.allocated" => "order.allocated",
        "order.backordered" => "order.backordered",
        "order.line_rejected" => "order.line_rejected",
        "order.cancelled" => "order.cancelled",
        "order.released" => "order.released",
        "order.picked" => "order.picked",
        "order.packed" => "order.packed",
        "pick.picked" => "pick.picked",
        "pick.short_picked" => "pick.short_picked",
        "order.shipped" => "order.shipped",
        _ => "order.placed",
    }
}

fn set_node(o: &mut OrderState, names: &mut Names, node: &str) {
    let id = names.node(node);
    o.fact.cuts.node = Some(id);
    o.fact.cuts.three_pl = names.is_three_pl(id).then_some(id);
    if let Some(s) = &mut o.shipment {
        s.cuts.node = o.fact.cuts.node;
        s.cuts.three_pl = o.fact.cuts.three_pl;
    }
}

fn add_not_first(o: &mut OrderState, sku: SkuId, units: i64) {
    if let Some(l) = o.lines.iter_mut().find(|l| l.sku == sku) {
        l.not_first_attempt = (l.not_first_attempt + units).min(l.ordered);
    }
}

fn retract_order(board: &mut Board, o: &OrderState) {
    board.retract(&o.fact);
    for l in o.line_facts() {
        board.retract(&l);
    }
    if let Some(s) = &o.shipment {
        board.retract(s);
    }
}

fn observe_order(board: &mut Board, o: &OrderState) {
    board.observe(&o.fact);
    for l in o.line_facts() {
        board.observe(&l);
    }
    if let Some(s) = &o.shipment {
        board.observe(s);
    }
}

/// How long before a period the drill-down looks for orders placed earlier that
/// count in it (shipped, due or delivered in the period).
pub const BEHIND_LOOKBACK_DAYS: i32 = 60;

/// One order's part in a metric: what it adds to the numerator and denominator
/// (or, for a time, the duration it adds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contribution {
    pub order: OrderId,
    pub numerator: i64,
    pub denominator: i64,
    pub duration_us: Option<i64>,
}

fn count_part<A, F>(
    fact: &F,
    period: crate::period::Period,
    value: impl Fn(&A) -> crate::ratio::CountRatio,
) -> Option<(i64, i64)>
where
    A: crate::observe::Observe<F>,
{
    let day = A::day_of(fact)?;
    if !period.contains(day) {
        return None;
    }
    let mut a = A::default();
    a.observe(fact);
    let r = value(&a);
    (r.denominator != 0).then_some((r.numerator, r.denominator))
}

impl Projector {
    /// The orders behind a metric over a period for one cut value, each with its
    /// part: the same accumulator applied to one order's facts. Scans the orders
    /// placed from `BEHIND_LOOKBACK_DAYS` before the period to its end (a
    /// drill-down, not a dashboard read). None for metrics not made of orders.
    pub fn behind(
        &self,
        metric: crate::board::Metric,
        period: crate::period::Period,
        cut: crate::fact::Cut,
    ) -> Option<Vec<Contribution>> {
        use crate::board::Metric as M;
        use crate::orders::{OrderAccuracy, OrderFillRate, Otif, UnitFillRate};
        use crate::returns::ReturnRate;
        use crate::shipments::{CarrierOnTime, OnTimeShip};
        let mut out = Vec::new();
        let from = Day(period.from.0 - BEHIND_LOOKBACK_DAYS);
        let ids = self
            .placed_on
            .range(from..period.to)
            .flat_map(|(_, ids)| ids.iter());
        for o in ids.filter_map(|id| self.orders.get(id)) {
            let f = &o.fact;
            let in_cut = |cuts: &Cuts| cuts.keys().any(|k| k == cut);
            let part: Option<(i64, i64, Option<i64>)> = match metric {
                M::UnitFillRate => in_cut(&f.cuts)
                    .then(|| count_part::<UnitFillRate, _>(f, period, |a| a.value()))
                    .flatten()
                    .map(|(n, d)| (n, d, None)),
                M::OrderFillRate => in_cut(&f.cuts)
                    .then(|| count_part::<OrderFillRate, _>(f, period, |a| a.value()))
                    .flatten()
                    .map(|(n, d)| (n, d, None)),
                M::Otif => in_cut(&f.cuts)
                    .then(|| count_part::<Otif, _>(f, period, |a| a.value()))
                    .flatten()
                    .map(|(n, d)| (n, d, None)),
                M::OrderAccuracy => in_cut(&f.cuts)
                    .then(|| count_part::<OrderAccuracy, _>(f, period, |a| a.value()))
                    .flatten()
                    .map(|(n, d)| (n, d, None)),
                M::ReturnRate => in_cut(&f.cuts)
                    .then(|| count_part::<ReturnRate, _>(f, period, |a| a.value()))
                    .flatten()
                    .map(|(n, d)| (n, d, None)),
                M::OnTimeShip => o
                    .shipment
                    .as_ref()
                    .filter(|s| in_cut(&s.cuts))
                    .and_then(|s| count_part::<OnTimeShip, _>(s, period, |a| a.value()))
                    .map(|(n, d)| (n, d, None)),
                M::CarrierOnTime => o
                    .shipment
                    .as_ref()
                    .filter(|s| in_cut(&s.cuts))
                    .and_then(|s| count_part::<CarrierOnTime, _>(s, period, |a| a.value()))
                    .map(|(n, d)| (n, d, None)),
                M::OrderCycleTime => match f.shipped_at {
                    Some(at)
                        if in_cut(&f.cuts)
                            && f.units_shipped > 0
                            && period.contains(Day::of(f.placed_at)) =>
                    {
                        Some((0, 1, Some(at.0 - f.placed_at.0)))
                    }
                    _ => None,
                },
                M::ClickToDoor => match f.delivered_at {
                    Some(at) if in_cut(&f.cuts) && period.contains(Day::of(f.placed_at)) => {
                        Some((0, 1, Some(at.0 - f.placed_at.0)))
                    }
                    _ => None,
                },
                _ => return None,
            };
            if let Some((numerator, denominator, duration_us)) = part {
                out.push(Contribution {
                    order: f.order,
                    numerator,
                    denominator,
                    duration_us,
                });
            }
        }
        out.sort_by_key(|c| c.order);
        out.dedup_by_key(|c| c.order);
        Some(out)
    }
}
