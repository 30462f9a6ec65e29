//! tote-ledger: the double-entry inventory ledger and the single-writer engine.
//! Owns: accounts, transfers (posted, pending, post, void), balances, the invariants
//! (every SKU nets to zero; no internal account below zero; a pending transfer is
//! resolved at most once), and the group-commit writer that serialises every mutation.
//! Must not depend on: tote-store, tote-server, SQL, HTTP, async runtimes, the clock.

pub mod account;
pub mod ledger;
pub mod writer;

pub use account::{Account, AccountId, Balance, Bucket, Party};
pub use ledger::{
    CommitDelta, Ledger, LedgerError, Mark, Reason, Transfer, TransferKind, TransferSpec,
};
pub use writer::{CommitObserver, Machine, Writer, WriterError, WriterHandle, WriterStats};
