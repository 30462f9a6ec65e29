//! Acknowledged means durable: kill -9 under load, restart, and every order that
//! was answered 201 is there with its reservations; the books still balance
//! (the server checks every invariant when it loads them, and refuses to start
//! otherwise).

use crate::server::{Server, order_body};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[test]
fn every_acknowledged_order_survives_kill_9() {
    let s = Server::start();
    s.setup(&["A", "B"]);
    s.receive("DC1", "A", 500);
    s.receive("DC2", "B", 300);
    let acked: Arc<Mutex<Vec<Value>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let base = s.base.clone();
    let clients: Vec<_> = (0..16)
        .map(|t| {
            let (acked, stop, base) = (acked.clone(), stop.clone(), base.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::new();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let body = order_body(&format!("{t}-{i}"), &[("A", 1), ("B", 1)]);
                    let Ok(r) = client.post(format!("{base}/v1/orders")).json(&body).send() else {
                        break;
                    };
                    if r.status().as_u16() == 201
                        && let Ok(o) = r.json::<Value>()
                    {
                        acked.lock().unwrap().push(o);
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let (data, _keep) = s.kill();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 50,
        "only {} orders were acknowledged before the kill",
        acked.len()
    );

    let s = Server::start_on(&data);
    for o in &acked {
        let (st, got) = s.get(&format!("/v1/orders/{}", o["id"].as_str().unwrap()));
        assert_eq!(st, 200, "acknowledged order {} is gone", o["id"]);
        assert_eq!(&got, o);
    }
    // Reserved stock is exactly what the stored orders hold: acknowledged ones, and
    // any committed in the instant before the kill whose answer was lost.
    let mut held = std::collections::HashMap::<String, i64>::new();
    let mut cursor = String::new();
    loop {
        let (_, page) = s.get(&format!("/v1/orders?limit=1000{cursor}"));
        for o in page["items"].as_array().unwrap() {
            for l in o["lines"].as_array().unwrap() {
                for a in l["allocations"].as_array().unwrap() {
                    *held
                        .entry(l["sku"].as_str().unwrap().to_owned())
                        .or_default() += a["qty"].as_i64().unwrap();
                }
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    for sku in ["A", "B"] {
        let reserved: i64 = s.stock(sku).iter().map(|r| r.2).sum();
        assert_eq!(reserved, held.get(sku).copied().unwrap_or(0), "{sku}");
    }
}
