//! Feeds a year of a mid-size shop (about 2 million orders, with their shipments,
//! returns, receipts, counts, labor, costs and daily inventory snapshots) into a
//! board, then times the queries of three dashboard pages.
//!
//! Baseline, measured in the same run: recomputing one metric (unit fill rate over
//! the last 30 days for one node) by scanning every order fact, as a page would
//! if metrics were not kept incrementally.
//!
//! Run: `cargo bench -p tote-metrics --bench metrics` (ORDERS=200000 for a quick run).

use std::hint::black_box;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use tote_core::{LocationId, NodeId, OrderId, SkuId, Timestamp};
use tote_metrics::{
    AdjustmentFact, AdjustmentReason, Board, Cancellation, CarrierId, ChannelId, CostFact,
    CountFact, Cut, Cuts, Day, InventorySnapshot, LaborFact, Metric, OrderFact, Period,
    ReceiptFact, ReturnFact, ShipmentFact, ShippingErrors, Step,
};

const DAYS: i32 = 365;
const NODES: u32 = 4;
const CHANNELS: u16 = 3;
const CARRIERS: u16 = 4;
const SKUS: u32 = 1_000;
const HOUR_US: i64 = 3_600_000_000;
const FIRST_DAY: Day = Day(20_089); // 2025-01-01

/// xorshift64*: a seeded generator, so every run feeds the same facts.
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

fn at(day: Day, hours: i64) -> Timestamp {
    Timestamp(day.start().0 + hours * HOUR_US)
}

fn order_fact(rng: &mut Rng, id: u64, day: Day, now: Timestamp) -> (OrderFact, ShipmentFact) {
    let node = rng.below(u64::from(NODES)) as u32;
    let carrier = CarrierId(rng.below(u64::from(CARRIERS)) as u16);
    let cuts = Cuts {
        node: Some(NodeId(node)),
        channel: Some(ChannelId(rng.below(u64::from(CHANNELS)) as u16)),
        carrier: Some(carrier),
        three_pl: (node == NODES - 1).then_some(NodeId(node)),
        sku: None,
    };
    let placed_at = Timestamp(day.start().0 + rng.below(24 * HOUR_US as u64) as i64);
    let ship_by = Timestamp(placed_at.0 + 24 * HOUR_US);
    let deliver_by = Timestamp(placed_at.0 + 96 * HOUR_US);
    let units = 1 + rng.below(4) as i64;
    let short = rng.chance(4);
    let shipped_at = Timestamp(placed_at.0 + (2 + rng.below(30) as i64) * HOUR_US);
    let delivered_at = Timestamp(shipped_at.0 + (20 + rng.below(80) as i64) * HOUR_US);
    let cancelled = rng.chance(2).then_some(Cancellation::ByCustomer);
    let shipped = cancelled.is_none() && shipped_at <= now;
    let delivered = shipped && delivered_at <= now;
    let order = OrderFact {
        order: OrderId(id),
        cuts,
        as_of: now,
        placed_at,
        allocated_at: Some(Timestamp(placed_at.0 + HOUR_US)),
        ship_by,
        deliver_by,
        units_ordered: units,
        units_shipped_first_attempt: if shipped { units - i64::from(short) } else { 0 },
        units_shipped: if shipped { units } else { 0 },
        units_delivered: if delivered { units } else { 0 },
        shipped_complete_in_one_go: shipped && !short,
        shipped_at: shipped.then_some(shipped_at),
        delivered_at: delivered.then_some(delivered_at),
        cancelled,
        errors: ShippingErrors {
            damaged: rng.chance(1),
            ..ShippingErrors::default()
        },
        goods_cost_shipped: if shipped {
            Decimal::from(units * 12)
        } else {
            Decimal::ZERO
        },
    };
    let shipment = ShipmentFact {
        cuts,
        as_of: now,
        ship_by,
        handed_at: shipped.then_some(shipped_at),
        committed_delivery_at: Timestamp(shipped_at.0 + 72 * HOUR_US),
        delivered_at: delivered.then_some(delivered_at),
    };
    (order, shipment)
}

struct Fed {
    facts: u64,
    feeding: Duration,
    orders: Vec<OrderFact>,
}

