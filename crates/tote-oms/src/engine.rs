//! The writer's state machine: every mutation of the books runs here, one at a time.
//!
//! `apply` checks a command against memory, changes memory and stages rows; `commit`
//! hands the staged rows to the journal as one commit group. A command that fails
//! rolls back its own ledger moves and staged rows, and the rest of its group goes on.

use crate::command::{
    AdjustmentInput, Applied, Command, Envelope, IdempotencyKey, MovedLine, Movement, OpError,
    Outcome, ReceiptInput, UpsertMode,
};

mod omni_engine;
use serde_json::json;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use tote_core::catalog::RECEIVING_LOCATION;
use tote_core::order::Reservation;
use tote_core::order::format_order_id;
use tote_core::validate::Checker;
use tote_core::{
    Allocation, Event, EventKind, Invalid, Location, LocationId, LocationInput, Node, NodeId,
    NodeInput, Order, OrderId, OrderInput, OrderLine, OrderStatus, OrgId, OwnerId, Qty, Sku, SkuId,
    SkuInput, Timestamp,
};
use tote_ledger::{Account, AccountId, Bucket, Ledger, Machine, Party, Reason, TransferSpec};
mod wms;

use tote_store::{
    CommitGroup, IdempotencyRecord, Journal, NewEvent, OrderRow, Queries, StoreError,
};

/// How long a retry may count on getting the first answer back.
pub const IDEMPOTENCY_WINDOW_US: i64 = 24 * 3600 * 1_000_000;

struct IdempotencyEntry {
    request_hash: [u8; 32],
}

pub struct Engine {
    journal: Box<dyn Journal>,
    reader: Arc<dyn Queries>,
    ledger: Ledger,
    skus: HashMap<OrgId, HashMap<String, Sku>>,
    sku_codes: HashMap<SkuId, String>,
    nodes: HashMap<(OrgId, String), Node>,
    node_codes: HashMap<NodeId, String>,
    node_by_id: HashMap<NodeId, Node>,
    locations: HashMap<(NodeId, String), Location>,
    location_codes: HashMap<LocationId, String>,
    next_sku: u32,
    next_node: u32,
    next_location: u32,
    /// Orders that still hold or wait for stock; closed ones live in the store only.
    // The maps that grow with every order are B-trees: a hash map's doubling would
    // stall the writer for milliseconds at a time as they grow into the millions.
    open_orders: BTreeMap<OrderId, Order>,
    /// Orders closed in the open commit group: evicted from memory once committed.
    closing: Vec<OrderId>,
    external_ids: BTreeMap<(OrgId, String, String), OrderId>,
    next_order: u64,
    next_event: u64,
    idempotency: BTreeMap<(OrgId, String), IdempotencyEntry>,
    idempotency_expiry: VecDeque<(Timestamp, OrgId, String)>,
    group: CommitGroup,
    sourcing: omni_engine::SourcingState,
    /// Warehouse records: ASNs, waves, pick tasks, packs, shipments, counts.
    wms: wms::WmsState,
}

/// Where a failed command rolls back to.
struct Savepoint {
    ledger: tote_ledger::Mark,
    skus: usize,
    nodes: usize,
    locations: usize,
    orders: usize,
    events: usize,
    docs: usize,
    next_event: u64,
    sourcing_config: usize,
}

