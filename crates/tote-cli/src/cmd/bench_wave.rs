//! `tote bench wave`: release one large wave through the writer's engine, on a
//! real (temporary) database: wave selection, batching, routing, pick-task
//! creation, the orders' state changes and the commit. The walk is compared with
//! the same orders taken in release order, a cart at a time, each trip walked in
//! location-code order, on the same layout.

use serde_json::json;
use std::sync::Arc;
use std::time::Instant;
use tote_core::{OrgId, Qty, Timestamp};
use tote_oms::warehouse::{WaveInput, WmsCommand, WmsOutcome};
use tote_oms::{Command, Engine, Envelope, Outcome, ReceiptInput, ReceiptLine, UpsertMode};
use tote_store::SqliteStore;

#[derive(clap::Args)]
pub struct WaveArgs {
    #[arg(long, default_value_t = 5_000)]
    orders: usize,
    #[arg(long, default_value_t = 40)]
    aisles: u32,
    /// Storage locations, spread evenly over the aisles (bays of 10 levels).
    #[arg(long, default_value_t = 20_000)]
    locations: u32,
    /// Orders per cart trip.
    #[arg(long, default_value_t = 10)]
    cart_totes: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

const LEVELS: u32 = 10;

/// xorshift64*: a seeded, dependency-free generator, so runs repeat exactly.
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

fn envelope(at: i64, command: Command) -> Envelope {
    Envelope {
        org: OrgId::DEFAULT,
        actor: "bench".into(),
        at: Timestamp(at),
        idempotency: None,
        command,
    }
}

pub fn run(a: WaveArgs) -> anyhow::Result<()> {
    if a.aisles == 0 || a.locations < a.aisles * LEVELS || a.orders == 0 || a.cart_totes == 0 {
        return Err(super::bad_input(
            "need at least one aisle, ten locations per aisle, one order and one tote",
        ));
    }
    let bays = a.locations.div_ceil(a.aisles * LEVELS);
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(&dir.path().join("data"))?;
    let reader = Arc::new(store.reader());
    let mut t = 1_700_000_000_000_000i64;
    let mut e = Engine::open(Box::new(store), reader, Timestamp(t))?;
    let setup = Instant::now();
    let mut exec = |e: &mut Engine, c: Command| -> anyhow::Result<Outcome> {
        t += 1;
        Ok(e.execute(envelope(t, c))?.outcome)
    };
    let node = serde_json::from_value(
        json!({"code": "DC1", "kind": "dc", "name": "DC 1", "priority": 1,
        "address": {"line1": "1 Main St", "city": "Newark", "postal_code": "07102", "country": "US"}}),
    )?;
    exec(&mut e, Command::Node(node, UpsertMode::Create))?;
    let layout = serde_json::from_value(
        json!({"aisles": a.aisles, "aisle_length_m": f64::from(bays),
        "aisle_spacing_m": 3.0, "cross_aisles": 2, "depot_x_m": 0.0, "bay_length_m": 1.0}),
    )?;
    exec(
        &mut e,
        Command::Warehouse(WmsCommand::SetLayout {
            node: "DC1".into(),
            layout,
        }),
    )?;
    // One SKU per location, 100 units each.
    let mut codes = Vec::with_capacity(a.locations as usize);
    'aisles: for aisle in 1..=a.aisles {
        for bay in 1..=bays {
            for level in 1..=LEVELS {
                if codes.len() == a.locations as usize {
                    break 'aisles;
                }
                let code = format!("A{aisle:02}-{bay:03}-{level:02}");
                let loc = serde_json::from_value(json!({"node": "DC1", "code": code,
                    "aisle": aisle, "bay": bay, "level": level}))?;
                exec(&mut e, Command::Location(loc))?;
                let sku = serde_json::from_value(json!({"sku": format!("S-{code}"), "name": code,
                    "weight_g": 200, "dims_mm": [200, 150, 50], "unit_cost": "4.00", "price": "10.00"}))?;
                exec(&mut e, Command::Sku(sku, UpsertMode::Create))?;
                codes.push(code);
            }
        }
        e.commit_group()?;
    }
    for chunk in codes.chunks(tote_core::limits::REQUEST_LINES_MAX) {
        let lines = chunk
            .iter()
            .map(|c| ReceiptLine {
                sku: format!("S-{c}"),
                qty: Qty(100),
                location: Some(c.clone()),
            })
            .collect();
        exec(
            &mut e,
            Command::Receive(ReceiptInput {
                node: "DC1".into(),
                lines,
                reference: None,
            }),
        )?;
    }
    e.commit_group()?;
    // Orders of 1 to 4 lines; a fifth of the SKUs (fast movers) get half the lines.
    let mut rng = Rng(a.seed.max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let fast = (codes.len() / 5).max(1) as u64;
    for i in 0..a.orders {
        let n = 1 + rng.below(4) as usize;
        let mut lines = Vec::with_capacity(n);
        for _ in 0..n {
            let k = if rng.below(2) == 0 {
                rng.below(fast) * 5
            } else {
                rng.below(codes.len() as u64)
            } as usize;
            lines.push(json!({"sku": format!("S-{}", codes[k.min(codes.len() - 1)]), "qty": 1}));
        }
        let order = serde_json::from_value(
            json!({"external_id": format!("{i}"), "channel": "web",
            "ship_to": {"line1": "2 Elm St", "city": "Boston", "postal_code": "02101", "country": "US"},
            "lines": lines}),
        )?;
        exec(&mut e, Command::PlaceOrder(order))?;
        if i % 1_000 == 999 {
            e.commit_group()?;
        }
    }
    e.commit_group()?;
    let setup_s = setup.elapsed().as_secs_f64();

    let started = Instant::now();
    let out = exec(
        &mut e,
        Command::Warehouse(WmsCommand::ReleaseWave(WaveInput {
            node: "DC1".into(),
            cart_totes: a.cart_totes,
            rules: Default::default(),
        })),
    )?;
    let released_s = started.elapsed().as_secs_f64();
    e.commit_group()?;
    let total_s = started.elapsed().as_secs_f64();
    let Outcome::Warehouse(WmsOutcome::Wave(w)) = out else {
        anyhow::bail!("the wave answered {out:?}");
    };
    let by_code = w.code_order_distance_m.unwrap_or(f64::NAN);
    let shorter = 100.0 * (1.0 - w.distance_m / by_code);
    crate::emit(&format!(
        "wave of {} orders, {} pick tasks, {} pick lists of up to {} orders; {} aisles, {} locations\n\
         released in {released_s:.2} s (batching, routing, tasks), committed in {total_s:.2} s; setup {setup_s:.1} s\n\
         walk {:.0} m, location-code order {by_code:.0} m: {shorter:.1}% shorter\n",
        w.orders.len(),
        w.tasks.len(),
        w.lists.len(),
        a.cart_totes,
        a.aisles,
        codes.len(),
        w.distance_m,
    ))?;
    Ok(())
}
