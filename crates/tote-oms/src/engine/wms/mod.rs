//! The warehouse commands, run by the writer like every other mutation.
//!
//! Each handler checks its input, makes its ledger moves, and only then writes
//! the records it changed back to memory, so a failure part way leaves memory as
//! it was (the savepoint rolls back the ledger and the staged rows).

mod counts;
mod inbound;
mod outbound;
mod picking;
mod plan;
mod shipping;
mod tracking;

use super::Engine;
use crate::command::{Envelope, OpError, Outcome};
use crate::warehouse::*;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use tote_core::catalog::RECEIVING_LOCATION;
use tote_core::order::{Reservation, parse_order_id};
use tote_core::validate::Checker;
use tote_core::{
    EventKind, Invalid, LocationId, LocationInput, NodeId, Order, OrderId, OrderStatus, OrgId,
    OwnerId, Qty, Sku, SkuId, Timestamp, TransferId,
};
use tote_ledger::{Account, Bucket, Party, Reason, TransferSpec};
use tote_store::{DocRow, OrderRow, StoreError};
use tote_wms::{NodeLayout, PutawayCandidate, PutawaySku, VelocityClass};

/// Record kinds in the store's `wms_docs`.
const DOC_LAYOUT: &str = "layout";
const DOC_ASN: &str = "asn";
const DOC_WAVE: &str = "wave";
const DOC_TASK: &str = "pick_task";
const DOC_PACK: &str = "pack";
const DOC_SHIPMENT: &str = "shipment";
const DOC_MANIFEST: &str = "manifest";
const DOC_COUNT: &str = "count";
const DOC_COUNTERS: &str = "counters";
const DOC_FACES: &str = "pick_faces";
const DOC_REPLEN: &str = "replenishment";
const DOC_PROGRAM: &str = "count_program";

#[derive(Clone, Debug, Default, Serialize, serde::Deserialize)]
#[serde(default)]
struct Counters {
    replenishment: u64,
    asn: u64,
    wave: u64,
    list: u64,
    task: u64,
    shipment: u64,
    manifest: u64,
    count: u64,
    tracking: u64,
    /// Carton labels' SSCC serials issued.
    sscc: u64,
}

#[derive(Serialize, serde::Deserialize)]
struct LayoutDoc {
    node: String,
    layout: NodeLayout,
}

/// The warehouse's records the writer keeps in memory: open ones only. Closed
/// records (closed ASNs, done pick tasks, packs of shipped orders, approved
/// counts, done replenishments, manifests) live in the store's `wms_docs`,
/// which reads are served from.
#[derive(Default)]
pub(crate) struct WmsState {
    layouts: HashMap<NodeId, NodeLayout>,
    /// Open ASNs.
    asns: BTreeMap<String, Asn>,
    /// SSCC -> the open ASN listing the carton.
    sscc_asn: HashMap<String, String>,
    waves: BTreeMap<String, Wave>,
    /// Open pick tasks, and the open task ids of each order.
    tasks: BTreeMap<String, PickTask>,
    order_tasks: HashMap<String, Vec<String>>,
    /// Packs of orders not yet shipped.
    packs: BTreeMap<String, Pack>,
    /// Shipments not yet on a manifest.
    unmanifested: BTreeMap<String, Shipment>,
    /// Every shipment as it stands, and its id by tracking number.
    shipments: BTreeMap<String, Shipment>,
    by_tracking: HashMap<String, String>,
    /// Order -> its shipments' ids: a return looks up its order's shipments.
    order_shipments: HashMap<String, Vec<String>>,
    /// Counts not yet approved.
    counts: BTreeMap<String, Count>,
    /// Count programs by code.
    programs: BTreeMap<String, CountProgram>,
    /// (node, location) -> the day (since the epoch) of its last approved count.
    last_counted: HashMap<(String, String), i64>,
    /// Pick faces: (min, max) units of a SKU at a location.
    faces: HashMap<(NodeId, LocationId, SkuId), (Qty, Qty)>,
    face_inputs: HashMap<NodeId, PickFacesInput>,
    replenishments: BTreeMap<String, Replenishment>,
    counters: Counters,
    plan: plan::PlanState,
}

