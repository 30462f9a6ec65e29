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
    let node = tote_core::Node {
        id: NodeId(1),
        org: OrgId::DEFAULT,
        input: serde_json::from_value(serde_json::json!({"code": "DC1", "kind": "dc", "name": "DC 1",
            "address": {"line1": "1 Main St", "city": "Newark", "postal_code": "07102", "country": "US"}}))
        .unwrap(),
    };
    // An internal account's organisation is its node's.
    let group = CommitGroup {
        ledger: ledger.take_commit_group(),
        nodes: vec![node],
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
