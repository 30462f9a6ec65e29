//! Returns: RMAs from authorisation to refund, run by the writer like every
//! other mutation. Each handler checks everything before its first ledger
//! move, and writes the RMA back to memory only after its last fallible step.

use super::*;
use crate::returns::*;
use serde::{Deserialize, Serialize};
use tote_core::order::parse_order_id;
use tote_core::validate::FieldError;
use tote_core::{Money, OrderLineInput};
use tote_returns::{self as rules, DAY_US, DispositionRules, RecoveryRules};
use tote_store::DocRow;

const DOC_RETURN_COUNTERS: &str = "return_counters";
/// The most units one RMA may bring back (each is inspected on its own).
pub const RMA_UNITS_MAX: i64 = 1_000;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct ReturnCounters {
    rma: u64,
    tracking: u64,
}

#[derive(Default)]
pub(crate) struct ReturnsState {
    rmas: BTreeMap<(OrgId, String), Rma>,
    by_tracking: HashMap<(OrgId, String), String>,
    /// (org, channel, email in lower case) -> the customer's RMA ids: a policy's
    /// cap on returns per period counts them.
    by_customer: HashMap<(OrgId, String, String), Vec<String>>,
    policies: HashMap<(OrgId, String), Policy>,
    counters: ReturnCounters,
}

impl ReturnsState {
    /// Records an RMA as it now stands, indexed by tracking number and customer.
    fn put(&mut self, org: OrgId, r: Rma) {
        if let Some(t) = &r.tracking {
            self.by_tracking.insert((org, t.clone()), r.id.clone());
        }
        if let Some(email) = &r.email {
            let customer = (org, r.channel.clone(), email.to_ascii_lowercase());
            let ids = self.by_customer.entry(customer).or_default();
            if !ids.contains(&r.id) {
                ids.push(r.id.clone());
            }
        }
        self.rmas.insert((org, r.id.clone()), r);
    }
}

fn bad(field: impl Into<String>, problem: impl Into<String>) -> OpError {
    OpError::Invalid(Invalid::one(field, problem))
}

fn corrupt(kind: &str, e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("{kind}: {e}"))
}

fn money(d: rust_decimal::Decimal) -> Money {
    Money(d)
}

