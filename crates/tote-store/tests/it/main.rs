//! The SQLite journal: what is committed is what loads back.

use tote_core::{LocationId, NodeId, OrgId, OwnerId, Qty, SkuId, Timestamp};
use tote_ledger::{Account, Bucket, Ledger, Party, Reason, TransferSpec};
use tote_store::{CommitGroup, Journal, SqliteStore};

fn on_hand(sku: u32) -> Account {
    Account::Internal {
        owner: OwnerId::DEFAULT,
        node: NodeId(1),
        location: LocationId(1),
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

fn spec(
    source: tote_ledger::AccountId,
    target: tote_ledger::AccountId,
    qty: i64,
    reason: Reason,
) -> TransferSpec<'static> {
    TransferSpec {
        source,
        target,
        qty: Qty(qty),
        reason,
        actor: "test",
        at: Timestamp(1),
        reference: "r",
    }
}

/// The node every internal account here belongs to.
fn dc1() -> tote_core::Node {
    tote_core::Node {
        id: NodeId(1),
        org: OrgId::DEFAULT,
        input: serde_json::from_value(serde_json::json!({"code": "DC1", "kind": "dc", "name": "DC 1",
            "address": {"line1": "1 Main St", "city": "Newark", "postal_code": "07102", "country": "US"}}))
        .unwrap(),
    }
}

#[test]
fn every_transfer_of_a_large_group_is_stored_and_the_books_load_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let mut ledger = Ledger::new();
    let mut kept = Vec::new();
    for sku in 0..150 {
        let (s, t, c) = (
            ledger.account(external(sku, Party::Supplier)),
            ledger.account(on_hand(sku)),
            ledger.account(external(sku, Party::Customer)),
        );
        ledger.transfer(spec(s, t, 10, Reason::Receipt)).unwrap();
        kept.push(ledger.reserve(spec(t, c, 3, Reason::Reservation)).unwrap());
        // Made and resolved in the same group: never a row in `pending`.
        let gone = ledger.reserve(spec(t, c, 2, Reason::Reservation)).unwrap();
        ledger
            .void(gone, Reason::Cancellation, "test", Timestamp(1), "r")
            .unwrap();
    }
    // An internal account's organisation is its node's.
    let group = CommitGroup {
        ledger: ledger.take_commit_group(),
        nodes: vec![dc1()],
        ..CommitGroup::default()
    };
    assert_eq!(group.ledger.transfers.len(), 600);
    store.commit(&group).unwrap();
    // A later group resolves one kept reservation.
    ledger
        .post(kept[0], Reason::Shipment, "test", Timestamp(2), "r")
        .unwrap();
    store
        .commit(&CommitGroup {
            ledger: ledger.take_commit_group(),
            ..CommitGroup::default()
        })
        .unwrap();
    drop(store);

    let mut store = SqliteStore::open(dir.path()).unwrap();
    let snap = store.load(Timestamp(0)).unwrap();
    assert_eq!(snap.pending.len(), 149);
    assert_eq!(snap.next_transfer, ledger.next_transfer_id());
    let loaded = Ledger::restore(snap.accounts, snap.pending, snap.next_transfer);
    for (id, key, balance) in ledger.accounts() {
        assert_eq!(loaded.key(id), *key);
        assert_eq!(loaded.balance(id), *balance, "{key:?}");
    }
}

#[test]
fn a_second_process_cannot_open_the_same_books() {
    let dir = tempfile::tempdir().unwrap();
    let _first = SqliteStore::open(dir.path()).unwrap();
    let second = SqliteStore::open(dir.path());
    assert!(matches!(second, Err(tote_store::StoreError::Locked(_))));
}

#[test]
fn new_books_use_16_kib_pages_so_a_commit_writes_fewer_wal_frames() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join("tote.db")).unwrap();
    let page: i64 = conn
        .pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap();
    assert_eq!(page, 16_384);
}

/// Commits groups back to back, as under steady load, and returns the largest the
/// WAL file grew.
fn largest_wal_under_steady_commits(limits: tote_store::WalLimits) -> u64 {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open_with(dir.path(), limits).unwrap();
    let mut ledger = Ledger::new();
    let accounts: Vec<_> = (0..200)
        .map(|sku| {
            (
                ledger.account(external(sku, Party::Supplier)),
                ledger.account(on_hand(sku)),
            )
        })
        .collect();
    let wal = dir.path().join("tote.db-wal");
    let mut largest = 0;
    for i in 0..400 {
        for &(supplier, stock) in &accounts {
            ledger
                .transfer(spec(supplier, stock, 1, Reason::Receipt))
                .unwrap();
        }
        store
            .commit(&CommitGroup {
                ledger: ledger.take_commit_group(),
                nodes: if i == 0 { vec![dc1()] } else { Vec::new() },
                ..CommitGroup::default()
            })
            .unwrap();
        largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
    }
    largest
}

#[test]
fn under_steady_commits_the_wal_is_started_over_instead_of_growing_without_bound() {
    let limits = tote_store::WalLimits {
        checkpoint_every: std::time::Duration::from_millis(2),
        restart_frames: 32,
    };
    let bounded = largest_wal_under_steady_commits(limits);
    // Without the writer's part (a restart never due), only the checkpointer copies,
    // and the next commit always begins before it has copied everything.
    let unbounded = largest_wal_under_steady_commits(tote_store::WalLimits {
        restart_frames: i64::MAX,
        ..limits
    });
    assert!(
        bounded < 4 << 20 && unbounded > 2 * bounded,
        "largest WAL: {bounded} bytes with restarts, {unbounded} without"
    );
}
