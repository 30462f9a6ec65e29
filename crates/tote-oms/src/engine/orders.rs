//! Orders: placement with sourcing and reservation, and cancellation.

use super::*;

impl Engine {
    pub(super) fn place_order(
        &mut self,
        env: &Envelope,
        input: &OrderInput,
    ) -> Result<Outcome, OpError> {
        input.validate()?;
        let mut c = Checker::new();
        let mut lines = Vec::with_capacity(input.lines.len());
        for (i, l) in input.lines.iter().enumerate() {
            match self.sku(env.org, &l.sku) {
                Some(s) => lines.push((s.id, l.qty, l.unit_price.unwrap_or(s.input.price))),
                None => c.fail(
                    format!("lines[{i}].sku"),
                    format!("unknown sku `{}`", l.sku),
                ),
            }
        }
        if let Some(code) = &input.pickup_node {
            self.check_pickup_node(env, code, &mut c);
        }
        c.finish()?;
        let ext_key = (env.org, input.channel.clone(), input.external_id.clone());
        if let Some(existing) = self.external_ids.get(&ext_key) {
            return Err(OpError::Conflict(format!(
                "channel `{}` already has order `{}` as {}",
                input.channel,
                input.external_id,
                format_order_id(*existing)
            )));
        }
        self.look_ahead_daily(env, &input.channel);
        let sku_qty: Vec<_> = lines.iter().map(|&(sku, qty, _)| (sku, qty)).collect();
        let omni_engine::Sourced {
            plan,
            decision,
            ship_by,
        } = self.source_lines(
            env,
            &omni_engine::Want {
                channel: &input.channel,
                ship_to: &input.ship_to,
                deliver_by: input.deliver_by,
                pickup: input.pickup_node.as_deref(),
                stock: None,
            },
            &sku_qty,
            true,
            None,
        );
        let id = OrderId(self.next_order);
        let order_ref = format_order_id(id);
        let mut order_lines = Vec::with_capacity(lines.len());
        for ((line, &(sku, qty, unit_price)), parts) in input.lines.iter().zip(&lines).zip(plan) {
            let mut allocations = Vec::with_capacity(parts.len());
            for (node, node_qty) in parts {
                let reservations = self.reserve_at_node(env, node, sku, node_qty, &order_ref);
                allocations.push(Allocation {
                    node: self.node_code(node).to_owned(),
                    qty: node_qty,
                    reservations,
                });
            }
            let allocated = allocations
                .iter()
                .map(|a| a.qty)
                .fold(Qty::ZERO, |a, b| a + b);
            order_lines.push(OrderLine {
                sku: line.sku.clone(),
                qty,
                allocations,
                backordered: qty - allocated,
                unit_price,
                discount: line.discount,
            });
        }
        self.next_order += 1;
        let at = env.at.to_rfc3339();
        let order = Order {
            id: order_ref.clone(),
            org: env.org,
            external_id: input.external_id.clone(),
            channel: input.channel.clone(),
            status: Order::derive_status(&order_lines),
            ship_to: input.ship_to.clone(),
            service_level: input.service_level.clone(),
            email: input.email.clone(),
            ship_by: input.ship_by.clone().or(ship_by),
            deliver_by: input.deliver_by,
            shipping_charge: input.shipping_charge,
            discount: input.discount,
            fulfillment: input.fulfillment.clone(),
            pickup_node: input.pickup_node.clone(),
            lines: order_lines,
            sourcing: Some(tote_core::order::RawJson::of(&decision)),
            placed_at: at.clone(),
            updated_at: at,
        };
        self.event(
            env,
            EventKind::OrderPlaced,
            &order_ref,
            OrderPlacedData {
                external_id: &order.external_id,
                channel: &order.channel,
                lines: order
                    .lines
                    .iter()
                    .map(|l| SkuQty {
                        sku: &l.sku,
                        node: None,
                        qty: l.qty,
                    })
                    .collect(),
                ship_by: order.ship_by.as_deref(),
                deliver_by: order.deliver_by,
            },
        );
        let allocated: Vec<_> = order
            .lines
            .iter()
            .flat_map(|l| {
                l.allocations.iter().map(move |a| SkuQty {
                    sku: &l.sku,
                    node: Some(&a.node),
                    qty: a.qty,
                })
            })
            .collect();
        if !allocated.is_empty() {
            self.event(
                env,
                EventKind::OrderAllocated,
                &order_ref,
                AllocationsData {
                    allocations: allocated,
                },
            );
        }
        let backordered: Vec<_> = order
            .lines
            .iter()
            .filter(|l| l.backordered > Qty::ZERO)
            .map(|l| SkuQty {
                sku: &l.sku,
                node: None,
                qty: l.backordered,
            })
            .collect();
        if !backordered.is_empty() {
            self.event(
                env,
                EventKind::OrderBackordered,
                &order_ref,
                LinesData { lines: backordered },
            );
        }
        self.external_ids.insert(ext_key, id);
        self.sync_fulfilment(env, &order, "rejected");
        self.group.orders.push(OrderRow::new(id, env.at, &order));
        self.open_orders.insert(id, order.clone());
        Ok(Outcome::Order {
            order,
            created: true,
        })
    }

