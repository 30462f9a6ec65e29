//! Property tests of the ledger: random receive, reserve, post, void, adjust and move
//! steps, some inside requests that roll back, checked after every step against a
//! plain model and against every invariant.

use proptest::prelude::*;
use std::collections::HashMap;
use tote_core::{LocationId, NodeId, OrgId, OwnerId, Qty, SkuId, Timestamp, TransferId};
use tote_ledger::{Account, AccountId, Bucket, Ledger, LedgerError, Party, Reason, TransferSpec};

const SKUS: u32 = 2;
const LOCATIONS: u32 = 2;

#[derive(Clone, Debug)]
enum Step {
    Receive {
        sku: u32,
        loc: u32,
        qty: i64,
    },
    Reserve {
        sku: u32,
        loc: u32,
        qty: i64,
    },
    Post(usize),
    Void(usize),
    Shrink {
        sku: u32,
        loc: u32,
        qty: i64,
    },
    Move {
        sku: u32,
        from: u32,
        to: u32,
        qty: i64,
    },
    /// A request whose steps all roll back, as when one of its lines fails.
    RolledBack(Vec<Step>),
    EndGroup,
}

fn simple_step() -> impl Strategy<Value = Step> {
    let sku = 0..SKUS;
    let loc = 0..LOCATIONS;
    prop_oneof![
        (sku.clone(), loc.clone(), 1i64..20).prop_map(|(sku, loc, qty)| Step::Receive {
            sku,
            loc,
            qty
        }),
        (sku.clone(), loc.clone(), 1i64..20).prop_map(|(sku, loc, qty)| Step::Reserve {
            sku,
            loc,
            qty
        }),
        (0usize..8).prop_map(Step::Post),
        (0usize..8).prop_map(Step::Void),
        (sku.clone(), loc.clone(), 1i64..20).prop_map(|(sku, loc, qty)| Step::Shrink {
            sku,
            loc,
            qty
        }),
        (sku, loc.clone(), loc, 1i64..20).prop_map(|(sku, from, to, qty)| Step::Move {
            sku,
            from,
            to,
            qty
        }),
        Just(Step::EndGroup),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => simple_step(),
        1 => proptest::collection::vec(simple_step(), 1..4).prop_map(Step::RolledBack),
    ]
}

fn on_hand(sku: u32, loc: u32) -> Account {
    Account::Internal {
        owner: OwnerId::DEFAULT,
        node: NodeId(1),
        location: LocationId(loc),
        sku: SkuId(sku),
        bucket: Bucket::OnHand,
    }
}

fn external(sku: u32, party: Party) -> Account {
    Account::External {
        org: OrgId::DEFAULT,
        sku: SkuId(sku),
        party,
    }
}

/// The plain model: on-hand and reserved units per (sku, location).
#[derive(Default)]
struct Model {
    posted: HashMap<(u32, u32), i64>,
    reserved: HashMap<(u32, u32), i64>,
    /// Pending reservations in creation order; None once resolved.
    pending: Vec<Option<(TransferId, u32, u32, i64)>>,
}

impl Model {
    fn available(&self, sku: u32, loc: u32) -> i64 {
        self.posted.get(&(sku, loc)).copied().unwrap_or(0)
            - self.reserved.get(&(sku, loc)).copied().unwrap_or(0)
    }
}

struct Harness {
    ledger: Ledger,
    model: Model,
}

impl Harness {
    fn acct(&mut self, key: Account) -> AccountId {
        self.ledger.account(key)
    }

