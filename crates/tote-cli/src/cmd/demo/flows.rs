//! What happens after an order leaves, and the channels beside the
//! warehouses: carrier tracking to the door, returns, store pickup, and the
//! 3PL's fulfilment requests and stock feed. Each is one more step with its own
//! random stream, so the steps before them draw as they did.

use super::business::{CATEGORIES, CITIES, NODES, STREETS};
use super::steps::{Step, World, at_plus, node_inventory, spread, wms};
use super::{Cmd, DAY_US, HOUR_US, MINUTE_US, Sim, Slot, SlotKind, at, stream};
use anyhow::Context;
use chrono::{Days, NaiveDate, Utc};
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand_chacha::ChaCha8Rng;
use rand_distr::Poisson;
use serde_json::json;
use std::collections::BTreeMap;
use tote_core::order::OrderLineInput;
use tote_core::{Address, Money, NodeKind, OrderInput, OrderStatus, Qty, Timestamp};
use tote_oms::omni::{
    CollectInput, PartnerCommand, PartnerOutcome, PartnerRejectInput, PartnerShipInput,
    StockFeedInput, StockFeedLine, StoreCommand, StoreOutcome,
};
use tote_oms::returns::{
    DispositionInput, Grade, InspectionInput, Method, RefundInput, ReturnReason,
    ReturnReceiveInput, ReturnTrackingInput, ReturnsCommand, ReturnsOutcome, RmaInput,
    RmaLineInput, UnitInspection,
};
use tote_oms::warehouse::{TrackingInput, WmsCommand, WmsOutcome};
use tote_oms::{Command, Outcome};
use tote_store::Queries;
use tote_transport::tracking::TrackingStatus;

/// An order its carrier delivered.
pub struct Delivered {
    pub order: u64,
    pub at: Timestamp,
    /// After the carrier's committed day.
    pub late: bool,
}

fn utc(t: Timestamp) -> chrono::DateTime<chrono::FixedOffset> {
    t.to_datetime().with_timezone(&Utc).fixed_offset()
}

fn date_of(t: Timestamp) -> NaiveDate {
    t.to_datetime().date_naive()
}

// ---- carrier tracking ----

