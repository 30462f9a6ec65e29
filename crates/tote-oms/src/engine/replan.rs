//! Re-sourcing open orders when stock or capacity changed: each order not yet
//! released to the floor is sourced again as if its own reservations were
//! free, and moves only when the new plan fills more units or costs less by
//! more than a threshold. Orders go in channel priority, then largest gain
//! first (units filled, then cents saved), then order time.

use super::omni_engine::{Sourced, Want};
use super::*;
use crate::omni::{ReplanInput, ReplanMove, ReplanView};

const THRESHOLD_CENTS_DEFAULT: i64 = 100;

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
        // Where orders compete for the same freed or arrived units, the ones
        // that gain most go first: every order is priced alone (nothing
        // moves), then within each priority the largest gains (units filled,
        // then cents saved) are moved, each re-priced against what the ones
        // before it took.
        let mut gains: Vec<(u32, i64, i64, OrderId)> = Vec::with_capacity(ids.len());
        for &(priority, id) in &ids {
            let (filled, saved) = self
                .replan_order(env, id, threshold, true)
                .map_or((0, 0), |m| {
                    (
                        m.backordered_before - m.backordered_after,
                        m.cost_before_cents - m.cost_after_cents,
                    )
                });
            gains.push((priority, -filled, -saved, id));
        }
        gains.sort_unstable();
        let mut moved = Vec::new();
        for &(_, filled, saved, id) in &gains {
            if filled == 0 && saved == 0 {
                continue;
            }
            if let Some(m) = self.replan_order(env, id, threshold, input.dry_run) {
                moved.push(m);
            }
        }
        let saving_cents = moved
            .iter()
            .map(|m: &ReplanMove| m.cost_before_cents - m.cost_after_cents)
            .sum();
        Ok(Outcome::Replan(ReplanView {
            considered: ids.len(),
            moved,
            saving_cents,
            dry_run: input.dry_run,
        }))
    }

    fn replan_order(
        &mut self,
        env: &Envelope,
        id: OrderId,
        threshold: i64,
        dry_run: bool,
    ) -> Option<ReplanMove> {
        let mut order = self.open_orders[&id].clone();
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
        let want = Want::of(&order);
        let before = self
            .source_lines(
                env,
                &Want {
                    stock: Some(&held),
                    ..want
                },
                &lines,
                false,
                None,
            )
            .decision;
        let mark = self.ledger.mark();
        for l in &order.lines {
            for a in &l.allocations {
                for r in &a.reservations {
                    self.ledger
                        .void(
                            r.transfer,
                            Reason::Cancellation,
                            &env.actor,
                            env.at,
                            &order.id,
                        )
                        .expect("an open order's reservations are pending");
                }
            }
        }
        let Sourced { plan, decision, .. } = self.source_lines(env, &want, &lines, false, None);
        let back_before: i64 = order.lines.iter().map(|l| l.backordered.0).sum();
        let back_after: i64 = decision.backordered.iter().sum();
        let better = back_after < back_before
            || (back_after == back_before && before.total_cents - decision.total_cents > threshold);
        let nodes_of = |o: &Order| {
            let mut v: Vec<String> = o
                .lines
                .iter()
                .flat_map(|l| l.allocations.iter().map(|a| a.node.clone()))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let from = nodes_of(&order);
        if !better || dry_run {
            self.ledger.rollback(mark);
            if !better {
                return None;
            }
        }
        let mut to: Vec<String> = decision.shipments.iter().map(|s| s.node.clone()).collect();
        to.sort();
        to.dedup();
        let m = ReplanMove {
            order: order.id.clone(),
            from,
            to,
            cost_before_cents: before.total_cents,
            cost_after_cents: decision.total_cents,
            backordered_before: back_before,
            backordered_after: back_after,
        };
        if dry_run {
            return Some(m);
        }
        let order_ref = order.id.clone();
        let mut allocated = Vec::new();
        for ((line, &(sku, qty)), parts) in order.lines.iter_mut().zip(&lines).zip(plan) {
            line.allocations.clear();
            let mut placed = Qty::ZERO;
            for (node, q) in parts {
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
        order.sourcing = Some(tote_core::order::RawJson::of(&decision));
        order.updated_at = env.at.to_rfc3339();
        self.event(
            env,
            EventKind::OrderAllocated,
            &order_ref,
            json!({
                "allocations": allocated,
                "reason": "replan",
                "replan": m,
                "sourcing": decision,
            }),
        );
        self.sync_fulfilment(env, &order, "replanned");
        let placed_at = Timestamp::parse_rfc3339(&order.placed_at).unwrap_or(env.at);
        self.group.orders.push(OrderRow::new(id, placed_at, &order));
        self.open_orders.insert(id, order);
        Some(m)
    }
}
