//! `tote demo`: builds a simulated business from a seed and runs some weeks of
//! it through the real engine, at simulated time, then serves it.
//!
//! The books are opened exactly as `tote serve` opens them (the same store, the
//! same single writer), and every change is a `Command` submitted to the writer
//! with `Envelope.at` set to the simulated time. The simulation is a list of
//! independent steps (`steps`), each with its own seeded random stream, run for
//! every slot of every simulated day in time order: adding a step (returns,
//! carrier tracking) changes no other step's draws.

mod business;
mod flows;
mod steps;

use crate::Exit;
use anyhow::Context;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tote_core::{OrgId, Timestamp};
use tote_ledger::Writer;
use tote_ledger::writer::WriterHandle;
use tote_oms::{Applied, Command, Engine, Envelope, OpError, Outcome};
use tote_store::{Queries, SqliteReader, SqliteStore};

pub use business::Business;

#[derive(clap::Args)]
pub struct Args {
    /// The seed every random draw comes from: the same seed builds the same
    /// business and the same orders and events.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Weeks of trading to simulate.
    #[arg(long, default_value_t = 6)]
    pub weeks: u32,
    /// Orders on an ordinary day (weekdays peak, weekends dip, the promotion spikes).
    #[arg(long, default_value_t = 600)]
    pub orders_per_day: u32,
    /// The first simulated day (a date, `YYYY-MM-DD`).
    #[arg(long, default_value = "2026-10-05")]
    pub start: NaiveDate,
    /// Where the books go; must be empty or absent unless `--fresh`.
    #[arg(long, default_value = "./tote-demo-data")]
    pub data: PathBuf,
    /// Delete what the data directory holds first.
    #[arg(long)]
    pub fresh: bool,
    /// Where to serve the API and pages afterwards (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Build the business and stop, without serving it.
    #[arg(long)]
    pub no_serve: bool,
}

/// Days at most; six weeks is the default.
pub const WEEKS_MAX: u32 = 52;
pub const ORDERS_PER_DAY_MAX: u32 = 20_000;

/// The time of day of each slot, UTC: the morning shift (inbound, counts),
/// three waves (09:00, 12:30 and 16:00 on the US East Coast), and the close
/// (carrier pickup, manifests).
pub const SLOT_TIMES: [(SlotKind, u32, u32); 5] = [
    (SlotKind::Morning, 11, 0),
    (SlotKind::Wave(0), 13, 0),
    (SlotKind::Wave(1), 16, 30),
    (SlotKind::Wave(2), 20, 0),
    (SlotKind::Close, 23, 30),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    Morning,
    Wave(usize),
    Close,
}

/// One slot of simulated time: the steps act from `at` on, and orders placed
/// since the previous slot arrive first.
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    /// Day of the run, from 0.
    pub day: u32,
    pub days: u32,
    pub date: NaiveDate,
    pub kind: SlotKind,
    pub at: Timestamp,
}

impl Slot {
    pub fn is_last_day(&self) -> bool {
        self.day + 1 == self.days
    }
}

pub const MINUTE_US: i64 = 60_000_000;
pub const HOUR_US: i64 = 60 * MINUTE_US;
pub const DAY_US: i64 = 24 * HOUR_US;

pub fn at(date: NaiveDate, hour: u32, minute: u32) -> Timestamp {
    let t = NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time of day");
    Timestamp::from_datetime(Utc.from_utc_datetime(&date.and_time(t)))
}

/// What a command is expected to do. Every failure must be one the simulation
/// meant (a customer cancelling too late, a wrong item scanned); any other
/// failure stops the demo.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    Ok,
    /// It may fail, and a failure is counted under this name.
    MayFail(&'static str),
}

pub struct Cmd {
    pub at: Timestamp,
    pub actor: String,
    pub command: Command,
    pub expect: Expect,
}

impl Cmd {
    pub fn ok(at: Timestamp, actor: impl Into<String>, command: Command) -> Cmd {
        Cmd {
            at,
            actor: actor.into(),
            command,
            expect: Expect::Ok,
        }
    }
    pub fn may_fail(
        at: Timestamp,
        actor: impl Into<String>,
        command: Command,
        kind: &'static str,
    ) -> Cmd {
        Cmd {
            at,
            actor: actor.into(),
            command,
            expect: Expect::MayFail(kind),
        }
    }
}

/// The engine behind its writer, and the read side of the same books.
pub struct Sim {
    rt: tokio::runtime::Runtime,
    writer: WriterHandle<Envelope, Result<Applied, OpError>>,
    pub reader: Arc<SqliteReader>,
    /// Intended failures, by kind.
    pub failures: BTreeMap<&'static str, u64>,
    pub commands: u64,
}