/// A scan to come: tracking number, status, detail (empty: none), and on the
/// delivery scan whether it is late.
type Scan = (String, TrackingStatus, &'static str, Option<bool>);

/// Every parcel is scanned on its way: picked up on the ship day, in transit,
/// out for delivery and delivered around the carrier's committed day (a share
/// late, more for economy and in the promotion's peak); a few exceptions, most
/// delivered after all, some returned to the sender.
pub struct Tracking {
    rng: ChaCha8Rng,
    next: usize,
    /// Scans not yet due, by (time, order).
    due: BTreeMap<(i64, u64), Scan>,
}

impl Tracking {
    pub fn new(seed: u64) -> Tracking {
        Tracking {
            rng: stream(seed, "tracking"),
            next: 0,
            due: BTreeMap::new(),
        }
    }

    fn transit_days(service: &str) -> u64 {
        match service.split('/').nth(1).unwrap_or("") {
            "overnight" => 1,
            "two_day" => 2,
            "priority" => 3,
            "economy" => 6,
            _ => 4,
        }
    }

    fn plan(&mut self, world: &mut World, i: usize) {
        let s = &world.shipments[i];
        let (order, shipped_at, tracking) = (s.order, s.shipped_at, s.tracking.clone());
        let committed = s
            .committed_on
            .unwrap_or_else(|| date_of(shipped_at) + Days::new(Self::transit_days(&s.service)));
        let economy = s.service.ends_with("/economy");
        let ship_day = date_of(shipped_at);
        let peak = world.promo.0 <= world.elapsed_days && world.elapsed_days <= world.promo.1 + 2;
        let late_p = 0.05 + if economy { 0.05 } else { 0.0 } + if peak { 0.06 } else { 0.0 };
        let r = self.rng.random::<f64>();
        let mut day = if r < late_p {
            committed + Days::new(self.rng.random_range(1..=3))
        } else if r < late_p + 0.12 && committed > ship_day + Days::new(1) {
            committed - Days::new(1)
        } else {
            committed
        };
        if day <= ship_day {
            day = ship_day + Days::new(1);
        }
        let key = |t: Timestamp, rows: &mut Vec<(i64, TrackingStatus, &'static str)>, st, d| {
            rows.push((t.0, st, d));
        };
        let mut rows = Vec::new();
        let picked = Timestamp(shipped_at.0 + 40 * MINUTE_US);
        key(picked, &mut rows, TrackingStatus::PickedUp, "");
        let transit = Timestamp(picked.0 + 5 * HOUR_US);
        key(transit, &mut rows, TrackingStatus::InTransit, "");
        let exception = self.rng.random_bool(0.015);
        let mut fate = Some(r < late_p);
        if exception {
            let t = Timestamp(transit.0 + 20 * HOUR_US);
            key(
                t,
                &mut rows,
                TrackingStatus::Exception,
                ["address not found", "damaged in transit", "weather delay"]
                    [self.rng.random_range(0..3)],
            );
            if self.rng.random_bool(0.3) {
                let back = Timestamp(t.0 + self.rng.random_range(3..6) * DAY_US);
                key(back, &mut rows, TrackingStatus::ReturnedToSender, "");
                fate = None;
            } else {
                day = day.max(date_of(t)) + Days::new(self.rng.random_range(1..=2));
                fate = Some(true);
            }
        }
        if fate.is_some() {
            let out = at(day, 12, self.rng.random_range(0..60))
                .max(Timestamp(rows.last().map_or(0, |r| r.0) + HOUR_US));
            key(out, &mut rows, TrackingStatus::OutForDelivery, "");
            let done = Timestamp(out.0 + self.rng.random_range(HOUR_US..9 * HOUR_US));
            key(done, &mut rows, TrackingStatus::Delivered, "");
        }
        let n = rows.len();
        for (k, (t, st, d)) in rows.into_iter().enumerate() {
            let last = (k + 1 == n).then_some(fate.unwrap_or(false));
            self.due.insert(
                (t, order),
                (tracking.clone(), st, d, last.filter(|_| fate.is_some())),
            );
        }
    }
}

impl Step for Tracking {
    fn name(&self) -> &'static str {
        "tracking"
    }

    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        while self.next < world.shipments.len() {
            self.plan(world, self.next);
            self.next += 1;
        }
        let later = self.due.split_off(&(slot.at.0 + 1, 0));
        let now = std::mem::replace(&mut self.due, later);
        if now.is_empty() {
            return Ok(());
        }
        let mut rows = Vec::with_capacity(now.len());
        let mut meta = Vec::with_capacity(now.len());
        for (i, ((t, order), (tracking, status, detail, late))) in now.into_iter().enumerate() {
            rows.push(TrackingInput {
                row: i + 1,
                tracking,
                status,
                at: utc(Timestamp(t)),
                location: None,
                detail: (!detail.is_empty()).then(|| detail.to_owned()),
            });
            meta.push((order, Timestamp(t), status, late));
        }
        let mut cmds = Vec::new();
        for chunk in rows.chunks(tote_core::limits::REQUEST_LINES_MAX) {
            cmds.push(Cmd::ok(
                slot.at,
                "carrier-feed",
                wms(WmsCommand::Track(chunk.to_vec())),
            ));
        }
        let mut k = 0;
        for a in sim.submit(self.name(), cmds)? {
            let Some(Outcome::Warehouse(WmsOutcome::Tracking(batch))) = a else {
                anyhow::bail!("a tracking batch was answered with something else");
            };
            for r in &batch.rows {
                if r.result != "applied" {
                    anyhow::bail!(
                        "tracking {} refused: {} ({})",
                        r.tracking,
                        r.problem.clone().unwrap_or_default(),
                        r.field.clone().unwrap_or_default()
                    );
                }
            }
            for _ in 0..batch.rows.len() {
                let (order, t, status, late) = meta[k];
                k += 1;
                world.count(
                    match status {
                        TrackingStatus::Delivered => "parcels delivered",
                        TrackingStatus::Exception => "carrier exceptions",
                        TrackingStatus::ReturnedToSender => "parcels returned to sender",
                        _ => continue,
                    },
                    1,
                );
                if status == TrackingStatus::Delivered {
                    let late = late.unwrap_or(false);
                    if late {
                        world.count("parcels delivered late", 1);
                    }
                    world.delivered.push(Delivered { order, at: t, late });
                }
            }
        }
        Ok(())
    }
}

// ---- returns ----

