//! The simulation's steps. Each is independent: it reads what it needs from
//! the `World` (what the simulation knows from the engine's answers) or from the
//! committed books, draws from its own random stream, and submits commands at
//! the slot's simulated time. Returns and carrier tracking join as one more
//! step each, after `Fulfilment`, reading `World::shipments`.

use super::business::{Business, CATEGORIES, CITIES, NODES, STREETS, WHOLESALE};
use super::{Args, Cmd, DAY_US, HOUR_US, MINUTE_US, Sim, Slot, SlotKind, at, stream};
use anyhow::Context;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Poisson, Zipf};
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use tote_core::order::{OrderLineInput, parse_order_id};
use tote_core::{
    Address, Gtin, Money, NodeKind, OrderInput, OrderStatus, OrgId, Qty, SkuInput, Timestamp,
};
use tote_oms::warehouse::{
    AsnCartonInput, AsnInput, AsnReceiptInput, AsnReceiptLine, CountInput, CountLineInput,
    CountRecordInput, ManifestInput, PackScanInput, PickInput, PickTask, PutawayInput,
    PutawayQuery, ShipInput, ShortPickInput, SkuQtyInput, WaveInput, WmsCommand, WmsOutcome,
};
use tote_oms::{Command, Outcome, ReceiptInput, ReceiptLine, UpsertMode};
use tote_store::Queries;
use tote_store::query::{InventoryFilter, OrderFilter, PAGE_ROWS_MAX};

/// Units in an average order line times lines per order: turns order counts
/// into unit demand for stocking.
const UNITS_PER_ORDER: f64 = 2.5;
/// Waves a day at each node.
const WAVES_PER_DAY: f64 = 3.0;

pub trait Step {
    fn name(&self) -> &'static str;
    /// The step's work in one slot of simulated time.
    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()>;
}

/// The steps, in the order they act within a slot.
pub fn all(seed: u64) -> Vec<Box<dyn Step>> {
    vec![
        Box::new(Orders::new(seed)),
        Box::new(Inbound::new(seed)),
        Box::new(Counts::new(seed)),
        Box::new(Cancellations::new(seed)),
        Box::new(Fulfilment::new(seed)),
        Box::new(Manifests),
        Box::new(super::flows::Tracking::new(seed)),
        Box::new(super::flows::Returns::new(seed)),
        Box::new(super::flows::Pickup::new(seed)),
        Box::new(super::flows::Partners::new(seed)),
    ]
}

/// What the simulation knows of an order it placed.
pub struct OrderInfo {
    pub placed_at: Timestamp,
    pub channel: &'static str,
    pub service_level: &'static str,
    pub hazmat: bool,
    pub shipped: bool,
    /// (SKU index, units) per line, as ordered.
    pub lines: Vec<(usize, i64)>,
}

/// A shipment as it left: what carrier tracking and returns start from.
pub struct ShipmentInfo {
    pub order: u64,
    pub service: String,
    pub shipped_at: Timestamp,
    pub tracking: String,
    /// The carrier's committed delivery day.
    pub committed_on: Option<NaiveDate>,
}

struct DueAsn {
    day: u32,
    id: String,
    node: usize,
    lines: Vec<(usize, i64)>,
}

pub struct World {
    pub business: Business,
    pub orders_per_day: u32,
    /// The promotion's days, `[first, last]`.
    pub promo: (u32, u32),
    pub sku_index: HashMap<String, usize>,
    /// Per node (index into `NODES`): each carried SKU's home location.
    pub homes: Vec<BTreeMap<usize, String>>,
    pub orders: BTreeMap<u64, OrderInfo>,
    placed_since_slot: Vec<u64>,
    recent_shipped: VecDeque<u64>,
    pub shipments: Vec<ShipmentInfo>,
    unmanifested: BTreeSet<String>,
    /// Units on purchase orders not yet received, per (node, SKU).
    pipeline: BTreeMap<(usize, usize), i64>,
    due: Vec<DueAsn>,
    /// Units each node was asked for, per SKU, since the start (backorders
    /// count at the first DC): what purchasing forecasts from.
    demanded: BTreeMap<(usize, usize), i64>,
    /// Days simulated so far.
    pub elapsed_days: u32,
    pub placed: u64,
    pub shipped: u64,
    tally: BTreeMap<&'static str, u64>,
    /// Orders as their carrier delivered them, in time order: what returns
    /// start from.
    pub delivered: Vec<super::flows::Delivered>,
}

impl World {
    pub fn new(business: Business, args: &Args, days: u32) -> World {
        let sku_index = business
            .skus
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.clone(), i))
            .collect();
        // Three days of promotion a little past the middle of the run.
        let first = (days * 11 / 20).min(days.saturating_sub(3));
        World {
            business,
            orders_per_day: args.orders_per_day,
            promo: (first, (first + 2).min(days - 1)),
            sku_index,
            homes: vec![BTreeMap::new(); NODES.len()],
            orders: BTreeMap::new(),
            placed_since_slot: Vec::new(),
            recent_shipped: VecDeque::new(),
            shipments: Vec::new(),
            unmanifested: BTreeSet::new(),
            pipeline: BTreeMap::new(),
            due: Vec::new(),
            demanded: BTreeMap::new(),
            elapsed_days: 0,
            placed: 0,
            shipped: 0,
            tally: BTreeMap::new(),
            delivered: Vec::new(),
        }
    }

    pub fn count(&mut self, what: &'static str, n: u64) {
        *self.tally.entry(what).or_default() += n;
    }

    pub fn summary(&self) -> String {
        let list: Vec<String> = self.tally.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let mut by_service: BTreeMap<&str, u64> = BTreeMap::new();
        let mut hours: Vec<f64> = Vec::with_capacity(self.shipments.len());
        for s in &self.shipments {
            *by_service.entry(s.service.as_str()).or_default() += 1;
            if let Some(o) = self.orders.get(&s.order) {
                hours.push((s.shipped_at.0 - o.placed_at.0) as f64 / HOUR_US as f64);
            }
        }
        hours.sort_by(f64::total_cmp);
        let services: Vec<String> = by_service.iter().map(|(k, n)| format!("{k} {n}")).collect();
        format!(
            "what happened: {}\nshipments by service: {}\norder to ship: median {:.1} h, 95th percentile {:.1} h\n",
            list.join(", "),
            services.join(", "),
            hours.get(hours.len() / 2).copied().unwrap_or(0.0),
            hours.get(hours.len() * 95 / 100).copied().unwrap_or(0.0),
        )
    }

    /// Units a day a node sells of a SKU, by the network's plan.
    fn planned_daily_units(&self, node: usize, sku: usize) -> f64 {
        let share = match NODES[node].kind {
            NodeKind::Store => 0.02,
            _ => NODES[node].stock_share,
        };
        f64::from(self.orders_per_day) * UNITS_PER_ORDER * self.business.skus[sku].demand * share
    }

    /// The forecast purchasing uses: the plan, or what the node was asked for
    /// a day so far when that is more (sourcing sends more to some nodes than
    /// the plan said, and a promotion lifts everything).
    fn daily_units(&self, node: usize, sku: usize) -> f64 {
        let seen = self.demanded.get(&(node, sku)).copied().unwrap_or(0) as f64
            / f64::from(self.elapsed_days.max(7));
        self.planned_daily_units(node, sku).max(seen)
    }

    pub fn carried(&self, node: usize) -> &[usize] {
        &self.business.by_rank[..NODES[node].carries]
    }

    fn item_code(&self, sku: usize) -> String {
        self.business.skus[sku].gtin.clone()
    }
}