impl Engine {
    /// Loads the books from the journal and checks every invariant before serving.
    pub fn open(
        mut journal: Box<dyn Journal>,
        reader: Arc<dyn Queries>,
        now: Timestamp,
    ) -> Result<Engine, StoreError> {
        let snap = journal.load(Timestamp(now.0 - IDEMPOTENCY_WINDOW_US))?;
        let ledger = Ledger::restore(snap.accounts, snap.pending, snap.next_transfer);
        let mut e = Engine {
            journal,
            reader,
            ledger,
            skus: HashMap::new(),
            sku_codes: HashMap::new(),
            nodes: HashMap::new(),
            node_codes: HashMap::new(),
            node_by_id: HashMap::new(),
            locations: HashMap::new(),
            location_codes: HashMap::new(),
            next_sku: 1,
            next_node: 1,
            next_location: 1,
            open_orders: BTreeMap::new(),
            closing: Vec::new(),
            external_ids: BTreeMap::new(),
            next_order: snap.next_order.0,
            next_event: snap.next_event_seq,
            idempotency: BTreeMap::new(),
            idempotency_expiry: VecDeque::new(),
            group: CommitGroup::default(),
            sourcing: omni_engine::SourcingState::load(&snap.sourcing_config)?,
            wms: wms::WmsState::default(),
        };
        for s in snap.skus {
            e.next_sku = e.next_sku.max(s.id.0 + 1);
            e.sku_codes.insert(s.id, s.input.sku.clone());
            e.skus
                .entry(s.org)
                .or_default()
                .insert(s.input.sku.clone(), s);
        }
        for n in snap.nodes {
            e.next_node = e.next_node.max(n.id.0 + 1);
            e.node_codes.insert(n.id, n.input.code.clone());
            e.node_by_id.insert(n.id, n.clone());
            e.nodes.insert((n.org, n.input.code.clone()), n);
        }
        for l in snap.locations {
            e.next_location = e.next_location.max(l.id.0 + 1);
            e.location_codes.insert(l.id, l.input.code.clone());
            e.locations.insert((l.node_id, l.input.code.clone()), l);
        }
        for (org, channel, external_id, id) in snap.external_ids {
            e.external_ids.insert((org, channel, external_id), id);
        }
        for mut o in snap.open_orders {
            let id = o
                .order_id()
                .ok_or_else(|| StoreError::Corrupt(format!("order id {}", o.id)))?;
            o.org = OrgId::DEFAULT;
            e.open_orders.insert(id, o);
        }
        for r in snap.idempotency {
            e.idempotency_expiry.push_back((r.at, r.org, r.key.clone()));
            e.idempotency.insert(
                (r.org, r.key),
                IdempotencyEntry {
                    request_hash: r.request_hash,
                },
            );
        }
        e.load_wms(snap.docs)?;
        e.check_reservations();
        Ok(e)
    }

