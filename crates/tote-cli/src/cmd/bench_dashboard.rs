//! `tote bench dashboard`: a year of a mid-size shop as domain events (about 2
//! million orders and 15 million events, in the shapes the writer stores them),
//! replayed through the metrics service's projector into a board, then each
//! dashboard page rendered from it (median of several renders).
//!
//! The replay is what a server does at boot before its pages show the history
//! (less reading the rows from SQLite); the page times are what a page view costs.

use std::time::{Duration, Instant};

use serde_json::json;
use tote_core::{Event, EventKind, OrgId, Timestamp};
use tote_metrics::{CARRYING_RATE_ANNUAL, Day, Live};

#[derive(clap::Args)]
pub struct DashboardArgs {
    /// Orders over the year.
    #[arg(long, default_value_t = 2_000_000)]
    orders: u64,
    /// Days of history.
    #[arg(long, default_value_t = 365)]
    days: i32,
    /// Renders of each page; the median is reported.
    #[arg(long, default_value_t = 5)]
    renders: usize,
}

const HOUR_US: i64 = 3_600_000_000;
const NODES: [(&str, &str); 4] = [
    ("DC1", "dc"),
    ("DC2", "dc"),
    ("STORE1", "store"),
    ("TPL1", "3pl"),
];
const CARRIERS: [&str; 4] = ["UPS", "FEDEX", "USPS", "LOCAL"];
const CHANNELS: [&str; 3] = ["web", "marketplace", "wholesale"];
const SKUS: u64 = 2_000;

/// xorshift64*: seeded, so every run replays the same history.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

struct Feed {
    live: Live,
    seq: u64,
    events: u64,
}

impl Feed {
    fn push(&mut self, batch: &mut Vec<(Timestamp, EventKind, String, serde_json::Value)>) {
        batch.sort_by_key(|e| e.0);
        let events: Vec<Event> = batch
            .drain(..)
            .map(|(at, kind, subject, data)| {
                self.seq += 1;
                Event {
                    seq: self.seq,
                    kind,
                    at: at.to_rfc3339(),
                    org: OrgId::DEFAULT,
                    actor: "api".into(),
                    subject,
                    data: serde_json::value::RawValue::from_string(data.to_string()).expect("JSON"),
                }
            })
            .collect();
        self.events += events.len() as u64;
        for chunk in events.chunks(1_000) {
            self.live.apply(chunk);
        }
    }
}

fn sku(i: u64) -> String {
    format!("SKU{i:05}")
}

