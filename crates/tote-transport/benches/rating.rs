//! Rate-shopping throughput over the example carrier set's six services.
//!
//! Goal: at least 1,000,000 service quotes per second on a 2-core machine.
//! Method: a fixed, seeded list of shipments (US destinations, one carton
//! each, mixed sizes, some residential) is rate-shopped with `rate_shop`;
//! each shipment considers all six services, so one shop is six service
//! quotes (five priced, the international one answering "no zone").
//! The baseline in the same run is a naive rater working straight from the
//! CSV rows: linear scans and string parsing for every lookup, as a port of
//! a spreadsheet would do. Run: `cargo bench -p tote-transport --bench rating`.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::time::{Duration, Instant};
use tote_transport::cli::example_carriers;
use tote_transport::example::FILES;
use tote_transport::shop::{Node, ShopRequest};
use tote_transport::{
    CarrierSet, Country, Currency, Length, Parcel, Place, PostalCode, WeekDays, Weight, WorkDays,
    rate_shop,
};

const SHIPMENTS: usize = 4_096;
const RUN: Duration = Duration::from_secs(2);

/// xorshift64*: a fixed seed makes every run rate the same shipments.
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
}

fn requests() -> Vec<ShopRequest> {
    let mut rng = Rng(0x7073_6F74_6521);
    let us = Country::parse("US").expect("US");
    let node = Node {
        id: "DC1".into(),
        place: Place {
            country: us,
            postal: PostalCode::parse("60601").expect("zip"),
        },
        time_zone: "America/Chicago".parse().expect("tz"),
        cutoff: NaiveTime::from_hms_opt(18, 0, 0).expect("time"),
        days: WorkDays::new(WeekDays::MON_FRI, vec![]),
    };
    let start: DateTime<Utc> = "2026-11-16T14:00:00Z".parse().expect("time");
    (0..SHIPMENTS)
        .map(|_| {
            let zip = format!("{:05}", 1_000 + rng.below(98_000));
            let dims = [0, 1, 2].map(|_| Length::from_mm(50 + rng.below(700)));
            ShopRequest {
                node: node.clone(),
                destination: Place {
                    country: us,
                    postal: PostalCode::parse(&zip).expect("zip"),
                },
                residential: rng.below(2) == 0,
                cartons: vec![Parcel {
                    dims,
                    weight: Weight::from_g(100 + rng.below(20_000)),
                }],
                ready_at: start + chrono::Duration::minutes(rng.below(60 * 24 * 10) as i64),
                deliver_by: Some(
                    NaiveDate::from_ymd_opt(2026, 11, 20 + rng.below(8) as u32).expect("date"),
                ),
                hazmat: vec![],
                services: vec![],
                currency: Currency::USD,
            }
        })
        .collect()
}

/// Runs `f` over the requests until `RUN` has passed; service quotes per second.
fn measure(
    reqs: &[ShopRequest],
    services: usize,
    mut f: impl FnMut(&ShopRequest) -> u64,
) -> (f64, u64) {
    let t = Instant::now();
    let (mut shops, mut check) = (0u64, 0u64);
    while t.elapsed() < RUN {
        for r in reqs {
            check = check.wrapping_add(f(r));
        }
        shops += reqs.len() as u64;
    }
    (
        (shops * services as u64) as f64 / t.elapsed().as_secs_f64(),
        check,
    )
}

fn shop_fast(set: &CarrierSet, r: &ShopRequest) -> u64 {
    let result = rate_shop(set, black_box(r));
    result
        .chosen
        .map_or(0, |c| c as u64 + result.quotes.len() as u64)
}

/// The naive baseline: CSV rows as strings, scanned and parsed per quote.
struct Naive {
    tables: Vec<(String, Vec<Vec<String>>)>,
}