impl Engine {
    /// Takes the return records out of the store's documents; answers the rest.
    pub(super) fn load_returns(&mut self, docs: Vec<DocRow>) -> Result<Vec<DocRow>, StoreError> {
        let mut rest = Vec::with_capacity(docs.len());
        for d in docs {
            match d.kind.as_str() {
                DOC_RMA => {
                    let r: Rma = serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_RMA, e))?;
                    self.returns.put(d.org, r);
                }
                DOC_RETURN_POLICY => {
                    let p: PolicyView =
                        serde_json::from_str(&d.body).map_err(|e| corrupt(DOC_RETURN_POLICY, e))?;
                    self.returns.policies.insert((d.org, p.channel), p.policy);
                }
                DOC_RETURN_COUNTERS => {
                    self.returns.counters = serde_json::from_str(&d.body)
                        .map_err(|e| corrupt(DOC_RETURN_COUNTERS, e))?;
                }
                _ => rest.push(d),
            }
        }
        Ok(rest)
    }

    /// Returned stock is never counted twice or lost: at every node, the
    /// `returns_pending` units of a SKU are exactly the received units of that
    /// SKU that wait for their disposition (checked when the books load).
    pub(super) fn check_returns(&self) {
        let mut waiting: BTreeMap<(String, String), i64> = BTreeMap::new();
        for ((org, _), r) in &self.returns.rmas {
            for u in &r.units {
                // Before inspection a unit is booked as the SKU expected.
                let booked_as = if u.grade.is_some() {
                    u.sku.as_ref()
                } else {
                    Some(&u.expected_sku)
                };
                if let (Some(sku), None) = (booked_as, u.disposition) {
                    *waiting.entry((r.node.clone(), sku.clone())).or_default() += 1;
                    assert!(
                        self.sku(*org, sku).is_some(),
                        "{} unit {} is of unknown sku {sku}",
                        r.id,
                        u.unit
                    );
                }
            }
        }
        let mut booked: BTreeMap<(String, String), i64> = BTreeMap::new();
        for (_, key, balance) in self.ledger.accounts() {
            if let Account::Internal {
                node,
                sku,
                bucket: Bucket::ReturnsPending,
                ..
            } = *key
                && balance.posted.0 != 0
            {
                *booked
                    .entry((
                        self.node_code(node).to_owned(),
                        self.sku_codes[&sku].clone(),
                    ))
                    .or_default() += balance.posted.0;
            }
        }
        assert_eq!(
            booked, waiting,
            "returns_pending (node, sku) units differ from the RMA units awaiting disposition"
        );
    }

    pub(super) fn returns(
        &mut self,
        env: &Envelope,
        cmd: &ReturnsCommand,
    ) -> Result<Outcome, OpError> {
        let out = match cmd {
            ReturnsCommand::SetPolicy { channel, policy } => {
                ReturnsOutcome::Policy(self.set_return_policy(env, channel, policy)?)
            }
            ReturnsCommand::GetPolicy(channel) => {
                tote_core::validate::check_code(channel).map_err(|p| bad("channel", p))?;
                ReturnsOutcome::Policy(PolicyView {
                    channel: channel.clone(),
                    policy: self.return_policy(env.org, channel),
                })
            }
            ReturnsCommand::Create(input) => {
                ReturnsOutcome::Rma(Box::new(self.create_rma(env, input)?))
            }
            ReturnsCommand::Tracking { rma, input } => {
                ReturnsOutcome::Rma(Box::new(self.return_tracking(env, rma, input)?))
            }
            ReturnsCommand::Receive { rma, input } => {
                ReturnsOutcome::Rma(Box::new(self.receive_return(env, rma, input)?))
            }
            ReturnsCommand::Inspect { rma, input } => {
                ReturnsOutcome::Rma(Box::new(self.inspect_return(env, rma, input)?))
            }
            ReturnsCommand::Dispose { rma, input } => {
                ReturnsOutcome::Rma(Box::new(self.dispose_return(env, rma, input)?))
            }
            ReturnsCommand::Refund { rma, input: _ } => {
                let mut r = self.rma(env.org, rma)?;
                if r.refund.is_some() {
                    return Err(OpError::Conflict(format!("{} was refunded already", r.id)));
                }
                self.issue_refund(env, &mut r, RefundTrigger::Manual)?;
                self.save_rma(env.org, r.clone());
                ReturnsOutcome::Rma(Box::new(r))
            }
        };
        Ok(Outcome::Returns(out))
    }

    // ---- helpers ----

    fn return_doc(&mut self, org: OrgId, kind: &str, id: &str, body: &impl Serialize) {
        self.group.docs.push(DocRow {
            org,
            kind: kind.into(),
            id: id.into(),
            body: serde_json::to_string(body).expect("return records serialise"),
        });
    }

    fn save_rma(&mut self, org: OrgId, rma: Rma) {
        self.return_doc(org, DOC_RMA, &rma.id.clone(), &rma);
        self.returns.put(org, rma);
    }

    fn return_policy(&self, org: OrgId, channel: &str) -> Policy {
        self.returns
            .policies
            .get(&(org, channel.to_owned()))
            .cloned()
            .unwrap_or_default()
    }

    /// An RMA by its id or its return label's tracking number.
    fn rma(&self, org: OrgId, key: &str) -> Result<Rma, OpError> {
        let id = self
            .returns
            .by_tracking
            .get(&(org, key.to_owned()))
            .map(String::as_str)
            .unwrap_or(key);
        self.returns
            .rmas
            .get(&(org, id.to_owned()))
            .cloned()
            .ok_or_else(|| OpError::NotFound {
                what: "return",
                id: key.to_owned(),
            })
    }

    /// An order by tote's id or its number on any channel.
    fn find_order(&self, org: OrgId, key: &str) -> Result<Order, OpError> {
        let not_found = || OpError::NotFound {
            what: "order",
            id: key.to_owned(),
        };
        let oid = parse_order_id(key)
            .filter(|id| id.0 < self.next_order)
            .or_else(|| self.order_by_number(org, key))
            .ok_or_else(not_found)?;
        if let Some(o) = self.open_orders.get(&oid) {
            return if o.org == org {
                Ok(o.clone())
            } else {
                Err(not_found())
            };
        }
        self.reader
            .order(org, oid)
            .map_err(|e| OpError::Store(e.to_string()))?
            .ok_or_else(not_found)
    }

    /// The order with this number on some channel: one look-up per channel
    /// (the index is keyed by channel first).
    fn order_by_number(&self, org: OrgId, number: &str) -> Option<OrderId> {
        let mut from = (org, String::new(), String::new());
        loop {
            let ((o, channel, _), _) = self.external_ids.range(from.clone()..).next()?;
            if *o != org {
                return None;
            }
            let key = (org, channel.clone(), number.to_owned());
            if let Some(id) = self.external_ids.get(&key) {
                return Some(*id);
            }
            // The smallest channel name after this one.
            from = (org, format!("{channel}\0"), String::new());
        }
    }

    fn sku_by_scan(&self, org: OrgId, scan: &str) -> Option<&Sku> {
        let skus = self.skus.get(&org)?;
        skus.get(scan).or_else(|| {
            skus.values()
                .find(|s| s.input.gtin.as_ref().is_some_and(|g| g.as_str() == scan))
        })
    }

    fn move_one(
        &mut self,
        env: &Envelope,
        source: tote_ledger::AccountId,
        target: tote_ledger::AccountId,
        qty: Qty,
        reason: Reason,
        reference: &str,
    ) -> Result<u64, OpError> {
        self.ledger
            .transfer(Self::spec(env, source, target, qty, reason, reference))
            .map(|t| t.0)
            .map_err(|e| OpError::Conflict(e.to_string()))
    }

    /// The node's `RECEIVING` location, where returned units land.
    fn returns_dock(&self, org: OrgId, node: &str) -> Result<(NodeId, LocationId), OpError> {
        let n = self
            .nodes
            .get(&(org, node.to_owned()))
            .ok_or_else(|| OpError::Conflict(format!("node `{node}` is gone")))?
            .id;
        let l = self
            .locations
            .get(&(n, RECEIVING_LOCATION.to_owned()))
            .ok_or_else(|| OpError::Conflict(format!("node `{node}` has no {RECEIVING_LOCATION}")))?
            .id;
        Ok((n, l))
    }

    fn sku_id(&self, org: OrgId, code: &str) -> Result<SkuId, OpError> {
        self.sku(org, code)
            .map(|s| s.id)
            .ok_or_else(|| OpError::Conflict(format!("sku `{code}` is no longer in the catalog")))
    }

    // ---- policy ----

    fn set_return_policy(
        &mut self,
        env: &Envelope,
        channel: &str,
        policy: &Policy,
    ) -> Result<PolicyView, OpError> {
        let mut c = Checker::new();
        c.code("channel", channel);
        for (f, p) in policy.problems() {
            c.fail(f, p);
        }
        for (i, s) in policy.final_sale_skus.iter().enumerate() {
            c.code(format!("final_sale_skus[{i}]").as_str(), s);
        }
        for (i, s) in policy.final_sale_categories.iter().enumerate() {
            c.code(format!("final_sale_categories[{i}]").as_str(), s);
        }
        for k in policy.category_window_days.keys() {
            if let Err(p) = tote_core::validate::check_code(k) {
                c.fail(format!("category_window_days.{k}"), p);
            }
        }
        if let Some(n) = &policy.return_to
            && !self.nodes.contains_key(&(env.org, n.clone()))
        {
            c.fail("return_to", format!("unknown node `{n}`"));
        }
        c.finish()?;
        let view = PolicyView {
            channel: channel.to_owned(),
            policy: policy.clone(),
        };
        self.return_doc(env.org, DOC_RETURN_POLICY, channel, &view);
        self.event(env, EventKind::ReturnPolicySet, channel, &view);
        self.returns
            .policies
            .insert((env.org, channel.to_owned()), policy.clone());
        Ok(view)
    }

    // ---- authorisation ----

    fn create_rma(&mut self, env: &Envelope, input: &RmaInput) -> Result<Rma, OpError> {
        let mut c = Checker::new();
        c.text("order", &input.order);
        c.optional_text("email", input.email.as_deref());
        if let Some(n) = &input.node {
            c.code("node", n);
        }
        if input.lines.is_empty() {
            c.fail("lines", "must hold at least one line");
        }
        let mut units = 0i64;
        for (i, l) in input.lines.iter().enumerate() {
            c.code(("lines", i, "sku"), &l.sku);
            c.line_qty(("lines", i, "qty"), l.qty);
            if let Some(x) = &l.exchange_for {
                c.code(("lines", i, "exchange_for"), x);
            }
            units = units.saturating_add(l.qty.0.max(0));
        }
        if units > RMA_UNITS_MAX {
            c.fail("lines", format!("may return at most {RMA_UNITS_MAX} units"));
        }
        c.finish()?;
        let order = self.find_order(env.org, input.order.trim())?;
        if let Some(e) = &input.email
            && !order
                .email
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case(e.trim()))
        {
            // The same answer as an unknown order: a wrong email reveals nothing.
            return Err(OpError::NotFound {
                what: "order",
                id: input.order.clone(),
            });
        }
        if !matches!(order.status, OrderStatus::Shipped | OrderStatus::Delivered) {
            return Err(OpError::Conflict(format!(
                "order {} is {}: only shipped or delivered orders can be returned",
                order.id,
                order.status.as_str()
            )));
        }
        // Units of each order line already authorised to come back.
        let mut taken: Vec<i64> = vec![0; order.lines.len()];
        for r in self.returns.rmas.values().filter(|r| r.order == order.id) {
            for l in &r.lines {
                taken[l.order_line] += l.qty.0;
            }
        }
        let mut c = Checker::new();
        let mut lines = Vec::with_capacity(input.lines.len());
        for (i, l) in input.lines.iter().enumerate() {
            let slot = order
                .lines
                .iter()
                .enumerate()
                .find(|(j, ol)| ol.sku == l.sku && ol.allocated().0 - taken[*j] >= l.qty.0)
                .map(|(j, _)| j);
            match slot {
                Some(j) => {
                    taken[j] += l.qty.0;
                    lines.push(RmaLine {
                        sku: l.sku.clone(),
                        qty: l.qty,
                        reason: l.reason,
                        order_line: j,
                        unit_price: order.lines[j].unit_price,
                        exchange_for: l.exchange_for.clone(),
                    });
                }
                None if order.lines.iter().all(|ol| ol.sku != l.sku) => c.fail(
                    format!("lines[{i}].sku"),
                    format!("order {} holds no {}", order.id, l.sku),
                ),
                None => {
                    let left: i64 = order
                        .lines
                        .iter()
                        .enumerate()
                        .filter(|(_, ol)| ol.sku == l.sku)
                        .map(|(j, ol)| ol.allocated().0 - taken[j])
                        .sum();
                    c.fail(
                        format!("lines[{i}].qty"),
                        format!("{left} of {} shipped and not yet returned", l.sku),
                    );
                }
            }
            if let Some(x) = &l.exchange_for
                && self.sku(env.org, x).is_none()
            {
                c.fail(
                    format!("lines[{i}].exchange_for"),
                    format!("unknown sku `{x}`"),
                );
            }
        }
        c.finish()?;
        let policy = self.return_policy(env.org, &order.channel);
        let shipped_from = order
            .lines
            .iter()
            .flat_map(|l| l.allocations.first())
            .map(|a| a.node.clone())
            .next();
        let node_code = input
            .node
            .clone()
            .or_else(|| policy.return_to.clone())
            .or(shipped_from)
            .ok_or_else(|| bad("node", "the order shipped from no node: name one"))?;
        let node = self
            .nodes
            .get(&(env.org, node_code.clone()))
            .cloned()
            .ok_or_else(|| bad("node", format!("unknown node `{node_code}`")))?;

        // Eligibility by the channel's policy.
        // The window runs from delivery when the carrier scanned one, else
        // from shipment.
        let last_change = Timestamp::parse_rfc3339(&order.updated_at).unwrap_or(env.at);
        let (shipped_at, delivered_at) = match self.wms.shipped_and_delivered(&order.id) {
            Some((shipped, delivered)) => (shipped, delivered),
            None => (last_change, None),
        };
        let since = env.at.0 - i64::from(policy.period_days) * DAY_US;
        let recent = order.email.as_deref().map_or(0, |email| {
            let customer = (env.org, order.channel.clone(), email.to_ascii_lowercase());
            self.returns.by_customer.get(&customer).map_or(0, |ids| {
                ids.iter()
                    .filter_map(|id| self.returns.rmas.get(&(env.org, id.clone())))
                    .filter(|r| {
                        Timestamp::parse_rfc3339(&r.authorized_at).is_some_and(|t| t.0 >= since)
                    })
                    .count()
            })
        });
        let requests: Vec<rules::UnitRequest<'_>> = lines
            .iter()
            .map(|l| {
                let s = self.sku(env.org, &l.sku);
                rules::UnitRequest {
                    sku: &l.sku,
                    category: s.and_then(|s| s.input.category.as_deref()),
                    hazmat: s.is_some_and(|s| s.input.hazmat_un.is_some()),
                }
            })
            .collect();
        let facts = rules::RequestFacts {
            shipped_at_us: shipped_at.0,
            delivered_at_us: delivered_at.map(|t| t.0),
            now_us: env.at.0,
            method: input.method,
            customer_returns_in_period: u32::try_from(recent).unwrap_or(u32::MAX),
        };
        let refusals = rules::eligibility::check(&policy, &facts, &requests);
        if !refusals.is_empty() {
            return Err(OpError::Invalid(Invalid(
                refusals
                    .into_iter()
                    .map(|r| {
                        let field = match (r.line, r.rule) {
                            (Some(i), _) => format!("lines[{i}].sku"),
                            (None, rules::Rule::MethodNotOffered) => "method".into(),
                            (None, _) => "email".into(),
                        };
                        FieldError::new(field, r.why)
                    })
                    .collect(),
            )));
        }

        let mut counters = self.returns.counters.clone();
        counters.rma += 1;
        let id = format!("RMA{}", counters.rma);
        let tracking = (input.method == Method::CarrierLabel).then(|| {
            counters.tracking += 1;
            tote_transport::adapter::LocalCarrier::tracking_number(
                RETURN_TRACKING_PREFIX,
                counters.tracking,
            )
        });
        let mut rma = Rma {
            id: id.clone(),
            order: order.id.clone(),
            external_id: order.external_id.clone(),
            channel: order.channel.clone(),
            email: order.email.clone(),
            method: input.method,
            node: node_code.clone(),
            status: "authorized".into(),
            lines,
            units: Vec::new(),
            tracking,
            ship_from: order.ship_to.clone(),
            ship_to: tote_core::Address {
                name: Some(format!("Returns - {}", node.input.name)),
                ..node.input.address.clone()
            },
            refund: None,
            exchange_order: None,
            transfers: Vec::new(),
            shipped_at: shipped_at.to_rfc3339(),
            authorized_at: env.at.to_rfc3339(),
            in_transit_at: None,
            delivered_at: None,
            received_at: None,
            closed_at: None,
        };
        self.event(
            env,
            EventKind::ReturnAuthorized,
            &id,
            json!({
                "rma": id, "order": rma.order, "channel": rma.channel, "method": rma.method,
                "node": rma.node, "tracking": rma.tracking,
                "lines": rma.lines.iter().map(|l| json!({"sku": l.sku, "qty": l.qty, "reason": l.reason, "exchange_for": l.exchange_for})).collect::<Vec<_>>(),
            }),
        );
        // An exchange: the replacement goes through the normal order path and
        // is reserved now; its units are not charged again.
        let replacement: Vec<OrderLineInput> = rma
            .lines
            .iter()
            .filter_map(|l| {
                l.exchange_for.as_ref().map(|x| OrderLineInput {
                    sku: x.clone(),
                    qty: l.qty,
                    unit_price: Some(Money::default()),
                    discount: None,
                })
            })
            .collect();
        if !replacement.is_empty() {
            let placed = self.place_order(
                env,
                &OrderInput {
                    external_id: format!("{}-{id}", order.external_id),
                    channel: order.channel.clone(),
                    ship_to: order.ship_to.clone(),
                    lines: replacement,
                    service_level: order.service_level.clone(),
                    email: order.email.clone(),
                    ship_by: None,
                    deliver_by: None,
                    shipping_charge: None,
                    discount: None,
                    // The replacement ships to the customer.
                    fulfillment: None,
                    pickup_node: None,
                },
            )?;
            let Outcome::Order { order: placed, .. } = placed else {
                unreachable!("placing an order answers the order")
            };
            self.event(
                env,
                EventKind::ReturnExchanged,
                &id,
                json!({"rma": id, "order": rma.order, "channel": rma.channel,
                       "replacement": placed.id, "status": placed.status,
                       "lines": rma.lines.iter().filter(|l| l.exchange_for.is_some()).map(|l| json!({"sku": l.sku, "for": l.exchange_for, "qty": l.qty, "reason": l.reason})).collect::<Vec<_>>()}),
            );
            rma.exchange_order = Some(placed.id);
        }
        self.return_doc(env.org, DOC_RETURN_COUNTERS, "returns", &counters);
        self.returns.counters = counters;
        self.save_rma(env.org, rma.clone());
        Ok(rma)
    }

    // ---- tracking and receipt ----

    fn return_tracking(
        &mut self,
        env: &Envelope,
        key: &str,
        input: &ReturnTrackingInput,
    ) -> Result<Rma, OpError> {
        let delivered = match input.status.as_str() {
            "in_transit" => false,
            "delivered" => true,
            other => {
                return Err(bad(
                    "status",
                    format!("`{other}` is not in_transit or delivered"),
                ));
            }
        };
        let mut rma = self.rma(env.org, key)?;
        let allowed = match rma.status.as_str() {
            "authorized" => true,
            "in_transit" => delivered,
            _ => false,
        };
        if !allowed {
            return Err(OpError::Conflict(format!(
                "{} is {}: a carrier scan of {} changes nothing",
                rma.id, rma.status, input.status
            )));
        }
        let now = env.at.to_rfc3339();
        rma.in_transit_at.get_or_insert_with(|| now.clone());
        if delivered {
            rma.delivered_at = Some(now);
        }
        rma.status = input.status.clone();
        self.event(
            env,
            EventKind::ReturnInTransit,
            &rma.id,
            json!({"rma": rma.id, "order": rma.order, "channel": rma.channel,
                   "status": rma.status, "tracking": rma.tracking}),
        );
        let policy = self.return_policy(env.org, &rma.channel);
        if policy.refund_trigger == RefundTrigger::CarrierScan && rma.refund.is_none() {
            self.issue_refund(env, &mut rma, RefundTrigger::CarrierScan)?;
        }
        self.save_rma(env.org, rma.clone());
        Ok(rma)
    }

    fn receive_return(
        &mut self,
        env: &Envelope,
        key: &str,
        input: &ReturnReceiveInput,
    ) -> Result<Rma, OpError> {
        let mut c = Checker::new();
        c.optional_text("note", input.note.as_deref());
        c.finish()?;
        let mut rma = self.rma(env.org, key)?;
        if !matches!(
            rma.status.as_str(),
            "authorized" | "in_transit" | "delivered"
        ) {
            return Err(OpError::Conflict(format!(
                "{} is {}: it was received already",
                rma.id, rma.status
            )));
        }
        let (node, dock) = self.returns_dock(env.org, &rma.node)?;
        let mut moved = Vec::new();
        let mut n = 0u32;
        for (i, l) in rma.lines.clone().iter().enumerate() {
            let sku = self.sku_id(env.org, &l.sku)?;
            let customer = self.external(env.org, sku, Party::Customer);
            let pending = self.internal(node, dock, sku, Bucket::ReturnsPending);
            let t = self.move_one(env, customer, pending, l.qty, Reason::Return, &rma.id)?;
            rma.transfers.push(t);
            moved.push(json!({"sku": l.sku, "qty": l.qty, "reason": l.reason, "transfer": t}));
            for _ in 0..l.qty.0 {
                n += 1;
                rma.units.push(ReturnUnit {
                    unit: n,
                    line: i,
                    expected_sku: l.sku.clone(),
                    sku: None,
                    scanned: None,
                    wrong_item: false,
                    grade: None,
                    notes: None,
                    photo_url: None,
                    inspected_by: None,
                    inspected_at: None,
                    disposition: None,
                    rule: None,
                    value: None,
                    recovered: None,
                    dispositioned_at: None,
                });
            }
        }
        rma.status = "received".into();
        rma.received_at = Some(env.at.to_rfc3339());
        self.event(
            env,
            EventKind::ReturnReceived,
            &rma.id,
            json!({"rma": rma.id, "order": rma.order, "channel": rma.channel, "node": rma.node,
                   "scanned": key, "note": input.note, "lines": moved}),
        );
        self.save_rma(env.org, rma.clone());
        Ok(rma)
    }

    // ---- inspection ----

    fn inspect_return(
        &mut self,
        env: &Envelope,
        key: &str,
        input: &InspectionInput,
    ) -> Result<Rma, OpError> {
        let mut rma = self.rma(env.org, key)?;
        let mut c = Checker::new();
        if input.units.is_empty() {
            c.fail("units", "must hold at least one unit");
        }
        let mut seen = std::collections::HashSet::new();
        for (i, u) in input.units.iter().enumerate() {
            c.text(("units", i, "scanned"), &u.scanned);
            c.optional_text(("units", i, "notes"), u.notes.as_deref());
            if let Some(p) = &u.photo_url {
                c.text(("units", i, "photo_url"), p);
                if !(p.starts_with("https://") || p.starts_with("http://")) {
                    c.fail(format!("units[{i}].photo_url"), "must be an http(s) link");
                }
            }
        }
        c.finish()?;
        if !matches!(rma.status.as_str(), "received" | "inspected") {
            return Err(OpError::Conflict(format!(
                "{} is {}: units are inspected once received",
                rma.id, rma.status
            )));
        }
        let mut c = Checker::new();
        for (i, u) in input.units.iter().enumerate() {
            if u.unit == 0 || u.unit as usize > rma.units.len() {
                c.fail(
                    format!("units[{i}].unit"),
                    format!("{} holds units 1 to {}", rma.id, rma.units.len()),
                );
            } else if !seen.insert(u.unit) {
                c.fail(format!("units[{i}].unit"), "is listed twice");
            }
        }
        c.finish()?;
        if let Some(u) = input
            .units
            .iter()
            .find(|u| rma.units[u.unit as usize - 1].grade.is_some())
        {
            return Err(OpError::Conflict(format!(
                "unit {} of {} was inspected already",
                u.unit, rma.id
            )));
        }
        let (node, dock) = self.returns_dock(env.org, &rma.node)?;
        let mut report = Vec::new();
        for u in &input.units {
            let i = u.unit as usize - 1;
            let expected = rma.units[i].expected_sku.clone();
            let found = self
                .sku_by_scan(env.org, u.scanned.trim())
                .map(|s| s.input.sku.clone());
            let wrong = found.as_deref() != Some(expected.as_str());
            if wrong {
                // The unit expected never came: it stays with the customer.
                // What came instead is booked as itself.
                let sku = self.sku_id(env.org, &expected)?;
                let pending = self.internal(node, dock, sku, Bucket::ReturnsPending);
                let customer = self.external(env.org, sku, Party::Customer);
                let t = self.move_one(env, pending, customer, Qty(1), Reason::Return, &rma.id)?;
                rma.transfers.push(t);
                if let Some(f) = &found {
                    let sku = self.sku_id(env.org, f)?;
                    let pending = self.internal(node, dock, sku, Bucket::ReturnsPending);
                    let customer = self.external(env.org, sku, Party::Customer);
                    let t =
                        self.move_one(env, customer, pending, Qty(1), Reason::Return, &rma.id)?;
                    rma.transfers.push(t);
                }
            }
            let reason = rma.lines[rma.units[i].line].reason;
            let unit = &mut rma.units[i];
            unit.sku = found;
            unit.scanned = Some(u.scanned.clone());
            unit.wrong_item = wrong;
            unit.grade = Some(u.grade);
            unit.notes = u.notes.clone();
            unit.photo_url = u.photo_url.clone();
            unit.inspected_by = Some(env.actor.clone());
            unit.inspected_at = Some(env.at.to_rfc3339());
            report.push(
                json!({"unit": u.unit, "expected_sku": expected, "sku": unit.sku,
                               "wrong_item": wrong, "grade": u.grade, "reason": reason}),
            );
        }
        let done = rma.units.iter().all(|u| u.grade.is_some());
        if done {
            rma.status = "inspected".into();
        }
        self.event(
            env,
            EventKind::ReturnInspected,
            &rma.id,
            json!({"rma": rma.id, "order": rma.order, "channel": rma.channel, "node": rma.node, "units": report}),
        );
        let policy = self.return_policy(env.org, &rma.channel);
        if done && policy.refund_trigger == RefundTrigger::Receipt && rma.refund.is_none() {
            self.issue_refund(env, &mut rma, RefundTrigger::Receipt)?;
        }
        self.save_rma(env.org, rma.clone());
        Ok(rma)
    }

    // ---- disposition ----

    fn dispose_return(
        &mut self,
        env: &Envelope,
        key: &str,
        input: &DispositionInput,
    ) -> Result<Rma, OpError> {
        let mut rma = self.rma(env.org, key)?;
        let mut c = Checker::new();
        let mut overrides = HashMap::new();
        for (i, o) in input.overrides.iter().enumerate() {
            c.text(("overrides", i, "reason"), &o.reason);
            if o.unit == 0 || o.unit as usize > rma.units.len() {
                c.fail(
                    format!("overrides[{i}].unit"),
                    format!("{} holds units 1 to {}", rma.id, rma.units.len()),
                );
            } else if overrides.insert(o.unit, o).is_some() {
                c.fail(format!("overrides[{i}].unit"), "is listed twice");
            }
        }
        c.finish()?;
        if rma.status != "inspected" {
            return Err(OpError::Conflict(format!(
                "{} is {}: every unit is inspected before its disposition",
                rma.id, rma.status
            )));
        }
        let (node, dock) = self.returns_dock(env.org, &rma.node)?;
        let rules = DispositionRules::default();
        let recovery = RecoveryRules::default();
        let mut report = Vec::new();
        let mut restocked = Vec::new();
        for i in 0..rma.units.len() {
            let u = rma.units[i].clone();
            let (Some(code), Some(grade), None) = (&u.sku, u.grade, u.disposition) else {
                continue;
            };
            let sku = self.sku(env.org, code).cloned().ok_or_else(|| {
                OpError::Conflict(format!("sku `{code}` is no longer in the catalog"))
            })?;
            let reason = rma.lines[u.line].reason;
            let (disposition, rule) = match overrides.get(&u.unit) {
                Some(o) => (o.disposition, format!("override: {}", o.reason)),
                None => {
                    let d = rules::disposition::decide(
                        &rules::UnitFacts {
                            reason,
                            grade,
                            value: sku.input.price.0,
                            category: sku.input.category.as_deref(),
                            hazmat: sku.input.hazmat_un.is_some(),
                        },
                        &rules,
                    );
                    (d.disposition, d.rule.to_owned())
                }
            };
            let source = self.internal(node, dock, sku.id, Bucket::ReturnsPending);
            let target = match disposition {
                Disposition::Restock => self.internal(node, dock, sku.id, Bucket::OnHand),
                Disposition::Refurbish => self.internal(node, dock, sku.id, Bucket::Refurbish),
                Disposition::Liquidate => self.internal(node, dock, sku.id, Bucket::Liquidation),
                Disposition::ReturnToVendor => self.external(env.org, sku.id, Party::Supplier),
                Disposition::Donate => self.external(env.org, sku.id, Party::Donated),
                Disposition::Scrap => self.external(env.org, sku.id, Party::Scrap),
            };
            let t = self.move_one(env, source, target, Qty(1), Reason::Disposition, &rma.id)?;
            rma.transfers.push(t);
            if disposition == Disposition::Restock && !restocked.contains(&sku.id) {
                restocked.push(sku.id);
            }
            let recovered =
                recovery.recovered(disposition, sku.input.price.0, sku.input.unit_cost.0);
            report.push(
                json!({"unit": u.unit, "sku": code, "grade": grade, "reason": reason,
                               "disposition": disposition, "rule": rule, "value": sku.input.price,
                               "recovered": money(recovered), "wrong_item": u.wrong_item}),
            );
            let unit = &mut rma.units[i];
            unit.disposition = Some(disposition);
            unit.rule = Some(rule);
            unit.value = Some(sku.input.price);
            unit.recovered = Some(money(recovered));
            unit.dispositioned_at = Some(env.at.to_rfc3339());
        }
        if let Some(o) = overrides
            .values()
            .find(|o| report.iter().all(|r| r["unit"] != o.unit))
        {
            return Err(OpError::Conflict(format!(
                "unit {} of {} has no disposition to decide (disposed of already, or not ours)",
                o.unit, rma.id
            )));
        }
        if report.is_empty() {
            return Err(OpError::Conflict(format!(
                "{} has no unit left to dispose of",
                rma.id
            )));
        }
        rma.status = "closed".into();
        rma.closed_at = Some(env.at.to_rfc3339());
        self.event(
            env,
            EventKind::ReturnDispositioned,
            &rma.id,
            json!({"rma": rma.id, "order": rma.order, "channel": rma.channel, "node": rma.node,
                   "received_at": rma.received_at, "units": report}),
        );
        if !restocked.is_empty() {
            self.fill_backorders(env, &restocked);
        }
        self.save_rma(env.org, rma.clone());
        Ok(rma)
    }

    // ---- refund ----

    /// Computes the refund by the channel's policy and records it on `rma`:
    /// the inspected units of the right SKU once any unit is inspected,
    /// else every unit authorised; exchanged units are not refunded.
    fn issue_refund(
        &mut self,
        env: &Envelope,
        rma: &mut Rma,
        trigger: RefundTrigger,
    ) -> Result<(), OpError> {
        let order = self.find_order(env.org, &rma.order)?;
        let zero = rust_decimal::Decimal::ZERO;
        let paid = rules::PaidOrder {
            lines: order
                .lines
                .iter()
                .map(|l| rules::PaidLine {
                    sku: l.sku.clone(),
                    qty: l.qty.0,
                    unit_price: l.unit_price.0,
                    discount: l.discount.map_or(zero, |d| d.0),
                })
                .collect(),
            discount: order.discount.map_or(zero, |d| d.0),
            shipping: order.shipping_charge.map_or(zero, |d| d.0),
        };
        let inspected = rma.units.iter().any(|u| u.grade.is_some());
        let mut per_line: Vec<i64> = if inspected {
            let mut v = vec![0; rma.lines.len()];
            for u in rma
                .units
                .iter()
                .filter(|u| u.grade.is_some() && !u.wrong_item)
            {
                v[u.line] += 1;
            }
            v
        } else {
            rma.lines.iter().map(|l| l.qty.0).collect()
        };
        for (i, l) in rma.lines.iter().enumerate() {
            if l.exchange_for.is_some() {
                per_line[i] = 0;
            }
        }
        let mut already = vec![0i64; order.lines.len()];
        for r in self
            .returns
            .rmas
            .values()
            .filter(|r| r.order == rma.order && r.id != rma.id)
        {
            for l in r.refund.iter().flat_map(|f| &f.lines) {
                already[l.order_line] += l.qty;
            }
        }
        let units: Vec<rules::RefundUnits> = rma
            .lines
            .iter()
            .zip(&per_line)
            .filter(|(_, q)| **q > 0)
            .map(|(l, q)| rules::RefundUnits {
                line: l.order_line,
                qty: *q,
                reason: l.reason,
            })
            .collect();
        let policy = self.return_policy(env.org, &rma.channel);
        let r = rules::refund::refund(&paid, &policy, &already, &units);
        let record = RefundRecord {
            trigger,
            lines: r
                .lines
                .iter()
                .map(|l| RefundLineView {
                    order_line: l.line,
                    sku: l.sku.clone(),
                    qty: l.qty,
                    reason: l.reason,
                    merchandise: money(l.merchandise),
                    shipping: money(l.shipping),
                    restocking_fee: money(l.restocking_fee),
                    amount: money(l.amount),
                })
                .collect(),
            merchandise: money(r.merchandise),
            shipping: money(r.shipping),
            restocking_fee: money(r.restocking_fee),
            total: money(r.total),
            issued_at: env.at.to_rfc3339(),
        };
        // The storefront pays the customer on this event.
        self.event(
            env,
            EventKind::ReturnRefunded,
            &rma.id,
            json!({"rma": rma.id, "order": rma.order, "external_id": rma.external_id,
                   "channel": rma.channel, "refund": record}),
        );
        rma.refund = Some(record);
        Ok(())
    }
}