/// One day's events: orders through their life, counts and put-aways.
fn day_events(
    rng: &mut Rng,
    day: Day,
    orders: u64,
    next_order: &mut u64,
    out: &mut Vec<(Timestamp, EventKind, String, serde_json::Value)>,
) {
    let start = day.start().0;
    for _ in 0..orders {
        *next_order += 1;
        let id = format!("O{next_order}");
        // Orders cluster in the day: more in the afternoon.
        let hour = (8 + rng.below(10) + rng.below(6)) as i64;
        let placed = Timestamp(start + hour * HOUR_US + rng.below(HOUR_US as u64) as i64);
        let ship_by = Timestamp(placed.0 + 24 * HOUR_US);
        let node = NODES[rng.below(NODES.len() as u64) as usize].0;
        let carrier = CARRIERS[rng.below(CARRIERS.len() as u64) as usize];
        let channel = CHANNELS[rng.below(CHANNELS.len() as u64) as usize];
        let n_lines = 1 + usize::from(rng.chance(35)) + usize::from(rng.chance(10));
        // Long-tail demand: low SKU numbers sell most.
        let lines: Vec<(String, i64)> = (0..n_lines)
            .map(|_| {
                let r = rng.below(SKUS);
                (sku(r * r / SKUS), 1 + rng.below(3) as i64)
            })
            .collect();
        let deliver_by = Timestamp(ship_by.0 + 72 * HOUR_US).to_rfc3339()[..10].to_owned();
        out.push((
            placed,
            EventKind::OrderPlaced,
            id.clone(),
            json!({"external_id": id, "channel": channel,
                   "lines": lines.iter().map(|(s, q)| json!({"sku": s, "qty": q})).collect::<Vec<_>>(),
                   "ship_by": ship_by.to_rfc3339(), "deliver_by": deliver_by}),
        ));
        out.push((
            placed,
            EventKind::OrderAllocated,
            id.clone(),
            json!({"allocations": lines.iter().map(|(s, q)| json!({"sku": s, "node": node, "qty": q})).collect::<Vec<_>>()}),
        ));
        if rng.chance(2) {
            let at = Timestamp(placed.0 + HOUR_US);
            out.push((at, EventKind::OrderCancelled, id, json!({"released": []})));
            continue;
        }
        let released = Timestamp(placed.0 + (1 + rng.below(6) as i64) * HOUR_US);
        out.push((
            released,
            EventKind::OrderReleased,
            id.clone(),
            json!({"wave": "W1"}),
        ));
        let mut at = released;
        let mut backordered = Vec::new();
        for (s, q) in &lines {
            at = Timestamp(at.0 + rng.below(HOUR_US as u64 / 4) as i64);
            if rng.chance(3) {
                out.push((
                    at,
                    EventKind::PickShort,
                    format!("PT{next_order}"),
                    json!({"order": id, "sku": s, "location": "A-01", "expected": q, "found": q - 1,
                           "reason": "shelf empty", "backordered": 1}),
                ));
                backordered.push(json!({"sku": s, "qty": 1}));
            } else {
                out.push((
                    at,
                    EventKind::PickConfirmed,
                    format!("PT{next_order}"),
                    json!({"order": id, "sku": s, "location": "A-01", "qty": q, "to": "PACK", "list": "L1"}),
                ));
            }
        }
        out.push((at, EventKind::OrderPicked, id.clone(), json!({})));
        let packed = Timestamp(at.0 + rng.below(2 * HOUR_US as u64) as i64);
        out.push((
            packed,
            EventKind::OrderPacked,
            id.clone(),
            json!({"cartons": []}),
        ));
        // Most ship the same day; a few miss their ship-by.
        let late = if rng.chance(5) { 20 } else { 0 };
        let shipped = Timestamp(packed.0 + (1 + late + rng.below(3) as i64) * HOUR_US);
        out.push((
            shipped,
            EventKind::OrderShipped,
            id.clone(),
            json!({"shipment": {"id": format!("SH{next_order}"), "order": id, "node": node, "carrier": carrier,
                                "service": "ground", "tracking": "T", "cartons": [], "posted": [], "shipped_at": shipped.to_rfc3339()},
                   "backordered": backordered}),
        ));
    }
    for (n, &(node, _)) in NODES.iter().enumerate() {
        let at = Timestamp(start + 6 * HOUR_US);
        let count = format!("CC{}-{n}", day.0);
        out.push((
            at,
            EventKind::CountCreated,
            count.clone(),
            json!({"node": node, "locations": []}),
        ));
        let lines: Vec<_> = (0..50)
            .map(|i| {
                let expected = 10 + rng.below(20) as i64;
                let off = if rng.chance(4) { 1 } else { 0 };
                json!({"location": format!("L{i}"), "sku": sku(i), "counted": expected - off, "expected": expected, "variance": -off})
            })
            .collect();
        out.push((
            Timestamp(at.0 + HOUR_US),
            EventKind::CountCounted,
            count,
            json!({"lines": lines, "status": "counted"}),
        ));
        for r in 0..5 {
            out.push((
                Timestamp(start + (7 + r) * HOUR_US),
                EventKind::InventoryPutAway,
                sku(r as u64),
                json!({"node": node, "sku": sku(r as u64), "qty": 24, "dock_to_stock_s": 3_600 * (2 + rng.below(30) as i64)}),
            ));
        }
    }
}

fn resident_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

