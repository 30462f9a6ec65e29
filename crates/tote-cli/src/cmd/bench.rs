//! `tote bench reserve` and `tote bench http`: throughput and latency, each beside a
//! baseline measured in the same run.

use crate::Exit;
use anyhow::Context;
use hdrhistogram::Histogram;
use serde_json::json;
use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tote_core::order::OrderLineInput;
use tote_core::{Address, OrderInput, OrgId, Timestamp};
use tote_ledger::Writer;
use tote_oms::{Command, Engine, Envelope, ReceiptInput, ReceiptLine, UpsertMode};
use tote_store::SqliteStore;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    which: Which,
}

#[derive(clap::Subcommand)]
enum Which {
    /// Durable line reservations through the writer, against one commit per reservation.
    Reserve(ReserveArgs),
    /// Single-line orders over HTTP against the real server, driven by wrk.
    Http(HttpArgs),
    /// Myopic, look-ahead and clairvoyant sourcing on a simulated network of 3 DCs and 30 stores.
    Sourcing(super::bench_sourcing::SourcingArgs),
    /// Release one large wave: batching, routing and pick-task creation.
    Wave(super::bench_wave::WaveArgs),
    /// A year of a mid-size shop as events: replay into the metrics board, then render each dashboard page.
    Dashboard(super::bench_dashboard::DashboardArgs),
}

#[derive(clap::Args)]
struct ReserveArgs {
    /// How long to measure group commit.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// How long to measure the one-commit-per-reservation baseline.
    #[arg(long, default_value_t = 2.0)]
    baseline_seconds: f64,
    /// Concurrent submitters.
    #[arg(long, default_value_t = 256)]
    submitters: usize,
    /// Lines per order in the main run: each line is one reservation.
    #[arg(long, default_value_t = 10)]
    lines: usize,
    /// SKUs the orders spread over.
    #[arg(long, default_value_t = 1000)]
    skus: usize,
}

#[derive(clap::Args)]
struct HttpArgs {
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Open connections. Each waits for its answer, so when flushes are slow
    /// (a few hundred a second) it takes this many in flight to fill a commit group.
    #[arg(long, default_value_t = 256)]
    connections: usize,
    /// wrk threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    #[arg(long, default_value_t = 1000)]
    skus: usize,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.which {
        Which::Reserve(a) => reserve(a),
        Which::Http(a) => http(a),
        Which::Sourcing(a) => super::bench_sourcing::sourcing(a),
        Which::Wave(a) => super::bench_wave::run(a),
        Which::Dashboard(a) => super::bench_dashboard::run(a),
    }
}

/// Writes and flushes 4 KiB blocks for `window`: how many flushes per second the disk
/// takes now. These machines sometimes slow to a few hundred for minutes.
fn flush_probe(dir: &Path, window: Duration) -> anyhow::Result<f64> {
    let path = dir.join("flush-probe");
    let mut f = std::fs::File::create(&path)?;
    let block = [0u8; 4096];
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < window {
        f.write_all(&block)?;
        f.sync_data()?;
        n += 1;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    drop(f);
    std::fs::remove_file(path)?;
    Ok(rate)
}

fn envelope(command: Command) -> Envelope {
    Envelope {
        org: OrgId::DEFAULT,
        actor: "bench".into(),
        at: crate::cmd::bench::now(),
        idempotency: None,
        command,
    }
}

fn now() -> Timestamp {
    Timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_micros() as i64)
            .unwrap_or_default(),
    )
}

fn ship_to() -> serde_json::Value {
    json!({"line1": "2 Elm St", "city": "Boston", "region": "MA", "postal_code": "02101", "country": "US"})
}

