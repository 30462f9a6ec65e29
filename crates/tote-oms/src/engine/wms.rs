//! The warehouse commands, run by the writer like every other mutation.
//!
//! Each handler checks its input, makes its ledger moves, and only then writes
//! the records it changed back to memory, so a failure part way leaves memory as
//! it was (the savepoint rolls back the ledger and the staged rows).

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
}

#[derive(Serialize, serde::Deserialize)]
struct LayoutDoc {
    node: String,
    layout: NodeLayout,
}

/// The warehouse's records the writer keeps in memory.
#[derive(Default)]
pub(crate) struct WmsState {
    layouts: HashMap<NodeId, NodeLayout>,
    asns: BTreeMap<String, Asn>,
    waves: BTreeMap<String, Wave>,
    tasks: BTreeMap<String, PickTask>,
    order_tasks: HashMap<String, Vec<String>>,
    packs: BTreeMap<String, Pack>,
    /// Shipments not yet on a manifest.
    unmanifested: BTreeMap<String, Shipment>,
    counts: BTreeMap<String, Count>,
    /// Pick faces: (min, max) units of a SKU at a location.
    faces: HashMap<(NodeId, LocationId, SkuId), (Qty, Qty)>,
    face_inputs: HashMap<NodeId, PickFacesInput>,
    replenishments: BTreeMap<String, Replenishment>,
    counters: Counters,
}

fn corrupt(kind: &str, e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("{kind}: {e}"))
}

