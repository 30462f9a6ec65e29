//! The books: accounts, balances, pending transfers, and the journal of one commit group.
//!
//! A transfer moves a quantity of one SKU from a `source` account to a `target`
//! account. Posted transfers move units at once; a pending transfer (a reservation)
//! holds them in `source` until it is posted or voided, exactly once.

use crate::account::{Account, AccountId, Balance, Bucket};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use tote_core::limits::LINE_QTY_MAX;
use tote_core::{OwnerId, Qty, SkuId, Timestamp, TransferId};

/// Why units moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Receipt,
    Damage,
    Shrink,
    CountVariance,
    Found,
    Reservation,
    Shipment,
    Cancellation,
    Move,
    /// Units a customer sent back.
    Return,
    /// Returned units sent where their inspection decided.
    Disposition,
}

impl Reason {
    pub const ALL: [Reason; 11] = [
        Reason::Receipt,
        Reason::Damage,
        Reason::Shrink,
        Reason::CountVariance,
        Reason::Found,
        Reason::Reservation,
        Reason::Shipment,
        Reason::Cancellation,
        Reason::Move,
        Reason::Return,
        Reason::Disposition,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Receipt => "receipt",
            Reason::Damage => "damage",
            Reason::Shrink => "shrink",
            Reason::CountVariance => "count_variance",
            Reason::Found => "found",
            Reason::Reservation => "reservation",
            Reason::Shipment => "shipment",
            Reason::Cancellation => "cancellation",
            Reason::Move => "move",
            Reason::Return => "return",
            Reason::Disposition => "disposition",
        }
    }

    pub fn parse(s: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    Posted,
    Pending,
    /// Posts the pending transfer `pending`.
    Post {
        pending: TransferId,
    },
    /// Voids the pending transfer `pending`.
    Void {
        pending: TransferId,
    },
}

/// One journal entry. Append-only: a correction is a new transfer with a reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub id: TransferId,
    pub kind: TransferKind,
    pub source: AccountId,
    pub target: AccountId,
    pub qty: Qty,
    pub reason: Reason,
    pub actor: String,
    pub at: Timestamp,
    /// What it belongs to: an order, a receipt, a count.
    pub reference: String,
}

/// What a caller asks for; the ledger assigns the id.
#[derive(Clone, Debug)]
pub struct TransferSpec<'a> {
    pub source: AccountId,
    pub target: AccountId,
    pub qty: Qty,
    pub reason: Reason,
    pub actor: &'a str,
    pub at: Timestamp,
    pub reference: &'a str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pending {
    source: AccountId,
    target: AccountId,
    qty: Qty,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("quantity must be between 1 and {LINE_QTY_MAX}, got {0}")]
    Qty(Qty),
    #[error("source and target are the same account")]
    SameAccount,
    #[error("source holds sku {source_sku}, target holds sku {target_sku}")]
    SkuMismatch {
        source_sku: SkuId,
        target_sku: SkuId,
    },
    #[error("{requested} requested, {available} available")]
    Insufficient { requested: Qty, available: Qty },
    #[error("transfer {0} is not pending (never was, or already posted or voided)")]
    NotPending(TransferId),
}

/// A point in the current commit group to roll back to when one request fails.
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    journal: usize,
    next_transfer: u64,
}

/// What one commit group changed, for the store to persist in one transaction.
#[derive(Debug, Default)]
pub struct CommitDelta {
    pub new_accounts: Vec<(AccountId, Account)>,
    pub transfers: Vec<Transfer>,
    /// Every account the group touched, with its balance after the group.
    pub balances: Vec<(AccountId, Balance)>,
}

