//! 3PLs and drop-ship vendors: an order's part sourced to one becomes a
//! fulfilment request the partner acknowledges, rejects (the units are sourced
//! again at once) or ships (its reservations are posted: the units leave).

use super::*;
use crate::omni::{
    PartnerCommand, PartnerOutcome, PartnerRejectInput, PartnerRequest, PartnerRequestLine,
    PartnerRequestsView, PartnerShipInput, RejectInput,
};
use tote_core::NodeKind;
use tote_core::order::parse_order_id;
use tote_store::SourcingConfigRow;

const KIND_REQUEST: &str = "partner_request";

fn is_partner(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::ThirdParty | NodeKind::DropShip)
}

impl Engine {
    pub(super) fn partner(
        &mut self,
        env: &Envelope,
        cmd: &PartnerCommand,
    ) -> Result<Outcome, OpError> {
        let out = match cmd {
            PartnerCommand::Stock(node, feed) => return self.partner_stock(env, node, feed),
            PartnerCommand::Requests(node) => {
                PartnerOutcome::Requests(self.requests_of(env, node)?)
            }
            PartnerCommand::Acknowledge(node, id) => {
                PartnerOutcome::Request(Box::new(self.acknowledge_request(env, node, id)?))
            }
            PartnerCommand::Reject(node, id, input) => {
                PartnerOutcome::Request(Box::new(self.reject_request(env, node, id, input)?))
            }
            PartnerCommand::Ship(node, id, input) => {
                PartnerOutcome::Request(Box::new(self.ship_request(env, node, id, input)?))
            }
        };
        Ok(Outcome::Partner(out))
    }

    /// The partner node named in a path: 404 when unknown, 422 when it is not
    /// a 3PL or drop-ship vendor.
    pub(super) fn partner_node(&self, env: &Envelope, code: &str) -> Result<NodeId, OpError> {
        let node = self.node_in_path(env.org, code)?;
        if !is_partner(node.input.kind) {
            return Err(OpError::Invalid(Invalid::one(
                "node",
                format!(
                    "`{code}` is a {} node: only 3pl and drop_ship nodes are partners",
                    node.input.kind.as_str()
                ),
            )));
        }
        Ok(node.id)
    }

    fn save_request(&mut self, org: OrgId, r: &PartnerRequest) {
        self.group.sourcing_config.push(SourcingConfigRow {
            org,
            kind: KIND_REQUEST.into(),
            code: r.id.clone(),
            body: serde_json::to_string(r).expect("requests serialise"),
        });
        if r.is_open() {
            self.sourcing.requests.insert(r.id.clone(), r.clone());
        } else {
            self.sourcing.requests.remove(&r.id);
        }
    }

    /// The units of an order reserved at each node of the kinds `keep` accepts,
    /// one line per SKU.
    pub(super) fn reserved_lines_by_node(
        &self,
        order: &Order,
        keep: fn(NodeKind) -> bool,
    ) -> BTreeMap<String, Vec<PartnerRequestLine>> {
        let mut wanted: BTreeMap<String, Vec<PartnerRequestLine>> = BTreeMap::new();
        for l in &order.lines {
            for a in &l.allocations {
                if a.reservations.is_empty() {
                    continue;
                }
                let Some(n) = self.nodes.get(&(order.org, a.node.clone())) else {
                    continue;
                };
                if !keep(n.input.kind) {
                    continue;
                }
                let lines = wanted.entry(a.node.clone()).or_default();
                match lines.iter_mut().find(|x| x.sku == l.sku) {
                    Some(x) => x.qty += a.qty,
                    None => lines.push(PartnerRequestLine {
                        sku: l.sku.clone(),
                        qty: a.qty,
                    }),
                }
            }
        }
        wanted
    }