fn bad(field: impl Into<String>, problem: impl Into<String>) -> OpError {
    OpError::Invalid(Invalid::one(field, problem))
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
                    w.asns.insert(a.id.clone(), a);
                }
                DOC_WAVE => {
                    let v: Wave =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_WAVE, e))?;
                    w.waves.insert(v.id.clone(), v);
                }
                DOC_TASK => {
                    let t: PickTask =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_TASK, e))?;
                    let ids = w.order_tasks.entry(t.order.clone()).or_default();
                    if !ids.contains(&t.id) {
                        ids.push(t.id.clone());
                    }
                    w.tasks.insert(t.id.clone(), t);
                }
                DOC_PACK => {
                    let p: Pack =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_PACK, e))?;
                    w.packs.insert(p.order.clone(), p);
                }
                DOC_SHIPMENT => {
                    let s: Shipment =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_SHIPMENT, e))?;
                    if s.manifest.is_none() {
                        w.unmanifested.insert(s.id.clone(), s);
                    }
                }
                DOC_COUNT => {
                    let c: Count =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_COUNT, e))?;
                    w.counts.insert(c.id.clone(), c);
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
                    w.replenishments.insert(r.id.clone(), r);
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
            let mut t = self.wms.tasks[&id].clone();
            if t.status != "open" {
                continue;
            }
            t.status = "cancelled".into();
            t.done_by = Some(env.actor.clone());
            t.done_at = Some(env.at.to_rfc3339());
            self.doc(env.org, DOC_TASK, &id, &t);
            self.wms.tasks.insert(id, t);
        }
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
            WmsCommand::Ship { order, input } => self.ship(env, order, input)?,
            WmsCommand::CloseManifest(input) => self.close_manifest(env, input)?,
            WmsCommand::CreateCount(input) => self.create_count(env, input)?,
            WmsCommand::RecordCount { count, input } => self.record_count(env, count, input)?,
            WmsCommand::ApproveCount { count } => self.approve_count(env, count)?,
            WmsCommand::SetPickFaces(input) => self.set_pick_faces(env, input)?,
            WmsCommand::ConfirmReplenishment { task, input } => {
                self.confirm_replenishment(env, task, input)?
            }
        };
        Ok(Outcome::Warehouse(out))
    }

    // ---- helpers ----

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
        let code = self.node_codes[&node].clone();
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

    fn spec<'a>(
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
        let node_code = self.node_codes[&node].clone();
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

    // ---- layout ----

    fn set_layout(
        &mut self,
        env: &Envelope,
        node: &str,
        layout: &NodeLayout,
    ) -> Result<WmsOutcome, OpError> {
        let id = self
            .nodes
            .get(&(env.org, node.to_owned()))
            .map(|n| n.id)
            .ok_or_else(|| OpError::NotFound {
                what: "node",
                id: node.to_owned(),
            })?;
        layout
            .routing_layout()
            .map_err(|e| bad(e.field, e.problem))?;
        if let Some(cap) = layout.location_capacity_units
            && cap < 1
        {
            return Err(bad("location_capacity_units", "must be at least 1"));
        }
        self.doc(
            env.org,
            DOC_LAYOUT,
            node,
            &LayoutDoc {
                node: node.into(),
                layout: layout.clone(),
            },
        );
        self.event(env, EventKind::LayoutSet, node, json!({ "layout": layout }));
        self.wms.layouts.insert(id, layout.clone());
        Ok(WmsOutcome::Layout(layout.clone()))
    }

    // ---- inbound ----

    fn create_asn(&mut self, env: &Envelope, input: &AsnInput) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        c.code("po", &input.po);
        c.optional_text("supplier", input.supplier.as_deref());
        if input.cartons.is_empty() {
            c.fail("cartons", "must hold at least one carton");
        } else if input.cartons.len() > ASN_CARTONS_MAX {
            c.fail(
                "cartons",
                format!("must hold at most {ASN_CARTONS_MAX} cartons"),
            );
        }
        let mut expected: BTreeMap<String, Qty> = BTreeMap::new();
        for (i, carton) in input.cartons.iter().enumerate().take(ASN_CARTONS_MAX) {
            c.code(&format!("cartons[{i}].id"), &carton.id);
            if carton.lines.is_empty() || carton.lines.len() > tote_core::limits::REQUEST_LINES_MAX
            {
                c.fail(format!("cartons[{i}].lines"), "must hold 1 to 1000 lines");
            }
            for (j, l) in carton.lines.iter().enumerate() {
                let f = format!("cartons[{i}].lines[{j}]");
                c.line_qty(&format!("{f}.qty"), l.qty);
                if self.sku(env.org, &l.sku).is_none() {
                    c.fail(format!("{f}.sku"), format!("unknown sku `{}`", l.sku));
                }
                *expected.entry(l.sku.clone()).or_default() += l.qty;
            }
        }
        c.finish()?;
        self.node_id(env.org, &input.node, "node")?;
        let mut counters = self.wms.counters.clone();
        counters.asn += 1;
        let id = format!("ASN{}", counters.asn);
        let asn = Asn {
            id: id.clone(),
            node: input.node.clone(),
            po: input.po.clone(),
            supplier: input.supplier.clone(),
            cartons: input.cartons.clone(),
            status: "open".into(),
            lines: expected
                .into_iter()
                .map(|(sku, q)| AsnLine {
                    sku,
                    expected: q,
                    received: Qty::ZERO,
                    damaged: Qty::ZERO,
                    over: Qty::ZERO,
                    short: q,
                })
                .collect(),
            created_at: env.at.to_rfc3339(),
            first_received_at: None,
        };
        self.event(env, EventKind::AsnCreated, &id, json!({ "asn": asn }));
        self.doc(env.org, DOC_ASN, &id, &asn);
        self.save_counters(env.org, counters);
        self.wms.asns.insert(id, asn.clone());
        Ok(WmsOutcome::Asn(asn))
    }

    fn receive_asn(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &AsnReceiptInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut asn = self
            .wms
            .asns
            .get(id)
            .cloned()
            .ok_or_else(|| OpError::NotFound {
                what: "asn",
                id: id.to_owned(),
            })?;
        if asn.status != "open" {
            return Err(OpError::Conflict(format!("{id} is closed")));
        }
        let mut c = Checker::new();
        if input.lines.len() > tote_core::limits::REQUEST_LINES_MAX {
            c.fail("lines", "must hold at most 1000 lines");
        }
        if input.lines.is_empty() && !input.close {
            c.fail("lines", "must hold at least one line (or close the ASN)");
        }
        let mut skus = Vec::new();
        for (i, l) in input.lines.iter().enumerate() {
            for (name, q) in [("qty", l.qty), ("damaged", l.damaged)] {
                if q < Qty::ZERO || q.0 > tote_core::limits::LINE_QTY_MAX {
                    c.fail(
                        format!("lines[{i}].{name}"),
                        "must be between 0 and 1000000000",
                    );
                }
            }
            if l.qty + l.damaged == Qty::ZERO {
                c.fail(
                    format!("lines[{i}].qty"),
                    "a line receives at least one unit",
                );
            }
            match self.scan_sku(env.org, &l.sku, "sku") {
                Ok(s) => skus.push((s.id, s.input.sku.clone())),
                Err(_) => c.fail(
                    format!("lines[{i}].sku"),
                    format!("`{}` is no known SKU code or GTIN", l.sku),
                ),
            }
        }
        c.finish()?;
        let node = self.node_id(env.org, &asn.node, "node")?;
        let dock = self.location_id(node, RECEIVING_LOCATION, "node")?;
        let mut moved = Vec::new();
        for (l, (sku, code)) in input.lines.iter().zip(&skus) {
            let sku = *sku;
            let supplier = self.external(env.org, sku, Party::Supplier);
            for (q, bucket) in [(l.qty, Bucket::OnHand), (l.damaged, Bucket::Damaged)] {
                if q == Qty::ZERO {
                    continue;
                }
                let target = self.internal(node, dock, sku, bucket);
                let t = self
                    .ledger
                    .transfer(Self::spec(env, supplier, target, q, Reason::Receipt, id))
                    .map_err(|e| bad("lines", e.to_string()))?;
                moved.push(json!({"sku": code, "qty": q, "to": bucket.as_str(), "location": RECEIVING_LOCATION, "transfer": t.0}));
            }
            match asn.lines.iter_mut().find(|a| &a.sku == code) {
                Some(a) => {
                    a.received += l.qty;
                    a.damaged += l.damaged;
                }
                None => asn.lines.push(AsnLine {
                    sku: code.clone(),
                    expected: Qty::ZERO,
                    received: l.qty,
                    damaged: l.damaged,
                    over: Qty::ZERO,
                    short: Qty::ZERO,
                }),
            }
        }
        for a in &mut asn.lines {
            let arrived = a.received + a.damaged;
            a.over = Qty((arrived - a.expected).0.max(0));
            a.short = Qty((a.expected - arrived).0.max(0));
        }
        if asn.first_received_at.is_none() && !moved.is_empty() {
            asn.first_received_at = Some(env.at.to_rfc3339());
        }
        if !moved.is_empty() {
            self.event(
                env,
                EventKind::InventoryReceived,
                id,
                json!({ "asn": id, "po": asn.po, "node": asn.node, "moved": moved, "variances": asn.lines }),
            );
        }
        if input.close {
            asn.status = "closed".into();
            self.event(
                env,
                EventKind::AsnClosed,
                id,
                json!({ "variances": asn.lines }),
            );
        }
        self.doc(env.org, DOC_ASN, id, &asn);
        self.wms.asns.insert(id.to_owned(), asn.clone());
        Ok(WmsOutcome::Asn(asn))
    }

    // ---- put-away ----

    fn suggest(
        &self,
        node: NodeId,
        sku: SkuId,
        qty: Qty,
        velocity: Option<&str>,
        field: &str,
    ) -> Result<PutawaySuggestion, OpError> {
        let velocity = match velocity {
            None => VelocityClass::B,
            Some(v) => VelocityClass::parse(v)
                .ok_or_else(|| bad(field, format!("`{v}` is not A, B or C")))?,
        };
        let hazmat = self
            .sku_codes
            .get(&sku)
            .and_then(|code| self.skus.values().find_map(|m| m.get(code)))
            .is_some_and(|s| s.input.hazmat_un.is_some());
        let capacity = self
            .wms
            .layouts
            .get(&node)
            .and_then(|l| l.location_capacity_units);
        // Units per location, of every SKU and of this one.
        let mut units: HashMap<LocationId, (i64, i64)> = HashMap::new();
        for (_, key, b) in self.ledger.accounts() {
            if let Account::Internal {
                node: n,
                location,
                sku: s,
                bucket: Bucket::OnHand,
                ..
            } = *key
                && n == node
            {
                let e = units.entry(location).or_default();
                e.0 += b.posted.0;
                if s == sku {
                    e.1 += b.posted.0;
                }
            }
        }
        let mut candidates: Vec<PutawayCandidate> = self
            .locations
            .values()
            .filter(|l| l.node_id == node)
            .filter(|l| l.input.code != RECEIVING_LOCATION && l.input.code != PACK_LOCATION)
            .map(|l| {
                let (all, of_sku) = units.get(&l.id).copied().unwrap_or_default();
                PutawayCandidate {
                    code: l.input.code.clone(),
                    zone: l.input.zone.clone(),
                    units: all,
                    units_of_sku: of_sku,
                    capacity_units: capacity,
                }
            })
            .collect();
        candidates.sort_by(|a, b| a.code.cmp(&b.code));
        let s = tote_wms::suggest_putaway(&PutawaySku { hazmat, velocity }, qty.0, &candidates);
        Ok(PutawaySuggestion {
            location: s.as_ref().map(|s| s.location.clone()),
            rule: s.map(|s| s.rule),
        })
    }

    fn put_away(&mut self, env: &Envelope, input: &PutawayInput) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        c.code("location", &input.location);
        c.line_qty("qty", input.qty);
        c.optional_text("override_reason", input.override_reason.as_deref());
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        let sku = self.scan_sku(env.org, &input.sku, "sku")?.id;
        let from_code = input.from.as_deref().unwrap_or(RECEIVING_LOCATION);
        let from = self.location_id(node, from_code, "from")?;
        let to = self.location_id(node, &input.location, "location")?;
        if from == to {
            return Err(bad("location", "is where the units already are"));
        }
        let suggested =
            self.suggest(node, sku, input.qty, input.velocity.as_deref(), "velocity")?;
        if suggested.location.as_deref() != Some(input.location.as_str())
            && input.override_reason.is_none()
        {
            return Err(bad(
                "location",
                match &suggested.location {
                    Some(s) => format!(
                        "scanned `{}` but `{s}` is suggested: scan it, or give override_reason",
                        input.location
                    ),
                    None => "no location is suggested: give override_reason".into(),
                },
            ));
        }
        let dock_to_stock_s = match &input.asn {
            None => None,
            Some(a) => {
                let asn = self
                    .wms
                    .asns
                    .get(a)
                    .ok_or_else(|| bad("asn", format!("unknown ASN `{a}`")))?;
                asn.first_received_at
                    .as_deref()
                    .and_then(Timestamp::parse_rfc3339)
                    .map(|t| (env.at.0 - t.0) / 1_000_000)
            }
        };
        let reference = format!("putaway {}", input.location);
        let repointed = self.move_units(env, node, sku, from, to, input.qty, &reference)?;
        let done = PutAway {
            node: input.node.clone(),
            sku: self.sku_codes[&sku].clone(),
            qty: input.qty,
            from: from_code.into(),
            to: input.location.clone(),
            suggested,
            override_reason: input.override_reason.clone(),
            repointed,
            dock_to_stock_s,
            at: env.at.to_rfc3339(),
        };
        self.event(env, EventKind::InventoryPutAway, &done.sku.clone(), &done);
        Ok(WmsOutcome::PutAway(done))
    }

    // ---- waves ----

    fn release_wave(&mut self, env: &Envelope, input: &WaveInput) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        if !(1..=tote_wms::wave::CART_TOTES_MAX).contains(&input.cart_totes) {
            c.fail(
                "cart_totes",
                format!("must be between 1 and {}", tote_wms::wave::CART_TOTES_MAX),
            );
        }
        if input.rules.max_orders == Some(0) {
            c.fail("rules.max_orders", "must be at least 1");
        }
        for (i, l) in input.rules.service_levels.iter().enumerate() {
            c.code(&format!("rules.service_levels[{i}]"), l);
        }
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        let node_code = input.node.clone();
        // Fully allocated orders held entirely at this node.
        let eligible: Vec<(OrderId, &Order)> = self
            .open_orders
            .iter()
            .filter(|(_, o)| o.org == env.org && o.status == OrderStatus::Allocated)
            .filter(|(_, o)| {
                o.lines
                    .iter()
                    .all(|l| l.allocations.iter().all(|a| a.node == node_code))
            })
            .map(|(&id, o)| (id, o))
            .collect();
        let candidates: Vec<tote_wms::WaveCandidate> = eligible
            .iter()
            .map(|(_, o)| tote_wms::WaveCandidate {
                service_level: o.service_level.clone(),
                placed_at_us: Timestamp::parse_rfc3339(&o.placed_at).unwrap_or_default().0,
            })
            .collect();
        let chosen = tote_wms::select_wave(&candidates, &input.rules);
        if chosen.is_empty() {
            return Err(OpError::Conflict(format!(
                "no allocated order at {node_code} matches the wave's rules"
            )));
        }
        // Each reservation is one pick: (order id, line, reservation).
        let mut wave_orders = Vec::with_capacity(chosen.len());
        let mut refs: Vec<Vec<(usize, TransferId)>> = Vec::with_capacity(chosen.len());
        let mut chosen_ids = Vec::with_capacity(chosen.len());
        for &i in &chosen {
            let (oid, o) = eligible[i];
            chosen_ids.push(oid);
            let mut lines = Vec::new();
            let mut r_refs = Vec::new();
            for (li, l) in o.lines.iter().enumerate() {
                for a in &l.allocations {
                    for r in &a.reservations {
                        let loc = self.locations.get(&(node, r.location.clone()));
                        lines.push(tote_wms::PickLine {
                            location: r.location.clone(),
                            aisle: loc.and_then(|l| l.input.aisle),
                            bay: loc.and_then(|l| l.input.bay),
                            sku: l.sku.clone(),
                            qty: r.qty.0,
                        });
                        r_refs.push((li, r.transfer));
                    }
                }
            }
            wave_orders.push(tote_wms::WaveOrder {
                order: o.id.clone(),
                lines,
            });
            refs.push(r_refs);
        }
        let layout = self.wms.layouts.get(&node);
        let lists = tote_wms::build_pick_lists(layout, &wave_orders, input.cart_totes);
        let code_order_distance_m =
            layout.and_then(|l| tote_wms::code_order_distance_m(l, &wave_orders, input.cart_totes));
        let mut counters = self.wms.counters.clone();
        counters.wave += 1;
        let wave_id = format!("W{}", counters.wave);
        let mut views = Vec::with_capacity(lists.len());
        let mut tasks = Vec::new();
        for list in &lists {
            counters.list += 1;
            let list_id = format!("PL{}", counters.list);
            let mut task_ids = Vec::with_capacity(list.stops.len());
            for (seq, stop) in list.stops.iter().enumerate() {
                counters.task += 1;
                let line = &wave_orders[stop.order].lines[stop.line];
                let task = PickTask {
                    id: format!("PT{}", counters.task),
                    wave: wave_id.clone(),
                    list: list_id.clone(),
                    seq: seq + 1,
                    order: wave_orders[stop.order].order.clone(),
                    tote: list
                        .orders
                        .iter()
                        .position(|&o| o == stop.order)
                        .unwrap_or(0)
                        + 1,
                    sku: line.sku.clone(),
                    location: line.location.clone(),
                    qty: Qty(line.qty),
                    status: "open".into(),
                    picked: Qty::ZERO,
                    reservation: refs[stop.order][stop.line].1.0,
                    done_by: None,
                    done_at: None,
                };
                task_ids.push(task.id.clone());
                tasks.push(task);
            }
            views.push(PickListView {
                id: list_id,
                orders: list
                    .orders
                    .iter()
                    .map(|&o| wave_orders[o].order.clone())
                    .collect(),
                tasks: task_ids,
                distance_m: list.distance_m,
                routed: list.routed,
            });
        }
        let wave = Wave {
            id: wave_id.clone(),
            node: node_code.clone(),
            orders: wave_orders.iter().map(|o| o.order.clone()).collect(),
            lists: views,
            tasks: Vec::new(),
            distance_m: lists.iter().map(|l| l.distance_m).sum(),
            code_order_distance_m,
            released_at: env.at.to_rfc3339(),
        };
        // Nothing below can fail: write the records.
        for oid in chosen_ids {
            let mut o = self.open_orders[&oid].clone();
            o.status = OrderStatus::Released;
            o.updated_at = env.at.to_rfc3339();
            self.event(
                env,
                EventKind::OrderReleased,
                &o.id.clone(),
                json!({ "wave": wave_id }),
            );
            self.store_order(oid, o);
        }
        for t in &tasks {
            self.doc(env.org, DOC_TASK, &t.id, t);
            self.wms
                .order_tasks
                .entry(t.order.clone())
                .or_default()
                .push(t.id.clone());
            self.wms.tasks.insert(t.id.clone(), t.clone());
        }
        self.doc(env.org, DOC_WAVE, &wave_id, &wave);
        self.event(
            env,
            EventKind::WaveReleased,
            &wave_id,
            json!({
                "node": node_code,
                "orders": wave.orders,
                "lists": wave.lists.iter().map(|l| json!({"id": l.id, "orders": l.orders, "picks": l.tasks.len(), "distance_m": l.distance_m, "routed": l.routed})).collect::<Vec<_>>(),
                "distance_m": wave.distance_m,
                "code_order_distance_m": wave.code_order_distance_m,
            }),
        );
        self.save_counters(env.org, counters);
        self.wms.waves.insert(wave_id, wave.clone());
        Ok(WmsOutcome::Wave(Wave { tasks, ..wave }))
    }

    // ---- picking ----

    fn open_task(&self, id: &str) -> Result<PickTask, OpError> {
        let t = self
            .wms
            .tasks
            .get(id)
            .cloned()
            .ok_or_else(|| OpError::NotFound {
                what: "pick task",
                id: id.to_owned(),
            })?;
        if t.status != "open" {
            return Err(OpError::Conflict(format!(
                "pick task {id} is already {}",
                t.status
            )));
        }
        Ok(t)
    }

    /// Moves picked units of a task to the pack station, its reservation with them.
    fn pick_units(
        &mut self,
        env: &Envelope,
        node: NodeId,
        sku: SkuId,
        from: LocationId,
        qty: Qty,
        reference: &str,
    ) -> Reservation {
        let pack = self.pack_location(env, node);
        let source = self.on_hand(node, from, sku);
        let target = self.on_hand(node, pack, sku);
        self.ledger
            .transfer(Self::spec(
                env,
                source,
                target,
                qty,
                Reason::Move,
                reference,
            ))
            .expect("the voided reservation held these units");
        let customer = self.external(env.org, sku, Party::Customer);
        let transfer = self
            .ledger
            .reserve(Self::spec(
                env,
                target,
                customer,
                qty,
                Reason::Reservation,
                reference,
            ))
            .expect("the units just arrived");
        Reservation {
            transfer,
            location: PACK_LOCATION.into(),
            qty,
        }
    }

    fn task_context(
        &self,
        env: &Envelope,
        t: &PickTask,
    ) -> Result<(OrderId, Order, NodeId, SkuId, LocationId), OpError> {
        let (oid, order) = self.open_order(env.org, &t.order)?;
        let wave = &self.wms.waves[&t.wave];
        let node = self.node_id(env.org, &wave.node, "node")?;
        let sku = self
            .sku(env.org, &t.sku)
            .map(|s| s.id)
            .ok_or_else(|| OpError::Store(format!("sku {} of task {} is gone", t.sku, t.id)))?;
        let loc = self.location_id(node, &t.location, "location")?;
        Ok((oid, order, node, sku, loc))
    }

    fn check_location_scan(t: &PickTask, scanned: &str) -> Result<(), OpError> {
        if scanned != t.location {
            return Err(bad(
                "location",
                format!("scanned `{scanned}`, this pick is at `{}`", t.location),
            ));
        }
        Ok(())
    }

    fn confirm_pick(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &PickInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut t = self.open_task(id)?;
        Self::check_location_scan(&t, &input.location)?;
        let scanned = self.scan_sku(env.org, &input.item, "item")?;
        if scanned.input.sku != t.sku {
            return Err(bad(
                "item",
                format!("scanned {}, this pick is {}", scanned.input.sku, t.sku),
            ));
        }
        if input.qty != t.qty {
            return Err(bad(
                "qty",
                format!("this pick is {} units; report fewer as a short pick", t.qty),
            ));
        }
        let (oid, mut order, node, sku, loc) = self.task_context(env, &t)?;
        self.ledger
            .void(
                TransferId(t.reservation),
                Reason::Move,
                &env.actor,
                env.at,
                id,
            )
            .expect("an open pick task's reservation is pending");
        let r = self.pick_units(env, node, sku, loc, t.qty, id);
        replace_reservation(&mut order, TransferId(t.reservation), vec![r.clone()]);
        t.status = "picked".into();
        t.picked = t.qty;
        t.reservation = r.transfer.0;
        t.done_by = Some(env.actor.clone());
        t.done_at = Some(env.at.to_rfc3339());
        self.event(
            env,
            EventKind::PickConfirmed,
            id,
            json!({"order": t.order, "sku": t.sku, "location": t.location, "qty": t.qty, "to": PACK_LOCATION, "list": t.list}),
        );
        self.finish_pick(
            env,
            oid,
            order,
            t,
            (Vec::new(), Qty::ZERO),
            (node, loc, sku),
        )
    }

    fn short_pick(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &ShortPickInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut t = self.open_task(id)?;
        Self::check_location_scan(&t, &input.location)?;
        let mut c = Checker::new();
        if input.found < Qty::ZERO || input.found >= t.qty {
            c.fail(
                "found",
                format!("a short pick finds 0 to {} units", t.qty.0 - 1),
            );
        }
        c.optional_text("reason", input.reason.as_deref());
        c.finish()?;
        let (oid, mut order, node, sku, loc) = self.task_context(env, &t)?;
        self.ledger
            .void(
                TransferId(t.reservation),
                Reason::Move,
                &env.actor,
                env.at,
                id,
            )
            .expect("an open pick task's reservation is pending");
        let mut made = Vec::new();
        if input.found > Qty::ZERO {
            made.push(self.pick_units(env, node, sku, loc, input.found, id));
        }
        // The picker saw the location empty: what no other order holds there is
        // written off as a count variance.
        let here = self.on_hand(node, loc, sku);
        let missing = self.ledger.balance(here).available();
        let mut adjustment = None;
        if missing > Qty::ZERO {
            let variance = self.external(env.org, sku, Party::CountVariance);
            let tr = self
                .ledger
                .transfer(Self::spec(
                    env,
                    here,
                    variance,
                    missing,
                    Reason::CountVariance,
                    id,
                ))
                .expect("available units can be written off");
            adjustment = Some(tr.0);
            self.event(
                env,
                EventKind::InventoryAdjusted,
                id,
                json!({"reason": "short_pick", "note": input.reason, "node": self.node_codes[&node], "location": t.location, "sku": t.sku, "qty": -missing.0, "transfer": tr.0}),
            );
        }
        let rest = t.qty - input.found;
        let pack = self.pack_location(env, node);
        let (resourced, backordered) =
            self.reserve_upto(env, node, sku, rest, &[loc, pack], &order.id);
        made.extend(resourced.iter().cloned());
        replace_reservation(&mut order, TransferId(t.reservation), made.clone());
        if backordered > Qty::ZERO {
            let node_code = self.node_codes[&node].clone();
            if let Some(line) = order.lines.iter_mut().find(|l| l.sku == t.sku) {
                line.backordered += backordered;
                if let Some(a) = line.allocations.iter_mut().find(|a| a.node == node_code) {
                    a.qty -= backordered;
                }
            }
        }
        // New tasks for the re-sourced units, at the end of the same list.
        let mut counters = self.wms.counters.clone();
        let mut new_tasks = Vec::new();
        let mut wave = self.wms.waves[&t.wave].clone();
        let list = wave
            .lists
            .iter_mut()
            .find(|l| l.id == t.list)
            .expect("a task's list is in its wave");
        for r in &resourced {
            counters.task += 1;
            let nt = PickTask {
                id: format!("PT{}", counters.task),
                seq: list.tasks.len() + 1,
                location: r.location.clone(),
                qty: r.qty,
                status: "open".into(),
                picked: Qty::ZERO,
                reservation: r.transfer.0,
                done_by: None,
                done_at: None,
                ..t.clone()
            };
            list.tasks.push(nt.id.clone());
            new_tasks.push(nt);
        }
        t.status = "short".into();
        t.picked = input.found;
        t.reservation = made.first().map_or(t.reservation, |r| r.transfer.0);
        t.done_by = Some(env.actor.clone());
        t.done_at = Some(env.at.to_rfc3339());
        self.event(
            env,
            EventKind::PickShort,
            id,
            json!({"order": t.order, "sku": t.sku, "location": t.location, "expected": t.qty, "found": input.found,
                   "reason": input.reason, "written_off": missing, "adjustment": adjustment,
                   "resourced": resourced.iter().map(|r| json!({"location": r.location, "qty": r.qty})).collect::<Vec<_>>(),
                   "backordered": backordered, "new_tasks": new_tasks.iter().map(|t| &t.id).collect::<Vec<_>>()}),
        );
        for nt in &new_tasks {
            self.doc(env.org, DOC_TASK, &nt.id, nt);
            self.wms
                .order_tasks
                .entry(nt.order.clone())
                .or_default()
                .push(nt.id.clone());
            self.wms.tasks.insert(nt.id.clone(), nt.clone());
        }
        self.doc(env.org, DOC_WAVE, &wave.id.clone(), &wave);
        self.wms.waves.insert(wave.id.clone(), wave);
        self.save_counters(env.org, counters);
        self.finish_pick(
            env,
            oid,
            order,
            t,
            (new_tasks, backordered),
            (node, loc, sku),
        )
    }

    /// Stores the task and the order; the order is picked once no task is open.
    fn finish_pick(
        &mut self,
        env: &Envelope,
        oid: OrderId,
        mut order: Order,
        t: PickTask,
        (new_tasks, backordered): (Vec<PickTask>, Qty),
        face: (NodeId, LocationId, SkuId),
    ) -> Result<WmsOutcome, OpError> {
        let replenishments = self.replenish_if_low(env, face).into_iter().collect();
        self.doc(env.org, DOC_TASK, &t.id, &t);
        self.wms.tasks.insert(t.id.clone(), t.clone());
        let open = self.wms.order_tasks[&t.order]
            .iter()
            .any(|id| self.wms.tasks[id].status == "open");
        order.updated_at = env.at.to_rfc3339();
        if !open {
            order.status = OrderStatus::Picked;
            self.event(
                env,
                EventKind::OrderPicked,
                &order.id.clone(),
                json!({ "to": PACK_LOCATION }),
            );
        }
        let status = order.status.as_str().to_owned();
        self.store_order(oid, order);
        Ok(WmsOutcome::Pick(PickResult {
            task: t,
            new_tasks,
            backordered,
            order_status: status,
            replenishments,
        }))
    }

    // ---- replenishment ----

    /// A replenishment for a pick face below its min, from the reserve location
    /// with the most free units, unless one is already open for that face.
    fn replenish_if_low(
        &mut self,
        env: &Envelope,
        (node, loc, sku): (NodeId, LocationId, SkuId),
    ) -> Option<Replenishment> {
        let &(min, max) = self.wms.faces.get(&(node, loc, sku))?;
        let to = self.location_codes[&loc].clone();
        let sku_code = self.sku_codes[&sku].clone();
        let node_code = self.node_codes[&node].clone();
        if self
            .wms
            .replenishments
            .values()
            .any(|r| r.status == "open" && r.to == to && r.sku == sku_code && r.node == node_code)
        {
            return None;
        }
        let face = self.on_hand(node, loc, sku);
        let on_hand = self.ledger.balance(face).posted;
        if on_hand >= min {
            return None;
        }
        let source = self
            .ledger
            .stock_accounts(OwnerId::DEFAULT, sku)
            .iter()
            .filter_map(|&a| match self.ledger.key(a) {
                Account::Internal {
                    node: n, location, ..
                } if n == node && location != loc => {
                    let code = &self.location_codes[&location];
                    let reserve = code != PACK_LOCATION
                        && code != RECEIVING_LOCATION
                        && !self.wms.faces.contains_key(&(node, location, sku));
                    let available = self.ledger.balance(a).available();
                    (reserve && available > Qty::ZERO).then(|| (available, code.clone()))
                }
                _ => None,
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))?;
        let mut counters = self.wms.counters.clone();
        counters.replenishment += 1;
        let r = Replenishment {
            id: format!("RP{}", counters.replenishment),
            node: node_code,
            sku: sku_code,
            from: source.1,
            to,
            qty: (max - on_hand).min(source.0),
            status: "open".into(),
            created_at: env.at.to_rfc3339(),
            done_by: None,
            done_at: None,
        };
        self.event(env, EventKind::ReplenishmentCreated, &r.id.clone(), &r);
        self.doc(env.org, DOC_REPLEN, &r.id.clone(), &r);
        self.save_counters(env.org, counters);
        self.wms.replenishments.insert(r.id.clone(), r.clone());
        Some(r)
    }

    fn set_pick_faces(
        &mut self,
        env: &Envelope,
        input: &PickFacesInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        if input.faces.len() > tote_core::limits::REQUEST_LINES_MAX {
            c.fail("faces", "must hold at most 1000 faces");
        }
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        let mut c = Checker::new();
        let mut faces = Vec::with_capacity(input.faces.len());
        for (i, f) in input.faces.iter().enumerate() {
            let loc = self
                .locations
                .get(&(node, f.location.clone()))
                .map(|l| l.id);
            if loc.is_none() {
                c.fail(
                    format!("faces[{i}].location"),
                    format!("unknown location `{}` in this node", f.location),
                );
            }
            let sku = self.sku(env.org, &f.sku).map(|s| s.id);
            if sku.is_none() {
                c.fail(
                    format!("faces[{i}].sku"),
                    format!("unknown sku `{}`", f.sku),
                );
            }
            if f.min < Qty::ZERO {
                c.fail(format!("faces[{i}].min"), "must be at least 0");
            }
            if f.max < Qty(1) || f.max < f.min || f.max.0 > tote_core::limits::LINE_QTY_MAX {
                c.fail(
                    format!("faces[{i}].max"),
                    "must be at least 1 and at least min",
                );
            }
            if let (Some(l), Some(s)) = (loc, sku) {
                faces.push(((node, l, s), (f.min, f.max)));
            }
        }
        c.finish()?;
        self.wms.faces.retain(|k, _| k.0 != node);
        self.wms.faces.extend(faces.iter().copied());
        self.wms.face_inputs.insert(node, input.clone());
        self.doc(env.org, DOC_FACES, &input.node, input);
        self.event(
            env,
            EventKind::PickFacesSet,
            &input.node,
            json!({ "faces": input.faces }),
        );
        let replenishments = faces
            .iter()
            .filter_map(|(k, _)| self.replenish_if_low(env, *k))
            .collect();
        Ok(WmsOutcome::PickFaces(PickFaces {
            node: input.node.clone(),
            faces: input.faces.clone(),
            replenishments,
        }))
    }

    fn confirm_replenishment(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &ReplenishmentInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut r = self
            .wms
            .replenishments
            .get(id)
            .cloned()
            .ok_or_else(|| OpError::NotFound {
                what: "replenishment",
                id: id.to_owned(),
            })?;
        if r.status != "open" {
            return Err(OpError::Conflict(format!(
                "replenishment {id} is already {}",
                r.status
            )));
        }
        for (field, scanned, want) in [("from", &input.from, &r.from), ("to", &input.to, &r.to)] {
            if scanned != want {
                return Err(bad(
                    field,
                    format!("scanned `{scanned}`, this move is `{want}`"),
                ));
            }
        }
        let node = self.node_id(env.org, &r.node, "node")?;
        let sku = self.scan_sku(env.org, &r.sku, "sku")?.id;
        let from = self.location_id(node, &r.from, "from")?;
        let to = self.location_id(node, &r.to, "to")?;
        let repointed = self.move_units(env, node, sku, from, to, r.qty, id)?;
        r.status = "done".into();
        r.done_by = Some(env.actor.clone());
        r.done_at = Some(env.at.to_rfc3339());
        self.event(
            env,
            EventKind::InventoryReplenished,
            id,
            json!({"replenishment": r, "repointed": repointed}),
        );
        self.doc(env.org, DOC_REPLEN, id, &r);
        self.wms.replenishments.insert(id.to_owned(), r.clone());
        Ok(WmsOutcome::Replenishment(r))
    }

    // ---- pack and ship ----

    fn pack_scan(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &PackScanInput,
    ) -> Result<WmsOutcome, OpError> {
        let (oid, mut order) = self.open_order(env.org, id)?;
        if order.status != OrderStatus::Picked {
            return Err(OpError::Conflict(format!(
                "order {id} is {}: only picked orders are packed",
                order.status.as_str()
            )));
        }
        let mut pack = self.wms.packs.get(id).cloned().unwrap_or_else(|| Pack {
            order: id.to_owned(),
            accepted: false,
            refusal: None,
            remaining: order
                .lines
                .iter()
                .filter(|l| l.allocated() > Qty::ZERO)
                .map(|l| PackRemaining {
                    sku: l.sku.clone(),
                    qty: l.allocated(),
                })
                .collect(),
            scans_accepted: 0,
            scans_refused: 0,
            cartons: Vec::new(),
            status: "packing".into(),
        });
        let scanned = self
            .scan_sku(env.org, &input.item, "item")
            .ok()
            .map(|s| s.input.sku.clone());
        let slot = scanned.as_ref().and_then(|s| {
            pack.remaining
                .iter_mut()
                .find(|r| &r.sku == s && r.qty > Qty::ZERO)
        });
        match slot {
            Some(r) => {
                r.qty -= Qty(1);
                pack.accepted = true;
                pack.refusal = None;
                pack.scans_accepted += 1;
            }
            None => {
                // A wrong item is refused, and the refusal is kept: order
                // accuracy counts it.
                let why = match &scanned {
                    Some(s) => format!("{s} is not (or no longer) expected in order {id}"),
                    None => format!("`{}` is no known SKU code or GTIN", input.item),
                };
                pack.accepted = false;
                pack.refusal = Some(why.clone());
                pack.scans_refused += 1;
                self.event(
                    env,
                    EventKind::PackScanRefused,
                    id,
                    json!({"scanned": input.item, "why": why}),
                );
            }
        }
        if pack.accepted && pack.remaining.iter().all(|r| r.qty == Qty::ZERO) {
            let items: Vec<tote_wms::PackItem> = order
                .lines
                .iter()
                .filter(|l| l.allocated() > Qty::ZERO)
                .filter_map(|l| {
                    let s = self.sku(env.org, &l.sku)?;
                    Some(tote_wms::PackItem {
                        sku: l.sku.clone(),
                        dims_mm: s.input.dims_mm,
                        weight_g: s.input.weight_g,
                        qty: u32::try_from(l.allocated().0).unwrap_or(u32::MAX),
                        ships_alone: s.input.ships_alone,
                    })
                })
                .collect();
            pack.cartons = tote_wms::choose_carton(&tote_wms::default_cartons(), &items)
                .map_err(|e| OpError::Conflict(format!("order {id} cannot be packed: {e}")))?;
            pack.status = "packed".into();
            order.status = OrderStatus::Packed;
            order.updated_at = env.at.to_rfc3339();
            self.event(
                env,
                EventKind::OrderPacked,
                id,
                json!({"cartons": pack.cartons, "scans_accepted": pack.scans_accepted, "scans_refused": pack.scans_refused}),
            );
            self.store_order(oid, order);
        }
        self.doc(env.org, DOC_PACK, id, &pack);
        self.wms.packs.insert(id.to_owned(), pack.clone());
        Ok(WmsOutcome::Pack(pack))
    }

    fn ship(&mut self, env: &Envelope, id: &str, input: &ShipInput) -> Result<WmsOutcome, OpError> {
        let (carrier, service) = match &input.service {
            None => (DEFAULT_CARRIER.to_owned(), DEFAULT_SERVICE.to_owned()),
            Some(s) => {
                let parts = s.split_once('/').filter(|(c, v)| {
                    tote_core::validate::check_code(c).is_ok()
                        && tote_core::validate::check_code(v).is_ok()
                });
                let (c, v) = parts.ok_or_else(|| {
                    bad("service", "must be CARRIER/service, such as LOCAL/ground")
                })?;
                (c.to_owned(), v.to_owned())
            }
        };
        let (oid, mut order) = self.open_order(env.org, id)?;
        if order.status != OrderStatus::Packed {
            return Err(OpError::Conflict(format!(
                "order {id} is {}: only packed orders ship",
                order.status.as_str()
            )));
        }
        let mut posted = Vec::new();
        let mut node = String::new();
        for l in &order.lines {
            for a in &l.allocations {
                node = a.node.clone();
                for r in &a.reservations {
                    let t = self
                        .ledger
                        .post(r.transfer, Reason::Shipment, &env.actor, env.at, id)
                        .expect("an open order's reservations are pending");
                    posted.push(t.0);
                }
            }
        }
        let mut counters = self.wms.counters.clone();
        counters.shipment += 1;
        counters.tracking += 1;
        let shipment = Shipment {
            id: format!("SH{}", counters.shipment),
            order: id.to_owned(),
            node,
            carrier,
            service,
            tracking: tote_transport::adapter::LocalCarrier::tracking_number(
                TRACKING_PREFIX,
                counters.tracking,
            ),
            cartons: self
                .wms
                .packs
                .get(id)
                .map(|p| p.cartons.clone())
                .unwrap_or_default(),
            posted,
            manifest: None,
            shipped_at: env.at.to_rfc3339(),
        };
        order.status = OrderStatus::Shipped;
        order.updated_at = env.at.to_rfc3339();
        // FIXME: units backordered by a short pick are named here, but the
        // order closes with the shipment; they are not re-released later.
        let backordered: Vec<_> = order
            .lines
            .iter()
            .filter(|l| l.backordered > Qty::ZERO)
            .map(|l| json!({"sku": l.sku, "qty": l.backordered}))
            .collect();
        self.event(
            env,
            EventKind::OrderShipped,
            id,
            json!({ "shipment": shipment, "backordered": backordered }),
        );
        self.store_order(oid, order);
        self.closing.push(oid);
        self.doc(env.org, DOC_SHIPMENT, &shipment.id.clone(), &shipment);
        self.save_counters(env.org, counters);
        self.wms
            .unmanifested
            .insert(shipment.id.clone(), shipment.clone());
        Ok(WmsOutcome::Shipment(shipment))
    }

    fn close_manifest(
        &mut self,
        env: &Envelope,
        input: &ManifestInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("carrier", &input.carrier);
        c.finish()?;
        let ids: Vec<String> = self
            .wms
            .unmanifested
            .values()
            .filter(|s| s.carrier == input.carrier)
            .map(|s| s.id.clone())
            .collect();
        if ids.is_empty() {
            return Err(OpError::Conflict(format!(
                "no shipment of carrier {} waits for a manifest",
                input.carrier
            )));
        }
        let mut counters = self.wms.counters.clone();
        counters.manifest += 1;
        let mid = format!("MF{}", counters.manifest);
        let mut tracking = Vec::new();
        for sid in &ids {
            let mut s = self.wms.unmanifested.remove(sid).expect("listed above");
            s.manifest = Some(mid.clone());
            tracking.push(s.tracking.clone());
            self.doc(env.org, DOC_SHIPMENT, sid, &s);
        }
        let m = Manifest {
            id: mid.clone(),
            carrier: input.carrier.clone(),
            shipments: ids,
            tracking,
            closed_at: env.at.to_rfc3339(),
        };
        self.event(env, EventKind::ManifestClosed, &mid, &m);
        self.doc(env.org, DOC_MANIFEST, &mid, &m);
        self.save_counters(env.org, counters);
        Ok(WmsOutcome::Manifest(m))
    }

    // ---- cycle counts ----

    fn create_count(&mut self, env: &Envelope, input: &CountInput) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        if input.locations.is_empty() || input.locations.len() > COUNT_LOCATIONS_MAX {
            c.fail(
                "locations",
                format!("must hold 1 to {COUNT_LOCATIONS_MAX} locations"),
            );
        }
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        for (i, l) in input.locations.iter().enumerate() {
            self.location_id(node, l, &format!("locations[{i}]"))?;
        }
        let mut counters = self.wms.counters.clone();
        counters.count += 1;
        let count = Count {
            id: format!("CC{}", counters.count),
            node: input.node.clone(),
            locations: input.locations.clone(),
            status: "open".into(),
            lines: Vec::new(),
            counted_by: None,
            approved_by: None,
            adjustments: Vec::new(),
            recounts: 0,
            locations_matched: None,
        };
        self.event(
            env,
            EventKind::CountCreated,
            &count.id.clone(),
            json!({"node": count.node, "locations": count.locations}),
        );
        self.doc(env.org, DOC_COUNT, &count.id.clone(), &count);
        self.save_counters(env.org, counters);
        self.wms.counts.insert(count.id.clone(), count.clone());
        Ok(WmsOutcome::Count(count))
    }

    fn count_of(&self, id: &str, status: &str) -> Result<Count, OpError> {
        let c = self
            .wms
            .counts
            .get(id)
            .cloned()
            .ok_or_else(|| OpError::NotFound {
                what: "count",
                id: id.to_owned(),
            })?;
        if c.status != status {
            return Err(OpError::Conflict(format!(
                "count {id} is {}, not {status}",
                c.status
            )));
        }
        Ok(c)
    }

    fn record_count(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &CountRecordInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut count = match self.count_of(id, "open") {
            Err(OpError::Conflict(_)) => self.count_of(id, "recount")?,
            other => other?,
        };
        let node = self.node_id(env.org, &count.node, "node")?;
        let mut c = Checker::new();
        let mut counted: BTreeMap<(String, String), Qty> = BTreeMap::new();
        for (i, l) in input.lines.iter().enumerate() {
            if !count.locations.contains(&l.location) {
                c.fail(
                    format!("lines[{i}].location"),
                    format!("`{}` is not in this count", l.location),
                );
            }
            if l.qty < Qty::ZERO || l.qty.0 > tote_core::limits::LINE_QTY_MAX {
                c.fail(
                    format!("lines[{i}].qty"),
                    "must be between 0 and 1000000000",
                );
            }
            match self.scan_sku(env.org, &l.sku, "sku") {
                Ok(s) => {
                    *counted
                        .entry((l.location.clone(), s.input.sku.clone()))
                        .or_default() += l.qty
                }
                Err(_) => c.fail(
                    format!("lines[{i}].sku"),
                    format!("unknown sku `{}`", l.sku),
                ),
            }
        }
        c.finish()?;
        // What the books hold at the counted locations, SKUs the counter did not
        // list included (they count as zero).
        let mut expected: BTreeMap<(String, String), Qty> = BTreeMap::new();
        for (_, key, b) in self.ledger.accounts() {
            if let Account::Internal {
                node: n,
                location,
                sku,
                bucket: Bucket::OnHand,
                ..
            } = *key
                && n == node
                && b.posted != Qty::ZERO
            {
                let code = &self.location_codes[&location];
                if count.locations.contains(code) {
                    expected.insert((code.clone(), self.sku_codes[&sku].clone()), b.posted);
                }
            }
        }
        let keys: std::collections::BTreeSet<_> =
            counted.keys().chain(expected.keys()).cloned().collect();
        count.lines = keys
            .into_iter()
            .map(|k| {
                let got = counted.get(&k).copied().unwrap_or_default();
                let want = expected.get(&k).copied().unwrap_or_default();
                CountLine {
                    location: k.0,
                    sku: k.1,
                    counted: got,
                    expected: want,
                    variance: got - want,
                }
            })
            .collect();
        // A first count off by more than the tolerance is counted again (blind)
        // before anyone may approve it; the second count stands.
        let off = count
            .lines
            .iter()
            .any(|l| l.variance.0.abs() > COUNT_TOLERANCE_UNITS);
        count.status = if off && count.status == "open" {
            count.recounts += 1;
            "recount".into()
        } else {
            "counted".into()
        };
        count.counted_by = Some(env.actor.clone());
        let matched = count
            .locations
            .iter()
            .filter(|l| {
                count
                    .lines
                    .iter()
                    .all(|x| &x.location != *l || x.variance == Qty::ZERO)
            })
            .count();
        self.event(
            env,
            EventKind::CountCounted,
            id,
            json!({"lines": count.lines, "locations": count.locations.len(), "locations_matched": matched, "status": count.status}),
        );
        count.locations_matched = Some(matched);
        self.doc(env.org, DOC_COUNT, id, &count);
        self.wms.counts.insert(id.to_owned(), count.clone());
        Ok(WmsOutcome::Count(count))
    }

    fn approve_count(&mut self, env: &Envelope, id: &str) -> Result<WmsOutcome, OpError> {
        let mut count = self.count_of(id, "counted")?;
        let node = self.node_id(env.org, &count.node, "node")?;
        let mut moved = Vec::new();
        for (i, l) in count.lines.iter().enumerate() {
            if l.variance == Qty::ZERO {
                continue;
            }
            let sku = self
                .sku(env.org, &l.sku)
                .map(|s| s.id)
                .ok_or_else(|| bad(format!("lines[{i}].sku"), "unknown sku"))?;
            let loc = self.location_id(node, &l.location, &format!("lines[{i}].location"))?;
            let here = self.on_hand(node, loc, sku);
            let variance = self.external(env.org, sku, Party::CountVariance);
            let (source, target) = if l.variance > Qty::ZERO {
                (variance, here)
            } else {
                (here, variance)
            };
            let qty = Qty(l.variance.0.abs());
            let t = self
                .ledger
                .transfer(Self::spec(env, source, target, qty, Reason::CountVariance, id))
                .map_err(|e| {
                    OpError::Conflict(format!(
                        "{} of {} at {}: {e} (units are held for orders: pick or re-source them first)",
                        qty, l.sku, l.location
                    ))
                })?;
            moved.push(
                json!({"sku": l.sku, "location": l.location, "qty": l.variance, "transfer": t.0}),
            );
            count.adjustments.push(t.0);
        }
        count.status = "approved".into();
        count.approved_by = Some(env.actor.clone());
        if !moved.is_empty() {
            self.event(
                env,
                EventKind::InventoryAdjusted,
                id,
                json!({"reason": "count_variance", "count": id, "node": count.node, "lines": moved}),
            );
        }
        self.doc(env.org, DOC_COUNT, id, &count);
        self.wms.counts.insert(id.to_owned(), count.clone());
        Ok(WmsOutcome::Count(count))
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