    /// Reserves `qty` of `sku` across the node's locations, fullest first, so the
    /// units come from as few locations as can be.
    pub(super) fn reserve_at_node(
        &mut self,
        env: &Envelope,
        node: NodeId,
        sku: SkuId,
        qty: Qty,
        reference: &str,
    ) -> Vec<Reservation> {
        let mut accounts: Vec<(Qty, AccountId, LocationId)> = self
            .ledger
            .stock_accounts(OwnerId::DEFAULT, sku)
            .iter()
            .filter_map(|&a| match self.ledger.key(a) {
                Account::Internal {
                    node: n, location, ..
                } if n == node => {
                    let available = self.ledger.balance(a).available();
                    (available > Qty::ZERO).then_some((available, a, location))
                }
                _ => None,
            })
            .collect();
        accounts.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let customer = self.external(env.org, sku, Party::Customer);
        let mut want = qty;
        let mut out = Vec::new();
        for (available, source, location) in accounts {
            if want == Qty::ZERO {
                break;
            }
            let take = available.min(want);
            let transfer = self
                .ledger
                .reserve(Self::spec(
                    env,
                    source,
                    customer,
                    take,
                    Reason::Reservation,
                    reference,
                ))
                .expect("sourcing reserves only what is available");
            out.push(Reservation {
                transfer,
                location: self.location_codes[&location].clone(),
                qty: take,
            });
            want -= take;
        }
        assert_eq!(
            want,
            Qty::ZERO,
            "sourcing planned more than the node's locations hold"
        );
        out
    }

    /// Voids an allocation's pending reservations: their units are free again.
    pub(super) fn void_reservations(&mut self, env: &Envelope, held: &[Reservation], order: &str) {
        for r in held {
            self.ledger
                .void(r.transfer, Reason::Cancellation, &env.actor, env.at, order)
                .expect("an open order's reservations are pending");
        }
    }

    pub(super) fn cancel_order(&mut self, env: &Envelope, id: OrderId) -> Result<Outcome, OpError> {
        let Some(mut order) = self.open_orders.get(&id).cloned() else {
            return self.closed_order(env, id);
        };
        // Closed moments ago and still in memory until its group is durable.
        if !order.status.is_open() {
            return closed_answer(order);
        }
        let order_ref = order.id.clone();
        let mut released = Vec::new();
        for line in &mut order.lines {
            for a in &line.allocations {
                self.void_reservations(env, &a.reservations, &order_ref);
                for r in &a.reservations {
                    released.push(json!({"sku": line.sku, "node": a.node, "location": r.location, "qty": r.qty}));
                }
            }
            // A cancelled order holds nothing and waits for nothing; what it
            // released is in the order.cancelled event.
            line.allocations.clear();
            line.backordered = Qty::ZERO;
        }
        order.status = OrderStatus::Cancelled;
        self.cancel_pick_tasks(env, &order_ref);
        self.sync_fulfilment(env, &order, "cancelled");
        order.updated_at = env.at.to_rfc3339();
        self.event(
            env,
            EventKind::OrderCancelled,
            &order_ref,
            json!({ "released": released }),
        );
        let placed_at = Timestamp::parse_rfc3339(&order.placed_at).unwrap_or(env.at);
        self.group.orders.push(OrderRow::new(id, placed_at, &order));
        self.open_orders.insert(id, order.clone());
        self.closing.push(id);
        Ok(Outcome::Order {
            order,
            created: false,
        })
    }

    /// Cancelling an order that is already closed: cancelled is answered as is
    /// (a retried cancel is harmless); shipped cannot be cancelled.
    pub(super) fn closed_order(&self, env: &Envelope, id: OrderId) -> Result<Outcome, OpError> {
        let not_found = || OpError::NotFound {
            what: "order",
            id: format_order_id(id),
        };
        if id.0 >= self.next_order {
            return Err(not_found());
        }
        let order = self
            .reader
            .order(env.org, id)
            .map_err(|e| OpError::Store(e.to_string()))?
            .ok_or_else(not_found)?;
        closed_answer(order)
    }
}

/// Cancelling a closed order: cancelled is answered as is (a retried cancel is
/// harmless); any other state cannot be cancelled.
fn closed_answer(order: tote_core::Order) -> Result<Outcome, OpError> {
    match order.status {
        OrderStatus::Cancelled => Ok(Outcome::Order {
            order,
            created: false,
        }),
        status => Err(OpError::Conflict(format!(
            "order {} is {}: only open orders can be cancelled",
            order.id,
            status.as_str()
        ))),
    }
}

#[derive(serde::Serialize)]
pub(super) struct SkuQty<'a> {
    pub(super) sku: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) node: Option<&'a str>,
    pub(super) qty: Qty,
}

#[derive(serde::Serialize)]
pub(super) struct OrderPlacedData<'a> {
    external_id: &'a str,
    channel: &'a str,
    lines: Vec<SkuQty<'a>>,
    /// The promise the order is measured against (on-time ship, OTIF).
    #[serde(skip_serializing_if = "Option::is_none")]
    ship_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deliver_by: Option<chrono::NaiveDate>,
}

#[derive(serde::Serialize)]
pub(super) struct AllocationsData<'a> {
    allocations: Vec<SkuQty<'a>>,
}

#[derive(serde::Serialize)]
pub(super) struct LinesData<'a> {
    lines: Vec<SkuQty<'a>>,
}
