//! Crash tests as properties: random receipts, orders, cancels and adjustments,
//! with commits and crashes at random points. A crash (dropping the engine with
//! its group uncommitted) must lose exactly the uncommitted group: the books that
//! load back equal the books at the last commit, and they pass every invariant
//! check that loading runs.

use super::{env, open};
use proptest::prelude::*;
use std::collections::BTreeMap;
use tote_core::OrderId;
use tote_ledger::{Account, Balance};
use tote_oms::{Command, Engine, Outcome, UpsertMode};

#[derive(Clone, Debug)]
enum Step {
    Receive { node: usize, sku: usize, qty: i64 },
    Order { sku: usize, qty: i64 },
    Cancel(usize),
    Damage { node: usize, sku: usize, qty: i64 },
    Commit,
    Crash,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..2usize, 0..2usize, 1..10i64).prop_map(|(node, sku, qty)| Step::Receive { node, sku, qty }),
        4 => (0..2usize, 1..6i64).prop_map(|(sku, qty)| Step::Order { sku, qty }),
        2 => (0..20usize).prop_map(Step::Cancel),
        1 => (0..2usize, 0..2usize, 1..4i64).prop_map(|(node, sku, qty)| Step::Damage { node, sku, qty }),
        2 => Just(Step::Commit),
        1 => Just(Step::Crash),
    ]
}

const NODES: [&str; 2] = ["DC1", "DC2"];
const SKUS: [&str; 2] = ["A", "B"];

fn setup(e: &mut Engine) {
    for (i, code) in NODES.iter().enumerate() {
        let node = serde_json::from_value(serde_json::json!({
            "code": code, "kind": "dc", "name": code, "priority": i,
            "address": {"line1": "1 Main St", "city": "Newark", "postal_code": "07102", "country": "US"}
        }))
        .unwrap();
        e.execute(env(Command::Node(node, UpsertMode::Create)))
            .unwrap();
    }
    for code in SKUS {
        let sku = serde_json::from_value(serde_json::json!({
            "sku": code, "name": code, "weight_g": 100, "dims_mm": [10, 10, 10], "unit_cost": "1.00", "price": "2.00"
        }))
        .unwrap();
        e.execute(env(Command::Sku(sku, UpsertMode::Create)))
            .unwrap();
    }
    e.commit_group().unwrap();
}

/// Every account that holds or is owed anything, with its balance.
fn books(e: &Engine) -> BTreeMap<Account, Balance> {
    e.ledger()
        .accounts()
        .filter(|(_, _, b)| **b != Balance::default())
        .map(|(_, k, b)| (*k, *b))
        .collect()
}

fn apply(e: &mut Engine, s: &Step, orders: &mut Vec<OrderId>, n: &mut usize) {
    let command = match *s {
        Step::Receive { node, sku, qty } => Command::Receive(
            serde_json::from_value(serde_json::json!({"node": NODES[node], "lines": [{"sku": SKUS[sku], "qty": qty}]})).unwrap(),
        ),
        Step::Order { sku, qty } => {
            *n += 1;
            Command::PlaceOrder(
                serde_json::from_value(serde_json::json!({
                    "external_id": format!("{n}"), "channel": "web",
                    "ship_to": {"line1": "2 Elm St", "city": "Boston", "postal_code": "02101", "country": "US"},
                    "lines": [{"sku": SKUS[sku], "qty": qty}]
                }))
                .unwrap(),
            )
        }
        Step::Cancel(i) => match orders.get(i) {
            Some(id) => Command::CancelOrder(*id),
            None => return,
        },
        Step::Damage { node, sku, qty } => Command::Adjust(
            serde_json::from_value(serde_json::json!({"node": NODES[node], "lines": [{"sku": SKUS[sku], "qty": -qty, "reason": "damage"}]}))
                .unwrap(),
        ),
        Step::Commit | Step::Crash => return,
    };
    // Refusals (short stock for a damage, an order lost in a crash) are fine: they
    // must change nothing, which the comparison after the next crash checks.
    if let Ok(a) = e.execute(env(command))
        && let Outcome::Order {
            order,
            created: true,
        } = a.outcome
    {
        orders.push(order.order_id().unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]

    #[test]
    fn a_crash_loses_exactly_the_uncommitted_group(steps in proptest::collection::vec(step(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let mut e = open(dir.path());
        setup(&mut e);
        let mut committed = books(&e);
        let mut orders = Vec::new();
        let mut n = 0;
        for s in steps.iter().chain([&Step::Crash]) {
            match s {
                Step::Commit => {
                    e.commit_group().unwrap();
                    committed = books(&e);
                }
                Step::Crash => {
                    drop(e);
                    e = open(dir.path());
                    prop_assert_eq!(&books(&e), &committed);
                }
                s => apply(&mut e, s, &mut orders, &mut n),
            }
        }
    }
}