/// Where a return stands.
enum Stage {
    /// The customer asks for it at `at`.
    Ask(RmaInput),
    /// Authorised: the carrier scans it in transit, then at the dock.
    Parcel { rma: String, scanned: bool },
    /// At the dock: received, inspected and dispositioned in the morning.
    Dock { rma: String },
}

struct Case {
    at: Timestamp,
    channel: &'static str,
    stage: Stage,
}

/// About 8% of delivered orders come back (more apparel and footwear, mostly
/// the wrong size; late parcels more often, as late): an RMA some days after
/// delivery, the parcel scanned on its way, received at the dock, inspected
/// unit by unit, dispositioned by the rules and refunded by the channel's
/// policy (a few exchanges).
pub struct Returns {
    rng: ChaCha8Rng,
    next: usize,
    cases: Vec<Case>,
    policies_set: bool,
}

impl Returns {
    pub fn new(seed: u64) -> Returns {
        Returns {
            rng: stream(seed, "returns"),
            next: 0,
            cases: Vec::new(),
            policies_set: false,
        }
    }

    fn policies(&mut self, slot: &Slot, sim: &mut Sim) -> anyhow::Result<()> {
        let mut cmds = Vec::new();
        for (i, (channel, policy)) in [
            (
                "web",
                json!({"window_days": 60, "refund_trigger": "receipt", "shipping_refund": "seller_fault"}),
            ),
            (
                "marketplace",
                json!({"window_days": 30, "refund_trigger": "carrier_scan", "methods": ["carrier_label"]}),
            ),
            (
                "wholesale",
                json!({"window_days": 30, "refund_trigger": "manual", "restocking_fee_pct": "15",
                       "methods": ["carrier_label"], "shipping_refund": "never"}),
            ),
        ]
        .into_iter()
        .enumerate()
        {
            cmds.push(Cmd::ok(
                Timestamp(slot.at.0 - 60 * MINUTE_US + i as i64),
                "admin",
                Command::Returns(ReturnsCommand::SetPolicy {
                    channel: channel.into(),
                    policy: serde_json::from_value(policy)?,
                }),
            ));
        }
        sim.submit("returns", cmds)?;
        Ok(())
    }

    /// Decides whether a delivered order comes back, and what.
    fn consider(&mut self, sim: &Sim, world: &mut World, d: usize) -> anyhow::Result<()> {
        let Delivered { order, at, late } = world.delivered[d];
        let Some(info) = world.orders.get(&order) else {
            return Ok(());
        };
        let channel = info.channel;
        let lines: Vec<(usize, i64)> = info
            .lines
            .iter()
            .copied()
            .filter(|&(s, _)| world.business.skus[s].hazmat_un.is_none())
            .collect();
        if lines.is_empty() {
            return Ok(());
        }
        let soft = lines.iter().any(|&(s, _)| {
            matches!(
                CATEGORIES[world.business.skus[s].category].name,
                "Apparel" | "Footwear"
            )
        });
        let mut p = match (channel, soft) {
            ("wholesale", _) => 0.03,
            (_, true) => 0.10,
            _ => 0.036,
        };
        if late {
            p *= 2.0;
        }
        if !self.rng.random_bool(p) {
            return Ok(());
        }
        // What left, as the books say (a short pick sends less).
        let Some(placed) = sim
            .reader
            .order(tote_core::OrgId::DEFAULT, tote_core::OrderId(order))
            .context("read a delivered order")?
        else {
            anyhow::bail!("delivered order O{order} is not in the books");
        };
        let lines: Vec<(usize, i64)> = placed
            .lines
            .iter()
            .filter_map(|l| world.sku_index.get(&l.sku).map(|&s| (s, l.allocated().0)))
            .filter(|&(s, q)| q > 0 && world.business.skus[s].hazmat_un.is_none())
            .collect();
        if lines.is_empty() {
            return Ok(());
        }
        let (sku, qty) = lines[self.rng.random_range(0..lines.len())];
        let category = CATEGORIES[world.business.skus[sku].category].name;
        let sized = matches!(category, "Apparel" | "Footwear");
        // wrong size, changed mind, damaged, not as described, defective, arrived late
        let weights = [
            if sized { 40 } else { 0 },
            if sized { 25 } else { 40 },
            if sized { 8 } else { 18 },
            12,
            if sized { 4 } else { 14 },
            if late { 45 } else { 0 },
        ];
        let reasons = [
            ReturnReason::WrongSize,
            ReturnReason::ChangedMind,
            ReturnReason::Damaged,
            ReturnReason::NotAsDescribed,
            ReturnReason::Defective,
            ReturnReason::ArrivedLate,
        ];
        let reason = reasons[WeightedIndex::new(weights)
            .expect("positive weights")
            .sample(&mut self.rng)];
        let qty = if channel == "wholesale" {
            qty
        } else {
            self.rng.random_range(1..=qty)
        };
        // A wrong size is sometimes exchanged for the next size: the next SKU
        // of the same category in the catalog.
        let exchange_for = (reason == ReturnReason::WrongSize
            && channel != "wholesale"
            && self.rng.random_bool(0.25))
        .then(|| {
            let skus = &world.business.skus;
            (1..skus.len())
                .map(|k| (sku + k) % skus.len())
                .find(|&k| skus[k].category == skus[sku].category && skus[k].hazmat_un.is_none())
                .map(|k| skus[k].code.clone())
        })
        .flatten();
        let method = match channel {
            "web" if self.rng.random_bool(0.2) => Method::DropOff,
            _ => Method::CarrierLabel,
        };
        let ask = Timestamp(
            at.0 + [6, 10, 16, 20, 26, 30, 44, 68, 96, 168][self.rng.random_range(0..10)] * HOUR_US
                + self.rng.random_range(0..6 * HOUR_US),
        );
        world.count("returns asked for", 1);
        if late && reason == ReturnReason::ArrivedLate {
            world.count("returns because the parcel was late", 1);
        }
        self.cases.push(Case {
            at: ask,
            channel,
            stage: Stage::Ask(RmaInput {
                order: format!("O{order}"),
                email: None,
                method,
                lines: vec![RmaLineInput {
                    sku: world.business.skus[sku].code.clone(),
                    qty: Qty(qty),
                    reason,
                    exchange_for,
                }],
                node: None,
            }),
        });
        Ok(())
    }

