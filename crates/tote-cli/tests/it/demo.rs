//! `tote demo`: a small simulated business, built twice from one seed.
//!
//! Goal: the demo runs a business through the real engine, and what it leaves
//! behind is a true set of books that the API shows whole: orders in every
//! state the simulation produces, events that page through and tell each
//! order's story in order, balances that never go below zero, and the same
//! orders and events from the same seed (simulated time and seeded randomness
//! only).
//!
//! Method: run `tote demo --weeks 1 --orders-per-day 50 --no-serve` into two
//! temporary data directories with the same seed, start `tote serve` on each,
//! and read everything back through the HTTP API.

use crate::server::Server;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Runs a small demo into `data` and returns what it printed.
fn demo(data: &Path, seed: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tote"))
        .args([
            "demo",
            "--weeks",
            "1",
            "--orders-per-day",
            "50",
            "--no-serve",
            "--seed",
            seed,
            "--data",
        ])
        .arg(data)
        .env("TOTE_LOG", "warn")
        .output()
        .expect("run tote demo");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "tote demo failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The number printed before `word` on the summary line, such as `576 orders`.
fn printed(summary: &str, word: &str) -> u64 {
    let line = summary.lines().next().expect("a summary line");
    let words: Vec<&str> = line.split([' ', ',']).collect();
    let i = words
        .iter()
        .position(|w| *w == word)
        .unwrap_or_else(|| panic!("no `{word}` in {line}"));
    words[i - 1]
        .parse()
        .unwrap_or_else(|_| panic!("no number before `{word}` in {line}"))
}

fn all_orders(s: &Server) -> Vec<Value> {
    let mut out = Vec::new();
    let mut path = "/v1/orders?limit=500".to_owned();
    loop {
        let (st, b) = s.get(&path);
        assert_eq!(st, 200, "{b}");
        out.extend(b["items"].as_array().expect("items").iter().cloned());
        match b["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/orders?limit=500&cursor={c}"),
            None => return out,
        }
    }
}

fn all_events(s: &Server) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = "0".to_owned();
    loop {
        let (st, b) = s.get(&format!("/v1/events?after={after}&limit=1000"));
        assert_eq!(st, 200, "{b}");
        let items = b["items"].as_array().expect("items");
        if items.is_empty() {
            return out;
        }
        out.extend(items.iter().cloned());
        after = b["next_cursor"].as_str().expect("a cursor").to_owned();
    }
}

fn all_inventory(s: &Server) -> Vec<Value> {
    let (st, b) = s.get("/v1/nodes");
    assert_eq!(st, 200, "{b}");
    let mut out = Vec::new();
    for n in b["items"].as_array().expect("items") {
        let code = n["code"].as_str().expect("a code");
        let first = format!("/v1/inventory?node={code}&by=location&limit=1000");
        let mut path = first.clone();
        loop {
            let (st, b) = s.get(&path);
            assert_eq!(st, 200, "{b}");
            out.extend(b["items"].as_array().expect("items").iter().cloned());
            match b["next_cursor"].as_str() {
                Some(c) => path = format!("{first}&cursor={c}"),
                None => break,
            }
        }
    }
    out
}

