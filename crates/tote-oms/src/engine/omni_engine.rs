//! Omnichannel sourcing inside the writer: it loads what tote-sourcing needs
//! from the books (available units per node, node profiles, the channel's
//! policy, today's capacity use), calls `decide`, and turns the decision into
//! reservations. Also answers availability per channel and delivery promises,
//! and fills backorders when stock arrives.

use super::{Engine, SkuQty};
use crate::command::{AdjustmentInput, AdjustmentLine, Envelope, OpError, Outcome};
use crate::omni::{
    AvailabilityQuery, AvailabilityView, ChannelPolicyView, NodeAvailability, NodeProfileView,
    PartnerOutcome, PartnerRequest, PromiseOption, PromiseQuery, PromiseView, RejectInput,
    SOURCING_SERVICE, StockFeedInput, StockFeedResult, StockFeedView, StoreTask,
};
use chrono::{NaiveDate, NaiveTime};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tote_core::order::format_order_id;
use tote_core::validate::Checker;
use tote_core::{
    Address, Allocation, EventKind, Invalid, Node, NodeId, NodeKind, Order, OrderId, OrgId,
    OwnerId, Qty, SkuId, Timestamp,
};
use tote_ledger::{Account, Bucket};
use tote_sourcing::{
    ChannelPolicy, Decision, FlatRate, LineInput, NodeInput, NodeProfile, Request, TransportRater,
    channel_available, decide, promise,
};
use tote_store::{OrderRow, SourcingConfigRow, StoreError};
use tote_transport::{
    CarrierSet, Country, Lane, Length, Parcel, Place, PostalCode, WeekDays, Weight, WorkDays,
};

const DAY_US: i64 = 86_400_000_000;

/// What a node has taken on one UTC day, against its daily capacity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CapacityUse {
    /// Days since 1970-01-01, UTC.
    day: i64,
    orders: u32,
    units: u32,
}

/// What an order asks of sourcing: its channel, address, promise, and the
/// store it is collected from when it is a pickup order.
#[derive(Clone, Copy)]
pub(super) struct Want<'a> {
    pub(super) channel: &'a str,
    pub(super) ship_to: &'a Address,
    pub(super) deliver_by: Option<NaiveDate>,
    pub(super) pickup: Option<&'a str>,
    /// Units per node and line to source from instead of the ledger's available.
    pub(super) stock: Option<&'a BTreeMap<NodeId, Vec<i64>>>,
}

