//! Re-sourcing open orders when stock or capacity changed, all together: the
//! orders not yet released to the floor free their reservations, each gets a
//! few candidate plans (what it holds, its best plan alone, and whole-order
//! plans at single nodes), and `tote_sourcing::batch` picks one plan per
//! order as a MIP over the free stock. An order moves when its chosen plan
//! fills more units or costs less by more than a threshold.

use super::omni_engine::{Sourced, Want};
use super::*;
use crate::omni::{ReplanInput, ReplanMove, ReplanView};
use std::collections::BTreeSet;
use tote_sourcing::Decision;
use tote_sourcing::batch::{BATCH_TIME_LIMIT_S, BATCH_VARS_MAX, BatchInput, Plan, optimise};

const THRESHOLD_CENTS_DEFAULT: i64 = 100;
/// Single-node whole-order plans tried per order (with its current plan and
/// its best plan alone: at most 8 candidates).
const SINGLE_NODE_PLANS_MAX: usize = 6;

/// Units a plan takes per (node, SKU), merged and sorted.
type Units = Vec<(NodeId, SkuId, i64)>;

fn merged(units: impl IntoIterator<Item = (NodeId, SkuId, i64)>) -> Units {
    let mut m: BTreeMap<(NodeId, SkuId), i64> = BTreeMap::new();
    for (n, s, q) in units {
        if q > 0 {
            *m.entry((n, s)).or_default() += q;
        }
    }
    m.into_iter().map(|((n, s), q)| (n, s, q)).collect()
}

/// A plan an order could move to.
struct Candidate {
    plan: Vec<Vec<(NodeId, Qty)>>,
    decision: Decision,
    back: i64,
    units: Units,
}

/// An order the replan weighs, with its holdings priced and its candidates.
struct Open {
    id: OrderId,
    /// The channel's priority (lower goes first).
    priority: u32,
    lines: Vec<(SkuId, Qty)>,
    held: Units,
    before: Decision,
    back_before: i64,
    candidates: Vec<Candidate>,
}

impl Engine {
    /// Orders a replan may move: open and not released, shipped to the
    /// customer (not collected), and with nothing a store or partner started.
    fn replannable(&self, org: OrgId, o: &Order, backordered_only: bool) -> bool {
        o.org == org
            && matches!(
                o.status,
                OrderStatus::Allocated | OrderStatus::PartiallyAllocated | OrderStatus::Backordered
            )
            && o.pickup_node.is_none()
            && (!backordered_only || o.lines.iter().any(|l| l.backordered > Qty::ZERO))
            && o.lines
                .iter()
                .all(|l| l.allocations.iter().all(|a| !a.reservations.is_empty()))
            && !self
                .sourcing
                .requests
                .values()
                .any(|r| r.order == o.id && r.status != "open")
            && !self
                .sourcing
                .tasks
                .values()
                .any(|t| t.order == o.id && t.status != "open")
    }