fn velocity(rank: usize) -> &'static str {
    if rank < 300 {
        "A"
    } else if rank < 1_200 {
        "B"
    } else {
        "C"
    }
}

pub fn wms(c: WmsCommand) -> Command {
    Command::Warehouse(c)
}

/// Times spread evenly over `span_us` from `from`, one per item.
pub fn spread(from: Timestamp, span_us: i64, i: usize, n: usize) -> Timestamp {
    Timestamp(from.0 + span_us * i as i64 / n.max(1) as i64)
}

fn add_business_days(mut d: NaiveDate, n: u32) -> NaiveDate {
    let mut left = n;
    while left > 0 {
        d = d + Days::new(1);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

/// Reads every inventory row of a node (per location or per node).
pub fn node_inventory(
    sim: &Sim,
    node: &str,
    by_location: bool,
) -> anyhow::Result<Vec<tote_store::query::InventoryRow>> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = sim
            .reader
            .inventory(
                OrgId::DEFAULT,
                &InventoryFilter {
                    sku: None,
                    node: Some(node.to_owned()),
                    by_location,
                    after: after.clone(),
                    limit: PAGE_ROWS_MAX,
                },
            )
            .context("read inventory")?;
        if let Some(last) = page.items.last() {
            after = Some((
                last.sku.clone(),
                last.node.clone(),
                last.location.clone().unwrap_or_default(),
            ));
        }
        out.extend(page.items);
        if !page.more {
            return Ok(out);
        }
    }
}

// ---- setup: the network, the catalog and opening stock ----

pub fn setup(sim: &mut Sim, world: &mut World, t0: Timestamp, seed: u64) -> anyhow::Result<()> {
    let mut rng = stream(seed, "setup");
    let mut t = t0;
    let mut tick = || {
        t = Timestamp(t.0 + 1_000);
        t
    };
    let admin = "admin";
    let mut cmds = Vec::new();
    for n in NODES {
        let node = serde_json::from_value(json!({
            "code": n.code, "kind": n.kind.as_str(), "name": n.name, "priority": n.priority,
            "address": {"line1": n.line1, "city": n.city, "region": n.region, "postal_code": n.postal_code, "country": "US"},
            "time_zone": n.time_zone, "cut_off": "15:00",
        }))?;
        cmds.push(Cmd::ok(
            tick(),
            admin,
            Command::Node(node, UpsertMode::Create),
        ));
        let profile = match n.kind {
            NodeKind::Store => {
                json!({"caps": {"ship": false, "ship_from_store": true, "pickup": true},
                "handling_order_cents": 450, "handling_unit_cents": 60, "capacity_orders_day": 25,
                "safety_buffer_units": 2, "handling_days": 1, "pickup_hold_days": 3})
            }
            NodeKind::ThirdParty => json!({"handling_order_cents": 310, "handling_unit_cents": 45}),
            _ => json!({"handling_order_cents": 240, "handling_unit_cents": 30}),
        };
        cmds.push(Cmd::ok(
            tick(),
            admin,
            Command::NodeProfile(n.code.into(), serde_json::from_value(profile)?),
        ));
    }
    let dcs: Vec<&str> = NODES
        .iter()
        .filter(|n| n.kind != NodeKind::Store)
        .map(|n| n.code)
        .collect();
    let big_dcs: Vec<&str> = NODES
        .iter()
        .filter(|n| n.kind == NodeKind::Dc)
        .map(|n| n.code)
        .collect();
    // Every channel ships complete from one node: a wave takes an order held
    // whole at its node, so an order split between nodes would never leave.
    for (channel, policy) in [
        (
            "web",
            json!({"priority": 0, "rules": {"max_splits": 0, "ship_complete": true}}),
        ),
        (
            "marketplace",
            json!({"nodes": dcs, "share_pct": 80, "priority": 1, "rules": {"max_splits": 0, "ship_complete": true}}),
        ),
        (
            "wholesale",
            json!({"nodes": big_dcs, "priority": 2, "rules": {"max_splits": 0, "ship_complete": true}}),
        ),
    ] {
        cmds.push(Cmd::ok(
            tick(),
            admin,
            Command::ChannelPolicy(channel.into(), serde_json::from_value(policy)?),
        ));
    }
    sim.submit("setup", std::mem::take(&mut cmds))?;

    let origins = ["CN", "VN", "US", "IN", "PT", "MX"];
    for s in &world.business.skus {
        let input = SkuInput {
            sku: s.code.clone(),
            name: s.name.clone(),
            gtin: Some(Gtin::parse(&s.gtin).map_err(|e| anyhow::anyhow!("{}: {e}", s.code))?),
            weight_g: s.weight_g,
            dims_mm: s.dims_mm,
            unit_cost: s.unit_cost,
            price: s.price,
            hs_code: Some(CATEGORIES[s.category].hs_code.into()),
            country_of_origin: Some(origins[rng.random_range(0..origins.len())].into()),
            hazmat_un: s.hazmat_un.clone(),
            ships_alone: false,
            fragile: s.fragile,
            category: Some(CATEGORIES[s.category].name.into()),
        };
        cmds.push(Cmd::ok(
            tick(),
            admin,
            Command::Sku(input, UpsertMode::Create),
        ));
    }
    sim.submit("setup", std::mem::take(&mut cmds))?;

    // Layouts and locations: a home location per SKU a node carries.
    for (ni, n) in NODES.iter().enumerate() {
        if n.kind != NodeKind::Store {
            let layout = serde_json::from_value(json!({
                "aisles": super::business::DC_AISLES, "aisle_length_m": f64::from(super::business::BAYS) * 1.2,
                "aisle_spacing_m": 3.0, "cross_aisles": 2, "depot_x_m": 0.0, "bay_length_m": 1.2,
            }))?;
            cmds.push(Cmd::ok(
                tick(),
                admin,
                wms(WmsCommand::SetLayout {
                    node: n.code.into(),
                    layout,
                }),
            ));
        }
        let (mut plain, mut hazmat) = (0usize, 0usize);
        for (k, &sku) in world.carried(ni).to_vec().iter().enumerate() {
            let loc = if n.kind == NodeKind::Store {
                json!({"node": n.code, "code": format!("SHELF-{:03}", k + 1), "zone": "SALES"})
            } else {
                let is_haz = world.business.skus[sku].hazmat_un.is_some();
                let slot = if is_haz { &mut hazmat } else { &mut plain };
                let (code, aisle, bay, level, zone) = world.business.home_location(sku, *slot);
                *slot += 1;
                json!({"node": n.code, "code": code, "zone": zone, "aisle": aisle, "bay": bay, "level": level})
            };
            let code = loc["code"].as_str().expect("set above").to_owned();
            world.homes[ni].insert(sku, code);
            cmds.push(Cmd::ok(
                tick(),
                admin,
                Command::Location(serde_json::from_value(loc)?),
            ));
        }
    }
    sim.submit("setup", std::mem::take(&mut cmds))?;

    // Opening stock: three to five weeks of cover, less for stores; a few SKUs
    // start out of stock (their backorders fill when the first PO lands).
    for (ni, n) in NODES.iter().enumerate() {
        let mut lines = Vec::new();
        for &sku in world.carried(ni) {
            let qty = if n.kind == NodeKind::Store {
                rng.random_range(3..=10)
            } else if rng.random_bool(0.04) {
                0
            } else {
                let cover = rng.random_range(21.0..35.0);
                ((world.daily_units(ni, sku) * cover).ceil() as i64)
                    .max(world.business.skus[sku].case_pack / 2)
            };
            if qty > 0 {
                lines.push(ReceiptLine {
                    sku: world.business.skus[sku].code.clone(),
                    qty: Qty(qty),
                    location: Some(world.homes[ni][&sku].clone()),
                });
            }
        }
        for chunk in lines.chunks(tote_core::limits::REQUEST_LINES_MAX) {
            cmds.push(Cmd::ok(
                tick(),
                format!("dock-{}", n.code.to_lowercase()),
                Command::Receive(ReceiptInput {
                    node: n.code.into(),
                    lines: chunk.to_vec(),
                    reference: Some("opening balance".into()),
                }),
            ));
        }
    }
    sim.submit("setup", cmds)?;
    Ok(())
}