#[test]
fn demo_builds_true_books_that_the_api_shows_and_its_seed_repeats() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    // At 50 orders a day only a handful of returns get through the dock in
    // one week; this seed's week takes some all the way.
    let summary = demo(&a, "3");
    let s = Server::start_on(&a);

    // Orders in every state the simulation leaves: waiting for the next wave,
    // shipped, cancelled, and waiting for stock.
    let orders = all_orders(&s);
    // Units a short pick left behind follow their shipped order as a `-BO`
    // order the engine places itself; so is an exchange's replacement (`-RMA`).
    let follow_ups = orders
        .iter()
        .filter(|o| {
            o["external_id"]
                .as_str()
                .is_some_and(|x| x.contains("-BO") || x.contains("-RMA"))
        })
        .count();
    assert_eq!(
        (orders.len() - follow_ups) as u64,
        printed(&summary, "orders"),
        "{summary}"
    );
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    for o in &orders {
        *by_status
            .entry(o["status"].as_str().expect("a status").to_owned())
            .or_default() += 1;
        // A follow-up was paid for with its first order; a pickup order is
        // collected, not delivered.
        let follow_up = o["external_id"]
            .as_str()
            .is_some_and(|x| x.contains("-BO") || x.contains("-RMA"));
        let pickup = o["fulfillment"] == "pickup";
        assert!(
            (o["ship_by"].is_string() || pickup)
                && (o["deliver_by"].is_string() || follow_up || pickup),
            "{o}"
        );
        assert!(
            o["email"].is_string() && (follow_up || o["shipping_charge"].is_string()),
            "{o}"
        );
    }
    for status in ["allocated", "shipped", "delivered", "cancelled"] {
        assert!(
            by_status.contains_key(status),
            "no {status} order: {by_status:?}"
        );
    }
    assert!(
        by_status.contains_key("backordered") || by_status.contains_key("partially_allocated"),
        "no order waits for stock: {by_status:?}"
    );
    let channels: BTreeSet<&str> = orders
        .iter()
        .map(|o| o["channel"].as_str().expect("a channel"))
        .collect();
    assert_eq!(
        channels,
        BTreeSet::from(["marketplace", "web", "wholesale"]),
        "{channels:?}"
    );
    // Every warehouse shipment left (some since delivered); 3PL and store
    // pickup orders leave without one.
    assert!(
        (by_status["shipped"] + by_status["delivered"]) as u64 >= printed(&summary, "shipments"),
        "{summary}"
    );
    assert!(
        orders
            .iter()
            .any(|o| o["fulfillment"] == "pickup" && o["status"] == "shipped"),
        "no pickup order was collected"
    );

    // Events page through in commit order, as many as the demo reported, and
    // each shipped order's events tell its story in order.
    let events = all_events(&s);
    assert_eq!(
        events.len() as u64,
        printed(&summary, "events"),
        "{summary}"
    );
    let seqs: Vec<u64> = events
        .iter()
        .map(|e| e["seq"].as_u64().expect("seq"))
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "events out of order");
    let kinds: BTreeSet<&str> = events
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    for kind in [
        "order.placed",
        "order.cancelled",
        "asn.created",
        "asn.closed",
        "inventory.put_away",
        "wave.released",
        "pick.picked",
        "pick.short_picked",
        "pack.scan_refused",
        "order.shipped",
        "manifest.closed",
        "count.counted",
        "inventory.adjusted",
        "shipment.tracking_updated",
        "order.delivered",
        "return.authorized",
        "return.in_transit",
        "return.received",
        "return.inspected",
        "return.dispositioned",
        "return.refunded",
        "store_task.created",
        "store_task.picked",
        "order.ready_for_pickup",
        "order.picked_up",
        "fulfilment.requested",
        "fulfilment.acknowledged",
        "fulfilment.shipped",
    ] {
        assert!(kinds.contains(kind), "no {kind} event; kinds: {kinds:?}");
    }
    let mut story: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for e in &events {
        let kind = e["kind"].as_str().expect("kind");
        if kind.starts_with("order.") {
            story
                .entry(e["subject"].as_str().expect("subject"))
                .or_default()
                .push((kind, e["at"].as_str().expect("at")));
        }
    }
    // Orders a 3PL shipped or a customer collected left without a wave.
    let not_waved: BTreeSet<&str> = events
        .iter()
        .filter(|e| {
            matches!(
                e["kind"].as_str(),
                Some("fulfilment.shipped" | "order.picked_up")
            )
        })
        .filter_map(|e| e["subject"].as_str())
        .map(|s| s.split('-').next().unwrap_or(s))
        .collect();
    let mut filled_then_shipped = 0;
    for o in orders.iter().filter(|o| o["status"] == "shipped") {
        let id = o["id"].as_str().expect("id");
        if not_waved.contains(id) {
            continue;
        }
        let kinds: Vec<&str> = story[id].iter().map(|(k, _)| *k).collect();
        let steps: Vec<&str> = kinds
            .iter()
            .copied()
            .filter(|k| !matches!(*k, "order.allocated" | "order.backordered"))
            .collect();
        // Placed, then released and picked (again after a short pick's
        // backorder filled), then packed and shipped.
        assert_eq!(steps.first(), Some(&"order.placed"), "{id}: {steps:?}");
        assert_eq!(
            steps[steps.len() - 2..],
            ["order.packed", "order.shipped"],
            "{id}: {steps:?}"
        );
        let middle = &steps[1..steps.len() - 2];
        assert!(
            !middle.is_empty()
                && middle
                    .chunks(2)
                    .all(|c| c == ["order.released", "order.picked"]),
            "{id}: {steps:?}"
        );
        // A backorder is released only once stock arrived and allocated it.
        let release = kinds
            .iter()
            .position(|k| *k == "order.released")
            .expect("released");
        // (A short pick's backorder after the release goes to a follow-up.)
        if let Some(b) = kinds[..release]
            .iter()
            .position(|k| *k == "order.backordered")
        {
            assert!(
                kinds[b..release].contains(&"order.allocated"),
                "{id}: {kinds:?}"
            );
            filled_then_shipped += 1;
        }
        let times: Vec<&str> = story[id].iter().map(|(_, at)| *at).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{id}: {times:?}");
    }
    assert!(
        filled_then_shipped > 0,
        "no backorder was filled and shipped"
    );

    // Balances hold: nothing below zero, nothing reserved beyond what is there.
    for r in all_inventory(&s) {
        let (on_hand, reserved, available) = (
            r["on_hand"].as_i64().expect("on_hand"),
            r["reserved"].as_i64().expect("reserved"),
            r["available"].as_i64().expect("available"),
        );
        assert!(
            available >= 0 && reserved >= 0 && on_hand >= reserved,
            "{r}"
        );
        assert_eq!(available, on_hand - reserved, "{r}");
    }

    // The same seed builds the same business: the same orders and events.
    let again = demo(&b, "3");
    let t = Server::start_on(&b);
    assert_eq!(
        printed(&again, "orders"),
        printed(&summary, "orders"),
        "{again}"
    );
    assert!(all_orders(&t) == orders, "the orders differ between runs");
    assert!(all_events(&t) == events, "the events differ between runs");
}

#[test]
fn demo_refuses_a_data_directory_that_holds_something() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("keep.txt"), "mine").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_tote"))
        .args(["demo", "--no-serve", "--data"])
        .arg(dir.path())
        .output()
        .expect("run tote demo");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--fresh"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("keep.txt").exists());
}