impl<'a> Want<'a> {
    pub(super) fn of(order: &'a Order) -> Want<'a> {
        Want {
            channel: &order.channel,
            ship_to: &order.ship_to,
            deliver_by: order.deliver_by,
            pickup: order.pickup_node.as_deref(),
            stock: None,
        }
    }
}

/// What sourcing an order's lines gives: units per line and node, the
/// decision, and the ship-by the channel's rule and the chosen nodes imply.
pub(super) struct Sourced {
    pub(super) plan: Vec<Vec<(NodeId, Qty)>>,
    pub(super) decision: Decision,
    /// RFC 3339, to the second.
    pub(super) ship_by: Option<String>,
}

/// Sourcing configuration and today's capacity use, held by the writer.
pub(super) struct SourcingState {
    profiles: HashMap<(OrgId, String), NodeProfile>,
    pub(super) channels: HashMap<(OrgId, String), ChannelPolicy>,
    /// Per node: shipments and units sourced to it on one UTC day; stored as
    /// `capacity` rows of `sourcing_config` in the same commit group for the
    /// nodes with a daily limit.
    used: HashMap<(OrgId, String), CapacityUse>,
    /// The carrier tables parcels are costed with: the engine's own when they
    /// have the ground service sourcing prices with.
    pub(super) carriers: Arc<CarrierSet>,
    /// Open fulfilment requests to 3PLs and drop-ship vendors, by id; stored
    /// as `partner_request` rows of `sourcing_config`.
    pub(super) requests: BTreeMap<String, PartnerRequest>,
    /// Open store pick tasks, by id; stored as `store_task` rows.
    pub(super) tasks: BTreeMap<String, StoreTask>,
    /// Look-ahead price of a unit of a SKU at each node, in cents: stored as
    /// `lookahead` rows (one per SKU), with the day of the last refresh.
    pub(super) prices: HashMap<(OrgId, String), BTreeMap<String, i64>>,
    pub(super) prices_day: HashMap<OrgId, i64>,
    /// Set while a node gives back several lines of one order, so its
    /// requests and tasks are brought up to date once, at the end.
    pub(super) hold_sync: bool,
}

impl SourcingState {
    pub(super) fn load(rows: &[SourcingConfigRow]) -> Result<SourcingState, StoreError> {
        let mut s = SourcingState {
            profiles: HashMap::new(),
            channels: HashMap::new(),
            used: HashMap::new(),
            requests: BTreeMap::new(),
            tasks: BTreeMap::new(),
            prices: HashMap::new(),
            prices_day: HashMap::new(),
            hold_sync: false,
            carriers: Arc::new(tote_transport::cli::example_carriers()),
        };
        for r in rows {
            let bad = |e: serde_json::Error| {
                StoreError::Corrupt(format!("sourcing_config {} {}: {e}", r.kind, r.code))
            };
            match r.kind.as_str() {
                "node" => {
                    let p = serde_json::from_str(&r.body).map_err(bad)?;
                    s.profiles.insert((r.org, r.code.clone()), p);
                }
                "channel" => {
                    let p = serde_json::from_str(&r.body).map_err(bad)?;
                    s.channels.insert((r.org, r.code.clone()), p);
                }
                "partner_request" => {
                    let q: PartnerRequest = serde_json::from_str(&r.body).map_err(bad)?;
                    if q.is_open() {
                        s.requests.insert(q.id.clone(), q);
                    }
                }
                "store_task" => {
                    let t: StoreTask = serde_json::from_str(&r.body).map_err(bad)?;
                    if t.is_open() {
                        s.tasks.insert(t.id.clone(), t);
                    }
                }
                "lookahead" => {
                    let p = serde_json::from_str(&r.body).map_err(bad)?;
                    s.prices.insert((r.org, r.code.clone()), p);
                }
                "lookahead_day" => {
                    let d = serde_json::from_str(&r.body).map_err(bad)?;
                    s.prices_day.insert(r.org, d);
                }
                "capacity" => {
                    let u = serde_json::from_str(&r.body).map_err(bad)?;
                    s.used.insert((r.org, r.code.clone()), u);
                }
                other => {
                    return Err(StoreError::Corrupt(format!(
                        "sourcing_config kind `{other}`"
                    )));
                }
            }
        }
        assert!(
            s.carriers.service(SOURCING_SERVICE).is_some(),
            "the example carriers hold {SOURCING_SERVICE}"
        );
        Ok(s)
    }
}

/// A node without a stored profile: stores ship from store and take pickups,
/// every other kind ships; no costs, capacity or buffer, so sourcing ranks it
/// by shipping cost and then by priority as before profiles existed.
fn default_profile(kind: NodeKind) -> NodeProfile {
    let mut p = NodeProfile::default();
    if kind == NodeKind::Store {
        p.caps.ship = false;
        p.caps.ship_from_store = true;
        p.caps.pickup = true;
    }
    p
}

pub(super) fn place(country: &str, postal: &str) -> Option<Place> {
    Some(Place {
        country: Country::parse(country)?,
        postal: PostalCode::parse(postal)?,
    })
}

/// The node as tote-transport's date arithmetic sees it: its place, time
/// zone, cut-off (the carrier's when it states none) and calendar (Mon-Fri
/// less its holidays).
fn transport_node(n: &Node, p: &NodeProfile) -> Option<tote_transport::Node> {
    Some(tote_transport::Node {
        id: n.input.code.clone(),
        place: place(&n.input.address.country, &n.input.address.postal_code)?,
        time_zone: n.input.time_zone.parse().unwrap_or(tote_transport::Tz::UTC),
        cutoff: n
            .input
            .cut_off
            .as_deref()
            .and_then(|c| NaiveTime::parse_from_str(c, "%H:%M").ok())
            .unwrap_or_else(|| NaiveTime::from_hms_opt(23, 59, 59).expect("valid time")),
        days: WorkDays::new(WeekDays::MON_FRI, p.holidays.clone()),
    })
}

fn cents(m: tote_core::Money) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (m.0 * rust_decimal::Decimal::from(100))
        .round()
        .to_i64()
        .unwrap_or(i64::MAX)
}

fn day_of(at: Timestamp) -> i64 {
    at.0.div_euclid(DAY_US)
}

impl Engine {
    pub(super) fn profile_of(&self, node: &Node) -> NodeProfile {
        self.sourcing
            .profiles
            .get(&(node.org, node.input.code.clone()))
            .cloned()
            .unwrap_or_else(|| default_profile(node.input.kind))
    }

    pub(super) fn policy_of(&self, org: OrgId, channel: &str) -> ChannelPolicy {
        self.sourcing
            .channels
            .get(&(org, channel.to_owned()))
            .cloned()
            .unwrap_or_default()
    }