/// A fresh engine with one DC and `skus` SKUs of ample stock.
fn stocked_engine(dir: &Path, skus: usize) -> anyhow::Result<Engine> {
    let store = SqliteStore::open(dir)?;
    let reader = Arc::new(store.reader());
    let mut e = Engine::open(Box::new(store), reader, now())?;
    let node = serde_json::from_value(
        json!({"code": "DC1", "kind": "dc", "name": "DC 1", "priority": 1,
        "address": {"line1": "1 Main St", "city": "Newark", "postal_code": "07102", "country": "US"}}),
    )?;
    e.execute(envelope(Command::Node(node, UpsertMode::Create)))?;
    let mut lines = Vec::with_capacity(skus);
    for i in 0..skus {
        let sku = serde_json::from_value(
            json!({"sku": format!("SKU-{i}"), "name": format!("SKU {i}"),
            "weight_g": 200, "dims_mm": [200, 150, 50], "unit_cost": "4.00", "price": "10.00"}),
        )?;
        e.execute(envelope(Command::Sku(sku, UpsertMode::Create)))?;
        lines.push(ReceiptLine {
            sku: format!("SKU-{i}"),
            qty: tote_core::Qty(1_000_000_000),
            location: None,
        });
    }
    for chunk in lines.chunks(tote_core::limits::REQUEST_LINES_MAX) {
        e.execute(envelope(Command::Receive(ReceiptInput {
            node: "DC1".into(),
            lines: chunk.to_vec(),
            reference: None,
        })))?;
    }
    e.commit_group()?;
    Ok(e)
}

struct Run {
    lines: usize,
    orders: u64,
    elapsed: Duration,
    latency_us: Histogram<u64>,
    groups: u64,
    commit_latency_us: Histogram<u64>,
    apply_us: u64,
    commit_us: u64,
}

/// Submitters place orders through the writer until the deadline.
/// What one measured run submits.
struct Load {
    submitters: usize,
    lines: usize,
    skus: usize,
    seconds: f64,
}

/// Microseconds, from 1 us to a minute, to three significant digits.
fn latency_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid bounds")
}

fn drive(engine: Engine, group_max: usize, a: &Load) -> anyhow::Result<Run> {
    let seconds = a.seconds;
    // Each commit's duration: the tail of the answers follows the slowest commits.
    let commits = Arc::new(std::sync::Mutex::new(latency_histogram()));
    let observed = commits.clone();
    let observer: tote_ledger::writer::CommitObserver = Box::new(move |_, took| {
        if let Ok(mut h) = observed.lock() {
            h.saturating_record(took.as_micros() as u64);
        }
    });
    let (writer, join) = Writer::spawn_with_group_max(engine, Some(observer), group_max);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let (skus, lines) = (a.skus, a.lines);
    let results = rt.block_on(async {
        let tasks: Vec<_> = (0..a.submitters)
            .map(|t| {
                let w = writer.clone();
                let ship_to: Address = serde_json::from_value(ship_to()).expect("a valid address");
                tokio::spawn(async move {
                    let mut h = latency_histogram();
                    let mut n = 0u64;
                    while Instant::now() < deadline {
                        let order = OrderInput {
                            // Storefront order numbers rise over time; so do these.
                            external_id: format!("{n:09}-{t:04}"),
                            channel: "web".into(),
                            ship_to: ship_to.clone(),
                            lines: (0..lines)
                                .map(|l| OrderLineInput {
                                    sku: format!(
                                        "SKU-{}",
                                        (t * 7919 + n as usize * 31 + l * 131) % skus
                                    ),
                                    qty: tote_core::Qty(1),
                                    unit_price: None,
                                    discount: None,
                                })
                                .collect(),
                            service_level: None,
                            email: None,
                            ship_by: None,
                            deliver_by: None,
                            shipping_charge: None,
                            discount: None,
                            fulfillment: None,
                            pickup_node: None,
                        };
                        let sent = Instant::now();
                        let r = w.submit(envelope(Command::PlaceOrder(order))).await;
                        h.saturating_record(sent.elapsed().as_micros() as u64);
                        r.expect("writer running").expect("order placed");
                        n += 1;
                    }
                    (n, h)
                })
            })
            .collect();
        let mut all = Vec::new();
        for t in tasks {
            all.push(t.await.expect("submitter task"));
        }
        all
    });
    let elapsed = started.elapsed();
    let stats = &writer.stats;
    let groups = stats.groups.load(std::sync::atomic::Ordering::Relaxed);
    let apply_us = stats
        .apply_us_total
        .load(std::sync::atomic::Ordering::Relaxed);
    let commit_us = stats
        .commit_us_total
        .load(std::sync::atomic::Ordering::Relaxed);
    drop(writer);
    join.join()
        .map_err(|_| anyhow::anyhow!("writer panicked"))?
        .map_err(anyhow::Error::msg)?;
    let mut latency_us = latency_histogram();
    let mut orders = 0;
    for (n, h) in results {
        orders += n;
        latency_us.add(h)?;
    }
    Ok(Run {
        lines: a.lines,
        orders,
        elapsed,
        latency_us,
        groups,
        commit_latency_us: commits
            .lock()
            .map_err(|_| anyhow::anyhow!("observer panicked"))?
            .clone(),
        apply_us,
        commit_us,
    })
}