    fn grade(&mut self, reason: ReturnReason) -> Grade {
        let r = self.rng.random::<f64>();
        if matches!(reason, ReturnReason::Damaged | ReturnReason::Defective) {
            match r {
                x if x < 0.15 => Grade::OpenBox,
                x if x < 0.75 => Grade::Damaged,
                _ => Grade::Unsellable,
            }
        } else {
            match r {
                x if x < 0.74 => Grade::New,
                x if x < 0.91 => Grade::OpenBox,
                x if x < 0.97 => Grade::Damaged,
                _ => Grade::Unsellable,
            }
        }
    }

    /// At the dock: the parcels the carrier delivered are received,
    /// inspected and dispositioned (wholesale refunds are issued by hand).
    fn dock(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        let mut here: Vec<(String, &'static str)> = Vec::new();
        self.cases.retain(|c| match &c.stage {
            Stage::Dock { rma } if c.at.0 <= slot.at.0 => {
                here.push((rma.clone(), c.channel));
                false
            }
            _ => true,
        });
        if here.is_empty() {
            return Ok(());
        }
        let n = here.len();
        let cmds = here
            .iter()
            .enumerate()
            .map(|(i, (rma, _))| {
                Cmd::ok(
                    spread(at_plus(slot.at, 15), 60 * MINUTE_US, i, n),
                    "returns-dock",
                    Command::Returns(ReturnsCommand::Receive {
                        rma: rma.clone(),
                        input: ReturnReceiveInput::default(),
                    }),
                )
            })
            .collect();
        let mut inspect = Vec::new();
        for (i, a) in sim.submit(self.name(), cmds)?.into_iter().enumerate() {
            let Some(Outcome::Returns(ReturnsOutcome::Rma(rma))) = a else {
                anyhow::bail!("a return receipt was answered with something else");
            };
            world.count("returns received", 1);
            let mut units = Vec::new();
            for u in &rma.units {
                let reason = rma.lines[u.line].reason;
                let wrong = self.rng.random_bool(0.01);
                let scanned = if wrong {
                    world.count("wrong items returned", 1);
                    let k = self.rng.random_range(0..world.business.skus.len());
                    world.business.skus[k].code.clone()
                } else {
                    u.expected_sku.clone()
                };
                let grade = self.grade(reason);
                world.count(
                    match grade {
                        Grade::New => "returned units graded new",
                        Grade::OpenBox => "returned units graded open box",
                        Grade::Damaged => "returned units graded damaged",
                        Grade::Unsellable => "returned units graded unsellable",
                    },
                    1,
                );
                units.push(UnitInspection {
                    unit: u.unit,
                    scanned,
                    grade,
                    notes: None,
                    photo_url: None,
                });
            }
            inspect.push(Cmd::ok(
                spread(at_plus(slot.at, 90), 90 * MINUTE_US, i, n),
                "returns-inspector",
                Command::Returns(ReturnsCommand::Inspect {
                    rma: rma.id.clone(),
                    input: InspectionInput { units },
                }),
            ));
        }
        sim.submit(self.name(), inspect)?;
        let dispose = here
            .iter()
            .enumerate()
            .map(|(i, (rma, _))| {
                Cmd::ok(
                    spread(at_plus(slot.at, 200), 30 * MINUTE_US, i, n),
                    "returns-lead",
                    Command::Returns(ReturnsCommand::Dispose {
                        rma: rma.clone(),
                        input: DispositionInput::default(),
                    }),
                )
            })
            .collect();
        sim.submit(self.name(), dispose)?;
        world.count("returns dispositioned", n as u64);
        let refunds: Vec<Cmd> = here
            .iter()
            .filter(|(_, channel)| *channel == "wholesale")
            .map(|(rma, _)| {
                Cmd::ok(
                    at_plus(slot.at, 240),
                    "accounts-receivable",
                    Command::Returns(ReturnsCommand::Refund {
                        rma: rma.clone(),
                        input: RefundInput {},
                    }),
                )
            })
            .collect();
        sim.submit(self.name(), refunds)?;
        Ok(())
    }
}

impl Step for Returns {
    fn name(&self) -> &'static str {
        "returns"
    }

    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        if !self.policies_set {
            self.policies(slot, sim)?;
            self.policies_set = true;
        }
        while self.next < world.delivered.len() {
            self.consider(sim, world, self.next)?;
            self.next += 1;
        }
        // The returns dock works the morning's and the midday's parcels.
        if matches!(slot.kind, SlotKind::Morning | SlotKind::Wave(1)) {
            self.dock(slot, sim, world)?;
        }
        // Requests and carrier scans now due, in time order.
        let mut due: Vec<Case> = Vec::new();
        let mut keep = Vec::with_capacity(self.cases.len());
        for c in self.cases.drain(..) {
            if c.at.0 <= slot.at.0 && !matches!(c.stage, Stage::Dock { .. }) {
                due.push(c);
            } else {
                keep.push(c);
            }
        }
        self.cases = keep;
        due.sort_by_key(|c| c.at);
        let mut cmds = Vec::new();
        for c in &due {
            let command = match &c.stage {
                Stage::Ask(input) => ReturnsCommand::Create(input.clone()),
                Stage::Parcel { rma, scanned } => ReturnsCommand::Tracking {
                    rma: rma.clone(),
                    input: ReturnTrackingInput {
                        status: if *scanned { "delivered" } else { "in_transit" }.into(),
                    },
                },
                Stage::Dock { .. } => unreachable!("left in place above"),
            };
            let actor = if matches!(c.stage, Stage::Ask(_)) {
                "customer"
            } else {
                "carrier-feed"
            };
            cmds.push(Cmd::ok(c.at, actor, Command::Returns(command)));
        }
        for (a, c) in sim.submit(self.name(), cmds)?.into_iter().zip(due) {
            let Some(Outcome::Returns(ReturnsOutcome::Rma(rma))) = a else {
                anyhow::bail!("a return was answered with something else");
            };
            let next = match c.stage {
                Stage::Ask(_) => {
                    world.count("returns authorised", 1);
                    if rma.exchange_order.is_some() {
                        world.count("exchanges", 1);
                    }
                    Stage::Parcel {
                        rma: rma.id,
                        scanned: false,
                    }
                }
                Stage::Parcel { scanned: false, .. } => Stage::Parcel {
                    rma: rma.id,
                    scanned: true,
                },
                Stage::Parcel { scanned: true, .. } => Stage::Dock { rma: rma.id },
                Stage::Dock { .. } => unreachable!("left in place above"),
            };
            // Dropped with the carrier within hours; at the dock a day or two on.
            let wait = match next {
                Stage::Dock { .. } => 0,
                Stage::Parcel { scanned: false, .. } => {
                    self.rng.random_range(2 * HOUR_US..12 * HOUR_US)
                }
                _ => self.rng.random_range(18 * HOUR_US..40 * HOUR_US),
            };
            self.cases.push(Case {
                at: Timestamp(c.at.0 + wait + MINUTE_US),
                channel: c.channel,
                stage: next,
            });
        }
        Ok(())
    }
}