    /// After an order's allocations changed: each partner node holding
    /// reservations of it has an open request listing them (created, or its
    /// lines brought up to date), and an open request of a node that holds
    /// nothing any more is closed as `closed_as` (`rejected`, `cancelled`).
    pub(super) fn sync_partner_requests(&mut self, env: &Envelope, order: &Order, closed_as: &str) {
        let wanted = self.reserved_lines_by_node(order, is_partner);
        let stale: Vec<PartnerRequest> = self
            .sourcing
            .requests
            .values()
            .filter(|r| r.order == order.id && !wanted.contains_key(&r.node))
            .cloned()
            .collect();
        for mut r in stale {
            r.status = closed_as.to_owned();
            r.updated_at = env.at.to_rfc3339();
            // A cancelled order's event already says what it released.
            if closed_as != "cancelled" {
                self.event(
                    env,
                    EventKind::FulfilmentRejected,
                    &r.id,
                    json!({ "request": r }),
                );
            }
            self.save_request(order.org, &r);
        }
        for (node, lines) in wanted {
            let id = format!("{}-{node}", order.id);
            let at = env.at.to_rfc3339();
            let r = match self.sourcing.requests.get(&id) {
                Some(r) if r.lines == lines => continue,
                Some(r) => PartnerRequest {
                    lines,
                    updated_at: at,
                    ..r.clone()
                },
                None => PartnerRequest {
                    id: id.clone(),
                    order: order.id.clone(),
                    node,
                    status: "open".into(),
                    lines,
                    ship_to: order.ship_to.clone(),
                    service_level: order.service_level.clone(),
                    ship_by: order.ship_by.clone(),
                    deliver_by: order.deliver_by,
                    carrier: None,
                    tracking: None,
                    note: None,
                    created_at: at.clone(),
                    updated_at: at,
                },
            };
            self.event(
                env,
                EventKind::FulfilmentRequested,
                &id,
                json!({ "request": r }),
            );
            self.save_request(order.org, &r);
        }
    }

    fn requests_of(&self, env: &Envelope, code: &str) -> Result<PartnerRequestsView, OpError> {
        self.partner_node(env, code)?;
        let mut requests: Vec<PartnerRequest> = self
            .sourcing
            .requests
            .values()
            .filter(|r| r.node == code && self.open_order_of(env.org, &r.order).is_some())
            .cloned()
            .collect();
        requests.sort_by_key(|r| (parse_order_id(&r.order).map(|o| o.0), r.id.clone()));
        Ok(PartnerRequestsView {
            node: code.to_owned(),
            requests,
        })
    }

    /// The open order `id` of `org`, with its id.
    pub(super) fn open_order_of(&self, org: OrgId, id: &str) -> Option<(OrderId, &Order)> {
        let oid = parse_order_id(id)?;
        self.open_orders
            .get(&oid)
            .filter(|o| o.org == org && o.status.is_open())
            .map(|o| (oid, o))
    }

    /// The open request `id` of partner `node`.
    fn open_request(
        &self,
        env: &Envelope,
        node: &str,
        id: &str,
    ) -> Result<PartnerRequest, OpError> {
        self.partner_node(env, node)?;
        match self.sourcing.requests.get(id) {
            Some(r) if r.node == node && self.open_order_of(env.org, &r.order).is_some() => {
                Ok(r.clone())
            }
            _ => Err(OpError::NotFound {
                what: "open fulfilment request",
                id: id.to_owned(),
            }),
        }
    }

    fn acknowledge_request(
        &mut self,
        env: &Envelope,
        node: &str,
        id: &str,
    ) -> Result<PartnerRequest, OpError> {
        let mut r = self.open_request(env, node, id)?;
        if r.status == "acknowledged" {
            return Ok(r);
        }
        r.status = "acknowledged".into();
        r.updated_at = env.at.to_rfc3339();
        self.event(
            env,
            EventKind::FulfilmentAcknowledged,
            id,
            json!({ "request": r }),
        );
        self.save_request(env.org, &r);
        Ok(r)
    }

    fn reject_request(
        &mut self,
        env: &Envelope,
        node: &str,
        id: &str,
        input: &PartnerRejectInput,
    ) -> Result<PartnerRequest, OpError> {
        let mut c = Checker::new();
        c.optional_text("note", input.note.as_deref());
        c.finish()?;
        let r = self.open_request(env, node, id)?;
        let oid = parse_order_id(&r.order).expect("open requests name open orders");
        // The note rides on the request that giving the units back closes.
        if let Some(open) = self.sourcing.requests.get_mut(id) {
            open.note.clone_from(&input.note);
        }
        self.give_back(env, oid, node, input.note.as_deref())?;
        let r = PartnerRequest {
            status: "rejected".into(),
            note: input.note.clone(),
            updated_at: env.at.to_rfc3339(),
            ..r
        };
        if self.sourcing.requests.contains_key(id) {
            // Still open only if the order held nothing at the node: close it.
            self.event(
                env,
                EventKind::FulfilmentRejected,
                id,
                json!({ "request": r }),
            );
            self.save_request(env.org, &r);
        }
        Ok(r)
    }