fn reserve(a: ReserveArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let flushes = flush_probe(dir.path(), Duration::from_secs(1))?;
    println!("disk flush probe before: {flushes:.0} flushes/s (4 KiB write + fdatasync)");
    println!(
        "{} SKUs at one DC; SQLite WAL, synchronous=FULL; every answer waits for its commit",
        a.skus
    );
    let load = |lines, submitters, seconds| Load {
        submitters,
        lines,
        skus: a.skus,
        seconds,
    };
    let group_max = tote_ledger::writer::COMMIT_GROUP_COMMANDS_MAX;
    let runs = [
        (
            format!("group commit, {}-line orders", a.lines),
            group_max,
            load(a.lines, a.submitters, a.seconds),
        ),
        (
            "group commit, 1-line orders".to_owned(),
            group_max,
            load(1, a.submitters, a.seconds),
        ),
        (
            "baseline: 1 commit/reservation".to_owned(),
            1,
            load(1, a.submitters, a.baseline_seconds),
        ),
    ];
    let mut rates = Vec::new();
    for (i, (name, group, l)) in runs.iter().enumerate() {
        let run_dir = dir.path().join(format!("run{i}"));
        let r = drive(stocked_engine(&run_dir, a.skus)?, *group, l)?;
        // Reopening checks every invariant over the whole book.
        drop(stocked_engine_check(&run_dir)?);
        let secs = r.elapsed.as_secs_f64();
        let lines = r.orders as f64 * r.lines as f64 / secs;
        println!(
            "{name:<32} {:>8} submitters {:>9.0} line reservations/s {:>8.0} orders/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>8.2} ms  {:>6.1} orders/commit",
            l.submitters,
            lines,
            r.orders as f64 / secs,
            r.latency_us.value_at_quantile(0.50) as f64 / 1000.0,
            r.latency_us.value_at_quantile(0.99) as f64 / 1000.0,
            r.latency_us.max() as f64 / 1000.0,
            r.orders as f64 / r.groups.max(1) as f64,
        );
        let c = &r.commit_latency_us;
        println!(
            "{:<32} writer time per order: apply {:.1} us, commit {:.1} us; each commit p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            "",
            r.apply_us as f64 / r.orders.max(1) as f64,
            r.commit_us as f64 / r.orders.max(1) as f64,
            c.value_at_quantile(0.50) as f64 / 1000.0,
            c.value_at_quantile(0.99) as f64 / 1000.0,
            c.max() as f64 / 1000.0,
        );
        rates.push(lines);
    }
    let flushes = flush_probe(dir.path(), Duration::from_secs(1))?;
    println!("disk flush probe after: {flushes:.0} flushes/s");
    println!(
        "line reservations/s, group commit / baseline: {:.1}x ({}-line orders), {:.1}x (1-line orders)",
        rates[0] / rates[2].max(f64::MIN_POSITIVE),
        a.lines,
        rates[1] / rates[2].max(f64::MIN_POSITIVE)
    );
    Ok(())
}

fn stocked_engine_check(dir: &Path) -> anyhow::Result<Engine> {
    let store = SqliteStore::open(dir)?;
    let reader = Arc::new(store.reader());
    Engine::open(Box::new(store), reader, now())
        .context("reopen the books and check every invariant")
}

/// The server as a child process, killed on drop.
struct Server {
    child: std::process::Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(data: &Path) -> anyhow::Result<Server> {
    let exe = std::env::current_exe()?;
    let mut child = std::process::Command::new(exe)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("TOTE_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("start tote serve")?;
    let stdout = child.stdout.take().context("server stdout")?;
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .with_context(|| format!("unexpected first line from the server: {line:?}"))?
        .to_owned();
    Ok(Server { child, base })
}

struct WrkResult {
    requests_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    non_2xx: u64,
}

fn parse_ms(s: &str) -> Option<f64> {
    let (num, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic())?);
    let v: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => v / 1000.0,
        "ms" => v,
        "s" => v * 1000.0,
        "m" => v * 60_000.0,
        _ => return None,
    })
}