// ---- store pickup ----

struct PickupOrder {
    id: String,
    node: &'static str,
    /// When the next thing happens to it.
    at: Timestamp,
    /// `open`, `ready` (with its code), or never collected.
    status: &'static str,
    code: String,
    collect: bool,
}

/// Web customers near a store buy online and collect there: the store picks
/// and stages the order (most within the day), the customer collects it with
/// its code, and a few never come (the sweep cancels them).
pub struct Pickup {
    rng: ChaCha8Rng,
    number: u64,
    open: Vec<PickupOrder>,
}

impl Pickup {
    pub fn new(seed: u64) -> Pickup {
        Pickup {
            rng: stream(seed, "pickup"),
            number: 700_000,
            open: Vec::new(),
        }
    }

    fn stores() -> impl Iterator<Item = (usize, &'static super::business::NodePlan)> {
        NODES
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == NodeKind::Store)
    }

    fn place(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        let mean = f64::from(world.orders_per_day) * 0.04 / 3.0;
        let n = Poisson::new(mean.max(0.1))
            .expect("positive mean")
            .sample(&mut self.rng) as usize;
        let stores: Vec<(usize, &super::business::NodePlan)> = Self::stores().collect();
        let mut cmds = Vec::new();
        let mut meta = Vec::new();
        for i in 0..n {
            let (ni, store) = stores[self.rng.random_range(0..stores.len())];
            let city = CITIES
                .iter()
                .find(|c| c.0 == store.city)
                .map_or((store.city, store.region, store.postal_code), |c| {
                    (c.0, c.1, c.2)
                });
            let carried = world.carried(ni);
            let mut lines: Vec<OrderLineInput> = Vec::new();
            for _ in 0..self.rng.random_range(1..=2) {
                // Fast movers most: the square favours the top of the range.
                let k = ((self.rng.random::<f64>().powi(2)) * carried.len() as f64) as usize;
                let sku = &world.business.skus[carried[k.min(carried.len() - 1)]];
                if lines.iter().any(|l| l.sku == sku.code) {
                    continue;
                }
                lines.push(OrderLineInput {
                    sku: sku.code.clone(),
                    qty: Qty(1),
                    unit_price: Some(sku.price),
                    discount: None,
                });
            }
            self.number += 1;
            let customer = self.rng.random_range(1..50_000);
            let order = OrderInput {
                external_id: format!("W{}", self.number),
                channel: "web".into(),
                ship_to: Address {
                    name: Some(format!("Pickup customer {customer}")),
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
                },
                lines,
                service_level: Some("pickup".into()),
                email: Some(format!("pickup{customer}@example.com")),
                ship_by: None,
                deliver_by: None,
                shipping_charge: Some(Money::default()),
                discount: None,
                fulfillment: Some("pickup".into()),
                pickup_node: Some(store.code.into()),
            };
            let t = Timestamp(slot.at.0 - 3 * HOUR_US + (i as i64 * 3 * HOUR_US) / n.max(1) as i64);
            cmds.push(Cmd::ok(t, "storefront", Command::PlaceOrder(order)));
            meta.push((t, store.code));
        }
        let mut cancel = Vec::new();
        for (a, (t, node)) in sim.submit(self.name(), cmds)?.into_iter().zip(meta) {
            let Some(Outcome::Order { order, .. }) = a else {
                anyhow::bail!("a pickup order was answered with something else");
            };
            world.count("pickup orders", 1);
            world.placed += 1;
            if order.status != OrderStatus::Allocated {
                // The store lacks it: the customer picks another way.
                world.count("pickup orders cancelled: not in store", 1);
                cancel.push(Cmd::ok(
                    Timestamp(t.0 + MINUTE_US),
                    "customer",
                    Command::CancelOrder(order.order_id().context("an order id")?),
                ));
                continue;
            }
            let pick = Timestamp(t.0 + self.rng.random_range(HOUR_US..5 * HOUR_US));
            self.open.push(PickupOrder {
                id: format!("{}-{node}", order.id),
                node,
                at: pick,
                status: "open",
                code: String::new(),
                collect: self.rng.random_bool(0.96),
            });
        }
        sim.submit(self.name(), cancel)?;
        Ok(())
    }
}