pub fn run(a: DashboardArgs) -> anyhow::Result<()> {
    let mut rng = Rng(0x5EED_D45B);
    let first = Day(20_454); // 2026-01-01
    let per_day = a.orders / a.days.max(1) as u64;
    let mut feed = Feed {
        live: Live::new(CARRYING_RATE_ANNUAL),
        seq: 0,
        events: 0,
    };
    let mut batch = Vec::new();
    let mut next_order = 0;
    for (i, node) in NODES.iter().enumerate() {
        batch.push((
            first.start(),
            EventKind::NodeCreated,
            node.0.to_owned(),
            json!({"node": {"code": node.0, "kind": node.1, "name": node.0, "priority": i}}),
        ));
    }
    for i in 0..SKUS {
        batch.push((
            first.start(),
            EventKind::SkuCreated,
            sku(i),
            json!({"sku": {"sku": sku(i), "unit_cost": format!("{}.50", 2 + i % 40)}}),
        ));
    }
    let started = Instant::now();
    let mut generating = Duration::ZERO;
    for d in 0..a.days {
        let day = Day(first.0 + d);
        // Weekly seasonality: weekends sell a third less.
        let weekday = (day.0 + 3).rem_euclid(7);
        let n = if weekday >= 5 {
            per_day * 2 / 3
        } else {
            per_day * 8 / 7
        };
        let g = Instant::now();
        day_events(&mut rng, day, n, &mut next_order, &mut batch);
        generating += g.elapsed();
        feed.push(&mut batch);
        if d % 30 == 29 {
            eprintln!(
                "day {}: {} orders, {} events, {:.1} s",
                d + 1,
                next_order,
                feed.events,
                started.elapsed().as_secs_f64()
            );
        }
    }
    let end = Timestamp(Day(first.0 + a.days).start().0 - 1);
    feed.live.advance(end);
    let total = started.elapsed();
    let replay = total.saturating_sub(generating);
    println!(
        "tote bench dashboard: {} days, {} orders, {} events",
        a.days, next_order, feed.events
    );
    println!(
        "replay: {:.1} s for {} events ({:.0} events/s; generating the JSON took another {:.1} s)",
        replay.as_secs_f64(),
        feed.events,
        feed.events as f64 / replay.as_secs_f64().max(1e-9),
        generating.as_secs_f64()
    );
    println!(
        "board: {} cells; process resident {} MB",
        feed.live.board.cells(),
        resident_mb().map_or("?".to_owned(), |m| m.to_string())
    );
    let last_day = Timestamp(end.0).to_rfc3339()[..10].to_owned();
    let year_from = Timestamp(Day(first.0).start().0).to_rfc3339()[..10].to_owned();
    let pages = [
        ("/", String::new()),
        ("/", format!("from={year_from}&to={last_day}")),
        ("/", "cut=node&value=DC1".to_owned()),
        ("/metrics/otif", String::new()),
        ("/metrics/unit_fill_rate", String::new()),
        ("/exceptions", String::new()),
        ("/scorecards/nodes", String::new()),
        ("/scorecards/carriers", String::new()),
        ("/scorecards/3pls", String::new()),
    ];
    let mut slowest = Duration::ZERO;
    for (path, query) in pages {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..a.renders.max(1) {
            let t = Instant::now();
            let html = tote_server::render_dashboard_page(&feed.live, path, &query, end)
                .map_err(|e| anyhow::anyhow!("{path}?{query}: {e}"))?;
            times.push(t.elapsed());
            bytes = html.len();
        }
        times.sort();
        let median = times[times.len() / 2];
        slowest = slowest.max(median);
        println!(
            "page {path}{}{query}: {:.1} ms median of {} ({} KB)",
            if query.is_empty() { "" } else { "?" },
            median.as_secs_f64() * 1e3,
            times.len(),
            bytes / 1024
        );
    }
    println!(
        "slowest page: {:.1} ms (target < 200 ms)",
        slowest.as_secs_f64() * 1e3
    );
    Ok(())
}