fn wrk(url: &str, script: Option<&Path>, a: &HttpArgs, seconds: u64) -> anyhow::Result<WrkResult> {
    let mut cmd = std::process::Command::new("wrk");
    cmd.args([
        "-t",
        &a.threads.to_string(),
        "-c",
        &a.connections.to_string(),
        "-d",
        &format!("{seconds}s"),
        "--latency",
    ]);
    if let Some(s) = script {
        cmd.arg("-s").arg(s);
    }
    let out = cmd.arg(url).output().map_err(|e| {
        Exit::new(
            2,
            format!("cannot run wrk ({e}); install it first: apt-get install wrk"),
        )
    })?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let find = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix).map(|r| r.trim().to_owned()))
    };
    let requests_per_s = find("Requests/sec:")
        .and_then(|v| v.parse().ok())
        .with_context(|| format!("wrk printed no rate:\n{text}"))?;
    Ok(WrkResult {
        requests_per_s,
        p50_ms: find("50%").and_then(|v| parse_ms(&v)).unwrap_or(f64::NAN),
        p99_ms: find("99%").and_then(|v| parse_ms(&v)).unwrap_or(f64::NAN),
        non_2xx: find("Non-2xx or 3xx responses:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    })
}

fn http(a: HttpArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let flushes = flush_probe(dir.path(), Duration::from_secs(1))?;
    println!("disk flush probe: {flushes:.0} flushes/s (4 KiB write + fdatasync)");
    let server = start_server(&dir.path().join("data"))?;
    let client = reqwest::blocking::Client::new();
    let post = |path: &str, body: serde_json::Value| -> anyhow::Result<()> {
        let r = client
            .post(format!("{}{path}", server.base))
            .json(&body)
            .send()?;
        anyhow::ensure!(r.status().is_success(), "setup {path}: {}", r.text()?);
        Ok(())
    };
    post(
        "/v1/nodes",
        json!({"code": "DC1", "kind": "dc", "name": "DC 1", "priority": 1,
        "address": {"line1": "1 Main St", "city": "Newark", "postal_code": "07102", "country": "US"}}),
    )?;
    for i in 0..a.skus {
        post(
            "/v1/skus",
            json!({"sku": format!("SKU-{i}"), "name": format!("SKU {i}"), "weight_g": 200,
            "dims_mm": [200, 150, 50], "unit_cost": "4.00", "price": "10.00"}),
        )?;
    }
    let lines: Vec<_> = (0..a.skus)
        .map(|i| json!({"sku": format!("SKU-{i}"), "qty": 1_000_000_000}))
        .collect();
    for chunk in lines.chunks(tote_core::limits::REQUEST_LINES_MAX) {
        post(
            "/v1/inventory/receipts",
            json!({"node": "DC1", "lines": chunk}),
        )?;
    }
    let script = dir.path().join("orders.lua");
    std::fs::write(
        &script,
        ORDERS_LUA.replace("SKU_COUNT", &a.skus.to_string()),
    )?;
    println!(
        "workload: wrk {} threads, {} connections, {} s; single-line orders over {} SKUs",
        a.threads, a.connections, a.seconds, a.skus
    );
    let health = wrk(
        &format!("{}/healthz", server.base),
        None,
        &a,
        a.seconds.min(5),
    )?;
    let orders = wrk(
        &format!("{}/v1/orders", server.base),
        Some(&script),
        &a,
        a.seconds,
    )?;
    for (name, r) in [
        ("GET /healthz (HTTP ceiling)", &health),
        ("POST /v1/orders (durable)", &orders),
    ] {
        println!(
            "{name:<28} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  non-2xx {}",
            r.requests_per_s, r.p50_ms, r.p99_ms, r.non_2xx
        );
    }
    println!(
        "durable orders / HTTP ceiling: {:.2}",
        orders.requests_per_s / health.requests_per_s.max(f64::MIN_POSITIVE)
    );
    if orders.non_2xx > 0 {
        return Err(Exit::new(1, format!("{} order requests failed", orders.non_2xx)).into());
    }
    Ok(())
}

/// Each wrk thread numbers its own orders, so every external id is unique.
const ORDERS_LUA: &str = r#"
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"external_id":"%d-%d","channel":"web","ship_to":{"line1":"2 Elm St","city":"Boston","postal_code":"02101","country":"US"},"lines":[{"sku":"SKU-%d","qty":1}]}', tid, n, n % SKU_COUNT)
  return wrk.format("POST", "/v1/orders", {["Content-Type"] = "application/json"}, body)
end
"#;