impl Step for Pickup {
    fn name(&self) -> &'static str {
        "pickup"
    }

    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        if let SlotKind::Wave(_) = slot.kind {
            self.place(slot, sim, world)?;
        }
        // Picked and staged, then collected.
        let mut due: Vec<usize> = (0..self.open.len())
            .filter(|&i| self.open[i].at.0 <= slot.at.0 && self.open[i].status == "open")
            .collect();
        due.sort_by_key(|&i| self.open[i].at);
        let mut cmds = Vec::new();
        for &i in &due {
            let p = &self.open[i];
            let actor = format!("associate-{}", p.node.to_lowercase());
            cmds.push(Cmd::ok(
                p.at,
                actor.clone(),
                Command::Store(StoreCommand::Picked(p.node.into(), p.id.clone())),
            ));
            cmds.push(Cmd::ok(
                Timestamp(p.at.0 + 20 * MINUTE_US),
                actor,
                Command::Store(StoreCommand::Ready(p.node.into(), p.id.clone())),
            ));
        }
        let answers = sim.submit(self.name(), cmds)?;
        for (k, &i) in due.iter().enumerate() {
            let Some(Outcome::Store(StoreOutcome::Task(t))) = &answers[2 * k + 1] else {
                anyhow::bail!("a pickup order made ready was answered with something else");
            };
            world.count("pickup orders ready", 1);
            let wait = match self.rng.random::<f64>() {
                x if x < 0.6 => self.rng.random_range(HOUR_US..8 * HOUR_US),
                x if x < 0.9 => self.rng.random_range(DAY_US..DAY_US + 8 * HOUR_US),
                _ => self.rng.random_range(2 * DAY_US..2 * DAY_US + 8 * HOUR_US),
            };
            let p = &mut self.open[i];
            p.status = "ready";
            p.code = t.pickup_code.clone().unwrap_or_default();
            p.at = Timestamp(p.at.0 + 20 * MINUTE_US + wait);
        }
        let mut due: Vec<usize> = (0..self.open.len())
            .filter(|&i| {
                let p = &self.open[i];
                p.at.0 <= slot.at.0 && p.status == "ready" && p.collect
            })
            .collect();
        due.sort_by_key(|&i| self.open[i].at);
        let mut cmds = Vec::new();
        for &i in &due {
            let p = &self.open[i];
            let collect = |code: String| {
                Command::Store(StoreCommand::Collected(
                    p.node.into(),
                    p.id.clone(),
                    CollectInput { code },
                ))
            };
            // A few read the code off wrong first: refused, then right.
            if self.rng.random_bool(0.02) {
                let wrong = format!("{:06}", self.rng.random_range(0..1_000_000));
                if wrong != p.code {
                    cmds.push(Cmd::may_fail(
                        p.at,
                        "customer",
                        collect(wrong),
                        "collection refused: wrong pickup code",
                    ));
                }
            }
            cmds.push(Cmd::ok(
                Timestamp(p.at.0 + MINUTE_US),
                "customer",
                collect(p.code.clone()),
            ));
        }
        world.count("pickup orders collected", due.len() as u64);
        sim.submit(self.name(), cmds)?;
        for &i in &due {
            self.open[i].status = "collected";
        }
        if slot.kind == SlotKind::Close {
            let cmds = Self::stores()
                .enumerate()
                .map(|(k, (_, n))| {
                    Cmd::ok(
                        Timestamp(slot.at.0 + k as i64),
                        format!("associate-{}", n.code.to_lowercase()),
                        Command::Store(StoreCommand::Expire(n.code.into())),
                    )
                })
                .collect();
            for a in sim.submit(self.name(), cmds)? {
                if let Some(Outcome::Store(StoreOutcome::Tasks(v))) = a {
                    world.count("pickup orders expired uncollected", v.tasks.len() as u64);
                    for t in v.tasks {
                        if let Some(p) = self.open.iter_mut().find(|p| p.id == t.id) {
                            p.status = "expired";
                        }
                    }
                }
            }
            self.open.retain(|p| matches!(p.status, "open" | "ready"));
        }
        Ok(())
    }
}