fn feed(board: &mut Board, orders_total: u64, now: Timestamp) -> Fed {
    let mut rng = Rng(0x7075_7465);
    let per_day = orders_total / DAYS as u64;
    let mut fed = Fed {
        facts: 0,
        feeding: Duration::ZERO,
        orders: Vec::new(),
    };
    let mut id = 0;
    for d in 0..DAYS {
        let day = Day(FIRST_DAY.0 + d);
        // Weekly seasonality: weekends sell 30 % more.
        let today = if (d + 2) % 7 >= 5 {
            per_day * 13 / 10
        } else {
            per_day * 9 / 10
        };
        let mut orders = Vec::with_capacity(today as usize);
        let mut shipments = Vec::with_capacity(today as usize);
        let mut returns = Vec::new();
        for _ in 0..today {
            id += 1;
            let (order, shipment) = order_fact(&mut rng, id, day, now);
            if let Some(shipped_at) = order.shipped_at
                && rng.chance(8)
            {
                let received_at = Timestamp(shipped_at.0 + 200 * HOUR_US);
                returns.push(ReturnFact {
                    cuts: order.cuts,
                    shipped_at,
                    received_at,
                    available_again_at: Some(Timestamp(received_at.0 + 30 * HOUR_US)),
                    units: 1,
                    value: Decimal::from(40),
                    recovered_value: Some(Decimal::from(25)),
                });
            }
            orders.push(order);
            shipments.push(shipment);
        }
        let mut snapshots = Vec::with_capacity(SKUS as usize * (1 + NODES as usize));
        for sku in 0..SKUS {
            let on_hand = rng.below(200) as i64;
            let available = if rng.chance(3) { 0 } else { on_hand };
            snapshots.push(InventorySnapshot {
                day,
                sku: SkuId(sku),
                node: None,
                node_is_three_pl: false,
                active: true,
                units_on_hand: on_hand,
                units_available: available,
                value: Decimal::from(on_hand * 12),
            });
        }
        let mut counts = Vec::new();
        let mut rest_receipts = Vec::new();
        let mut labor = Vec::new();
        let mut costs = Vec::new();
        let mut adjustments = Vec::new();
        for node in 0..NODES {
            let cuts = Cuts {
                node: Some(NodeId(node)),
                ..Cuts::default()
            };
            for location in 0..200 {
                let expected = rng.below(50) as i64;
                let off = rng.chance(3);
                counts.push(CountFact {
                    location: LocationId(node * 10_000 + location),
                    cuts,
                    counted_at: at(day, 10),
                    units_expected: expected,
                    units_counted: expected - i64::from(off),
                });
            }
            for r in 0..40 {
                rest_receipts.push(ReceiptFact {
                    cuts,
                    received_at: at(day, 6 + r % 8),
                    available_at: Some(at(day, 8 + r % 8 + (r % 5) * 3)),
                    units: 24,
                });
            }
            for step in Step::ALL {
                labor.push(LaborFact {
                    cuts,
                    at: at(day, 12),
                    step,
                    units: (today / u64::from(NODES)) as i64 * 2,
                    hours: Decimal::from(40),
                });
            }
            costs.push(CostFact {
                cuts,
                at: at(day, 23),
                labor: Decimal::from(4_000),
                shipping: Decimal::from(3_000),
                packaging: Decimal::from(400),
                overhead: Decimal::from(1_500),
            });
            adjustments.push(AdjustmentFact {
                cuts,
                at: at(day, 15),
                reason: AdjustmentReason::Damage,
                units: -2,
                value: Decimal::from(-24),
            });
        }
        let started = Instant::now();
        orders.iter().for_each(|f| board.observe(f));
        shipments.iter().for_each(|f| board.observe(f));
        returns.iter().for_each(|f| board.observe(f));
        snapshots.iter().for_each(|f| board.observe(f));
        counts.iter().for_each(|f| board.observe(f));
        rest_receipts.iter().for_each(|f| board.observe(f));
        labor.iter().for_each(|f| board.observe(f));
        costs.iter().for_each(|f| board.observe(f));
        adjustments.iter().for_each(|f| board.observe(f));
        fed.feeding += started.elapsed();
        fed.facts += (orders.len()
            + shipments.len()
            + returns.len()
            + snapshots.len()
            + counts.len()
            + rest_receipts.len()
            + labor.len()
            + costs.len()
            + adjustments.len()) as u64;
        fed.orders.extend(orders);
    }
    fed
}

/// The queries of the home page: headline tiles with trend and target, 90-day
/// trend charts, the aged backlog.
fn home_page(board: &Board, now: Timestamp) -> usize {
    let today = Day::of(now);
    let week = Period::new(Day(today.0 - 7), today);
    let mut answers = 0;
    for metric in [
        Metric::UnitFillRate,
        Metric::OrderFillRate,
        Metric::Otif,
        Metric::OnTimeShip,
        Metric::OrderAccuracy,
        Metric::OrderCycleTime,
        Metric::CostPerOrder,
        Metric::InventoryAccuracy,
        Metric::ReturnRate,
        Metric::StockoutRate,
        Metric::UnitsPerHour,
    ] {
        black_box(board.reading(metric, week, Cut::All));
        answers += 1;
    }
    for metric in [
        Metric::UnitFillRate,
        Metric::Otif,
        Metric::OrderCycleTime,
        Metric::CostPerOrder,
        Metric::StockoutRate,
    ] {
        for day in Period::new(Day(today.0 - 90), today).iter() {
            black_box(board.value(metric, Period::day(day), Cut::All).headline());
            answers += 1;
        }
    }
    black_box(board.backlog(Cut::All, now));
    answers + 1
}

/// Every metric over the whole year against the year before.
fn year_page(board: &Board, now: Timestamp) -> usize {
    let today = Day::of(now);
    let year = Period::new(Day(today.0 - DAYS), today);
    for metric in Metric::ALL {
        black_box(board.reading(metric, year, Cut::All));
    }
    Metric::ALL.len()
}