const DAY_US: i64 = 86_400_000_000;

fn corrupt(kind: &str, e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("{kind}: {e}"))
}

fn bad(field: impl Into<String>, problem: impl Into<String>) -> OpError {
    OpError::Invalid(Invalid::one(field, problem))
}

impl WmsState {
    /// Records a shipment as it now stands, indexed by tracking number and order.
    fn put_shipment(&mut self, s: Shipment) {
        self.by_tracking.insert(s.tracking.clone(), s.id.clone());
        let ids = self.order_shipments.entry(s.order.clone()).or_default();
        if !ids.contains(&s.id) {
            ids.push(s.id.clone());
        }
        self.shipments.insert(s.id.clone(), s);
    }

    /// When an order's last shipment left and, if it was, when it was
    /// delivered (by the carrier's scan).
    pub(crate) fn shipped_and_delivered(
        &self,
        order: &str,
    ) -> Option<(Timestamp, Option<Timestamp>)> {
        self.order_shipments
            .get(order)?
            .iter()
            .filter_map(|id| self.shipments.get(id))
            .filter_map(|s| {
                let shipped = Timestamp::parse_rfc3339(&s.shipped_at)?;
                let delivered = s.delivered_at.as_deref().and_then(Timestamp::parse_rfc3339);
                Some((shipped, delivered))
            })
            .max()
    }
}