// ---- the 3PL ----

/// The 3PL works the requests sourcing sends it: it acknowledges them in the
/// morning and at each wave, ships the acknowledged ones with a tracking
/// number (a rare one rejected: the units go elsewhere), and each morning
/// reports its stock (a few SKUs off from the books).
pub struct Partners {
    rng: ChaCha8Rng,
    tracking: u64,
}

impl Partners {
    pub fn new(seed: u64) -> Partners {
        Partners {
            rng: stream(seed, "partners"),
            tracking: 0,
        }
    }

    fn feed(
        &mut self,
        slot: &Slot,
        sim: &mut Sim,
        world: &mut World,
        node: &str,
    ) -> anyhow::Result<()> {
        let rows = node_inventory(sim, node, false)?;
        let mut lines = Vec::new();
        let mut off = 0;
        for r in rows {
            let mut qty = r.on_hand;
            if self.rng.random_bool(0.01) {
                let d = self.rng.random_range(-2i64..=1).max(-r.available.max(0));
                if d != 0 {
                    off += 1;
                }
                qty += d;
            }
            lines.push(StockFeedLine {
                sku: r.sku,
                qty: Qty(qty.max(0)),
            });
        }
        let cmds = lines
            .chunks(tote_core::limits::REQUEST_LINES_MAX)
            .map(|c| {
                Cmd::ok(
                    at_plus(slot.at, 5),
                    format!("feed-{}", node.to_lowercase()),
                    Command::Partner(PartnerCommand::Stock(
                        node.into(),
                        StockFeedInput {
                            lines: c.to_vec(),
                            note: Some("daily stock feed".into()),
                        },
                    )),
                )
            })
            .collect();
        sim.submit(self.name(), cmds)?;
        world.count("3PL stock feeds", 1);
        world.count("3PL stock feed lines off the books", off);
        Ok(())
    }
}