    /// Every open order's reservations are pending in the ledger: nothing is held
    /// for an order that no longer wants it, and nothing an order counts on is gone.
    fn check_reservations(&self) {
        let mut held = 0usize;
        for o in self.open_orders.values() {
            for l in &o.lines {
                for a in &l.allocations {
                    for r in &a.reservations {
                        assert!(
                            self.ledger.is_pending(r.transfer),
                            "order {} reservation {:?} is not pending",
                            o.id,
                            r.transfer
                        );
                        held += 1;
                    }
                }
            }
        }
        assert_eq!(
            held,
            self.ledger.pending_count(),
            "pending transfers that no open order holds"
        );
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    fn sku(&self, org: OrgId, code: &str) -> Option<&Sku> {
        self.skus.get(&org)?.get(code)
    }

    fn savepoint(&self) -> Savepoint {
        Savepoint {
            ledger: self.ledger.mark(),
            skus: self.group.skus.len(),
            nodes: self.group.nodes.len(),
            locations: self.group.locations.len(),
            orders: self.group.orders.len(),
            events: self.group.events.len(),
            docs: self.group.docs.len(),
            next_event: self.next_event,
            sourcing_config: self.group.sourcing_config.len(),
        }
    }

    fn rollback(&mut self, sp: Savepoint) {
        self.ledger.rollback(sp.ledger);
        self.group.skus.truncate(sp.skus);
        self.group.nodes.truncate(sp.nodes);
        self.group.locations.truncate(sp.locations);
        self.group.orders.truncate(sp.orders);
        self.group.events.truncate(sp.events);
        self.group.docs.truncate(sp.docs);
        self.next_event = sp.next_event;
        self.group.sourcing_config.truncate(sp.sourcing_config);
    }

    fn event(
        &mut self,
        env: &Envelope,
        kind: EventKind,
        subject: &str,
        data: impl serde::Serialize,
    ) {
        let data = serde_json::value::to_raw_value(&data).expect("event data serialises");
        let seq = self.next_event;
        self.next_event += 1;
        self.group.events.push(NewEvent {
            seq,
            at: env.at,
            event: Event {
                seq,
                kind,
                at: env.at.to_rfc3339(),
                org: env.org,
                actor: env.actor.clone(),
                subject: subject.to_owned(),
                data,
            },
        });
    }

    /// Applies one command. Memory changes only when it succeeds.
    pub fn execute(&mut self, env: Envelope) -> Result<Applied, OpError> {
        if let Some(idem) = &env.idempotency
            && let Some(replay) = self.replay(env.org, idem)?
        {
            return Ok(replay);
        }
        let sp = self.savepoint();
        let result = match &env.command {
            Command::Sku(input, mode) => self.put_sku(&env, input, *mode),
            Command::Node(input, mode) => self.put_node(&env, input, *mode),
            Command::Location(input) => self.put_location(&env, input),
            Command::Receive(input) => self.receive(&env, input),
            Command::Adjust(input) => self.adjust(&env, input),
            Command::PlaceOrder(input) => self.place_order(&env, input),
            Command::CancelOrder(id) => self.cancel_order(&env, *id),
            Command::NodeProfile(code, p) => self.put_node_profile(&env, code, p),
            Command::ChannelPolicy(code, p) => self.put_channel_policy(&env, code, p),
            Command::Availability(q) => self.availability(&env, q),
            Command::Promise(q) => self.promise(&env, q),
            Command::RejectLine(id, r) => self.reject_line(&env, *id, r),
            Command::GetNodeProfile(code) => self.get_node_profile(&env, code),
            Command::GetChannelPolicy(code) => Ok(self.get_channel_policy(&env, code)),
            Command::Warehouse(cmd) => self.warehouse(&env, cmd),
        };
        match result {
            Ok(outcome) => {
                if let Some(idem) = &env.idempotency {
                    self.remember(&env, idem, &outcome);
                }
                Ok(Applied {
                    outcome,
                    replayed: false,
                })
            }
            Err(e) => {
                self.rollback(sp);
                Err(e)
            }
        }
    }

    fn replay(&self, org: OrgId, idem: &IdempotencyKey) -> Result<Option<Applied>, OpError> {
        let Some(entry) = self.idempotency.get(&(org, idem.key.clone())) else {
            return Ok(None);
        };
        if entry.request_hash != idem.request_hash {
            return Err(OpError::IdempotencyMismatch(idem.key.clone()));
        }
        let staged = self
            .group
            .idempotency
            .iter()
            .find(|r| r.org == org && r.key == idem.key)
            .map(|r| r.outcome.clone());
        let stored = match staged {
            Some(s) => s,
            None => self
                .reader
                .idempotent_outcome(org, &idem.key)
                .map_err(|e| OpError::Store(e.to_string()))?
                .ok_or_else(|| {
                    OpError::Store(format!(
                        "idempotency key `{}` has no stored answer",
                        idem.key
                    ))
                })?,
        };
        let outcome = serde_json::from_str(&stored).map_err(|e| OpError::Store(e.to_string()))?;
        Ok(Some(Applied {
            outcome,
            replayed: true,
        }))
    }

    fn remember(&mut self, env: &Envelope, idem: &IdempotencyKey, outcome: &Outcome) {
        self.idempotency.insert(
            (env.org, idem.key.clone()),
            IdempotencyEntry {
                request_hash: idem.request_hash,
            },
        );
        self.idempotency_expiry
            .push_back((env.at, env.org, idem.key.clone()));
        self.group.idempotency.push(IdempotencyRecord {
            org: env.org,
            key: idem.key.clone(),
            request_hash: idem.request_hash,
            at: env.at,
            outcome: serde_json::to_string(outcome).expect("outcomes serialise"),
        });
        // Forget keys past the window, so memory stays bounded by the request rate.
        while let Some((at, _, _)) = self.idempotency_expiry.front() {
            if env.at.0 - at.0 <= IDEMPOTENCY_WINDOW_US {
                break;
            }
            let (_, org, key) = self.idempotency_expiry.pop_front().expect("front exists");
            self.idempotency.remove(&(org, key));
        }
    }

    fn put_sku(
        &mut self,
        env: &Envelope,
        input: &SkuInput,
        mode: UpsertMode,
    ) -> Result<Outcome, OpError> {
        input.validate()?;
        let existing = self.sku(env.org, &input.sku).map(|s| s.id);
        let id = match (existing, mode) {
            (Some(_), UpsertMode::Create) => {
                return Err(OpError::Conflict(format!(
                    "sku `{}` already exists",
                    input.sku
                )));
            }
            (None, UpsertMode::Replace) => {
                return Err(OpError::NotFound {
                    what: "sku",
                    id: input.sku.clone(),
                });
            }
            (Some(id), _) => id,
            (None, _) => {
                let id = SkuId(self.next_sku);
                self.next_sku += 1;
                id
            }
        };
        let sku = Sku {
            id,
            org: env.org,
            input: input.clone(),
        };
        let created = existing.is_none();
        self.sku_codes.insert(id, input.sku.clone());
        self.skus
            .entry(env.org)
            .or_default()
            .insert(input.sku.clone(), sku.clone());
        self.group.skus.push(sku.clone());
        let kind = if created {
            EventKind::SkuCreated
        } else {
            EventKind::SkuUpdated
        };
        self.event(env, kind, &input.sku, json!({ "sku": input }));
        Ok(Outcome::Sku { sku, created })
    }

    fn put_node(
        &mut self,
        env: &Envelope,
        input: &NodeInput,
        mode: UpsertMode,
    ) -> Result<Outcome, OpError> {
        input.validate()?;
        let key = (env.org, input.code.clone());
        let existing = self.nodes.get(&key).map(|n| n.id);
        let id = match (existing, mode) {
            (Some(_), UpsertMode::Create) => {
                return Err(OpError::Conflict(format!(
                    "node `{}` already exists",
                    input.code
                )));
            }
            (None, UpsertMode::Replace) => {
                return Err(OpError::NotFound {
                    what: "node",
                    id: input.code.clone(),
                });
            }
            (Some(id), _) => id,
            (None, _) => {
                let id = NodeId(self.next_node);
                self.next_node += 1;
                id
            }
        };
        let node = Node {
            id,
            org: env.org,
            input: input.clone(),
        };
        let created = existing.is_none();
        self.node_codes.insert(id, input.code.clone());
        self.node_by_id.insert(id, node.clone());
        self.nodes.insert(key, node.clone());
        self.group.nodes.push(node.clone());
        if created {
            // Every node has a receiving location, so a receipt needs no setup.
            self.add_location(
                env,
                id,
                LocationInput {
                    node: input.code.clone(),
                    code: RECEIVING_LOCATION.into(),
                    zone: None,
                    aisle: None,
                    bay: None,
                    level: None,
                    position: None,
                },
            );
        }
        let kind = if created {
            EventKind::NodeCreated
        } else {
            EventKind::NodeUpdated
        };
        self.event(env, kind, &input.code, json!({ "node": input }));
        Ok(Outcome::Node { node, created })
    }

    fn add_location(&mut self, env: &Envelope, node: NodeId, input: LocationInput) -> Location {
        let id = LocationId(self.next_location);
        self.next_location += 1;
        let location = Location {
            id,
            org: env.org,
            node_id: node,
            input,
        };
        self.location_codes.insert(id, location.input.code.clone());
        self.locations
            .insert((node, location.input.code.clone()), location.clone());
        self.group.locations.push(location.clone());
        location
    }

    fn node_id(&self, org: OrgId, code: &str, field: &str) -> Result<NodeId, OpError> {
        self.nodes
            .get(&(org, code.to_owned()))
            .map(|n| n.id)
            .ok_or_else(|| OpError::Invalid(Invalid::one(field, format!("unknown node `{code}`"))))
    }

    fn put_location(&mut self, env: &Envelope, input: &LocationInput) -> Result<Outcome, OpError> {
        input.validate()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        if self.locations.contains_key(&(node, input.code.clone())) {
            return Err(OpError::Conflict(format!(
                "location `{}` already exists in node `{}`",
                input.code, input.node
            )));
        }
        let location = self.add_location(env, node, input.clone());
        self.event(
            env,
            EventKind::LocationCreated,
            &format!("{}/{}", input.node, input.code),
            json!({ "location": input }),
        );
        Ok(Outcome::Location(location))
    }

    /// Resolves line SKUs and locations, naming every unknown one.
    fn resolve_lines<'a>(
        &self,
        org: OrgId,
        node: NodeId,
        lines: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    ) -> Result<Vec<(SkuId, LocationId)>, OpError> {
        let mut c = Checker::new();
        let mut out = Vec::new();
        for (i, (sku, location)) in lines.enumerate() {
            let sku_id = self.sku(org, sku).map(|s| s.id);
            if sku_id.is_none() {
                c.fail(format!("lines[{i}].sku"), format!("unknown sku `{sku}`"));
            }
            let code = location.unwrap_or(RECEIVING_LOCATION);
            let loc_id = self.locations.get(&(node, code.to_owned())).map(|l| l.id);
            if loc_id.is_none() {
                c.fail(
                    format!("lines[{i}].location"),
                    format!("unknown location `{code}` in this node"),
                );
            }
            if let (Some(s), Some(l)) = (sku_id, loc_id) {
                out.push((s, l));
            }
        }
        c.finish()?;
        Ok(out)
    }