    fn spec(
        source: AccountId,
        target: AccountId,
        qty: i64,
        reason: Reason,
    ) -> TransferSpec<'static> {
        TransferSpec {
            source,
            target,
            qty: Qty(qty),
            reason,
            actor: "test",
            at: Timestamp(0),
            reference: "",
        }
    }

    /// Applies a step to the ledger and the model; returns whether the ledger accepted it.
    fn apply(&mut self, step: &Step) -> bool {
        match *step {
            Step::Receive { sku, loc, qty } => {
                let (s, t) = (
                    self.acct(external(sku, Party::Supplier)),
                    self.acct(on_hand(sku, loc)),
                );
                self.ledger
                    .transfer(Self::spec(s, t, qty, Reason::Receipt))
                    .unwrap();
                *self.model.posted.entry((sku, loc)).or_default() += qty;
                true
            }
            Step::Reserve { sku, loc, qty } => {
                let (s, t) = (
                    self.acct(on_hand(sku, loc)),
                    self.acct(external(sku, Party::Customer)),
                );
                let expect_ok = self.model.available(sku, loc) >= qty;
                match self
                    .ledger
                    .reserve(Self::spec(s, t, qty, Reason::Reservation))
                {
                    Ok(id) => {
                        assert!(expect_ok, "reserve of {qty} accepted beyond availability");
                        *self.model.reserved.entry((sku, loc)).or_default() += qty;
                        self.model.pending.push(Some((id, sku, loc, qty)));
                        true
                    }
                    Err(LedgerError::Insufficient { .. }) => {
                        assert!(!expect_ok, "reserve of {qty} refused within availability");
                        false
                    }
                    Err(e) => panic!("unexpected {e}"),
                }
            }
            Step::Post(i) | Step::Void(i) => {
                let post = matches!(step, Step::Post(_));
                let Some(Some((id, sku, loc, qty))) = self.model.pending.get(i).cloned() else {
                    // Resolving a transfer that is not pending must fail and change nothing.
                    let missing = TransferId(u64::MAX - i as u64);
                    assert_eq!(
                        self.ledger
                            .post(missing, Reason::Shipment, "test", Timestamp(0), ""),
                        Err(LedgerError::NotPending(missing))
                    );
                    return false;
                };
                let r = if post {
                    self.ledger
                        .post(id, Reason::Shipment, "test", Timestamp(0), "")
                } else {
                    self.ledger
                        .void(id, Reason::Cancellation, "test", Timestamp(0), "")
                };
                r.unwrap();
                // A second resolution of the same transfer is refused.
                assert_eq!(
                    self.ledger
                        .void(id, Reason::Cancellation, "test", Timestamp(0), ""),
                    Err(LedgerError::NotPending(id))
                );
                *self.model.reserved.get_mut(&(sku, loc)).unwrap() -= qty;
                if post {
                    *self.model.posted.get_mut(&(sku, loc)).unwrap() -= qty;
                }
                self.model.pending[i] = None;
                true
            }
            Step::Shrink { sku, loc, qty } => {
                let (s, t) = (
                    self.acct(on_hand(sku, loc)),
                    self.acct(external(sku, Party::Shrink)),
                );
                let expect_ok = self.model.available(sku, loc) >= qty;
                let ok = self
                    .ledger
                    .transfer(Self::spec(s, t, qty, Reason::Shrink))
                    .is_ok();
                assert_eq!(ok, expect_ok);
                if ok {
                    *self.model.posted.entry((sku, loc)).or_default() -= qty;
                }
                ok
            }
            Step::Move { sku, from, to, qty } => {
                let (s, t) = (self.acct(on_hand(sku, from)), self.acct(on_hand(sku, to)));
                let r = self.ledger.transfer(Self::spec(s, t, qty, Reason::Move));
                if from == to {
                    assert_eq!(r, Err(LedgerError::SameAccount));
                    return false;
                }
                assert_eq!(r.is_ok(), self.model.available(sku, from) >= qty);
                if r.is_ok() {
                    *self.model.posted.entry((sku, from)).or_default() -= qty;
                    *self.model.posted.entry((sku, to)).or_default() += qty;
                }
                r.is_ok()
            }
            Step::RolledBack(ref steps) => {
                let mark = self.ledger.mark();
                let saved_posted = self.model.posted.clone();
                let saved_reserved = self.model.reserved.clone();
                let saved_pending = self.model.pending.clone();
                for s in steps {
                    if !matches!(s, Step::EndGroup | Step::RolledBack(_)) {
                        self.apply(s);
                    }
                }
                self.ledger.rollback(mark);
                self.model.posted = saved_posted;
                self.model.reserved = saved_reserved;
                self.model.pending = saved_pending;
                false
            }
            Step::EndGroup => {
                self.ledger.take_commit_group();
                true
            }
        }
    }

    fn check(&self) {
        self.ledger.check_all();
        for sku in 0..SKUS {
            for loc in 0..LOCATIONS {
                let Some(id) = self.ledger.find(&on_hand(sku, loc)) else {
                    continue;
                };
                let b = self.ledger.balance(id);
                assert_eq!(
                    b.posted.0,
                    self.model.posted.get(&(sku, loc)).copied().unwrap_or(0)
                );
                assert_eq!(b.available().0, self.model.available(sku, loc));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn every_step_keeps_every_invariant_and_matches_the_model(steps in proptest::collection::vec(step(), 1..60)) {
        let mut h = Harness { ledger: Ledger::new(), model: Model::default() };
        for s in &steps {
            h.apply(s);
            h.check();
        }
        h.ledger.take_commit_group();
        h.check();
    }

    #[test]
    fn restoring_from_the_commit_deltas_gives_the_same_books(steps in proptest::collection::vec(step(), 1..40)) {
        let mut h = Harness { ledger: Ledger::new(), model: Model::default() };
        let mut persisted: Vec<(AccountId, Account, tote_ledger::Balance)> = Vec::new();
        let mut pending: HashMap<TransferId, (AccountId, AccountId, Qty)> = HashMap::new();
        let mut persist = |delta: tote_ledger::CommitDelta, persisted: &mut Vec<(AccountId, Account, tote_ledger::Balance)>| {
            for (id, key) in delta.new_accounts {
                persisted.push((id, key, Default::default()));
            }
            for (id, b) in delta.balances {
                persisted[id.0 as usize].2 = b;
            }
            for t in delta.transfers {
                match t.kind {
                    tote_ledger::TransferKind::Pending => { pending.insert(t.id, (t.source, t.target, t.qty)); }
                    tote_ledger::TransferKind::Post { pending: p } | tote_ledger::TransferKind::Void { pending: p } => { pending.remove(&p); }
                    tote_ledger::TransferKind::Posted => {}
                }
            }
        };
        // One commit group, as the store sees it.
        for s in steps.iter().filter(|s| !matches!(s, Step::EndGroup)) {
            h.apply(s);
        }
        persist(h.ledger.take_commit_group(), &mut persisted);
        let restored = Ledger::restore(
            persisted.clone(),
            pending.iter().map(|(id, (s, t, q))| (*id, *s, *t, *q)).collect(),
            h.ledger.next_transfer_id(),
        );
        for (id, key, b) in h.ledger.accounts() {
            prop_assert_eq!(restored.key(id), *key);
            prop_assert_eq!(restored.balance(id), *b);
        }
        prop_assert_eq!(restored.pending_count(), h.ledger.pending_count());
    }
}

#[test]
fn reservation_never_drives_available_negative() {
    let mut h = Harness {
        ledger: Ledger::new(),
        model: Model::default(),
    };
    h.apply(&Step::Receive {
        sku: 0,
        loc: 0,
        qty: 3,
    });
    assert!(h.apply(&Step::Reserve {
        sku: 0,
        loc: 0,
        qty: 2
    }));
    assert!(!h.apply(&Step::Reserve {
        sku: 0,
        loc: 0,
        qty: 2
    }));
    assert!(h.apply(&Step::Reserve {
        sku: 0,
        loc: 0,
        qty: 1
    }));
    h.check();
}

#[test]
fn void_returns_reserved_units_to_available() {
    let mut h = Harness {
        ledger: Ledger::new(),
        model: Model::default(),
    };
    h.apply(&Step::Receive {
        sku: 1,
        loc: 1,
        qty: 5,
    });
    h.apply(&Step::Reserve {
        sku: 1,
        loc: 1,
        qty: 5,
    });
    assert_eq!(h.model.available(1, 1), 0);
    h.apply(&Step::Void(0));
    assert_eq!(h.model.available(1, 1), 5);
    h.check();
}