// ---- orders ----

/// Web, marketplace and wholesale orders with daily and weekly seasonality and
/// a promotion spike, each with its promise dates, prices, discounts and
/// shipping charge.
struct Orders {
    rng: ChaCha8Rng,
    zipf: Zipf<f64>,
    pending: VecDeque<(Timestamp, OrderInput)>,
    customers: Vec<(Address, String)>,
    numbers: BTreeMap<&'static str, u64>,
}

/// Orders by hour of day on the US East Coast: a lunch bump and an evening peak.
const HOURLY_ET: [f64; 24] = [
    2.0, 1.2, 0.8, 0.6, 0.6, 0.9, 1.8, 3.2, 4.5, 5.2, 5.8, 6.2, 6.8, 6.4, 5.9, 5.6, 5.8, 6.3, 7.4,
    8.6, 9.2, 8.4, 6.0, 3.6,
];
/// Monday first: weekday peaks, weekend dip.
const WEEKDAY: [f64; 7] = [1.18, 1.10, 1.04, 1.00, 0.94, 0.80, 0.86];
/// The promotion's three days.
const PROMO: [f64; 3] = [2.4, 3.1, 1.9];
/// East Coast is UTC-5 (the simulation ignores summer time).
const ET_OFFSET_H: usize = 5;

impl Orders {
    fn new(seed: u64) -> Orders {
        Orders {
            rng: stream(seed, "orders"),
            zipf: Zipf::new(super::business::SKUS_COUNT as f64, 1.05).expect("valid Zipf"),
            pending: VecDeque::new(),
            customers: Vec::new(),
            numbers: BTreeMap::new(),
        }
    }

    fn number(&mut self, channel: &'static str) -> u64 {
        let n = self.numbers.entry(channel).or_insert(100_000);
        *n += 1;
        *n
    }

    fn customer(&mut self) -> (Address, String) {
        if !self.customers.is_empty() && self.rng.random_bool(0.3) {
            return self.customers[self.rng.random_range(0..self.customers.len())].clone();
        }
        let weights: Vec<u32> = CITIES.iter().map(|c| c.3).collect();
        let city = CITIES[WeightedIndex::new(&weights)
            .expect("positive weights")
            .sample(&mut self.rng)];
        let id = self.customers.len() + 1;
        let addr = Address {
            name: Some(format!("Customer {id}")),
            line1: format!(
                "{} {}",
                self.rng.random_range(1..2_000),
                STREETS[self.rng.random_range(0..STREETS.len())]
            ),
            line2: None,
            city: city.0.into(),
            region: Some(city.1.into()),
            postal_code: city.2.into(),
            country: "US".into(),
        };
        let c = (addr, format!("customer{id}@example.com"));
        self.customers.push(c.clone());
        c
    }

    fn generate_day(&mut self, world: &World, date: NaiveDate, day: u32) {
        let promo_factor = if (world.promo.0..=world.promo.1).contains(&day) {
            PROMO[(day - world.promo.0) as usize]
        } else {
            1.0
        };
        let promo = promo_factor > 1.0;
        let mean = f64::from(world.orders_per_day)
            * WEEKDAY[date.weekday().num_days_from_monday() as usize]
            * promo_factor;
        let n = Poisson::new(mean)
            .expect("positive mean")
            .sample(&mut self.rng) as usize;
        let hourly: Vec<f64> = (0..24)
            .map(|h| HOURLY_ET[(h + 24 - ET_OFFSET_H) % 24])
            .collect();
        let hours = WeightedIndex::new(&hourly).expect("positive weights");
        let day_start = at(date, 0, 0);
        let mut times: Vec<i64> = (0..n)
            .map(|_| {
                day_start.0
                    + hours.sample(&mut self.rng) as i64 * HOUR_US
                    + self.rng.random_range(0..HOUR_US)
            })
            .collect();
        times.sort_unstable();
        for i in 1..times.len() {
            if times[i] <= times[i - 1] {
                times[i] = times[i - 1] + 1;
            }
        }
        for t in times {
            let order = self.order(world, date, Timestamp(t), promo);
            self.pending.push_back((Timestamp(t), order));
        }
    }