/// Scorecards: per node and per carrier, six metrics over 30 days with trend.
fn scorecard_page(board: &Board, now: Timestamp) -> usize {
    let today = Day::of(now);
    let month = Period::new(Day(today.0 - 30), today);
    let cuts = (0..NODES)
        .map(|n| Cut::Node(NodeId(n)))
        .chain((0..CARRIERS).map(|c| Cut::Carrier(CarrierId(c))));
    let mut answers = 0;
    for cut in cuts {
        for metric in [
            Metric::OnTimeShip,
            Metric::OrderAccuracy,
            Metric::DockToStock,
            Metric::CostPerOrder,
            Metric::CarrierOnTime,
            Metric::Otif,
        ] {
            black_box(board.reading(metric, month, cut));
            answers += 1;
        }
    }
    answers
}

/// The process's resident memory, where the system tells it (Linux).
fn resident_kb() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median_time(mut page: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut answers = 0;
    for _ in 0..7 {
        let started = Instant::now();
        answers = page();
        times.push(started.elapsed());
    }
    times.sort();
    (times[times.len() / 2], answers)
}

fn main() {
    let orders_total: u64 = std::env::var("ORDERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000_000);
    let now = at(Day(FIRST_DAY.0 + DAYS), 0);
    let mut board = Board::new(Decimal::new(25, 2));
    board.set_target(Metric::UnitFillRate, 0.98);
    board.set_target(Metric::Otif, 0.95);
    let fed = feed(&mut board, orders_total, now);
    let orders = fed.orders.len();
    let resident_mb = resident_kb().map(|kb| kb / 1024);
    let orders_mb = fed.orders.capacity() * std::mem::size_of::<OrderFact>() / (1 << 20);
    let per_s = fed.facts as f64 / fed.feeding.as_secs_f64();

    // Baseline: one metric recomputed by scanning every order fact.
    let today = Day::of(now);
    let month = Period::new(Day(today.0 - 30), today);
    let (scan, _) = median_time(|| {
        let (mut shipped, mut ordered) = (0i64, 0i64);
        for o in &fed.orders {
            if o.cuts.node == Some(NodeId(1))
                && month.contains(Day::of(o.placed_at))
                && o.cancelled != Some(Cancellation::ByCustomer)
            {
                shipped += o.units_shipped_first_attempt;
                ordered += o.units_ordered;
            }
        }
        black_box((shipped, ordered));
        1
    });
    let (one, _) = median_time(|| {
        black_box(board.value(Metric::UnitFillRate, month, Cut::Node(NodeId(1))));
        1
    });
    // Incremental upkeep: an order delivered late after all is retracted in its old
    // form and observed in its new one, as the service does on each event.
    let updates: Vec<(OrderFact, OrderFact)> = fed
        .orders
        .iter()
        .filter(|o| o.shipped_at.is_some())
        .take(200_000)
        .map(|o| {
            let mut new = o.clone();
            new.delivered_at = Some(Timestamp(o.deliver_by.0 + HOUR_US));
            new.units_delivered = o.units_shipped;
            (o.clone(), new)
        })
        .collect();
    let started = Instant::now();
    for (old, new) in &updates {
        board.retract(old);
        board.observe(new);
    }
    let updating = started.elapsed();
    let pages = [
        (
            "home: 11 tiles + 5 x 90-day charts + backlog",
            median_time(|| home_page(&board, now)),
        ),
        (
            "year: all 20 metrics, year vs year before",
            median_time(|| year_page(&board, now)),
        ),
        (
            "scorecards: 8 nodes/carriers x 6 metrics",
            median_time(|| scorecard_page(&board, now)),
        ),
    ];

    println!("tote-metrics bench: `cargo bench -p tote-metrics --bench metrics`");
    println!(
        "history: {DAYS} days, {orders} orders, {} facts in all",
        fed.facts
    );
    println!(
        "feeding: {:.2} s, {:.0} facts/s ({:.0} orders/s counting every fact against orders)",
        fed.feeding.as_secs_f64(),
        per_s,
        orders as f64 / fed.feeding.as_secs_f64()
    );
    match resident_mb {
        Some(mb) => println!(
            "memory: {} cells; process resident {mb} MB, of which the scan's order facts {orders_mb} MB",
            board.cells()
        ),
        None => println!("memory: {} cells", board.cells()),
    }
    println!(
        "upkeep: {} order updates (retract + observe) in {:.2} s, {:.0} updates/s",
        updates.len(),
        updating.as_secs_f64(),
        updates.len() as f64 / updating.as_secs_f64()
    );
    println!(
        "baseline, scanning {orders} order facts for one metric: {:.1} ms",
        scan.as_secs_f64() * 1e3
    );
    println!(
        "same metric from the board: {:.1} us ({:.0}x faster than the scan)",
        one.as_secs_f64() * 1e6,
        scan.as_secs_f64() / one.as_secs_f64()
    );
    for (name, (time, answers)) in pages {
        println!(
            "page {name}: {answers} answers in {:.3} ms ({:.4} of the scan; target < 200 ms)",
            time.as_secs_f64() * 1e3,
            time.as_secs_f64() / scan.as_secs_f64()
        );
    }
}