    fn ship_request(
        &mut self,
        env: &Envelope,
        node: &str,
        id: &str,
        input: &PartnerShipInput,
    ) -> Result<PartnerRequest, OpError> {
        let mut c = Checker::new();
        c.code("carrier", &input.carrier);
        c.text("tracking", &input.tracking);
        c.finish()?;
        let mut r = self.open_request(env, node, id)?;
        let oid = parse_order_id(&r.order).expect("open requests name open orders");
        r.status = "shipped".into();
        r.carrier = Some(input.carrier.clone());
        r.tracking = Some(input.tracking.clone());
        r.updated_at = env.at.to_rfc3339();
        let (posted, done) = self.post_node_part(env, oid, node);
        self.event(
            env,
            EventKind::FulfilmentShipped,
            id,
            json!({ "request": r, "posted": posted }),
        );
        self.save_request(env.org, &r);
        if done {
            self.event(
                env,
                EventKind::OrderShipped,
                &r.order,
                json!({ "fulfilment": r, "backordered": [] }),
            );
        }
        Ok(r)
    }

    /// Posts the reservations `node` holds for order `oid` (its units leave the
    /// books). The order closes as shipped when nothing else is left to send;
    /// answers the posted transfers and whether it closed.
    pub(super) fn post_node_part(
        &mut self,
        env: &Envelope,
        oid: OrderId,
        node: &str,
    ) -> (Vec<u64>, bool) {
        let mut order = self.open_orders[&oid].clone();
        let mut posted = Vec::new();
        for l in &mut order.lines {
            for a in l.allocations.iter_mut().filter(|a| a.node == node) {
                for res in a.reservations.drain(..) {
                    let t = self
                        .ledger
                        .post(
                            res.transfer,
                            Reason::Shipment,
                            &env.actor,
                            env.at,
                            &order.id,
                        )
                        .expect("an open order's reservations are pending");
                    posted.push(t.0);
                }
            }
        }
        let done = order.lines.iter().all(|l| {
            l.backordered == Qty::ZERO && l.allocations.iter().all(|a| a.reservations.is_empty())
        });
        order.updated_at = env.at.to_rfc3339();
        if done {
            order.status = OrderStatus::Shipped;
            self.closing.push(oid);
        }
        let placed_at = Timestamp::parse_rfc3339(&order.placed_at).unwrap_or(env.at);
        self.group
            .orders
            .push(OrderRow::new(oid, placed_at, &order));
        self.open_orders.insert(oid, order);
        (posted, done)
    }

    /// `node` gives back every unit it holds of order `oid`: each line's units
    /// are sourced again at once without it (`reject_line`), the rest
    /// backordered; the order's requests and tasks follow once, at the end.
    pub(super) fn give_back(
        &mut self,
        env: &Envelope,
        oid: OrderId,
        node: &str,
        note: Option<&str>,
    ) -> Result<(), OpError> {
        self.sourcing.hold_sync = true;
        let mut result = Ok(());
        while let Some(sku) = self.open_orders.get(&oid).and_then(|o| {
            o.lines
                .iter()
                .find(|l| l.allocations.iter().any(|a| a.node == node))
                .map(|l| l.sku.clone())
        }) {
            let input = RejectInput {
                node: node.to_owned(),
                sku,
                note: note.map(str::to_owned),
            };
            if let Err(e) = self.reject_line(env, oid, &input) {
                result = Err(e);
                break;
            }
        }
        self.sourcing.hold_sync = false;
        result?;
        if let Some(order) = self.open_orders.get(&oid).cloned() {
            self.sync_fulfilment(env, &order, "rejected");
        }
        Ok(())
    }

    /// After an order's allocations changed: its partner requests and store
    /// tasks follow (see `sync_partner_requests`, `sync_store_tasks`).
    pub(super) fn sync_fulfilment(&mut self, env: &Envelope, order: &Order, closed_as: &str) {
        if self.sourcing.hold_sync {
            return;
        }
        self.sync_partner_requests(env, order, closed_as);
        self.sync_store_tasks(env, order, closed_as);
    }
}
