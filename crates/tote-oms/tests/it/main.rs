//! The engine against a real SQLite store: orders reserve exactly the stock there
//! is, under concurrency and across restarts.

mod crash;
mod returns;
mod shipping;

use std::sync::Arc;
use std::thread;
use tote_core::{OrderId, OrgId, Qty, Timestamp};
use tote_ledger::Writer;
use tote_oms::{
    Applied, Command, Engine, Envelope, IdempotencyKey, OpError, Outcome, ReceiptInput,
    ReceiptLine, UpsertMode,
};
use tote_store::SqliteStore;

fn open(dir: &std::path::Path) -> Engine {
    let store = SqliteStore::open(dir).unwrap();
    let reader = Arc::new(store.reader());
    Engine::open(Box::new(store), reader, Timestamp(1_000_000)).unwrap()
}

fn env(command: Command) -> Envelope {
    Envelope {
        org: OrgId::DEFAULT,
        actor: "test".into(),
        at: Timestamp(2_000_000),
        idempotency: None,
        command,
    }
}

fn setup(e: &mut Engine, stock: &[(&str, i64)]) {
    for (code, prio) in [("DC1", 1), ("DC2", 2)] {
        let node = serde_json::from_value(serde_json::json!({
            "code": code, "kind": "dc", "name": code, "priority": prio,
            "address": {"line1": "1 Main St", "city": "Newark", "postal_code": "07102", "country": "US"}
        }))
        .unwrap();
        e.execute(env(Command::Node(node, UpsertMode::Create)))
            .unwrap();
    }
    let sku = serde_json::from_value(serde_json::json!({
        "sku": "TEE-M", "name": "Tee M", "weight_g": 180, "dims_mm": [300, 220, 20], "unit_cost": "4.10", "price": "19.00"
    }))
    .unwrap();
    e.execute(env(Command::Sku(sku, UpsertMode::Create)))
        .unwrap();
    for (node, qty) in stock {
        e.execute(env(Command::Receive(ReceiptInput {
            node: (*node).into(),
            lines: vec![ReceiptLine {
                sku: "TEE-M".into(),
                qty: Qty(*qty),
                location: None,
            }],
            reference: None,
        })))
        .unwrap();
    }
    e.commit_group().unwrap();
}

fn order(n: usize, qty: i64) -> Command {
    Command::PlaceOrder(
        serde_json::from_value(serde_json::json!({
            "external_id": format!("{n}"), "channel": "web",
            "ship_to": {"line1": "2 Elm St", "city": "Boston", "postal_code": "02101", "country": "US"},
            "lines": [{"sku": "TEE-M", "qty": qty}]
        }))
        .unwrap(),
    )
}

fn placed(r: Result<Applied, OpError>) -> tote_core::Order {
    match r.unwrap().outcome {
        Outcome::Order { order, .. } => order,
        other => panic!("expected an order, got {other:?}"),
    }
}

#[test]
fn many_clients_ordering_a_hot_sku_get_exactly_the_stock() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = open(dir.path());
    setup(&mut e, &[("DC1", 30), ("DC2", 20)]);
    let (writer, join) = Writer::spawn(e, None);
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let w = writer.clone();
            thread::spawn(move || {
                (0..10)
                    .map(|i| placed(w.submit_blocking(env(order(t * 100 + i, 1))).unwrap()))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let orders: Vec<_> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let allocated: i64 = orders
        .iter()
        .flat_map(|o| &o.lines)
        .map(|l| l.allocated().0)
        .sum();
    let backordered: i64 = orders
        .iter()
        .flat_map(|o| &o.lines)
        .map(|l| l.backordered.0)
        .sum();
    assert_eq!((allocated, backordered), (50, 110));
    // Priority: DC1's 30 go before DC2's 20.
    drop(writer);
    join.join().unwrap().unwrap();
    let e = open(dir.path());
    e.ledger().check_all();
}

#[test]
fn cancel_releases_the_reservation_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = open(dir.path());
    setup(&mut e, &[("DC1", 2)]);
    let first = placed(e.execute(env(order(1, 2))));
    assert_eq!(first.status, tote_core::OrderStatus::Allocated);
    let second = placed(e.execute(env(order(2, 1))));
    assert_eq!(second.status, tote_core::OrderStatus::Backordered);
    e.commit_group().unwrap();
    let id = first.order_id().unwrap();
    let cancelled = placed(e.execute(env(Command::CancelOrder(id))));
    assert_eq!(cancelled.status, tote_core::OrderStatus::Cancelled);
    e.commit_group().unwrap();
    drop(e);

    let mut e = open(dir.path());
    e.ledger().check_all();
    // A second cancel answers the cancelled order; the units are free again.
    let again = placed(e.execute(env(Command::CancelOrder(id))));
    assert_eq!(again.status, tote_core::OrderStatus::Cancelled);
    let third = placed(e.execute(env(order(3, 2))));
    assert_eq!(third.status, tote_core::OrderStatus::Allocated);
}

#[test]
fn a_duplicate_external_id_is_a_conflict_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = open(dir.path());
    setup(&mut e, &[("DC1", 5)]);
    placed(e.execute(env(order(1, 1))));
    let err = e.execute(env(order(1, 1))).unwrap_err();
    assert!(matches!(err, OpError::Conflict(_)), "{err}");
    e.commit_group().unwrap();
    assert_eq!(e.ledger().pending_count(), 1);
}

#[test]
fn retried_idempotency_key_returns_first_answer_also_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = open(dir.path());
    setup(&mut e, &[("DC1", 5)]);
    let key = |h: u8| {
        Some(IdempotencyKey {
            key: "k1".into(),
            request_hash: [h; 32],
        })
    };
    let mut first = env(order(1, 1));
    first.idempotency = key(7);
    let a = e.execute(first.clone()).unwrap();
    // In the same commit group, and again after a restart.
    let b = e.execute(first.clone()).unwrap();
    assert!(b.replayed);
    assert_eq!(a.outcome, b.outcome);
    e.commit_group().unwrap();
    drop(e);
    let mut e = open(dir.path());
    let c = e.execute(first.clone()).unwrap();
    assert!(c.replayed);
    assert_eq!(a.outcome, c.outcome);
    let mut other = env(order(2, 1));
    other.idempotency = key(8);
    assert_eq!(
        e.execute(other).unwrap_err(),
        OpError::IdempotencyMismatch("k1".into())
    );
    assert_eq!(e.ledger().pending_count(), 1);
}

#[test]
fn an_adjustment_beyond_available_fails_alone_and_moves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = open(dir.path());
    setup(&mut e, &[("DC1", 3)]);
    let adjust = |lines: serde_json::Value| {
        env(Command::Adjust(
            serde_json::from_value(serde_json::json!({"node": "DC1", "lines": lines})).unwrap(),
        ))
    };
    // The second line would take on-hand below zero: the whole adjustment is refused.
    let err = e
        .execute(adjust(serde_json::json!([
            {"sku": "TEE-M", "qty": -2, "reason": "damage"},
            {"sku": "TEE-M", "qty": -2, "reason": "shrink"}
        ])))
        .unwrap_err();
    assert!(err.to_string().contains("lines[1].qty"), "{err}");
    let ok = e.execute(adjust(
        serde_json::json!([{"sku": "TEE-M", "qty": -1, "reason": "damage"}]),
    ));
    assert!(ok.is_ok());
    e.commit_group().unwrap();
    let placed_all = placed(e.execute(env(order(1, 3))));
    assert_eq!(placed_all.lines[0].allocated(), Qty(2));
    let _ = OrderId(1);
}