    fn internal(
        &mut self,
        node: NodeId,
        location: LocationId,
        sku: SkuId,
        bucket: Bucket,
    ) -> AccountId {
        self.ledger.account(Account::Internal {
            owner: OwnerId::DEFAULT,
            node,
            location,
            sku,
            bucket,
        })
    }

    fn external(&mut self, org: OrgId, sku: SkuId, party: Party) -> AccountId {
        self.ledger.account(Account::External { org, sku, party })
    }

    fn receive(&mut self, env: &Envelope, input: &ReceiptInput) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        check_line_count(&mut c, input.lines.len());
        for (i, l) in input.lines.iter().enumerate() {
            c.line_qty(("lines", i, "qty"), l.qty);
        }
        if let Some(r) = &input.reference {
            c.text("reference", r);
        }
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        let resolved = self.resolve_lines(
            env.org,
            node,
            input
                .lines
                .iter()
                .map(|l| (l.sku.as_str(), l.location.as_deref())),
        )?;
        let id = format!("R{}", self.ledger.next_transfer_id().0);
        let reference = input.reference.clone().unwrap_or_else(|| id.clone());
        let mut lines = Vec::with_capacity(resolved.len());
        for (line, &(sku, location)) in input.lines.iter().zip(&resolved) {
            let source = self.external(env.org, sku, Party::Supplier);
            let target = self.internal(node, location, sku, Bucket::OnHand);
            let transfer = self
                .ledger
                .transfer(TransferSpec {
                    source,
                    target,
                    qty: line.qty,
                    reason: Reason::Receipt,
                    actor: &env.actor,
                    at: env.at,
                    reference: &reference,
                })
                .map_err(|e| OpError::Invalid(Invalid::one("lines", e.to_string())))?;
            lines.push(MovedLine {
                sku: line.sku.clone(),
                location: self.location_codes[&location].clone(),
                qty: line.qty,
                from: Party::Supplier.as_str().into(),
                to: Bucket::OnHand.as_str().into(),
                transfer: transfer.0,
            });
        }
        let movement = Movement {
            id: id.clone(),
            node: input.node.clone(),
            lines,
            at: env.at.to_rfc3339(),
        };
        self.event(
            env,
            EventKind::InventoryReceived,
            &id,
            json!({ "receipt": movement, "reference": reference }),
        );
        let skus: Vec<SkuId> = resolved.iter().map(|&(sku, _)| sku).collect();
        self.fill_backorders(env, &skus);
        Ok(Outcome::Receipt(movement))
    }

    fn adjust(&mut self, env: &Envelope, input: &AdjustmentInput) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        check_line_count(&mut c, input.lines.len());
        let mut reasons = Vec::with_capacity(input.lines.len());
        for (i, l) in input.lines.iter().enumerate() {
            let field = format!("lines[{i}].qty");
            if l.qty == Qty::ZERO {
                c.fail(&field, "must not be zero");
            } else {
                // saturating: i64::MIN has no absolute value, and is refused as too large.
                c.line_qty(&field, Qty(l.qty.0.saturating_abs()));
            }
            let reason = match l.reason.as_str() {
                "damage" if l.qty.0 < 0 => Some(Reason::Damage),
                "shrink" if l.qty.0 < 0 => Some(Reason::Shrink),
                "found" if l.qty.0 > 0 => Some(Reason::Found),
                "count_variance" => Some(Reason::CountVariance),
                "damage" | "shrink" => {
                    c.fail(
                        &field,
                        format!("a {} adjustment removes units: must be negative", l.reason),
                    );
                    None
                }
                "found" => {
                    c.fail(&field, "a found adjustment adds units: must be positive");
                    None
                }
                other => {
                    c.fail(
                        format!("lines[{i}].reason"),
                        format!("`{other}` is not one of damage, shrink, count_variance, found"),
                    );
                    None
                }
            };
            reasons.push(reason);
        }
        if let Some(n) = &input.note {
            c.text("note", n);
        }
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        let resolved = self.resolve_lines(
            env.org,
            node,
            input
                .lines
                .iter()
                .map(|l| (l.sku.as_str(), l.location.as_deref())),
        )?;
        let id = format!("A{}", self.ledger.next_transfer_id().0);
        let mut lines = Vec::with_capacity(resolved.len());
        for (i, ((line, &(sku, location)), reason)) in
            input.lines.iter().zip(&resolved).zip(&reasons).enumerate()
        {
            let reason = reason.expect("checked above");
            let on_hand = self.internal(node, location, sku, Bucket::OnHand);
            let (source, target, from, to) = match reason {
                Reason::Damage => {
                    let damaged = self.internal(node, location, sku, Bucket::Damaged);
                    (on_hand, damaged, "on_hand", "damaged")
                }
                Reason::Shrink => (
                    on_hand,
                    self.external(env.org, sku, Party::Shrink),
                    "on_hand",
                    "shrink",
                ),
                Reason::Found => (
                    self.external(env.org, sku, Party::Found),
                    on_hand,
                    "found",
                    "on_hand",
                ),
                _ if line.qty.0 > 0 => (
                    self.external(env.org, sku, Party::CountVariance),
                    on_hand,
                    "count_variance",
                    "on_hand",
                ),
                _ => (
                    on_hand,
                    self.external(env.org, sku, Party::CountVariance),
                    "on_hand",
                    "count_variance",
                ),
            };
            let qty = Qty(line.qty.0.saturating_abs());
            let transfer = self
                .ledger
                .transfer(TransferSpec {
                    source,
                    target,
                    qty,
                    reason,
                    actor: &env.actor,
                    at: env.at,
                    reference: &id,
                })
                .map_err(|e| {
                    OpError::Invalid(Invalid::one(
                        format!("lines[{i}].qty"),
                        format!("sku `{}`: {e}", line.sku),
                    ))
                })?;
            lines.push(MovedLine {
                sku: line.sku.clone(),
                location: self.location_codes[&location].clone(),
                qty,
                from: from.into(),
                to: to.into(),
                transfer: transfer.0,
            });
        }
        let movement = Movement {
            id: id.clone(),
            node: input.node.clone(),
            lines,
            at: env.at.to_rfc3339(),
        };
        self.event(
            env,
            EventKind::InventoryAdjusted,
            &id,
            json!({ "adjustment": movement, "note": input.note }),
        );
        Ok(Outcome::Adjustment(movement))
    }

    fn place_order(&mut self, env: &Envelope, input: &OrderInput) -> Result<Outcome, OpError> {
        input.validate()?;
        let mut c = Checker::new();
        let mut lines = Vec::with_capacity(input.lines.len());
        for (i, l) in input.lines.iter().enumerate() {
            match self.sku(env.org, &l.sku) {
                Some(s) => lines.push((s.id, l.qty)),
                None => c.fail(
                    format!("lines[{i}].sku"),
                    format!("unknown sku `{}`", l.sku),
                ),
            }
        }
        c.finish()?;
        let ext_key = (env.org, input.channel.clone(), input.external_id.clone());
        if let Some(existing) = self.external_ids.get(&ext_key) {
            return Err(OpError::Conflict(format!(
                "channel `{}` already has order `{}` as {}",
                input.channel,
                input.external_id,
                format_order_id(*existing)
            )));
        }
        let (plan, decision) =
            self.source_lines(env, &input.channel, &input.ship_to, &lines, true, None);
        let id = OrderId(self.next_order);
        let order_ref = format_order_id(id);
        let mut order_lines = Vec::with_capacity(lines.len());
        for ((line, &(sku, qty)), parts) in input.lines.iter().zip(&lines).zip(plan) {
            let mut allocations = Vec::with_capacity(parts.len());
            for (node, node_qty) in parts {
                let reservations = self.reserve_at_node(env, node, sku, node_qty, &order_ref);
                allocations.push(Allocation {
                    node: self.node_codes[&node].clone(),
                    qty: node_qty,
                    reservations,
                });
            }
            let allocated = allocations
                .iter()
                .map(|a| a.qty)
                .fold(Qty::ZERO, |a, b| a + b);
            order_lines.push(OrderLine {
                sku: line.sku.clone(),
                qty,
                allocations,
                backordered: qty - allocated,
            });
        }
        self.next_order += 1;
        let at = env.at.to_rfc3339();
        let order = Order {
            id: order_ref.clone(),
            org: env.org,
            external_id: input.external_id.clone(),
            channel: input.channel.clone(),
            status: Order::derive_status(&order_lines),
            ship_to: input.ship_to.clone(),
            service_level: input.service_level.clone(),
            lines: order_lines,
            sourcing: Some(tote_core::order::RawJson::of(&decision)),
            placed_at: at.clone(),
            updated_at: at,
        };
        self.event(
            env,
            EventKind::OrderPlaced,
            &order_ref,
            OrderPlacedData {
                external_id: &order.external_id,
                channel: &order.channel,
                lines: order
                    .lines
                    .iter()
                    .map(|l| SkuQty {
                        sku: &l.sku,
                        node: None,
                        qty: l.qty,
                    })
                    .collect(),
            },
        );
        let allocated: Vec<_> = order
            .lines
            .iter()
            .flat_map(|l| {
                l.allocations.iter().map(move |a| SkuQty {
                    sku: &l.sku,
                    node: Some(&a.node),
                    qty: a.qty,
                })
            })
            .collect();
        if !allocated.is_empty() {
            self.event(
                env,
                EventKind::OrderAllocated,
                &order_ref,
                AllocationsData {
                    allocations: allocated,
                },
            );
        }
        let backordered: Vec<_> = order
            .lines
            .iter()
            .filter(|l| l.backordered > Qty::ZERO)
            .map(|l| SkuQty {
                sku: &l.sku,
                node: None,
                qty: l.backordered,
            })
            .collect();
        if !backordered.is_empty() {
            self.event(
                env,
                EventKind::OrderBackordered,
                &order_ref,
                LinesData { lines: backordered },
            );
        }
        self.external_ids.insert(ext_key, id);
        self.group.orders.push(OrderRow::new(id, env.at, &order));
        self.open_orders.insert(id, order.clone());
        Ok(Outcome::Order {
            order,
            created: true,
        })
    }

    /// Reserves `qty` of `sku` across the node's locations, fullest first, so the
    /// units come from as few locations as can be.
    fn reserve_at_node(
        &mut self,
        env: &Envelope,
        node: NodeId,
        sku: SkuId,
        qty: Qty,
        reference: &str,
    ) -> Vec<Reservation> {
        let mut accounts: Vec<(Qty, AccountId, LocationId)> = self
            .ledger
            .stock_accounts(OwnerId::DEFAULT, sku)
            .iter()
            .filter_map(|&a| match self.ledger.key(a) {
                Account::Internal {
                    node: n, location, ..
                } if n == node => {
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
                .reserve(TransferSpec {
                    source,
                    target: customer,
                    qty: take,
                    reason: Reason::Reservation,
                    actor: &env.actor,
                    at: env.at,
                    reference,
                })
                .expect("sourcing reserves only what is available");
            out.push(Reservation {
                transfer,
                location: self.location_codes[&location].clone(),
                qty: take,
            });
            want -= take;
        }
        assert_eq!(
            want,
            Qty::ZERO,
            "sourcing planned more than the node's locations hold"
        );
        out
    }

    fn cancel_order(&mut self, env: &Envelope, id: OrderId) -> Result<Outcome, OpError> {
        let Some(mut order) = self.open_orders.get(&id).cloned() else {
            return self.closed_order(env, id);
        };
        let order_ref = order.id.clone();
        let mut released = Vec::new();
        for line in &mut order.lines {
            for a in &line.allocations {
                for r in &a.reservations {
                    self.ledger
                        .void(
                            r.transfer,
                            Reason::Cancellation,
                            &env.actor,
                            env.at,
                            &order_ref,
                        )
                        .expect("an open order's reservations are pending");
                    released.push(json!({"sku": line.sku, "node": a.node, "location": r.location, "qty": r.qty}));
                }
            }
            // A cancelled order holds nothing and waits for nothing; what it
            // released is in the order.cancelled event.
            line.allocations.clear();
            line.backordered = Qty::ZERO;
        }
        order.status = OrderStatus::Cancelled;
        self.cancel_pick_tasks(env, &order_ref);
        order.updated_at = env.at.to_rfc3339();
        self.event(
            env,
            EventKind::OrderCancelled,
            &order_ref,
            json!({ "released": released }),
        );
        let placed_at = Timestamp::parse_rfc3339(&order.placed_at).unwrap_or(env.at);
        self.group.orders.push(OrderRow::new(id, placed_at, &order));
        self.open_orders.insert(id, order.clone());
        self.closing.push(id);
        Ok(Outcome::Order {
            order,
            created: false,
        })
    }

    /// Cancelling an order that is already closed: cancelled is answered as is
    /// (a retried cancel is harmless); shipped cannot be cancelled.
    fn closed_order(&self, env: &Envelope, id: OrderId) -> Result<Outcome, OpError> {
        let not_found = || OpError::NotFound {
            what: "order",
            id: format_order_id(id),
        };
        if id.0 >= self.next_order {
            return Err(not_found());
        }
        let order = self
            .reader
            .order(env.org, id)
            .map_err(|e| OpError::Store(e.to_string()))?
            .ok_or_else(not_found)?;
        match order.status {
            OrderStatus::Cancelled => Ok(Outcome::Order {
                order,
                created: false,
            }),
            status => Err(OpError::Conflict(format!(
                "order {} is {}: only open orders can be cancelled",
                order.id,
                status.as_str()
            ))),
        }
    }

    /// Ends the open commit group: the invariants are asserted over what it touched,
    /// then it is committed in one transaction.
    pub fn commit_group(&mut self) -> Result<(), StoreError> {
        self.group.ledger = self.ledger.take_commit_group();
        self.journal.commit(&self.group)?;
        self.group.clear();
        for id in self.closing.drain(..) {
            self.open_orders.remove(&id);
        }
        Ok(())
    }
}

fn check_line_count(c: &mut Checker, n: usize) {
    if n == 0 {
        c.fail("lines", "must hold at least one line");
    } else if n > tote_core::limits::REQUEST_LINES_MAX {
        c.fail(
            "lines",
            format!(
                "must hold at most {} lines",
                tote_core::limits::REQUEST_LINES_MAX
            ),
        );
    }
}

impl Machine for Engine {
    type Command = Envelope;
    type Reply = Result<Applied, OpError>;

    fn apply(&mut self, command: Envelope) -> Self::Reply {
        self.execute(command)
    }

    fn commit(&mut self) -> Result<(), String> {
        self.commit_group()
            .map_err(|e| format!("commit failed: {e}"))
    }
}

#[derive(serde::Serialize)]
struct SkuQty<'a> {
    sku: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    node: Option<&'a str>,
    qty: Qty,
}

#[derive(serde::Serialize)]
struct OrderPlacedData<'a> {
    external_id: &'a str,
    channel: &'a str,
    lines: Vec<SkuQty<'a>>,
}

#[derive(serde::Serialize)]
struct AllocationsData<'a> {
    allocations: Vec<SkuQty<'a>>,
}

#[derive(serde::Serialize)]
struct LinesData<'a> {
    lines: Vec<SkuQty<'a>>,
}