impl Sim {
    /// Submits the commands in order, all in flight at once (the writer
    /// groups them into commits), and waits for every answer. An intended
    /// failure answers None; any other failure is an error naming the step.
    pub fn submit(&mut self, step: &str, cmds: Vec<Cmd>) -> anyhow::Result<Vec<Option<Outcome>>> {
        if cmds.is_empty() {
            return Ok(Vec::new());
        }
        let writer = self.writer.clone();
        let mut meta = Vec::with_capacity(cmds.len());
        let answers = self.rt.block_on(async {
            let mut waiting = Vec::with_capacity(cmds.len());
            for c in cmds {
                meta.push((c.expect, command_name(&c.command)));
                let env = Envelope {
                    org: OrgId::DEFAULT,
                    actor: c.actor,
                    at: c.at,
                    idempotency: None,
                    command: c.command,
                };
                waiting.push(writer.enqueue(env).await?);
            }
            let mut answers = Vec::with_capacity(waiting.len());
            for w in waiting {
                answers.push(w.await?);
            }
            Ok::<_, tote_ledger::writer::WriterError>(answers)
        })?;
        self.commands += answers.len() as u64;
        let mut out = Vec::with_capacity(answers.len());
        for (answer, (expect, described)) in answers.into_iter().zip(meta) {
            match (answer, expect) {
                (Ok(applied), _) => out.push(Some(applied.outcome)),
                (Err(_), Expect::MayFail(kind)) => {
                    *self.failures.entry(kind).or_default() += 1;
                    out.push(None);
                }
                (Err(e), Expect::Ok) => {
                    anyhow::bail!("step `{step}`: a {described} command failed unexpectedly: {e}");
                }
            }
        }
        Ok(out)
    }
}

fn command_name(c: &Command) -> &'static str {
    use tote_oms::warehouse::WmsCommand as W;
    match c {
        Command::Sku(..) => "sku",
        Command::Node(..) => "node",
        Command::Location(_) => "location",
        Command::Receive(_) => "receipt",
        Command::Adjust(_) => "adjustment",
        Command::PlaceOrder(_) => "place order",
        Command::CancelOrder(_) => "cancel order",
        Command::NodeProfile(..) => "node profile",
        Command::ChannelPolicy(..) => "channel policy",
        Command::Availability(_) => "availability",
        Command::Promise(_) => "promise",
        Command::RejectLine(..) => "reject line",
        Command::GetNodeProfile(_) | Command::GetChannelPolicy(_) => "sourcing read",
        Command::Partner(_) => "partner",
        Command::Store(_) => "store task",
        Command::LookAhead(_) => "look-ahead refresh",
        Command::Replan(_) => "replan",
        Command::Returns(_) => "return",
        Command::MetricsSettings(_) => "metrics settings",
        Command::Warehouse(w) => match w {
            W::SetLayout { .. } => "set layout",
            W::CreateAsn(_) => "create ASN",
            W::ReceiveAsn { .. } => "receive ASN",
            W::SuggestPutaway(_) => "suggest put-away",
            W::PutAway(_) => "put-away",
            W::ReleaseWave(_) => "release wave",
            W::ConfirmPick { .. } => "confirm pick",
            W::ShortPick { .. } => "short pick",
            W::PackScan { .. } => "pack scan",
            W::Ship { .. } => "ship",
            W::CloseManifest(_) => "close manifest",
            W::CreateCount(_) => "create count",
            W::RecordCount { .. } => "record count",
            W::ApproveCount { .. } => "approve count",
            W::SetPickFaces(_) => "set pick faces",
            W::ConfirmReplenishment { .. } => "confirm replenishment",
            W::ReceiveCarton { .. } => "receive carton",
            W::SetCountProgram(_) => "set count program",
            W::GenerateCounts { .. } => "generate counts",
            W::Track(_) => "tracking events",
            W::ApprovePlan(_) => "approve plan",
            W::ReceiveTransfer { .. } => "receive transfer",
            W::SetLaborStandard { .. } => "set labor standard",
        },
    }
}

/// The step's own random stream: seeded from the run's seed and the step's
/// name, so that adding a step leaves the others' draws as they were.
pub fn stream(seed: u64, name: &str) -> ChaCha8Rng {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    ChaCha8Rng::seed_from_u64(seed ^ h)
}