    fn order(&mut self, world: &World, date: NaiveDate, t: Timestamp, promo: bool) -> OrderInput {
        let r = self.rng.random::<f64>();
        let channel: &'static str = if r < 0.006 {
            "wholesale"
        } else if r < 0.27 {
            "marketplace"
        } else {
            "web"
        };
        let skus = &world.business.skus;
        let mut picked: Vec<(usize, i64)> = Vec::new();
        let lines_n = match channel {
            "wholesale" => self.rng.random_range(2..=5),
            _ => *[1usize, 1, 1, 1, 1, 2, 2, 2, 3, 4]
                .get(self.rng.random_range(0..10))
                .expect("in range"),
        };
        while picked.len() < lines_n {
            let sku = if channel == "wholesale" {
                world.business.by_rank[self.rng.random_range(0..400)]
            } else {
                let rank = self.zipf.sample(&mut self.rng) as usize - 1;
                world.business.by_rank[rank.min(skus.len() - 1)]
            };
            if picked.iter().any(|&(s, _)| s == sku) {
                continue;
            }
            let qty = if channel == "wholesale" {
                skus[sku].case_pack
            } else {
                *[1i64, 1, 1, 1, 1, 1, 1, 1, 2, 3]
                    .get(self.rng.random_range(0..10))
                    .expect("in range")
            };
            picked.push((sku, qty));
        }
        let service_level: &'static str = match (channel, self.rng.random::<f64>()) {
            ("wholesale", _) => "standard",
            ("marketplace", x) if x < 0.1 => "express",
            ("web", x) if x < 0.04 => "overnight",
            ("web", x) if x < 0.22 => "express",
            _ => "standard",
        };
        let markup = if channel == "marketplace" {
            Decimal::new(105, 2)
        } else if channel == "wholesale" {
            Decimal::new(55, 2)
        } else {
            Decimal::ONE
        };
        let mut subtotal = Decimal::ZERO;
        let lines: Vec<OrderLineInput> = picked
            .iter()
            .map(|&(sku, qty)| {
                let unit = (skus[sku].price.0 * markup).round_dp(2);
                let value = unit * Decimal::from(qty);
                subtotal += value;
                let discount = promo
                    .then(|| Money((value * Decimal::new(20, 2)).round_dp(2)))
                    .filter(|m| m.0 > Decimal::ZERO);
                OrderLineInput {
                    sku: skus[sku].code.clone(),
                    qty: Qty(qty),
                    unit_price: Some(Money(unit)),
                    discount,
                }
            })
            .collect();
        let coupon =
            channel == "web" && subtotal >= Decimal::from(50) && self.rng.random_bool(0.08);
        let shipping = match (channel, service_level) {
            ("marketplace", _) => Decimal::ZERO,
            ("wholesale", _) => Decimal::new(4_500, 2),
            (_, "overnight") => Decimal::new(2_995, 2),
            (_, "express") => Decimal::new(1_495, 2),
            _ if subtotal >= Decimal::from(75) => Decimal::ZERO,
            _ => Decimal::new(595, 2),
        };
        // Orders in by 14:30 on the East Coast leave the same day.
        let cut_off = at(date, 19, 30);
        let ship_day = match channel {
            "wholesale" => add_business_days(date, 3),
            _ if t.0 <= cut_off.0 => date,
            _ => date + Days::new(1),
        };
        let transit = match service_level {
            "overnight" => 1,
            "express" => 2,
            _ => 5,
        };
        let (ship_to, email) = if channel == "wholesale" {
            let w = WHOLESALE[self.rng.random_range(0..WHOLESALE.len())];
            (
                Address {
                    name: Some(w.0.into()),
                    line1: w.1.into(),
                    line2: None,
                    city: w.2.into(),
                    region: Some(w.3.into()),
                    postal_code: w.4.into(),
                    country: "US".into(),
                },
                format!(
                    "buying@{}.example.com",
                    w.0.split_whitespace()
                        .next()
                        .unwrap_or("shop")
                        .to_lowercase()
                ),
            )
        } else {
            self.customer()
        };
        let prefix = match channel {
            "web" => "W",
            "marketplace" => "MP-",
            _ => "WH-",
        };
        OrderInput {
            external_id: format!("{prefix}{}", self.number(channel)),
            channel: channel.into(),
            ship_to,
            lines,
            service_level: Some(service_level.into()),
            email: Some(email),
            ship_by: Some(at(ship_day, 23, 0).to_rfc3339()),
            deliver_by: Some(add_business_days(ship_day, transit)),
            shipping_charge: Some(Money(shipping)),
            discount: coupon.then(|| Money(Decimal::from(10))),
            fulfillment: None,
            pickup_node: None,
        }
    }
}

impl Step for Orders {
    fn name(&self) -> &'static str {
        "orders"
    }

    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        if slot.kind == SlotKind::Morning {
            world.elapsed_days = slot.day;
            self.generate_day(world, slot.date, slot.day);
        }
        let mut cmds = Vec::new();
        let mut meta = Vec::new();
        while let Some((t, _)) = self.pending.front() {
            if t.0 > slot.at.0 {
                break;
            }
            let (t, order) = self.pending.pop_front().expect("checked above");
            let hazmat = order.lines.iter().any(|l| {
                world
                    .sku_index
                    .get(&l.sku)
                    .is_some_and(|&i| world.business.skus[i].hazmat_un.is_some())
            });
            let channel = match order.channel.as_str() {
                "wholesale" => "wholesale",
                "marketplace" => "marketplace",
                _ => "web",
            };
            let level = match order.service_level.as_deref() {
                Some("overnight") => "overnight",
                Some("express") => "express",
                _ => "standard",
            };
            meta.push((t, channel, level, hazmat));
            let actor = match channel {
                "web" => "storefront",
                "marketplace" => "marketplace-feed",
                _ => "edi-850",
            };
            cmds.push(Cmd::ok(t, actor, Command::PlaceOrder(order)));
        }
        let answers = sim.submit(self.name(), cmds)?;
        for (a, (t, channel, level, hazmat)) in answers.into_iter().zip(meta) {
            let Some(Outcome::Order { order, .. }) = a else {
                anyhow::bail!("an order was answered with something else");
            };
            let id = order.order_id().context("an order id")?.0;
            for l in &order.lines {
                let Some(&sku) = world.sku_index.get(&l.sku) else {
                    continue;
                };
                for a in &l.allocations {
                    if let Some(node) = NODES.iter().position(|n| n.code == a.node) {
                        *world.demanded.entry((node, sku)).or_default() += a.qty.0;
                    }
                }
                *world.demanded.entry((0, sku)).or_default() += l.backordered.0;
            }
            match order.status {
                OrderStatus::Backordered => world.count("orders backordered at placement", 1),
                OrderStatus::PartiallyAllocated => {
                    world.count("orders partly backordered at placement", 1)
                }
                _ => {}
            }
            world.orders.insert(
                id,
                OrderInfo {
                    placed_at: t,
                    channel,
                    service_level: level,
                    hazmat,
                    shipped: false,
                    lines: order
                        .lines
                        .iter()
                        .filter_map(|l| world.sku_index.get(&l.sku).map(|&s| (s, l.qty.0)))
                        .collect(),
                },
            );
            world.placed_since_slot.push(id);
            world.placed += 1;
        }
        Ok(())
    }
}

// ---- inbound: purchase orders, ASNs, receipts and put-away ----

struct Inbound {
    rng: ChaCha8Rng,
    po: u64,
}