    /// Ledger available (on-hand less reserved) of `sku` per node.
    pub(super) fn available_by_node(&self, sku: SkuId) -> BTreeMap<NodeId, i64> {
        let mut out = BTreeMap::new();
        for &acct in self.ledger.stock_accounts(OwnerId::DEFAULT, sku) {
            let Account::Internal { node, .. } = self.ledger.key(acct) else {
                continue;
            };
            let a = self.ledger.balance(acct).available();
            if a > Qty::ZERO {
                *out.entry(node).or_insert(0) += a.0;
            }
        }
        out
    }

    pub(super) fn put_node_profile(
        &mut self,
        env: &Envelope,
        code: &str,
        profile: &NodeProfile,
    ) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        for (field, problem) in profile.problems() {
            c.fail(field, problem);
        }
        c.finish()?;
        self.node_in_path(env.org, code)?;
        self.sourcing
            .profiles
            .insert((env.org, code.to_owned()), profile.clone());
        self.group.sourcing_config.push(SourcingConfigRow {
            org: env.org,
            kind: "node".into(),
            code: code.to_owned(),
            body: serde_json::to_string(profile).expect("profiles serialise"),
        });
        let view = NodeProfileView {
            node: code.to_owned(),
            profile: profile.clone(),
        };
        self.event(
            env,
            EventKind::NodeUpdated,
            code,
            json!({ "sourcing": view }),
        );
        Ok(Outcome::NodeProfile(view))
    }

    pub(super) fn put_channel_policy(
        &mut self,
        env: &Envelope,
        channel: &str,
        policy: &ChannelPolicy,
    ) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        c.code("channel", channel);
        for (field, problem) in policy.problems() {
            c.fail(field, problem);
        }
        for (field, node) in policy.named_nodes() {
            if !self.nodes.contains_key(&(env.org, node.to_owned())) {
                c.fail(field, format!("unknown node `{node}`"));
            }
        }
        c.finish()?;
        self.sourcing
            .channels
            .insert((env.org, channel.to_owned()), policy.clone());
        self.group.sourcing_config.push(SourcingConfigRow {
            org: env.org,
            kind: "channel".into(),
            code: channel.to_owned(),
            body: serde_json::to_string(policy).expect("policies serialise"),
        });
        let view = ChannelPolicyView {
            channel: channel.to_owned(),
            policy: policy.clone(),
        };
        self.event(
            env,
            EventKind::NodeUpdated,
            &format!("channel/{channel}"),
            json!({ "sourcing": view }),
        );
        Ok(Outcome::ChannelPolicy(view))
    }

    /// Sources `lines` for an order of `channel` to `ship_to`: the units of each
    /// line per node, and the decision that explains them. A node whose earliest
    /// ground delivery falls after `deliver_by` is late for the decision. With
    /// `count` the shipments are charged against the nodes' capacity for the day.
    pub(super) fn source_lines(
        &mut self,
        env: &Envelope,
        want: &Want<'_>,
        lines: &[(SkuId, Qty)],
        count: bool,
        exclude: Option<&str>,
    ) -> Sourced {
        let Want {
            channel,
            ship_to,
            deliver_by,
            pickup,
            stock: given,
        } = *want;
        let mut policy = self.policy_of(env.org, channel);
        if let Some(node) = exclude {
            policy.rules.exclude.push(node.to_owned());
        }
        // A pickup order is one parcel-free shipment from its store.
        let count = count && pickup.is_none();
        if pickup.is_some() {
            policy.rules.max_splits = 0;
        }
        let day = day_of(env.at);
        let stock: BTreeMap<NodeId, Vec<i64>> = match given {
            Some(g) => g.clone(),
            None => {
                let mut stock = BTreeMap::new();
                for (l, &(sku, _)) in lines.iter().enumerate() {
                    for (node, a) in self.available_by_node(sku) {
                        stock.entry(node).or_insert_with(|| vec![0; lines.len()])[l] += a;
                    }
                }
                stock
            }
        };
        let nodes: Vec<&Node> = stock
            .keys()
            .filter_map(|id| self.node_by_id.get(id))
            .filter(|n| n.org == env.org && pickup.is_none_or(|p| p == n.input.code))
            .collect();
        let profiles: Vec<NodeProfile> = nodes
            .iter()
            .map(|n| {
                let mut p = self.profile_of(n);
                if pickup.is_some() {
                    // The customer comes to the store: no parcel, and the day's
                    // pick tasks queue against its capacity instead.
                    p.caps.ship = true;
                    p.caps.ship_from_store = true;
                    p.capacity_orders_day = None;
                    p.capacity_units_day = None;
                }
                p
            })
            .collect();
        let origins: Vec<Option<Place>> = nodes
            .iter()
            .map(|n| place(&n.input.address.country, &n.input.address.postal_code))
            .collect();
        let destination = place(&ship_to.country, &ship_to.postal_code);
        let service = self
            .sourcing
            .carriers
            .service(SOURCING_SERVICE)
            .expect("checked when loaded");
        let placed = env.at.to_datetime();
        let ship_on = placed.date_naive();
        let mut rater = TransportRater::new(service, &origins, destination.as_ref(), true, ship_on);
        // Each node's earliest ground delivery and the carrier pickup it needs.
        let dated: Vec<Option<(tote_transport::Delivery, chrono::DateTime<chrono::Utc>)>> = nodes
            .iter()
            .zip(&profiles)
            .enumerate()
            .map(|(i, (n, p))| {
                let tnode = transport_node(n, p)?;
                let d = promise::earliest_delivery(
                    service,
                    &tnode,
                    rater.zone(i)?,
                    placed,
                    p.handling_days,
                )?;
                Some((d, promise::leave_by(service, &tnode, d.ship_on)))
            })
            .collect();
        let inputs: Vec<NodeInput<'_>> = nodes
            .iter()
            .zip(&profiles)
            .zip(&dated)
            .map(|((n, p), dated)| {
                let u = match self.sourcing.used.get(&(n.org, n.input.code.clone())) {
                    Some(u) if u.day == day => *u,
                    _ => CapacityUse::default(),
                };
                NodeInput {
                    code: &n.input.code,
                    priority: n.input.priority,
                    is_store: n.input.kind == NodeKind::Store,
                    profile: p,
                    orders_today: u.orders,
                    units_today: u.units,
                    available: stock[&n.id].clone(),
                    unit_dual_cents: if policy.look_ahead {
                        self.unit_prices(env.org, &n.input.code, lines)
                    } else {
                        Vec::new()
                    },
                    late: pickup.is_none()
                        && promise::misses(dated.as_ref().map(|(d, _)| d), deliver_by),
                }
            })
            .collect();
        let line_inputs: Vec<LineInput> = lines
            .iter()
            .map(|&(sku, qty)| {
                let s = self
                    .sku_codes
                    .get(&sku)
                    .and_then(|code| self.sku(env.org, code));
                LineInput {
                    sku: sku.0,
                    qty: qty.0,
                    weight_g: s.map_or(0, |s| s.input.weight_g),
                    value_cents: s.map_or(0, |s| cents(s.input.price)),
                }
            })
            .collect();
        let mut no_parcel = FlatRate {
            per_node_cents: Vec::new(),
            base_cents: 0,
            per_kg_cents: 0,
        };
        let ship: &mut dyn tote_sourcing::ShipCost = if pickup.is_some() {
            &mut no_parcel
        } else {
            &mut rater
        };
        let mut decision = decide(
            &Request {
                lines: &line_inputs,
                nodes: &inputs,
                policy: &policy,
            },
            ship,
        );
        decision.look_ahead = inputs
            .iter()
            .flat_map(|n| {
                n.unit_dual_cents
                    .iter()
                    .zip(lines)
                    .filter(|(c, _)| **c != 0)
                    .map(|(&cents, &(sku, _))| tote_sourcing::UnitPrice {
                        node: n.code.to_owned(),
                        sku: self.sku_codes.get(&sku).cloned().unwrap_or_default(),
                        cents,
                    })
            })
            .collect();
        decision.look_ahead.dedup();
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.input.code.as_str(), i))
            .collect();
        let mut pickups = Vec::new();
        for sh in decision.shipments.iter_mut().filter(|_| pickup.is_none()) {
            if let Some((d, leave)) = dated[index[sh.node.as_str()]] {
                sh.deliver_on = Some(d.deliver_on);
                pickups.push(leave);
            }
        }
        let ship_by = promise::ship_by(placed, policy.ship_by_hours, pickups)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        let plan: Vec<Vec<(NodeId, Qty)>> = (0..lines.len())
            .map(|l| {
                decision
                    .allocations(l)
                    .map(|(code, q)| (nodes[index[code]].id, Qty(q)))
                    .collect()
            })
            .collect();
        // Only a node with a daily limit needs its count to outlive a restart.
        let limited: Vec<bool> = decision
            .shipments
            .iter()
            .map(|sh| {
                let p = &profiles[index[sh.node.as_str()]];
                p.capacity_orders_day.is_some() || p.capacity_units_day.is_some()
            })
            .collect();
        if count {
            for (sh, limited) in decision.shipments.iter().zip(limited) {
                let key = (env.org, sh.node.clone());
                let e = self.sourcing.used.entry(key).or_default();
                if e.day != day {
                    *e = CapacityUse {
                        day,
                        ..CapacityUse::default()
                    };
                }
                e.orders += 1;
                e.units += u32::try_from(sh.units).unwrap_or(u32::MAX);
                if !limited {
                    continue;
                }
                let body = serde_json::to_string(e).expect("capacity use serialises");
                self.group.sourcing_config.push(SourcingConfigRow {
                    org: env.org,
                    kind: "capacity".into(),
                    code: sh.node.clone(),
                    body,
                });
            }
        }
        Sourced {
            plan,
            decision,
            ship_by,
        }
    }

    pub(super) fn availability(
        &self,
        env: &Envelope,
        q: &AvailabilityQuery,
    ) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        c.code("sku", &q.sku);
        c.code("channel", &q.channel);
        c.finish()?;
        let sku = self.sku(env.org, &q.sku).ok_or_else(|| {
            OpError::Invalid(Invalid::one("sku", format!("unknown sku `{}`", q.sku)))
        })?;
        let policy = self.policy_of(env.org, &q.channel);
        let by_node = self.available_by_node(sku.id);
        let mut nodes: Vec<NodeAvailability> = by_node
            .iter()
            .filter_map(|(id, &a)| {
                let n = self.node_by_id.get(id)?;
                (n.org == env.org).then(|| {
                    let p = self.profile_of(n);
                    NodeAvailability {
                        node: n.input.code.clone(),
                        kind: n.input.kind.as_str().into(),
                        available: a,
                        channel_available: channel_available(
                            a,
                            &n.input.code,
                            n.input.kind == NodeKind::Store,
                            &p,
                            &policy,
                        ),
                    }
                })
            })
            .collect();
        nodes.sort_by(|a, b| a.node.cmp(&b.node));
        Ok(Outcome::Availability(AvailabilityView {
            sku: q.sku.clone(),
            channel: q.channel.clone(),
            total: nodes.iter().map(|n| n.channel_available).sum(),
            nodes,
        }))
    }

    /// The earliest delivery each service offers for `qty` units, from any node
    /// whose channel availability covers them, with what the parcel costs.
    pub(super) fn promise(&self, env: &Envelope, q: &PromiseQuery) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        c.code("sku", &q.sku);
        c.code("channel", &q.channel);
        c.line_qty("qty", q.qty);
        let destination = place(&q.country, &q.postal_code);
        if Country::parse(&q.country).is_none() {
            c.fail("country", "must be an ISO 3166-1 alpha-2 code such as US");
        } else if destination.is_none() {
            c.fail("postal_code", "must be letters and digits, at most 12");
        }
        c.finish()?;
        let destination = destination.expect("checked above");
        let sku = self.sku(env.org, &q.sku).ok_or_else(|| {
            OpError::Invalid(Invalid::one("sku", format!("unknown sku `{}`", q.sku)))
        })?;
        let policy = self.policy_of(env.org, &q.channel);
        let weight_g = u64::from(sku.input.weight_g.max(1)) * q.qty.0 as u64;
        let side_mm = ((weight_g as f64).cbrt() * 10.0).ceil() as u64;
        let parcel = Parcel {
            dims: [Length::from_mm(side_mm.max(1)); 3],
            weight: Weight::from_g(weight_g),
        };
        // The carrier tables the shop rates with, so a promise and a label agree.
        let carriers = self.carriers.clone();
        let mut best: Vec<Option<PromiseOption>> = vec![None; carriers.services.len()];
        let mut best_key: Vec<Option<(chrono::NaiveDate, rust_decimal::Decimal)>> =
            vec![None; best.len()];
        for (id, a) in self.available_by_node(sku.id) {
            let Some(n) = self.node_by_id.get(&id).filter(|n| n.org == env.org) else {
                continue;
            };
            let p = self.profile_of(n);
            let is_store = n.input.kind == NodeKind::Store;
            if channel_available(a, &n.input.code, is_store, &p, &policy) < q.qty.0
                || !(if is_store {
                    p.caps.ship_from_store
                } else {
                    p.caps.ship
                })
            {
                continue;
            }
            let Some(tnode) = transport_node(n, &p) else {
                continue;
            };
            let lane = Lane {
                origin: tnode.place.clone(),
                destination: destination.clone(),
                residential: true,
            };
            for (i, service) in carriers.services.iter().enumerate() {
                let Some(zone) = service.zones.zone(&lane.origin, &lane.destination) else {
                    continue;
                };
                let Some(d) = promise::earliest_delivery(
                    service,
                    &tnode,
                    zone,
                    env.at.to_datetime(),
                    p.handling_days,
                ) else {
                    continue;
                };
                let Ok(quote) =
                    tote_transport::rating::quote_in_zone(service, &parcel, zone, &lane, d.ship_on)
                else {
                    continue;
                };
                let key = (d.deliver_on, quote.total);
                if best_key[i].is_none_or(|k| key < k) {
                    best_key[i] = Some(key);
                    best[i] = Some(PromiseOption {
                        service: service.key(),
                        service_name: service.name.clone(),
                        node: n.input.code.clone(),
                        ship_on: d.ship_on.to_string(),
                        deliver_on: d.deliver_on.to_string(),
                        transit_days: d.transit_days,
                        cost: quote.total.to_string(),
                        currency: quote.currency.as_str().to_owned(),
                    });
                }
            }
        }
        let mut options: Vec<(chrono::NaiveDate, rust_decimal::Decimal, PromiseOption)> = best
            .into_iter()
            .zip(best_key)
            .filter_map(|(o, k)| Some((k?.0, k?.1, o?)))
            .collect();
        options.sort_by(|a, b| (a.0, a.1, &a.2.service).cmp(&(b.0, b.1, &b.2.service)));
        Ok(Outcome::Promise(PromiseView {
            sku: q.sku.clone(),
            qty: q.qty,
            channel: q.channel.clone(),
            options: options.into_iter().map(|(_, _, o)| o).collect(),
        }))
    }

    /// A node gives back its units of one line of an open order (a store did not
    /// find them): its reservations are voided and the units are sourced again
    /// at once from the other nodes; what none has is backordered.
    pub(super) fn reject_line(
        &mut self,
        env: &Envelope,
        id: OrderId,
        input: &RejectInput,
    ) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        c.code("sku", &input.sku);
        c.optional_text("note", input.note.as_deref());
        c.finish()?;
        let Some(mut order) = self.open_orders.get(&id).cloned() else {
            return Err(if id.0 < self.next_order && id.0 > 0 {
                OpError::Conflict(format!(
                    "order {} is closed: only open orders can be re-sourced",
                    format_order_id(id)
                ))
            } else {
                OpError::NotFound {
                    what: "order",
                    id: format_order_id(id),
                }
            });
        };
        if !order.status.is_open() {
            return Err(OpError::Conflict(format!(
                "order {} is {}: only open orders can be re-sourced",
                order.id,
                order.status.as_str()
            )));
        }
        let held = order.lines.iter().enumerate().find_map(|(l, line)| {
            (line.sku == input.sku)
                .then(|| line.allocations.iter().position(|a| a.node == input.node))
                .flatten()
                .map(|a| (l, a))
        });
        let Some((l, a)) = held else {
            return Err(OpError::Invalid(Invalid::one(
                "node",
                format!(
                    "order {} holds no units of `{}` at `{}`",
                    order.id, input.sku, input.node
                ),
            )));
        };
        let order_ref = order.id.clone();
        let released = order.lines[l].allocations.remove(a);
        self.void_reservations(env, &released.reservations, &order_ref);
        let sku = self
            .sku(order.org, &input.sku)
            .map(|s| s.id)
            .expect("an order's SKUs are in the catalog");
        order.lines[l].backordered += released.qty;
        let Sourced { plan, decision, .. } = self.source_lines(
            env,
            &Want::of(&order),
            &[(sku, released.qty)],
            true,
            Some(&input.node),
        );
        let mut allocated = Vec::new();
        for (node, qty) in plan.into_iter().flatten() {
            let reservations = self.reserve_at_node(env, node, sku, qty, &order_ref);
            let code = self.node_code(node).to_owned();
            let line = &mut order.lines[l];
            line.backordered -= qty;
            match line.allocations.iter_mut().find(|x| x.node == code) {
                Some(x) => {
                    x.qty += qty;
                    x.reservations.extend(reservations);
                }
                None => line.allocations.push(Allocation {
                    node: code.clone(),
                    qty,
                    reservations,
                }),
            }
            allocated.push(json!({"sku": input.sku, "node": code, "qty": qty}));
        }
        assert!(
            order.lines[l].backordered >= Qty::ZERO,
            "{order_ref} over-allocated"
        );
        order.status = Order::derive_status(&order.lines);
        order.updated_at = env.at.to_rfc3339();
        self.event(
            env,
            EventKind::OrderLineRejected,
            &order_ref,
            json!({
                "node": input.node,
                "sku": input.sku,
                "qty": released.qty,
                "note": input.note,
                "allocations": allocated,
                "backordered": order.lines[l].backordered,
                "sourcing": decision,
            }),
        );
        self.sync_fulfilment(env, &order, "rejected");
        let placed_at = Timestamp::parse_rfc3339(&order.placed_at).unwrap_or(env.at);
        self.group.orders.push(OrderRow::new(id, placed_at, &order));
        self.open_orders.insert(id, order.clone());
        Ok(Outcome::Order {
            order,
            created: false,
        })
    }

    pub(super) fn get_node_profile(&self, env: &Envelope, code: &str) -> Result<Outcome, OpError> {
        let node = self.node_in_path(env.org, code)?;
        Ok(Outcome::NodeProfile(NodeProfileView {
            node: code.to_owned(),
            profile: self.profile_of(node),
        }))
    }

    pub(super) fn get_channel_policy(&self, env: &Envelope, code: &str) -> Outcome {
        Outcome::ChannelPolicy(ChannelPolicyView {
            channel: code.to_owned(),
            policy: self.policy_of(env.org, code),
        })
    }

    /// Stock of `skus` arrived: open orders waiting for any of them are sourced
    /// again, in channel priority (lower first) and then order time.
    // Scans the open orders: receipts are far rarer than orders, and an index of
    // waiting orders would have to follow every cancel and edit.
    pub(super) fn fill_backorders(&mut self, env: &Envelope, skus: &[SkuId]) {
        let codes: Vec<&str> = skus
            .iter()
            .filter_map(|s| self.sku_codes.get(s).map(String::as_str))
            .collect();
        let mut waiting: Vec<(u32, OrderId)> = self
            .open_orders
            .iter()
            .filter(|(_, o)| {
                o.org == env.org
                    && o.lines
                        .iter()
                        .any(|l| l.backordered > Qty::ZERO && codes.contains(&l.sku.as_str()))
            })
            .map(|(&id, o)| (self.policy_of(o.org, &o.channel).priority, id))
            .collect();
        waiting.sort_unstable();
        for (_, id) in waiting {
            let mut order: Order = self.open_orders[&id].clone();
            let wanted: Vec<(usize, SkuId, Qty)> = order
                .lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.backordered > Qty::ZERO)
                .filter_map(|(i, l)| Some((i, self.sku(order.org, &l.sku)?.id, l.backordered)))
                .collect();
            let lines: Vec<(SkuId, Qty)> = wanted.iter().map(|&(_, s, q)| (s, q)).collect();
            let Sourced { plan, decision, .. } =
                self.source_lines(env, &Want::of(&order), &lines, true, None);
            if decision.shipments.is_empty() {
                continue;
            }
            let order_ref = format_order_id(id);
            let mut allocated = Vec::new();
            for (&(line, sku, _), parts) in wanted.iter().zip(plan) {
                for (node, qty) in parts {
                    let reservations = self.reserve_at_node(env, node, sku, qty, &order_ref);
                    let code = self.node_code(node).to_owned();
                    let l = &mut order.lines[line];
                    l.backordered -= qty;
                    match l.allocations.iter_mut().find(|a| a.node == code) {
                        Some(a) => {
                            a.qty += qty;
                            a.reservations.extend(reservations);
                        }
                        None => l.allocations.push(Allocation {
                            node: code.clone(),
                            qty,
                            reservations,
                        }),
                    }
                    assert!(l.backordered >= Qty::ZERO, "{order_ref} over-allocated");
                    allocated.push((l.sku.clone(), code, qty));
                }
            }
            order.status = Order::derive_status(&order.lines);
            order.updated_at = env.at.to_rfc3339();
            let placed_at = Timestamp::parse_rfc3339(&order.placed_at).unwrap_or(env.at);
            let data: Vec<SkuQty<'_>> = allocated
                .iter()
                .map(|(sku, node, qty)| SkuQty {
                    sku,
                    node: Some(node),
                    qty: *qty,
                })
                .collect();
            let body = json!({
                "allocations": data,
                "reason": "backorder filled on receipt",
                "sourcing": decision,
            });
            self.event(env, EventKind::OrderAllocated, &order_ref, body);
            self.sync_fulfilment(env, &order, "rejected");
            self.group.orders.push(OrderRow::new(id, placed_at, &order));
            self.open_orders.insert(id, order);
        }
    }
}