impl Step for Partners {
    fn name(&self) -> &'static str {
        "partners"
    }

    fn run(&mut self, slot: &Slot, sim: &mut Sim, world: &mut World) -> anyhow::Result<()> {
        for n in NODES.iter().filter(|n| n.kind == NodeKind::ThirdParty) {
            let actor = format!("edi-{}", n.code.to_lowercase());
            if slot.kind == SlotKind::Morning {
                self.feed(slot, sim, world, n.code)?;
            }
            if slot.kind == SlotKind::Close {
                continue;
            }
            let answers = sim.submit(
                self.name(),
                vec![Cmd::ok(
                    at_plus(slot.at, 10),
                    actor.clone(),
                    Command::Partner(PartnerCommand::Requests(n.code.into())),
                )],
            )?;
            let Some(Some(Outcome::Partner(PartnerOutcome::Requests(open)))) =
                answers.into_iter().next()
            else {
                anyhow::bail!("the 3PL's requests were answered with something else");
            };
            let mut cmds = Vec::new();
            let t = at_plus(slot.at, 15);
            for (i, r) in open.requests.iter().enumerate() {
                let ti = Timestamp(t.0 + i as i64 * 1_000_000);
                let command = if r.status == "open" {
                    world.count("3PL requests acknowledged", 1);
                    PartnerCommand::Acknowledge(n.code.into(), r.id.clone())
                } else if self.rng.random_bool(0.005) {
                    world.count("3PL requests rejected", 1);
                    PartnerCommand::Reject(
                        n.code.into(),
                        r.id.clone(),
                        PartnerRejectInput {
                            note: Some("units not found in the bin".into()),
                        },
                    )
                } else {
                    self.tracking += 1;
                    world.count("3PL requests shipped", 1);
                    PartnerCommand::Ship(
                        n.code.into(),
                        r.id.clone(),
                        PartnerShipInput {
                            carrier: "parcelo".into(),
                            tracking: format!("3PLMEM{:09}", self.tracking),
                        },
                    )
                };
                cmds.push(Cmd::ok(ti, actor.clone(), Command::Partner(command)));
            }
            sim.submit(self.name(), cmds)?;
        }
        Ok(())
    }
}