/// The in-memory books. Every mutation goes through one owner (the writer).
#[derive(Debug, Default)]
pub struct Ledger {
    keys: Vec<Account>,
    balances: Vec<Balance>,
    index: HashMap<Account, AccountId>,
    /// On-hand accounts of each (owner, SKU): what sourcing looks through.
    stock: HashMap<(OwnerId, SkuId), Vec<AccountId>>,
    /// A B-tree: it grows with open orders, and a hash map's doubling would stall
    /// the writer as it does.
    pending: BTreeMap<TransferId, Pending>,
    next_transfer: u64,
    // The current commit group.
    journal: Vec<Transfer>,
    accounts_committed: usize,
    touched: Vec<(AccountId, Balance)>,
    touched_in_group: Vec<bool>,
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger {
            next_transfer: 1,
            ..Ledger::default()
        }
    }

    /// Rebuilds the books from what the store holds, then checks every invariant.
    pub fn restore(
        accounts: Vec<(AccountId, Account, Balance)>,
        pending: Vec<(TransferId, AccountId, AccountId, Qty)>,
        next_transfer: TransferId,
    ) -> Ledger {
        let mut ledger = Ledger::new();
        for (expected, (id, key, balance)) in accounts.into_iter().enumerate() {
            assert_eq!(id.0 as usize, expected, "account ids are not dense");
            let got = ledger.account(key);
            assert_eq!(got, id);
            ledger.balances[id.0 as usize] = balance;
        }
        for (id, source, target, qty) in pending {
            ledger.pending.insert(
                id,
                Pending {
                    source,
                    target,
                    qty,
                },
            );
        }
        ledger.next_transfer = next_transfer.0.max(1);
        ledger.accounts_committed = ledger.keys.len();
        ledger.touched.clear();
        ledger.touched_in_group.iter_mut().for_each(|t| *t = false);
        ledger.check_all();
        ledger
    }

    /// The id of `key`, created (empty) on first use.
    pub fn account(&mut self, key: Account) -> AccountId {
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        let id = AccountId(u32::try_from(self.keys.len()).expect("fewer than 2^32 accounts"));
        self.keys.push(key);
        self.balances.push(Balance::default());
        self.touched_in_group.push(false);
        self.index.insert(key, id);
        if let Account::Internal {
            owner,
            sku,
            bucket: Bucket::OnHand,
            ..
        } = key
        {
            self.stock.entry((owner, sku)).or_default().push(id);
        }
        id
    }

    pub fn find(&self, key: &Account) -> Option<AccountId> {
        self.index.get(key).copied()
    }

    pub fn key(&self, id: AccountId) -> Account {
        self.keys[id.0 as usize]
    }

    pub fn balance(&self, id: AccountId) -> Balance {
        self.balances[id.0 as usize]
    }

    pub fn accounts(&self) -> impl Iterator<Item = (AccountId, &Account, &Balance)> {
        self.keys
            .iter()
            .zip(&self.balances)
            .enumerate()
            .map(|(i, (k, b))| (AccountId(i as u32), k, b))
    }

    /// The on-hand accounts holding or having held `sku` for `owner`, in creation order.
    pub fn stock_accounts(&self, owner: OwnerId, sku: SkuId) -> &[AccountId] {
        self.stock.get(&(owner, sku)).map_or(&[], Vec::as_slice)
    }

    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    pub fn is_pending(&self, id: TransferId) -> bool {
        self.pending.contains_key(&id)
    }

    pub fn next_transfer_id(&self) -> TransferId {
        TransferId(self.next_transfer)
    }

    fn check_spec(&self, spec: &TransferSpec<'_>) -> Result<(), LedgerError> {
        if spec.qty.0 <= 0 || spec.qty.0 > LINE_QTY_MAX {
            return Err(LedgerError::Qty(spec.qty));
        }
        if spec.source == spec.target {
            return Err(LedgerError::SameAccount);
        }
        let (source_sku, target_sku) = (self.key(spec.source).sku(), self.key(spec.target).sku());
        if source_sku != target_sku {
            return Err(LedgerError::SkuMismatch {
                source_sku,
                target_sku,
            });
        }
        if self.key(spec.source).is_internal() {
            let available = self.balance(spec.source).available();
            if available < spec.qty {
                return Err(LedgerError::Insufficient {
                    requested: spec.qty,
                    available,
                });
            }
        }
        Ok(())
    }

    /// Moves units now.
    pub fn transfer(&mut self, spec: TransferSpec<'_>) -> Result<TransferId, LedgerError> {
        self.check_spec(&spec)?;
        self.touch(spec.source);
        self.touch(spec.target);
        self.balances[spec.source.0 as usize].posted -= spec.qty;
        self.balances[spec.target.0 as usize].posted += spec.qty;
        Ok(self.record(TransferKind::Posted, &spec))
    }

    /// Holds units in `source` for a later post or void: a reservation.
    pub fn reserve(&mut self, spec: TransferSpec<'_>) -> Result<TransferId, LedgerError> {
        self.check_spec(&spec)?;
        self.touch(spec.source);
        self.touch(spec.target);
        self.balances[spec.source.0 as usize].pending_out += spec.qty;
        self.balances[spec.target.0 as usize].pending_in += spec.qty;
        let id = self.record(TransferKind::Pending, &spec);
        self.pending.insert(
            id,
            Pending {
                source: spec.source,
                target: spec.target,
                qty: spec.qty,
            },
        );
        Ok(id)
    }

    /// Moves the held units: the reservation is fulfilled.
    pub fn post(
        &mut self,
        pending: TransferId,
        reason: Reason,
        actor: &str,
        at: Timestamp,
        reference: &str,
    ) -> Result<TransferId, LedgerError> {
        self.resolve(pending, true, reason, actor, at, reference)
    }

    /// Releases the held units back to available.
    pub fn void(
        &mut self,
        pending: TransferId,
        reason: Reason,
        actor: &str,
        at: Timestamp,
        reference: &str,
    ) -> Result<TransferId, LedgerError> {
        self.resolve(pending, false, reason, actor, at, reference)
    }

    fn resolve(
        &mut self,
        pending: TransferId,
        post: bool,
        reason: Reason,
        actor: &str,
        at: Timestamp,
        reference: &str,
    ) -> Result<TransferId, LedgerError> {
        let p = self
            .pending
            .remove(&pending)
            .ok_or(LedgerError::NotPending(pending))?;
        self.touch(p.source);
        self.touch(p.target);
        let (source, target) = (p.source.0 as usize, p.target.0 as usize);
        self.balances[source].pending_out -= p.qty;
        self.balances[target].pending_in -= p.qty;
        if post {
            self.balances[source].posted -= p.qty;
            self.balances[target].posted += p.qty;
        }
        let kind = if post {
            TransferKind::Post { pending }
        } else {
            TransferKind::Void { pending }
        };
        let spec = TransferSpec {
            source: p.source,
            target: p.target,
            qty: p.qty,
            reason,
            actor,
            at,
            reference,
        };
        Ok(self.record(kind, &spec))
    }

    fn record(&mut self, kind: TransferKind, spec: &TransferSpec<'_>) -> TransferId {
        let id = TransferId(self.next_transfer);
        self.next_transfer += 1;
        self.journal.push(Transfer {
            id,
            kind,
            source: spec.source,
            target: spec.target,
            qty: spec.qty,
            reason: spec.reason,
            actor: spec.actor.to_owned(),
            at: spec.at,
            reference: spec.reference.to_owned(),
        });
        id
    }

    fn touch(&mut self, id: AccountId) {
        let i = id.0 as usize;
        if !self.touched_in_group[i] {
            self.touched_in_group[i] = true;
            self.touched.push((id, self.balances[i]));
        }
    }

    pub fn mark(&self) -> Mark {
        Mark {
            journal: self.journal.len(),
            next_transfer: self.next_transfer,
        }
    }

    /// Undoes every transfer since `mark`, newest first: one request failed and
    /// must leave no trace, while the rest of its commit group goes on.
    pub fn rollback(&mut self, mark: Mark) {
        while self.journal.len() > mark.journal {
            let t = self.journal.pop().expect("journal longer than mark");
            let (source, target) = (t.source.0 as usize, t.target.0 as usize);
            match t.kind {
                TransferKind::Posted => {
                    self.balances[source].posted += t.qty;
                    self.balances[target].posted -= t.qty;
                }
                TransferKind::Pending => {
                    self.balances[source].pending_out -= t.qty;
                    self.balances[target].pending_in -= t.qty;
                    let removed = self.pending.remove(&t.id);
                    assert!(
                        removed.is_some(),
                        "rolled back pending {:?} was not pending",
                        t.id
                    );
                }
                TransferKind::Post { pending } | TransferKind::Void { pending } => {
                    if matches!(t.kind, TransferKind::Post { .. }) {
                        self.balances[source].posted += t.qty;
                        self.balances[target].posted -= t.qty;
                    }
                    self.balances[source].pending_out += t.qty;
                    self.balances[target].pending_in += t.qty;
                    let pending_again = Pending {
                        source: t.source,
                        target: t.target,
                        qty: t.qty,
                    };
                    assert!(self.pending.insert(pending, pending_again).is_none());
                }
            }
        }
        self.next_transfer = mark.next_transfer;
    }

    /// Ends the commit group: asserts the invariants over what it touched and hands
    /// the changes to the store. A failed assertion is a bug; the writer stops
    /// without committing, and a restart resumes from the last commit.
    pub fn take_commit_group(&mut self) -> CommitDelta {
        let mut net: HashMap<SkuId, (i64, i64, i64)> = HashMap::new();
        let mut balances = Vec::with_capacity(self.touched.len());
        for &(id, before) in &self.touched {
            let after = self.balance(id);
            let key = self.key(id);
            if key.is_internal() {
                assert!(
                    Qty::ZERO <= after.posted,
                    "{key:?} posted below zero: {after:?}"
                );
                assert!(
                    Qty::ZERO <= after.available(),
                    "{key:?} available below zero: {after:?}"
                );
            }
            assert!(
                Qty::ZERO <= after.pending_out,
                "{key:?} pending_out below zero: {after:?}"
            );
            assert!(
                Qty::ZERO <= after.pending_in,
                "{key:?} pending_in below zero: {after:?}"
            );
            let e = net.entry(key.sku()).or_default();
            e.0 += (after.posted - before.posted).0;
            e.1 += (after.pending_out - before.pending_out).0;
            e.2 += (after.pending_in - before.pending_in).0;
            self.touched_in_group[id.0 as usize] = false;
            balances.push((id, after));
        }
        for (sku, (posted, out, into)) in net {
            assert_eq!(posted, 0, "{sku:?} posted moves do not net to zero");
            assert_eq!(out, into, "{sku:?} pending out and in differ");
        }
        self.touched.clear();
        let new_accounts = (self.accounts_committed..self.keys.len())
            .map(|i| (AccountId(i as u32), self.keys[i]))
            .collect();
        self.accounts_committed = self.keys.len();
        CommitDelta {
            new_accounts,
            transfers: std::mem::take(&mut self.journal),
            balances,
        }
    }

    /// Every invariant over the whole book: run when balances are loaded and in tests.
    pub fn check_all(&self) {
        let mut net: HashMap<SkuId, i64> = HashMap::new();
        let mut out = vec![Qty::ZERO; self.keys.len()];
        let mut into = vec![Qty::ZERO; self.keys.len()];
        for p in self.pending.values() {
            out[p.source.0 as usize] += p.qty;
            into[p.target.0 as usize] += p.qty;
        }
        for (id, key, b) in self.accounts() {
            *net.entry(key.sku()).or_default() += b.posted.0;
            if key.is_internal() {
                assert!(Qty::ZERO <= b.posted, "{key:?} posted below zero: {b:?}");
                assert!(
                    Qty::ZERO <= b.available(),
                    "{key:?} available below zero: {b:?}"
                );
            }
            assert_eq!(
                b.pending_out, out[id.0 as usize],
                "{key:?} pending_out disagrees with pending transfers"
            );
            assert_eq!(
                b.pending_in, into[id.0 as usize],
                "{key:?} pending_in disagrees with pending transfers"
            );
        }
        for (sku, sum) in net {
            assert_eq!(sum, 0, "{sku:?} does not net to zero");
        }
    }
}