impl Naive {
    fn new() -> Naive {
        let tables = FILES
            .iter()
            .map(|(name, text)| {
                let rows = text
                    .lines()
                    .filter(|l| !l.starts_with('#') && !l.is_empty())
                    .map(|l| l.split(',').map(str::to_string).collect())
                    .collect();
                (name.to_string(), rows)
            })
            .collect();
        Naive { tables }
    }
    fn table(&self, name: &str) -> &[Vec<String>] {
        &self
            .tables
            .iter()
            .find(|(n, _)| n == name)
            .expect("table")
            .1
    }
    /// Zone, billable weight, base and fuel for one service: a subset of the
    /// real rules, so the baseline is if anything flattering.
    fn quote(&self, service: &[String], r: &ShopRequest, ship_on: NaiveDate) -> Option<Decimal> {
        let kg = service[6] == "kg";
        let divisor: f64 = service[7].parse().ok()?;
        let dest = r.destination.postal.as_str();
        let origin = r.node.place.postal.as_str();
        let zones = self.table(&format!("zones/{}.csv", service[10]));
        let zone = zones.iter().skip(1).find(|row| {
            row[3] == r.destination.country.as_str()
                && (row[1].is_empty() || (origin[..3] >= *row[1] && origin[..3] <= *row[2]))
                && (row[4].is_empty() || (dest[..3] >= *row[4] && dest[..3] <= *row[5]))
        })?[6]
            .clone();
        let p = &r.cartons[0];
        let (per_len, per_w) = if kg {
            (10_000.0, 1e9)
        } else {
            (25_400.0, 453_592_370.0)
        };
        let d: Vec<f64> = p
            .dims
            .iter()
            .map(|l| (l.um() as f64 / per_len).round())
            .collect();
        let dim = (d[0] * d[1] * d[2] / divisor).ceil();
        let actual = (p.weight.ug() as f64 / per_w).ceil();
        let billable = dim.max(actual).max(1.0) as u64;
        let rates = self.table(&format!("rates/{}.csv", service[11]));
        let col = rates[0].iter().position(|h| *h == zone)?;
        let mut base = None;
        for row in &rates[1..] {
            let from: u64 = row[0].parse().ok()?;
            if row[1] == "+" {
                let last: Decimal = rates[rates.len() - 2][col].parse().ok()?;
                let per: Decimal = row[col].parse().ok()?;
                base = Some(last + per * Decimal::from(billable - from + 1));
            } else if from <= billable && billable <= row[1].parse().ok()? {
                base = Some(row[col].parse().ok()?);
                break;
            }
        }
        let base = base?;
        let mut fuel = Decimal::ZERO;
        for row in &self.table("surcharges.csv")[1..] {
            if row[0] == service[0] && (row[1] == service[2] || row[1] == "*") && row[2] == "fuel" {
                let (s, e): (NaiveDate, NaiveDate) = (row[9].parse().ok()?, row[10].parse().ok()?);
                if s <= ship_on && ship_on <= e {
                    fuel = base * row[6].parse::<Decimal>().ok()? / Decimal::ONE_HUNDRED;
                }
            }
        }
        Some((base + fuel).round_dp(2))
    }
    fn shop(&self, r: &ShopRequest) -> u64 {
        let services = &self.table("services.csv")[1..];
        let ship_on = r.ready_at.date_naive();
        let mut best: Option<Decimal> = None;
        for s in services {
            if let Some(q) = self.quote(s, r, ship_on) {
                best = Some(best.map_or(q, |b: Decimal| b.min(q)));
            }
        }
        best.map_or(0, |b| b.mantissa() as u64)
    }
}

fn main() {
    let set = example_carriers();
    let services = set.services.len();
    let reqs = requests();
    let naive = Naive::new();
    let priced: usize = reqs.iter().map(|r| rate_shop(&set, r).quotes.len()).sum();
    println!("rate shopping, example carrier set: {services} services, {SHIPMENTS} shipments");
    println!(
        "  {:.2} services priced per shop (the international service has no zone for US destinations)",
        priced as f64 / SHIPMENTS as f64
    );

    let (naive_qps, c1) = measure(&reqs, services, |r| naive.shop(r));
    let (fast_qps, c2) = measure(&reqs, services, |r| shop_fast(&set, r));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    let counts: Vec<u64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut shops = 0u64;
                    while t.elapsed() < RUN {
                        for r in &reqs {
                            black_box(shop_fast(&set, r));
                        }
                        shops += reqs.len() as u64;
                    }
                    shops
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("bench thread"))
            .collect()
    });
    let parallel_qps =
        (counts.iter().sum::<u64>() * services as u64) as f64 / t.elapsed().as_secs_f64();
    black_box((c1, c2));

    println!("  {:<44} {:>14} {:>8}", "method", "quotes/s", "ratio");
    println!(
        "  {:<44} {:>14.0} {:>8.2}",
        "naive: CSV rows scanned and parsed (1 thread)", naive_qps, 1.0
    );
    println!(
        "  {:<44} {:>14.0} {:>8.2}",
        "rate_shop (1 thread)",
        fast_qps,
        fast_qps / naive_qps
    );
    println!(
        "  {:<44} {:>14.0} {:>8.2}",
        format!("rate_shop ({threads} threads)"),
        parallel_qps,
        parallel_qps / naive_qps
    );
    let best = fast_qps.max(parallel_qps);
    let verdict = if best >= 1_000_000.0 { "met" } else { "MISSED" };
    println!("  target 1,000,000 service quotes/s: {verdict} (best {best:.0})");
}
