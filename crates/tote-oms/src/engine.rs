//! The writer's state machine: every mutation of the books runs here, one at a time.
//!
//! `apply` checks a command against memory, changes memory and stages rows; `commit`
//! hands the staged rows to the journal as one commit group. A command that fails
//! rolls back its own ledger moves and staged rows, and the rest of its group goes on.

use crate::command::{
    AdjustmentInput, Applied, Command, Envelope, IdempotencyKey, MovedLine, Movement, OpError,
    Outcome, ReceiptInput, UpsertMode,
};

mod catalog;
mod inventory;
mod look_ahead;
mod omni_engine;
mod orders;
mod partners;
mod replan;
mod settings;
mod stores;
use orders::SkuQty;
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
use tote_ledger::{Account, AccountId, Bucket, Ledger, Machine, Party, Reason};
mod returns;
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
    /// Shared with the committer thread, which alone commits through it.
    journal: Arc<std::sync::Mutex<Box<dyn Journal>>>,
    reader: Arc<dyn Queries>,
    ledger: Ledger,
    skus: HashMap<OrgId, HashMap<String, Sku>>,
    sku_codes: HashMap<SkuId, String>,
    nodes: HashMap<(OrgId, String), Node>,
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
    /// The carrier services shipping rates and rate-shops with: configuration
    /// fixed for the process's life, not state.
    carriers: Arc<tote_transport::CarrierSet>,
    /// The GS1 company prefix the SSCCs on carton labels are numbered under.
    sscc_company_prefix: String,
    /// RMAs, return policies and their counters.
    returns: returns::ReturnsState,
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
        let journal = Arc::new(std::sync::Mutex::new(journal));
        let ledger = Ledger::restore(snap.accounts, snap.pending, snap.next_transfer);
        let sourcing = omni_engine::SourcingState::load(&snap.sourcing_config)?;
        // One example carrier set until `with_carriers` gives the shop's own.
        let carriers = sourcing.carriers.clone();
        let mut e = Engine {
            journal,
            reader,
            ledger,
            skus: HashMap::new(),
            sku_codes: HashMap::new(),
            nodes: HashMap::new(),
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
            sourcing,
            wms: wms::WmsState::default(),
            carriers,
            sscc_company_prefix: tote_transport::gs1::EXAMPLE_COMPANY_PREFIX.to_owned(),
            returns: returns::ReturnsState::default(),
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
        let docs = e.load_returns(snap.docs)?;
        e.load_wms(docs)?;
        e.check_reservations();
        e.check_returns();
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

    /// The carrier tables the shop rates, labels and promises with, instead of
    /// the example set. Sourcing costs a node's parcels with their ground
    /// service when they have one, else with the example tables' ground service.
    pub fn with_carriers(mut self, carriers: Arc<tote_transport::CarrierSet>) -> Engine {
        if carriers.service(crate::omni::SOURCING_SERVICE).is_some() {
            self.sourcing.carriers = carriers.clone();
        }
        self.carriers = carriers;
        self
    }

    /// Numbers carton labels under the shop's own GS1 company prefix (7 to 10
    /// digits), instead of GS1's example prefix.
    pub fn with_sscc_company_prefix(mut self, prefix: String) -> Engine {
        self.sscc_company_prefix = prefix;
        self
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    fn node_code(&self, id: NodeId) -> &str {
        &self.node_by_id[&id].input.code
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
            Command::Partner(cmd) => self.partner(&env, cmd),
            Command::Store(cmd) => self.store(&env, cmd),
            Command::LookAhead(input) => self.refresh_look_ahead(&env, input),
            Command::Replan(input) => self.replan(&env, input),
            Command::GetChannelPolicy(code) => Ok(self.get_channel_policy(&env, code)),
            Command::Warehouse(cmd) => self.warehouse(&env, cmd),
            Command::Returns(cmd) => self.returns(&env, cmd),
            Command::MetricsSettings(s) => Ok(self.metrics_settings(&env, s)),
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

    /// Ends the open commit group and commits it in one transaction.
    pub fn commit_group(&mut self) -> Result<(), StoreError> {
        self.seal_group()()
    }

    /// Ends the open commit group: the invariants are asserted over what it touched,
    /// and the group is handed over whole, to be committed in one transaction
    /// (by the writer's committer thread, while the next group is applied).
    fn seal_group(&mut self) -> impl FnOnce() -> Result<(), StoreError> + Send + use<> {
        self.group.ledger = self.ledger.take_commit_group();
        let group = std::mem::take(&mut self.group);
        for id in self.closing.drain(..) {
            self.open_orders.remove(&id);
        }
        let journal = self.journal.clone();
        move || {
            journal
                .lock()
                .expect("only the committer commits, and it stops on a failed commit")
                .commit(&group)
        }
    }
}

impl Machine for Engine {
    type Command = Envelope;
    type Reply = Result<Applied, OpError>;

    fn apply(&mut self, command: Envelope) -> Self::Reply {
        self.execute(command)
    }

    fn seal(&mut self) -> tote_ledger::writer::Persist {
        let persist = self.seal_group();
        Box::new(move || persist().map_err(|e| format!("commit failed: {e}")))
    }
}