impl Inbound {
    fn new(seed: u64) -> Inbound {
        Inbound {
            rng: stream(seed, "inbound"),
            po: 4_500,
        }
    }

    /// Receives today's ASNs (a few lines short or damaged) and puts the good
    /// units away where put-away suggests (the home location otherwise).
    fn receive(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        let due: Vec<DueAsn> = {
            let (today, later): (Vec<DueAsn>, Vec<DueAsn>) =
                world.due.drain(..).partition(|a| a.day == slot.day);
            world.due = later;
            today
        };
        let mut cmds = Vec::new();
        let mut puts: Vec<(usize, usize, i64, String)> = Vec::new();
        for (i, a) in due.iter().enumerate() {
            let node = &NODES[a.node];
            let mut lines = Vec::new();
            for &(sku, qty) in &a.lines {
                let r = self.rng.random::<f64>();
                let (good, damaged) = if r < 0.05 {
                    world.count("ASN lines short", 1);
                    ((qty as f64 * self.rng.random_range(0.4..0.95)) as i64, 0)
                } else if r < 0.07 {
                    let d = self.rng.random_range(1..=3).min(qty);
                    world.count("units damaged on arrival", d as u64);
                    (qty - d, d)
                } else {
                    (qty, 0)
                };
                *world.pipeline.entry((a.node, sku)).or_default() -= qty;
                if good > 0 {
                    puts.push((a.node, sku, good, a.id.clone()));
                }
                lines.push(AsnReceiptLine {
                    sku: world.business.skus[sku].code.clone(),
                    qty: Qty(good),
                    damaged: Qty(damaged),
                });
            }
            cmds.push(Cmd::ok(
                spread(slot.at, 20 * MINUTE_US, i, due.len()),
                format!("dock-{}", node.code.to_lowercase()),
                wms(WmsCommand::ReceiveAsn {
                    asn: a.id.clone(),
                    input: AsnReceiptInput {
                        lines,
                        close: true,
                        sscc: None,
                    },
                }),
            ));
        }
        world.count("ASNs received", due.len() as u64);
        sim.submit("inbound", cmds)?;
        let ask: Vec<Cmd> = puts
            .iter()
            .enumerate()
            .map(|(i, (node, sku, qty, _))| {
                Cmd::ok(
                    spread(at_plus(slot.at, 20), 2 * MINUTE_US, i, puts.len()),
                    "putaway-planner",
                    wms(WmsCommand::SuggestPutaway(PutawayQuery {
                        node: NODES[*node].code.into(),
                        sku: world.business.skus[*sku].code.clone(),
                        qty: Qty(*qty),
                        velocity: Some(velocity(world.business.skus[*sku].rank).into()),
                    })),
                )
            })
            .collect();
        let suggestions = sim.submit("inbound", ask)?;
        let mut cmds = Vec::new();
        for (i, ((node, sku, qty, asn), s)) in puts.iter().zip(suggestions).enumerate() {
            let Some(Outcome::Warehouse(WmsOutcome::Suggestion(s))) = s else {
                anyhow::bail!("a put-away suggestion was answered with something else");
            };
            // Associates follow the slotting plan: the SKU's home location,
            // with the reason given when put-away suggested elsewhere. (Going
            // where the suggestion pointed would not hold: the suggestion for a
            // SKU with no stock is the emptiest location of its zone, which
            // the put-aways before it in the same batch change.)
            let location = world.homes[*node][sku].clone();
            let override_reason = match s.location {
                Some(l) if l == location => None,
                Some(l) => Some(format!("slotting plan: home slot (suggested {l})")),
                None => Some("slotting plan: home slot (none suggested)".into()),
            };
            cmds.push(Cmd::ok(
                spread(at_plus(slot.at, 23), 15 * MINUTE_US, i, puts.len()),
                format!("putaway-{}", NODES[*node].code.to_lowercase()),
                wms(WmsCommand::PutAway(PutawayInput {
                    node: NODES[*node].code.into(),
                    sku: world.business.skus[*sku].code.clone(),
                    qty: Qty(*qty),
                    from: None,
                    location,
                    override_reason,
                    velocity: Some(velocity(world.business.skus[*sku].rank).into()),
                    asn: Some(asn.clone()),
                })),
            ));
        }
        world.count("put-aways", cmds.len() as u64);
        sim.submit("inbound", cmds)?;
        Ok(())
    }

    /// Twice a week each node orders what its stock and open POs will not
    /// cover until the next order arrives, in whole cases.
    fn purchase(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        let mut cmds = Vec::new();
        let mut plans = Vec::new();
        for (ni, n) in NODES.iter().enumerate() {
            if n.kind == NodeKind::Store && slot.date.weekday() != Weekday::Mon {
                continue;
            }
            let mut available: BTreeMap<&str, i64> = BTreeMap::new();
            let rows = node_inventory(sim, n.code, false)?;
            for r in &rows {
                *available.entry(r.sku.as_str()).or_default() += r.available;
            }
            let review_days = 3.5;
            let lead = self.rng.random_range(n.lead_days.0..=n.lead_days.1);
            let mut lines = Vec::new();
            for &sku in world.carried(ni) {
                let s = &world.business.skus[sku];
                let daily = world.daily_units(ni, sku);
                let position = available.get(s.code.as_str()).copied().unwrap_or(0)
                    + world.pipeline.get(&(ni, sku)).copied().unwrap_or(0);
                // Slow movers keep at least a few units on the shelf.
                let reorder_at = (daily * (lead as f64 + review_days + 8.0)).max(2.0);
                if (position as f64) > reorder_at {
                    continue;
                }
                let want = (daily * (lead as f64 + review_days + 18.0))
                    .ceil()
                    .max(reorder_at + 2.0) as i64
                    - position;
                let cases = (want.max(1) + s.case_pack - 1) / s.case_pack;
                lines.push((sku, cases * s.case_pack));
            }
            if lines.is_empty() {
                continue;
            }
            self.po += 1;
            let po = format!("PO-{:06}", self.po);
            let supplier = format!(
                "{} Supply Co",
                CATEGORIES[world.business.skus[lines[0].0].category].name
            );
            let cartons = lines
                .chunks(40)
                .enumerate()
                .map(|(k, chunk)| AsnCartonInput {
                    id: format!("{po}-C{:03}", k + 1),
                    sscc: None,
                    lines: chunk
                        .iter()
                        .map(|&(sku, qty)| SkuQtyInput {
                            sku: world.business.skus[sku].code.clone(),
                            qty: Qty(qty),
                        })
                        .collect(),
                })
                .take(tote_oms::warehouse::ASN_CARTONS_MAX)
                .collect();
            cmds.push(Cmd::ok(
                spread(at_plus(slot.at, 30), 5 * MINUTE_US, cmds.len(), NODES.len()),
                "buyer",
                wms(WmsCommand::CreateAsn(AsnInput {
                    node: n.code.into(),
                    po,
                    supplier: Some(supplier),
                    cartons,
                })),
            ));
            plans.push((ni, lead, lines));
        }
        let answers = sim.submit("inbound", cmds)?;
        for (a, (ni, lead, lines)) in answers.into_iter().zip(plans) {
            let Some(Outcome::Warehouse(WmsOutcome::Asn(asn))) = a else {
                anyhow::bail!("an ASN was answered with something else");
            };
            for &(sku, qty) in &lines {
                *world.pipeline.entry((ni, sku)).or_default() += qty;
            }
            world.count("purchase orders", 1);
            world.due.push(DueAsn {
                day: slot.day + lead as u32,
                id: asn.id,
                node: ni,
                lines,
            });
        }
        Ok(())
    }
}