/// Checks the data directory: absent or empty, or emptied with `--fresh`.
fn prepare_data_dir(dir: &Path, fresh: bool) -> anyhow::Result<()> {
    let non_empty = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => {
            return Err(Exit::new(2, format!("cannot read {}: {e}", dir.display())).into());
        }
    };
    if non_empty {
        if !fresh {
            return Err(Exit::new(
                2,
                format!(
                    "{} is not empty; pass --fresh to replace what it holds, or --data DIR",
                    dir.display()
                ),
            )
            .into());
        }
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("empty {} (--fresh)", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if !(1..=WEEKS_MAX).contains(&args.weeks) {
        return Err(super::bad_input(format!(
            "--weeks must be between 1 and {WEEKS_MAX}"
        )));
    }
    if !(1..=ORDERS_PER_DAY_MAX).contains(&args.orders_per_day) {
        return Err(super::bad_input(format!(
            "--orders-per-day must be between 1 and {ORDERS_PER_DAY_MAX}"
        )));
    }
    prepare_data_dir(&args.data, args.fresh)?;
    let started = Instant::now();
    let days = args.weeks * 7;
    let setup_at = at(args.start - chrono::Days::new(1), 8, 0);

    let store = SqliteStore::open(&args.data)
        .with_context(|| format!("open the books in {}", args.data.display()))?;
    let reader = Arc::new(store.reader());
    let engine =
        Engine::open(Box::new(store), reader.clone(), setup_at).context("load the books")?;
    let (writer, writer_thread) = Writer::spawn(engine, None);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut sim = Sim {
        rt,
        writer,
        reader,
        failures: BTreeMap::new(),
        commands: 0,
    };
    let mut business_rng = stream(args.seed, "business");
    let business = Business::generate(&mut business_rng);
    let mut world = steps::World::new(business, &args, days);
    steps::setup(&mut sim, &mut world, setup_at, args.seed)?;
    let mut steps = steps::all(args.seed);

    let bar = ProgressBar::new(u64::from(days));
    bar.set_style(
        ProgressStyle::with_template("{bar:40} day {pos}/{len} {msg} [{elapsed}]")
            .expect("a valid template"),
    );
    for day in 0..days {
        let date = args.start + chrono::Days::new(u64::from(day));
        for &(kind, hour, minute) in &SLOT_TIMES {
            let slot = Slot {
                day,
                days,
                date,
                kind,
                at: at(date, hour, minute),
            };
            for step in steps.iter_mut() {
                step.run(&slot, &mut sim, &mut world)
                    .with_context(|| format!("{date}, step {}", step.name()))?;
            }
        }
        bar.inc(1);
        bar.set_message(format!(
            "{date} · {} orders · {} shipped · {} commands",
            world.placed, world.shipped, sim.commands
        ));
    }
    bar.finish_and_clear();

    let Sim {
        writer,
        reader,
        failures,
        commands,
        rt,
    } = sim;
    drop(writer);
    writer_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the writer panicked (an invariant failed)"))?
        .map_err(anyhow::Error::msg)?;
    drop(rt);
    let events = count_events(reader.as_ref())?;
    drop(reader);
    let elapsed = started.elapsed();
    let mut report = format!(
        "demo business ready in {:.1} s: {} SKUs, {} nodes, {} orders, {} shipments, {} events ({} commands over {} simulated days from {})\n",
        elapsed.as_secs_f64(),
        world.business.skus.len(),
        business::NODES.len(),
        world.placed,
        world.shipped,
        events,
        commands,
        days,
        args.start,
    );
    report.push_str(&world.summary());
    if failures.is_empty() {
        report.push_str("intended failures: none\n");
    } else {
        let list: Vec<String> = failures.iter().map(|(k, n)| format!("{k} {n}")).collect();
        report.push_str(&format!("intended failures: {}\n", list.join(", ")));
    }
    crate::emit(&report)?;
    if args.no_serve {
        return Ok(());
    }
    crate::emit(&format!(
        "serving the demo business from {}; open the address below\n",
        args.data.display()
    ))?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(tote_server::serve(tote_server::ServeConfig {
        data: args.data,
        listen: args.listen,
        carriers: None,
        sscc_company_prefix: None,
    }))
}

/// Events in the books, read back through the read side.
fn count_events(reader: &dyn Queries) -> anyhow::Result<u64> {
    let mut after = 0;
    let mut n = 0u64;
    loop {
        let page = reader
            .events(OrgId::DEFAULT, after, tote_store::query::PAGE_ROWS_MAX)
            .context("read the events")?;
        n += page.items.len() as u64;
        match page.last_seq {
            Some(last) if !page.items.is_empty() => after = last,
            _ => return Ok(n),
        }
    }
}