impl Engine {
    /// A 3PL or drop-ship vendor reports its on-hand: the difference from the
    /// books is booked per SKU as a `count_variance` adjustment (the ledger stays
    /// the one record; nothing is overwritten), and backorders of SKUs that
    /// grew are filled at once.
    pub(super) fn partner_stock(
        &mut self,
        env: &Envelope,
        code: &str,
        feed: &StockFeedInput,
    ) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        c.code("node", code);
        if feed.lines.is_empty() {
            c.fail("lines", "must hold at least one line");
        } else if feed.lines.len() > tote_core::limits::REQUEST_LINES_MAX {
            c.fail(
                "lines",
                format!(
                    "must hold at most {} lines",
                    tote_core::limits::REQUEST_LINES_MAX
                ),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for (i, l) in feed.lines.iter().enumerate() {
            c.code(("lines", i, "sku"), &l.sku);
            if !(0..=tote_core::limits::LINE_QTY_MAX).contains(&l.qty.0) {
                c.fail(
                    format!("lines[{i}].qty"),
                    format!(
                        "must be 0 to {}, got {}",
                        tote_core::limits::LINE_QTY_MAX,
                        l.qty.0
                    ),
                );
            }
            if !seen.insert(l.sku.as_str()) {
                c.fail(
                    format!("lines[{i}].sku"),
                    format!("`{}` is listed twice", l.sku),
                );
            }
        }
        c.optional_text("note", feed.note.as_deref());
        c.finish()?;
        let node = self.node_in_path(env.org, code)?;
        if !matches!(node.input.kind, NodeKind::ThirdParty | NodeKind::DropShip) {
            return Err(OpError::Invalid(Invalid::one(
                "node",
                format!(
                    "`{code}` is a {} node: stock feeds come from 3pl and drop_ship nodes",
                    node.input.kind.as_str()
                ),
            )));
        }
        let node_id = node.id;
        let receiving = self
            .locations
            .get(&(node_id, tote_core::catalog::RECEIVING_LOCATION.to_owned()))
            .map(|l| l.input.code.clone());
        let mut c = Checker::new();
        let mut results = Vec::with_capacity(feed.lines.len());
        let mut adjust = Vec::new();
        let mut grew = Vec::new();
        for (i, l) in feed.lines.iter().enumerate() {
            let Some(sku) = self.sku(env.org, &l.sku).map(|s| s.id) else {
                c.fail(
                    format!("lines[{i}].sku"),
                    format!("unknown sku `{}`", l.sku),
                );
                continue;
            };
            // (location code, on hand, of which free) at this node.
            let mut at: Vec<(String, i64, i64)> = Vec::new();
            for &acct in self.ledger.stock_accounts(OwnerId::DEFAULT, sku) {
                let Account::Internal {
                    node: n,
                    location,
                    bucket: Bucket::OnHand,
                    ..
                } = self.ledger.key(acct)
                else {
                    continue;
                };
                if n != node_id {
                    continue;
                }
                let b = self.ledger.balance(acct);
                at.push((
                    self.location_codes[&location].clone(),
                    b.posted.0,
                    b.available().0,
                ));
            }
            let was: i64 = at.iter().map(|a| a.1).sum();
            let free: i64 = at.iter().map(|a| a.2).sum();
            let diff = l.qty.0 - was;
            results.push(StockFeedResult {
                sku: l.sku.clone(),
                was,
                now: l.qty.0,
                booked: diff,
            });
            if diff > 0 {
                let Some(loc) = receiving.clone() else {
                    c.fail("node", format!("`{code}` has no receiving location"));
                    continue;
                };
                adjust.push(AdjustmentLine {
                    sku: l.sku.clone(),
                    qty: Qty(diff),
                    reason: "count_variance".into(),
                    location: Some(loc),
                });
                grew.push(sku);
            } else if diff < 0 {
                if -diff > free {
                    c.fail(
                        format!("lines[{i}].qty"),
                        format!(
                            "`{}`: {} of the {was} units here are reserved for open orders; \
                             reject those orders' lines first",
                            l.sku,
                            was - free
                        ),
                    );
                    continue;
                }
                // Take from the locations with the most free units first.
                at.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
                let mut left = -diff;
                for (loc, _, f) in at {
                    let take = left.min(f);
                    if take > 0 {
                        adjust.push(AdjustmentLine {
                            sku: l.sku.clone(),
                            qty: Qty(-take),
                            reason: "count_variance".into(),
                            location: Some(loc),
                        });
                        left -= take;
                    }
                }
            }
        }
        c.finish()?;
        let adjustment = if adjust.is_empty() {
            None
        } else {
            let note = match &feed.note {
                Some(n) => format!("stock feed from {code}: {n}"),
                None => format!("stock feed from {code}"),
            };
            match self.adjust(
                env,
                &AdjustmentInput {
                    node: code.to_owned(),
                    lines: adjust,
                    note: Some(note),
                },
            )? {
                Outcome::Adjustment(m) => Some(m),
                other => unreachable!("an adjustment answers an adjustment, not {other:?}"),
            }
        };
        if !grew.is_empty() {
            self.fill_backorders(env, &grew);
        }
        Ok(Outcome::Partner(PartnerOutcome::Stock(StockFeedView {
            node: code.to_owned(),
            lines: results,
            adjustment,
        })))
    }
}
