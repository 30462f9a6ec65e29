//! Many clients at once: exactly the stock there is gets allocated.

use crate::server::{Server, order_body};
use std::sync::Arc;

#[test]
fn many_clients_ordering_a_hot_sku_get_exactly_the_stock() {
    let s = Arc::new(Server::start());
    s.setup(&["HOT"]);
    s.receive("DC1", "HOT", 60);
    s.receive("DC2", "HOT", 40);
    let threads: Vec<_> = (0..32)
        .map(|t| {
            let s = s.clone();
            std::thread::spawn(move || {
                let mut allocated = 0;
                let mut backordered = 0;
                for i in 0..10 {
                    let (st, o) = s.post(
                        "/v1/orders",
                        &order_body(&format!("{t}-{i}"), &[("HOT", 1)]),
                    );
                    assert_eq!(st, 201, "{o}");
                    for a in o["lines"][0]["allocations"].as_array().unwrap() {
                        allocated += a["qty"].as_i64().unwrap();
                    }
                    backordered += o["lines"][0]["backordered"].as_i64().unwrap();
                    let stock = s.stock("HOT");
                    assert!(
                        stock.iter().all(|r| r.3 >= 0),
                        "available below zero: {stock:?}"
                    );
                }
                (allocated, backordered)
            })
        })
        .collect();
    let (allocated, backordered) = threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert_eq!((allocated, backordered), (100, 220));
    assert_eq!(
        s.stock("HOT"),
        vec![("DC1".into(), 60, 60, 0), ("DC2".into(), 40, 40, 0)]
    );
}

/// Zeroing a fresh 2 MiB page on the spot stalled the writer and the committer by
/// milliseconds in the middle of an order, which set the latency's tail.
#[cfg(target_os = "linux")]
#[test]
fn the_server_runs_without_transparent_huge_pages() {
    let s = Server::start();
    let status = std::fs::read_to_string(format!("/proc/{}/status", s.pid())).expect("status");
    // Linux has shown this line since 5.0; an older kernel leaves nothing to check.
    if let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) {
        assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
    }
}