pub fn at_plus(t: Timestamp, minutes: i64) -> Timestamp {
    Timestamp(t.0 + minutes * MINUTE_US)
}

impl Step for Inbound {
    fn name(&self) -> &'static str {
        "inbound"
    }

    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        if slot.kind != SlotKind::Morning {
            return Ok(());
        }
        self.receive(slot, sim, world)?;
        if slot.day == 0 || matches!(slot.date.weekday(), Weekday::Mon | Weekday::Thu) {
            self.purchase(slot, sim, world)?;
        }
        Ok(())
    }
}

// ---- cycle counts ----

/// Each morning every warehouse counts a few locations blind; some counts find
/// a variance, a large one is counted again, then a supervisor approves (the
/// last day's counts are left awaiting approval).
struct Counts {
    rng: ChaCha8Rng,
}

impl Counts {
    fn new(seed: u64) -> Counts {
        Counts {
            rng: stream(seed, "counts"),
        }
    }
}

impl Step for Counts {
    fn name(&self) -> &'static str {
        "counts"
    }

    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        if slot.kind != SlotKind::Morning {
            return Ok(());
        }
        let t = at_plus(slot.at, 45);
        let mut creates = Vec::new();
        let mut plans = Vec::new();
        for (ni, n) in NODES.iter().enumerate() {
            if n.kind == NodeKind::Store {
                continue;
            }
            let homes: Vec<&String> = world.homes[ni].values().collect();
            let mut locations = BTreeSet::new();
            while locations.len() < 8.min(homes.len()) {
                locations.insert(homes[self.rng.random_range(0..homes.len())].clone());
            }
            let rows = node_inventory(sim, n.code, true)?;
            let mut lines: Vec<(String, String, i64, i64)> = rows
                .into_iter()
                .filter(|r| r.on_hand > 0)
                .filter_map(|r| {
                    let l = r.location?;
                    locations
                        .contains(&l)
                        .then_some((l, r.sku, r.on_hand, r.available))
                })
                .collect();
            lines.sort();
            // A quarter of the counts find a line off: shrink or found units.
            let mut variance = None;
            if !lines.is_empty() && self.rng.random_bool(0.25) {
                let k = self.rng.random_range(0..lines.len());
                let d = [-4i64, -3, -2, -1, 1, 2][self.rng.random_range(0..6)];
                let d = d.max(-lines[k].3);
                if d != 0 {
                    variance = Some((k, d, self.rng.random_bool(0.5)));
                }
            }
            creates.push(Cmd::ok(
                t,
                format!("counter-{}", n.code.to_lowercase()),
                wms(WmsCommand::CreateCount(CountInput {
                    node: n.code.into(),
                    locations: locations.into_iter().collect(),
                    tolerance_units: None,
                })),
            ));
            plans.push((n.code, lines, variance));
        }
        let answers = sim.submit(self.name(), creates)?;
        let mut ids = Vec::new();
        for a in answers {
            let Some(Outcome::Warehouse(WmsOutcome::Count(c))) = a else {
                anyhow::bail!("a count was answered with something else");
            };
            ids.push(c.id);
        }
        let record =
            |lines: &[(String, String, i64, i64)], off: Option<(usize, i64)>| CountRecordInput {
                lines: lines
                    .iter()
                    .enumerate()
                    .map(|(i, (loc, sku, on_hand, _))| CountLineInput {
                        location: loc.clone(),
                        sku: sku.clone(),
                        qty: Qty(on_hand + off.filter(|o| o.0 == i).map_or(0, |o| o.1)),
                    })
                    .collect(),
            };
        let cmds = ids
            .iter()
            .zip(&plans)
            .map(|(id, (node, lines, v))| {
                Cmd::ok(
                    at_plus(t, 10),
                    format!("counter-{}", node.to_lowercase()),
                    wms(WmsCommand::RecordCount {
                        count: id.clone(),
                        input: record(lines, v.map(|(k, d, _)| (k, d))),
                    }),
                )
            })
            .collect();
        let answers = sim.submit(self.name(), cmds)?;
        let mut recounts = Vec::new();
        for (a, (id, (node, lines, v))) in answers.into_iter().zip(ids.iter().zip(&plans)) {
            let Some(Outcome::Warehouse(WmsOutcome::Count(c))) = a else {
                anyhow::bail!("a count was answered with something else");
            };
            world.count("cycle counts", 1);
            if c.status == "recount" {
                world.count("recounts", 1);
                // The recount confirms the variance, or finds the units.
                let off = v.filter(|(_, _, keep)| *keep).map(|(k, d, _)| (k, d));
                recounts.push(Cmd::ok(
                    at_plus(t, 20),
                    format!("lead-{}", node.to_lowercase()),
                    wms(WmsCommand::RecordCount {
                        count: id.clone(),
                        input: record(lines, off),
                    }),
                ));
            }
        }
        sim.submit(self.name(), recounts)?;
        if slot.is_last_day() {
            return Ok(());
        }
        let approvals = ids
            .iter()
            .zip(&plans)
            .map(|(id, (node, _, _))| {
                Cmd::ok(
                    at_plus(t, 30),
                    format!("supervisor-{}", node.to_lowercase()),
                    wms(WmsCommand::ApproveCount { count: id.clone() }),
                )
            })
            .collect();
        for a in sim.submit(self.name(), approvals)? {
            if let Some(Outcome::Warehouse(WmsOutcome::Count(c))) = a
                && !c.adjustments.is_empty()
            {
                world.count("count variances approved", 1);
            }
        }
        Ok(())
    }
}

// ---- cancellations ----

/// Customers cancel: some soon after ordering, some when a backorder drags on,
/// and a few after the parcel has left (refused: the intended failure).
struct Cancellations {
    rng: ChaCha8Rng,
}

impl Cancellations {
    fn new(seed: u64) -> Cancellations {
        Cancellations {
            rng: stream(seed, "cancellations"),
        }
    }