    pub(super) fn replan(
        &mut self,
        env: &Envelope,
        input: &ReplanInput,
    ) -> Result<Outcome, OpError> {
        let threshold = input.threshold_cents.unwrap_or(THRESHOLD_CENTS_DEFAULT);
        if !(0..=tote_sourcing::model::MONEY_CENTS_MAX).contains(&threshold) {
            return Err(OpError::Invalid(Invalid::one(
                "threshold_cents",
                format!("must be 0 to {}", tote_sourcing::model::MONEY_CENTS_MAX),
            )));
        }
        let mut ids: Vec<(u32, OrderId)> = self
            .open_orders
            .iter()
            .filter(|(_, o)| self.replannable(env.org, o, input.backordered_only))
            .map(|(&id, o)| (self.policy_of(o.org, &o.channel).priority, id))
            .collect();
        ids.sort_unstable();
        let mut open: Vec<Open> = ids
            .iter()
            .filter_map(|&(priority, id)| self.price_holdings(env, priority, id))
            .collect();
        // Free every weighed order's units, list each one's candidates and
        // the stock free per (node, SKU), then put the ledger back.
        let mark = self.ledger.mark();
        for o in &open {
            self.void_holdings(env, o.id);
        }
        for o in &mut open {
            o.candidates = self.candidates(env, o, threshold);
        }
        let mut free: BTreeMap<(NodeId, SkuId), i64> = BTreeMap::new();
        let skus: BTreeSet<SkuId> = open
            .iter()
            .flat_map(|o| o.lines.iter().map(|l| l.0))
            .collect();
        for sku in skus {
            for (node, a) in self.available_by_node(sku) {
                free.insert((node, sku), a);
            }
        }
        self.ledger.rollback(mark);
        let plan_of = |cost_cents: i64, backordered: i64, units: &Units| Plan {
            cost_cents,
            backordered,
            units: units.clone(),
        };
        // A backordered unit weighs the more, the higher its channel's priority.
        let mut priorities: Vec<u32> = open.iter().map(|o| o.priority).collect();
        priorities.dedup();
        let weight = |p: u32| {
            let below = priorities.iter().filter(|&&q| q > p).count();
            i64::try_from(below).map_or(i64::MAX, |b| b + 1)
        };
        let batch = optimise(&BatchInput {
            orders: open
                .iter()
                .map(|o| {
                    std::iter::once(plan_of(o.before.total_cents, o.back_before, &o.held))
                        .chain(
                            o.candidates
                                .iter()
                                .map(|c| plan_of(c.decision.total_cents, c.back, &c.units)),
                        )
                        .collect()
                })
                .collect(),
            free,
            capacity: BTreeMap::new(),
            vars_max: BATCH_VARS_MAX,
            weights: open.iter().map(|o| weight(o.priority)).collect(),
            time_limit_s: BATCH_TIME_LIMIT_S,
        });
        let movers: Vec<(&Open, &Candidate)> = open
            .iter()
            .zip(&batch.choice)
            .filter(|&(_, &c)| c > 0)
            .map(|(o, &c)| (o, &o.candidates[c - 1]))
            .collect();
        let moves: Vec<ReplanMove> = movers.iter().map(|(o, c)| self.move_of(o, c)).collect();
        if !input.dry_run {
            // Every mover lets go first, so one may take what another held.
            for (o, _) in &movers {
                self.void_holdings(env, o.id);
            }
            for ((o, c), m) in movers.iter().zip(&moves) {
                self.place(env, o, c, m);
            }
        }
        let saving_cents = moves
            .iter()
            .map(|m| m.cost_before_cents - m.cost_after_cents)
            .sum();
        Ok(Outcome::Replan(ReplanView {
            considered: ids.len(),
            plans: open.iter().map(|o| 1 + o.candidates.len()).sum(),
            moved: moves,
            saving_cents,
            dry_run: input.dry_run,
            exact: batch.exact,
            solver_ms: batch.solver_ms,
            note: batch.note,
        }))
    }

    /// An order's lines, what it holds per (node, SKU) and that priced.
    fn price_holdings(&mut self, env: &Envelope, priority: u32, id: OrderId) -> Option<Open> {
        let order = self.open_orders[&id].clone();
        let lines: Vec<(SkuId, Qty)> = order
            .lines
            .iter()
            .map(|l| Some((self.sku(order.org, &l.sku)?.id, l.qty)))
            .collect::<Option<_>>()?;
        let mut held: BTreeMap<NodeId, Vec<i64>> = BTreeMap::new();
        for (i, l) in order.lines.iter().enumerate() {
            for a in &l.allocations {
                let node = self.nodes.get(&(order.org, a.node.clone()))?.id;
                held.entry(node).or_insert_with(|| vec![0; lines.len()])[i] += a.qty.0;
            }
        }
        let before = self
            .source_lines(
                env,
                &Want {
                    stock: Some(&held),
                    ..Want::of(&order)
                },
                &lines,
                false,
                None,
            )
            .decision;
        let held_units = merged(held.iter().flat_map(|(&n, qs)| {
            qs.iter()
                .zip(&lines)
                .map(move |(&q, &(sku, _))| (n, sku, q))
        }));
        Some(Open {
            id,
            priority,
            back_before: order.lines.iter().map(|l| l.backordered.0).sum(),
            lines,
            held: held_units,
            before,
            candidates: Vec::new(),
        })
    }

    fn void_holdings(&mut self, env: &Envelope, id: OrderId) {
        let order = &self.open_orders[&id];
        let held: Vec<Reservation> = order
            .lines
            .iter()
            .flat_map(|l| &l.allocations)
            .flat_map(|a| a.reservations.iter().cloned())
            .collect();
        let order_ref = order.id.clone();
        self.void_reservations(env, &held, &order_ref);
    }