impl Engine {
    /// Rebuilds the warehouse records from the store's documents.
    pub(super) fn load_wms(&mut self, docs: Vec<DocRow>) -> Result<(), StoreError> {
        let mut w = WmsState::default();
        for d in docs {
            match d.kind.as_str() {
                DOC_LAYOUT => {
                    let l: LayoutDoc =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_LAYOUT, e))?;
                    if let Some(n) = self.nodes.get(&(d.org, l.node.clone())) {
                        w.layouts.insert(n.id, l.layout);
                    }
                }
                DOC_ASN => {
                    let a: Asn = serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_ASN, e))?;
                    if a.status == "open" {
                        for c in &a.cartons {
                            if let Some(code) = &c.sscc {
                                w.sscc_asn.insert(code.clone(), a.id.clone());
                            }
                        }
                        w.asns.insert(a.id.clone(), a);
                    }
                }
                DOC_WAVE => {
                    let v: Wave =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_WAVE, e))?;
                    w.waves.insert(v.id.clone(), v);
                }
                DOC_TASK => {
                    let t: PickTask =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_TASK, e))?;
                    if t.status == "open" {
                        let ids = w.order_tasks.entry(t.order.clone()).or_default();
                        if !ids.contains(&t.id) {
                            ids.push(t.id.clone());
                        }
                        w.tasks.insert(t.id.clone(), t);
                    }
                }
                DOC_PACK => {
                    let p: Pack =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_PACK, e))?;
                    if parse_order_id(&p.order).is_some_and(|o| self.open_orders.contains_key(&o)) {
                        w.packs.insert(p.order.clone(), p);
                    }
                }
                DOC_SHIPMENT => {
                    let s: Shipment =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_SHIPMENT, e))?;
                    if s.manifest.is_none() {
                        w.unmanifested.insert(s.id.clone(), s.clone());
                    }
                    w.put_shipment(s);
                }
                DOC_COUNT => {
                    let c: Count =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_COUNT, e))?;
                    if c.status == "approved" {
                        let day = c
                            .approved_at
                            .as_deref()
                            .and_then(Timestamp::parse_rfc3339)
                            .map(|t| t.0.div_euclid(DAY_US));
                        if let Some(day) = day {
                            for l in &c.locations {
                                w.last_counted.insert((c.node.clone(), l.clone()), day);
                            }
                        }
                    } else {
                        w.counts.insert(c.id.clone(), c);
                    }
                }
                DOC_PROGRAM => {
                    let p: CountProgram =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_PROGRAM, e))?;
                    w.programs.insert(p.program.code.clone(), p);
                }
                DOC_FACES => {
                    let f: PickFacesInput =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_FACES, e))?;
                    if let Some(n) = self.nodes.get(&(d.org, f.node.clone())) {
                        let node = n.id;
                        for face in &f.faces {
                            let loc = self
                                .locations
                                .get(&(node, face.location.clone()))
                                .map(|l| l.id);
                            let sku = self.sku(d.org, &face.sku).map(|s| s.id);
                            if let (Some(loc), Some(sku)) = (loc, sku) {
                                w.faces.insert((node, loc, sku), (face.min, face.max));
                            }
                        }
                        w.face_inputs.insert(node, f);
                    }
                }
                DOC_REPLEN => {
                    let r: Replenishment =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_REPLEN, e))?;
                    if r.status == "open" {
                        w.replenishments.insert(r.id.clone(), r);
                    } else {
                        w.replenishments.remove(&r.id);
                    }
                }
                plan::DOC_TRANSFER => {
                    let t: crate::planning::TransferOrder = serde_json::from_str(&d.body)
                        .map_err(|e| corrupt(plan::DOC_TRANSFER, e))?;
                    w.plan.transfers.insert(t.id.clone(), t);
                }
                plan::DOC_APPROVAL => {
                    let a: crate::planning::PlanApproval = serde_json::from_str(&d.body)
                        .map_err(|e| corrupt(plan::DOC_APPROVAL, e))?;
                    w.plan.approvals.insert(a.suggestion.clone(), a);
                }
                DOC_COUNTERS => {
                    w.counters =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_COUNTERS, e))?;
                }
                _ => {}
            }
        }
        self.wms = w;
        self.check_pick_tasks();
        Ok(())
    }

    /// A cancelled order's open pick tasks are cancelled with it (its
    /// reservations are voided). Units it already picked stay at `PACK`, no
    /// longer held for anyone, until they are put away again.
    pub(super) fn cancel_pick_tasks(&mut self, env: &Envelope, order: &str) {
        let Some(ids) = self.wms.order_tasks.get(order).cloned() else {
            return;
        };
        for id in ids {
            let Some(mut t) = self.wms.tasks.remove(&id) else {
                continue;
            };
            t.status = "cancelled".into();
            t.done_by = Some(env.actor.clone());
            t.done_at = Some(env.at.to_rfc3339());
            self.doc(env.org, DOC_TASK, &id, &t);
        }
        self.wms.order_tasks.remove(order);
    }

    /// Every open pick task picks a pending reservation of a released order.
    fn check_pick_tasks(&self) {
        for t in self.wms.tasks.values().filter(|t| t.status == "open") {
            assert!(
                self.ledger.is_pending(TransferId(t.reservation)),
                "open pick task {} points at transfer {} that is not pending",
                t.id,
                t.reservation
            );
        }
    }

    pub(super) fn warehouse(
        &mut self,
        env: &Envelope,
        cmd: &WmsCommand,
    ) -> Result<Outcome, OpError> {
        let out = match cmd {
            WmsCommand::SetLayout { node, layout } => self.set_layout(env, node, layout)?,
            WmsCommand::CreateAsn(input) => self.create_asn(env, input)?,
            WmsCommand::ReceiveAsn { asn, input } => self.receive_asn(env, asn, input)?,
            WmsCommand::SuggestPutaway(q) => {
                let node = self.node_id(env.org, &q.node, "node")?;
                let sku = self.scan_sku(env.org, &q.sku, "sku")?.id;
                let s = self.suggest(node, sku, q.qty, q.velocity.as_deref(), "velocity")?;
                WmsOutcome::Suggestion(s)
            }
            WmsCommand::PutAway(input) => self.put_away(env, input)?,
            WmsCommand::ReleaseWave(input) => self.release_wave(env, input)?,
            WmsCommand::ConfirmPick { task, input } => self.confirm_pick(env, task, input)?,
            WmsCommand::ShortPick { task, input } => self.short_pick(env, task, input)?,
            WmsCommand::PackScan { order, input } => self.pack_scan(env, order, input)?,
            WmsCommand::Ship { order, input } => {
                // Prepared before the ship so that nothing can fail after it.
                let follow_up = self.backorder_follow_up(env, order);
                let out = self.ship(env, order, input)?;
                if let Some(f) = follow_up {
                    self.place_follow_up(env, order, &f);
                }
                // A shipped order's pack is closed: the store keeps it.
                self.wms.packs.remove(order);
                out
            }
            WmsCommand::CloseManifest(input) => self.close_manifest(env, input)?,
            WmsCommand::CreateCount(input) => self.create_count(env, input)?,
            WmsCommand::RecordCount { count, input } => self.record_count(env, count, input)?,
            WmsCommand::ApproveCount { count } => self.approve_count(env, count)?,
            WmsCommand::SetPickFaces(input) => self.set_pick_faces(env, input)?,
            WmsCommand::ConfirmReplenishment { task, input } => {
                self.confirm_replenishment(env, task, input)?
            }
            WmsCommand::Track(rows) => self.track(env, rows),
            WmsCommand::ApprovePlan(input) => self.approve_plan(env, input)?,
            WmsCommand::ReceiveTransfer { transfer } => self.receive_transfer(env, transfer)?,
            WmsCommand::SetLaborStandard { process, input } => {
                self.set_labor_standard(env, process, input)?
            }
            WmsCommand::ReceiveCarton { sscc, input } => self.receive_carton(env, sscc, input)?,
            WmsCommand::SetCountProgram(input) => self.set_count_program(env, input)?,
            WmsCommand::GenerateCounts { program, input } => {
                self.generate_counts(env, program, input)?
            }
        };
        Ok(Outcome::Warehouse(out))
    }

    // ---- helpers ----

    /// A closed record from the store (or from the open commit group, if it
    /// closed in it).
    fn stored_doc<T: serde::de::DeserializeOwned>(
        &self,
        org: OrgId,
        kind: &str,
        id: &str,
    ) -> Option<T> {
        let staged = self
            .group
            .docs
            .iter()
            .rev()
            .find(|d| d.org == org && d.kind == kind && d.id == id)
            .map(|d| d.body.clone());
        let body = match staged {
            Some(b) => b,
            None => self.reader.doc(org, kind, id).ok()??,
        };
        serde_json::from_str(&body).ok()
    }

    fn doc(&mut self, org: OrgId, kind: &str, id: &str, body: &impl Serialize) {
        self.group.docs.push(DocRow {
            org,
            kind: kind.into(),
            id: id.into(),
            body: serde_json::to_string(body).expect("warehouse records serialise"),
        });
    }

    fn save_counters(&mut self, org: OrgId, c: Counters) {
        self.doc(org, DOC_COUNTERS, "wms", &c);
        self.wms.counters = c;
    }

    fn location_id(&self, node: NodeId, code: &str, field: &str) -> Result<LocationId, OpError> {
        self.locations
            .get(&(node, code.to_owned()))
            .map(|l| l.id)
            .ok_or_else(|| bad(field, format!("unknown location `{code}` in this node")))
    }

    /// The node's pack station, created the first time units go there.
    fn pack_location(&mut self, env: &Envelope, node: NodeId) -> LocationId {
        if let Some(l) = self.locations.get(&(node, PACK_LOCATION.to_owned())) {
            return l.id;
        }
        let code = self.node_code(node).to_owned();
        let l = self.add_location(
            env,
            node,
            LocationInput {
                node: code.clone(),
                code: PACK_LOCATION.into(),
                zone: None,
                aisle: None,
                bay: None,
                level: None,
                position: None,
            },
        );
        self.event(
            env,
            EventKind::LocationCreated,
            &format!("{code}/{PACK_LOCATION}"),
            json!({ "location": l.input }),
        );
        l.id
    }

    /// A SKU by its code or by a scanned GTIN.
    fn scan_sku(&self, org: OrgId, scan: &str, field: &str) -> Result<&Sku, OpError> {
        let skus = self.skus.get(&org);
        if let Some(s) = skus.and_then(|m| m.get(scan)) {
            return Ok(s);
        }
        skus.and_then(|m| {
            m.values()
                .find(|s| s.input.gtin.as_ref().is_some_and(|g| g.as_str() == scan))
        })
        .ok_or_else(|| bad(field, format!("`{scan}` is no known SKU code or GTIN")))
    }

    fn on_hand(
        &mut self,
        node: NodeId,
        location: LocationId,
        sku: SkuId,
    ) -> tote_ledger::AccountId {
        self.internal(node, location, sku, Bucket::OnHand)
    }

    /// A transfer by the envelope's actor at its time.
    pub(in crate::engine) fn spec<'a>(
        env: &'a Envelope,
        source: tote_ledger::AccountId,
        target: tote_ledger::AccountId,
        qty: Qty,
        reason: Reason,
        reference: &'a str,
    ) -> TransferSpec<'a> {
        TransferSpec {
            source,
            target,
            qty,
            reason,
            actor: &env.actor,
            at: env.at,
            reference,
        }
    }

    /// Reserves up to `qty` at the node's locations other than `exclude`, fullest
    /// first; answers the reservations and what could not be reserved.
    fn reserve_upto(
        &mut self,
        env: &Envelope,
        node: NodeId,
        sku: SkuId,
        qty: Qty,
        exclude: &[LocationId],
        reference: &str,
    ) -> (Vec<Reservation>, Qty) {
        let mut accounts: Vec<(Qty, tote_ledger::AccountId, LocationId)> = self
            .ledger
            .stock_accounts(OwnerId::DEFAULT, sku)
            .iter()
            .filter_map(|&a| match self.ledger.key(a) {
                Account::Internal {
                    node: n, location, ..
                } if n == node && !exclude.contains(&location) => {
                    let available = self.ledger.balance(a).available();
                    (available > Qty::ZERO).then_some((available, a, location))
                }
                _ => None,
            })
            .collect();
        accounts.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let customer = self.external(env.org, sku, Party::Customer);
        let mut want = qty;
        let mut out = Vec::new();
        for (available, source, location) in accounts {
            if want == Qty::ZERO {
                break;
            }
            let take = available.min(want);
            let transfer = self
                .ledger
                .reserve(Self::spec(
                    env,
                    source,
                    customer,
                    take,
                    Reason::Reservation,
                    reference,
                ))
                .expect("reserves only what is available");
            out.push(Reservation {
                transfer,
                location: self.location_codes[&location].clone(),
                qty: take,
            });
            want -= take;
        }
        (out, want)
    }

    /// Moves units between two locations of a node. Units held for orders not yet
    /// released follow them: their reservations are voided and made again at the
    /// target inside this command. Answers the orders whose reservations moved.
    #[allow(clippy::too_many_arguments)]
    fn move_units(
        &mut self,
        env: &Envelope,
        node: NodeId,
        sku: SkuId,
        from: LocationId,
        to: LocationId,
        qty: Qty,
        reference: &str,
    ) -> Result<Vec<String>, OpError> {
        let source = self.on_hand(node, from, sku);
        let target = self.on_hand(node, to, sku);
        let before = self.ledger.balance(source);
        if before.posted < qty {
            return Err(bad(
                "qty",
                format!(
                    "{} holds {} of this SKU, {qty} asked",
                    self.location_codes[&from], before.posted
                ),
            ));
        }
        let need = qty - before.available();
        let from_code = self.location_codes[&from].clone();
        let node_code = self.node_code(node).to_owned();
        let sku_code = self.sku_codes[&sku].clone();
        // Whole reservations of unreleased orders, until they cover what must move.
        let mut held: Vec<(OrderId, TransferId, Qty)> = Vec::new();
        let mut covered = Qty::ZERO;
        if need > Qty::ZERO {
            'orders: for (&oid, o) in &self.open_orders {
                if o.org != env.org
                    || !matches!(
                        o.status,
                        OrderStatus::Allocated | OrderStatus::PartiallyAllocated
                    )
                {
                    continue;
                }
                for l in o.lines.iter().filter(|l| l.sku == sku_code) {
                    for a in l.allocations.iter().filter(|a| a.node == node_code) {
                        for r in a.reservations.iter().filter(|r| r.location == from_code) {
                            if covered >= need {
                                break 'orders;
                            }
                            held.push((oid, r.transfer, r.qty));
                            covered += r.qty;
                        }
                    }
                }
            }
            if covered < need {
                return Err(OpError::Conflict(format!(
                    "{} of the units at {from_code} are held for released orders: pick them first",
                    need - covered
                )));
            }
        }
        for &(_, t, _) in &held {
            self.ledger
                .void(t, Reason::Move, &env.actor, env.at, reference)
                .expect("an open order's reservations are pending");
        }
        self.ledger
            .transfer(Self::spec(
                env,
                source,
                target,
                qty,
                Reason::Move,
                reference,
            ))
            .map_err(|e| bad("qty", e.to_string()))?;
        let customer = self.external(env.org, sku, Party::Customer);
        let mut to_target = need;
        let mut changed: BTreeMap<OrderId, Order> = BTreeMap::new();
        let to_code = self.location_codes[&to].clone();
        for (oid, t, q) in held {
            let here = q.min(to_target);
            to_target -= here;
            let mut made = Vec::new();
            for (acct, part, code) in [(target, here, &to_code), (source, q - here, &from_code)] {
                if part > Qty::ZERO {
                    let order_ref = tote_core::order::format_order_id(oid);
                    let id = self
                        .ledger
                        .reserve(Self::spec(
                            env,
                            acct,
                            customer,
                            part,
                            Reason::Reservation,
                            &order_ref,
                        ))
                        .expect("the moved units are available");
                    made.push(Reservation {
                        transfer: id,
                        location: code.clone(),
                        qty: part,
                    });
                }
            }
            let order = changed
                .entry(oid)
                .or_insert_with(|| self.open_orders[&oid].clone());
            replace_reservation(order, t, made);
        }
        let mut ids = Vec::new();
        for (oid, mut order) in changed {
            order.updated_at = env.at.to_rfc3339();
            self.store_order(oid, order.clone());
            ids.push(order.id);
        }
        Ok(ids)
    }

    fn store_order(&mut self, id: OrderId, order: Order) {
        let placed_at = Timestamp::parse_rfc3339(&order.placed_at).unwrap_or_default();
        self.group.orders.push(OrderRow::new(id, placed_at, &order));
        self.open_orders.insert(id, order);
    }

    fn open_order(&self, org: OrgId, id: &str) -> Result<(OrderId, Order), OpError> {
        let not_found = || OpError::NotFound {
            what: "order",
            id: id.to_owned(),
        };
        let oid = parse_order_id(id).ok_or_else(not_found)?;
        match self.open_orders.get(&oid) {
            Some(o) if o.org == org => Ok((oid, o.clone())),
            _ if oid.0 < self.next_order => Err(OpError::Conflict(format!(
                "order {id} is closed (shipped or cancelled)"
            ))),
            _ => Err(not_found()),
        }
    }
}

/// Replaces the reservation `old` of an order by `new` (none: the units are no
/// longer held for it), keeping the allocation's quantity.
fn replace_reservation(order: &mut Order, old: TransferId, new: Vec<Reservation>) {
    for l in &mut order.lines {
        for a in &mut l.allocations {
            if let Some(i) = a.reservations.iter().position(|r| r.transfer == old) {
                a.reservations.splice(i..=i, new);
                return;
            }
        }
    }
    panic!("order {} holds no reservation {old:?}", order.id);
}