    /// Open orders in a status, oldest first, read from the books.
    fn orders_in(sim: &Sim, status: &str) -> anyhow::Result<Vec<tote_core::Order>> {
        let mut out = Vec::new();
        let mut before_id = None;
        loop {
            let page = sim
                .reader
                .orders(
                    OrgId::DEFAULT,
                    &OrderFilter {
                        status: Some(status.into()),
                        channel: None,
                        external_id: None,
                        before_id,
                        limit: PAGE_ROWS_MAX,
                    },
                )
                .context("read orders")?;
            out.extend(page.items);
            match page.next_before_id {
                Some(b) => before_id = Some(b),
                None => break,
            }
        }
        out.reverse();
        Ok(out)
    }
}

impl Step for Cancellations {
    fn name(&self) -> &'static str {
        "cancellations"
    }

    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        let t = at_plus(slot.at, 1);
        let mut cmds = Vec::new();
        match slot.kind {
            SlotKind::Wave(_) => {
                for id in std::mem::take(&mut world.placed_since_slot) {
                    if self.rng.random_bool(0.015) {
                        cmds.push(Cmd::ok(
                            Timestamp(t.0 + cmds.len() as i64 * 1_000_000),
                            "customer",
                            Command::CancelOrder(tote_core::OrderId(id)),
                        ));
                    }
                }
                world.count("cancelled by the customer", cmds.len() as u64);
                if !world.recent_shipped.is_empty() && self.rng.random_bool(0.4) {
                    let k = self.rng.random_range(0..world.recent_shipped.len());
                    cmds.push(Cmd::may_fail(
                        Timestamp(t.0 + cmds.len() as i64 * 1_000_000),
                        "customer",
                        Command::CancelOrder(tote_core::OrderId(world.recent_shipped[k])),
                        "cancel refused: already shipped",
                    ));
                }
            }
            SlotKind::Morning => {
                // Backorders older than a week: most customers give up.
                let week_ago = slot.at.0 - 7 * DAY_US;
                for status in ["backordered", "partially_allocated"] {
                    for o in Self::orders_in(sim, status)? {
                        let placed = Timestamp::parse_rfc3339(&o.placed_at).unwrap_or(slot.at);
                        if placed.0 < week_ago && self.rng.random_bool(0.5) {
                            let id = o.order_id().context("an order id")?;
                            cmds.push(Cmd::ok(
                                Timestamp(t.0 + cmds.len() as i64 * 1_000_000),
                                "customer",
                                Command::CancelOrder(id),
                            ));
                            world.count("backorders cancelled after a week", 1);
                        }
                    }
                }
                // An order whose backorder filled at another node cannot go out
                // in one wave: service cancels it after two days.
                let two_days_ago = slot.at.0 - 2 * DAY_US;
                for o in Self::orders_in(sim, "allocated")? {
                    let nodes: BTreeSet<&str> = o
                        .lines
                        .iter()
                        .flat_map(|l| l.allocations.iter().map(|a| a.node.as_str()))
                        .collect();
                    let placed = Timestamp::parse_rfc3339(&o.placed_at).unwrap_or(slot.at);
                    if nodes.len() > 1 && placed.0 < two_days_ago {
                        let id = o.order_id().context("an order id")?;
                        cmds.push(Cmd::ok(
                            Timestamp(t.0 + cmds.len() as i64 * 1_000_000),
                            "customer-service",
                            Command::CancelOrder(id),
                        ));
                        world.count("split orders cancelled", 1);
                    }
                }
            }
            _ => {}
        }
        sim.submit(self.name(), cmds)?;
        Ok(())
    }
}

// ---- fulfilment: waves, picks, packs, ships ----

/// At each wave time every node releases what its floor can take (some waves
/// are late or skipped: short-staffed), pickers work the lists in walking
/// order (a few short picks and wrong scans), packers scan every unit (a few
/// wrong items refused), and the parcels ship with the carrier the service
/// level calls for.
struct Fulfilment {
    rng: ChaCha8Rng,
}

impl Fulfilment {
    fn new(seed: u64) -> Fulfilment {
        Fulfilment {
            rng: stream(seed, "fulfilment"),
        }
    }

    fn wave_orders_max(world: &World, node: usize) -> usize {
        match NODES[node].kind {
            NodeKind::Store => 8,
            _ => (f64::from(world.orders_per_day) * NODES[node].stock_share * 1.3 / WAVES_PER_DAY)
                .ceil()
                .max(5.0) as usize,
        }
    }

    fn service(&mut self, info: &OrderInfo) -> &'static str {
        match (info.channel, info.service_level, info.hazmat) {
            ("wholesale", _, _) => "swiftline/economy",
            (_, "overnight", false) => "parcelo/overnight",
            (_, "express", false) => "parcelo/two_day",
            (_, "standard", _) | (_, _, true) => match self.rng.random_range(0..20) {
                0..=10 => "parcelo/ground",
                11..=15 => "natpost/priority",
                _ => "swiftline/economy",
            },
            _ => "parcelo/ground",
        }
    }
}