    /// With the weighed orders' units free: the order's best plan alone and
    /// its whole-order plan at each of the nodes that could cover most of it,
    /// kept when it fills more units or saves more than the threshold.
    fn candidates(&mut self, env: &Envelope, o: &Open, threshold: i64) -> Vec<Candidate> {
        let order = self.open_orders[&o.id].clone();
        let want = Want::of(&order);
        let mut by_node: BTreeMap<NodeId, Vec<i64>> = BTreeMap::new();
        for (l, &(sku, _)) in o.lines.iter().enumerate() {
            for (node, a) in self.available_by_node(sku) {
                by_node
                    .entry(node)
                    .or_insert_with(|| vec![0; o.lines.len()])[l] += a;
            }
        }
        let mut nodes: Vec<(i64, NodeId)> = by_node
            .iter()
            .map(|(&n, a)| {
                let covers: i64 = a.iter().zip(&o.lines).map(|(&a, l)| a.min(l.1.0)).sum();
                (-covers, n)
            })
            .collect();
        nodes.sort_unstable();
        let mut stocks: Vec<Option<BTreeMap<NodeId, Vec<i64>>>> = vec![None];
        stocks.extend(
            nodes
                .iter()
                .take(SINGLE_NODE_PLANS_MAX)
                .map(|&(_, n)| Some(BTreeMap::from([(n, by_node[&n].clone())]))),
        );
        let mut out: Vec<Candidate> = Vec::new();
        for stock in &stocks {
            let Sourced { plan, decision, .. } = self.source_lines(
                env,
                &Want {
                    stock: stock.as_ref(),
                    ..want
                },
                &o.lines,
                false,
                None,
            );
            let back: i64 = decision.backordered.iter().sum();
            let units = merged(
                plan.iter()
                    .zip(&o.lines)
                    .flat_map(|(parts, &(sku, _))| parts.iter().map(move |&(n, q)| (n, sku, q.0))),
            );
            let better = back < o.back_before
                || (back == o.back_before
                    && o.before.total_cents - decision.total_cents > threshold);
            if better && units != o.held && out.iter().all(|c| c.units != units) {
                out.push(Candidate {
                    plan,
                    decision,
                    back,
                    units,
                });
            }
        }
        out
    }

    fn move_of(&self, o: &Open, c: &Candidate) -> ReplanMove {
        let codes = |units: &Units| {
            let mut v: Vec<String> = units
                .iter()
                .map(|&(n, _, _)| self.node_code(n).to_owned())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        ReplanMove {
            order: self.open_orders[&o.id].id.clone(),
            from: codes(&o.held),
            to: codes(&c.units),
            cost_before_cents: o.before.total_cents,
            cost_after_cents: c.decision.total_cents,
            backordered_before: o.back_before,
            backordered_after: c.back,
        }
    }

    /// Reserves the chosen plan for an order whose holdings are voided.
    fn place(&mut self, env: &Envelope, o: &Open, c: &Candidate, m: &ReplanMove) {
        let id = o.id;
        let mut order = self.open_orders[&id].clone();
        let order_ref = order.id.clone();
        let mut allocated = Vec::new();
        for ((line, &(sku, qty)), parts) in order.lines.iter_mut().zip(&o.lines).zip(&c.plan) {
            line.allocations.clear();
            let mut placed = Qty::ZERO;
            for &(node, q) in parts {
                let reservations = self.reserve_at_node(env, node, sku, q, &order_ref);
                let code = self.node_code(node).to_owned();
                allocated.push(json!({"sku": line.sku, "node": code, "qty": q}));
                line.allocations.push(Allocation {
                    node: code,
                    qty: q,
                    reservations,
                });
                placed += q;
            }
            line.backordered = qty - placed;
        }
        order.status = Order::derive_status(&order.lines);
        order.sourcing = Some(tote_core::order::RawJson::of(&c.decision));
        order.updated_at = env.at.to_rfc3339();
        self.event(
            env,
            EventKind::OrderAllocated,
            &order_ref,
            json!({
                "allocations": allocated,
                "reason": "replan",
                "replan": m,
                "sourcing": c.decision,
            }),
        );
        self.sync_fulfilment(env, &order, "replanned");
        let placed_at = Timestamp::parse_rfc3339(&order.placed_at).unwrap_or(env.at);
        self.group.orders.push(OrderRow::new(id, placed_at, &order));
        self.open_orders.insert(id, order);
    }
}