impl Step for Fulfilment {
    fn name(&self) -> &'static str {
        "fulfilment"
    }

    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        let SlotKind::Wave(_) = slot.kind else {
            return Ok(());
        };
        let release_at = at_plus(slot.at, 5);
        let mut cmds = Vec::new();
        for (ni, n) in NODES.iter().enumerate() {
            if self.rng.random_bool(0.04) {
                world.count("waves skipped (short-staffed)", 1);
                continue;
            }
            // A 3PL works its fulfilment requests itself (`flows::Partners`).
            if n.kind == NodeKind::ThirdParty {
                continue;
            }
            cmds.push(Cmd::may_fail(
                Timestamp(release_at.0 + ni as i64 * 1_000_000),
                format!("supervisor-{}", n.code.to_lowercase()),
                wms(WmsCommand::ReleaseWave(WaveInput {
                    node: n.code.into(),
                    cart_totes: n.cart_totes,
                    rules: serde_json::from_value(json!({
                        "max_orders": Self::wave_orders_max(world, ni),
                        "service_levels": ["overnight", "express", "standard"],
                    }))?,
                })),
                "wave refused: nothing to release",
            ));
        }
        let mut tasks: Vec<PickTask> = Vec::new();
        let mut order_node: BTreeMap<String, String> = BTreeMap::new();
        for a in sim.submit(self.name(), cmds)? {
            if let Some(Outcome::Warehouse(WmsOutcome::Wave(w))) = a {
                world.count("waves released", 1);
                for o in &w.orders {
                    order_node.insert(o.clone(), w.node.clone());
                }
                tasks.extend(w.tasks);
            }
        }
        // Picks, in rounds: a short pick re-sources to new tasks, picked next.
        let mut picked: BTreeMap<(String, String), i64> = BTreeMap::new();
        let mut status: BTreeMap<String, String> = BTreeMap::new();
        let skus_n = world.business.skus.len();
        for round in 0..8 {
            if tasks.is_empty() {
                break;
            }
            let from = at_plus(release_at, 5 + 10 * round);
            let n = tasks.len();
            let mut cmds = Vec::new();
            for (i, task) in tasks.iter().enumerate() {
                let t = spread(from, 100 * MINUTE_US, i, n);
                let picker = format!(
                    "picker-{}-{:02}",
                    order_node[&task.order].to_lowercase(),
                    1 + i * 7 / n.max(1)
                );
                let sku = world.sku_index[&task.sku];
                let r = self.rng.random::<f64>();
                if r < 0.004 {
                    let other = (sku + 1 + self.rng.random_range(0..skus_n - 1)) % skus_n;
                    cmds.push(Cmd::may_fail(
                        t,
                        picker.clone(),
                        wms(WmsCommand::ConfirmPick {
                            task: task.id.clone(),
                            input: PickInput {
                                location: task.location.clone(),
                                item: world.item_code(other),
                                qty: task.qty,
                            },
                        }),
                        "pick refused: wrong item scanned",
                    ));
                }
                if (0.004..0.012).contains(&r) {
                    cmds.push(Cmd::ok(
                        Timestamp(t.0 + 1),
                        picker,
                        wms(WmsCommand::ShortPick {
                            task: task.id.clone(),
                            input: ShortPickInput {
                                location: task.location.clone(),
                                found: Qty(self.rng.random_range(0..task.qty.0)),
                                reason: Some(
                                    ["bin empty", "units damaged in the bin", "bin holds fewer"]
                                        [self.rng.random_range(0..3)]
                                    .into(),
                                ),
                            },
                        }),
                    ));
                } else {
                    cmds.push(Cmd::ok(
                        Timestamp(t.0 + 1),
                        picker,
                        wms(WmsCommand::ConfirmPick {
                            task: task.id.clone(),
                            input: PickInput {
                                location: task.location.clone(),
                                item: world.item_code(sku),
                                qty: task.qty,
                            },
                        }),
                    ));
                }
            }
            let mut next = Vec::new();
            for a in sim.submit(self.name(), cmds)? {
                if let Some(Outcome::Warehouse(WmsOutcome::Pick(p))) = a {
                    if p.task.status == "short" {
                        world.count("short picks", 1);
                    }
                    *picked
                        .entry((p.task.order.clone(), p.task.sku.clone()))
                        .or_default() += p.task.picked.0;
                    status.insert(p.task.order.clone(), p.order_status);
                    next.extend(p.new_tasks);
                }
            }
            tasks = next;
        }
        // Packing: one scan per unit.
        let pack_at = at_plus(slot.at, 125);
        let ready: Vec<&String> = status
            .iter()
            .filter(|(_, s)| s.as_str() == "picked")
            .map(|(o, _)| o)
            .collect();
        let mut cmds = Vec::new();
        let mut to_ship = BTreeSet::new();
        for (i, order) in ready.iter().enumerate() {
            let t = spread(pack_at, 40 * MINUTE_US, i, ready.len());
            let packer = format!(
                "packer-{}-{:02}",
                order_node[*order].to_lowercase(),
                1 + i % 4
            );
            let units: Vec<(&String, i64)> = picked
                .range(((*order).clone(), String::new())..)
                .take_while(|((o, _), _)| o == *order)
                .filter(|(_, q)| **q > 0)
                .map(|((_, s), q)| (s, *q))
                .collect();
            if units.is_empty() {
                world.count("orders picked with nothing to pack", 1);
                continue;
            }
            let mut k = 0i64;
            if self.rng.random_bool(0.015) {
                let other = self.rng.random_range(0..skus_n);
                world.count("wrong items scanned at pack", 1);
                cmds.push(Cmd::ok(
                    t,
                    packer.clone(),
                    wms(WmsCommand::PackScan {
                        order: (*order).clone(),
                        input: PackScanInput {
                            item: world.item_code(other),
                        },
                    }),
                ));
                k += 1;
            }
            for (sku, q) in units {
                let item = world.item_code(world.sku_index[sku]);
                for _ in 0..q {
                    cmds.push(Cmd::ok(
                        Timestamp(t.0 + k * 1_000_000),
                        packer.clone(),
                        wms(WmsCommand::PackScan {
                            order: (*order).clone(),
                            input: PackScanInput { item: item.clone() },
                        }),
                    ));
                    k += 1;
                }
            }
        }
        for a in sim.submit(self.name(), cmds)? {
            if let Some(Outcome::Warehouse(WmsOutcome::Pack(p))) = a
                && p.status == "packed"
            {
                to_ship.insert(p.order);
            }
        }
        // Shipping.
        let ship_at = at_plus(slot.at, 170);
        let mut cmds = Vec::new();
        let n = to_ship.len();
        for (i, order) in to_ship.iter().enumerate() {
            let id = parse_order_id(order).context("an order id")?.0;
            let service = match world.orders.get(&id) {
                Some(info) => self.service(info),
                None => "parcelo/ground",
            };
            cmds.push(Cmd::ok(
                spread(ship_at, 20 * MINUTE_US, i, n),
                format!("shipper-{}", order_node[order].to_lowercase()),
                wms(WmsCommand::Ship {
                    order: order.clone(),
                    input: ShipInput {
                        service: Some(service.into()),
                    },
                }),
            ));
        }
        for a in sim.submit(self.name(), cmds)? {
            if let Some(Outcome::Warehouse(WmsOutcome::Shipment(s))) = a {
                let id = parse_order_id(&s.order).context("an order id")?.0;
                if let Some(info) = world.orders.get_mut(&id) {
                    info.shipped = true;
                }
                world.recent_shipped.push_back(id);
                if world.recent_shipped.len() > 500 {
                    world.recent_shipped.pop_front();
                }
                world.unmanifested.insert(s.carrier.clone());
                world.shipped += 1;
                world.shipments.push(ShipmentInfo {
                    order: id,
                    service: format!("{}/{}", s.carrier, s.service),
                    shipped_at: Timestamp::parse_rfc3339(&s.shipped_at).unwrap_or(ship_at),
                    tracking: s.tracking.clone(),
                    committed_on: s.committed_on,
                });
            }
        }
        Ok(())
    }
}

// ---- manifests ----

/// At the close each carrier's parcels of the day go on its manifest.
struct Manifests;

impl Step for Manifests {
    fn name(&self) -> &'static str {
        "manifests"
    }

    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        if slot.kind != SlotKind::Close {
            return Ok(());
        }
        let cmds: Vec<Cmd> = std::mem::take(&mut world.unmanifested)
            .into_iter()
            .enumerate()
            .map(|(i, carrier)| {
                Cmd::ok(
                    Timestamp(slot.at.0 + i as i64 * 1_000_000),
                    "dock-lead",
                    wms(WmsCommand::CloseManifest(ManifestInput { carrier })),
                )
            })
            .collect();
        world.count("manifests", cmds.len() as u64);
        sim.submit(self.name(), cmds)?;
        Ok(())
    }
}
