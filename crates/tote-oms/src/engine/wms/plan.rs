//! Approved replenishment: purchase orders become ASNs; transfer orders ship
//! from the source node's storage into the destination's in-transit bucket
//! and are received at its dock.

use super::*;
use crate::planning::{
    Approved, LABOR_PROCESSES, LaborStandard, LaborStandardInput, PlanApproval, PlanApprovalInput,
    TransferLeg, TransferOrder,
};

pub(super) const DOC_TRANSFER: &str = "transfer_order";
pub(super) const DOC_APPROVAL: &str = "plan_approval";
pub(super) const DOC_LABOR: &str = "labor_standard";

/// Transfer orders and approvals the writer keeps in memory.
#[derive(Default)]
pub(crate) struct PlanState {
    pub transfers: BTreeMap<String, TransferOrder>,
    /// The latest approval of each suggestion id.
    pub approvals: HashMap<String, PlanApproval>,
}

impl Engine {
    /// Whether the record an approval made is still open (an ASN not closed,
    /// a transfer not received): approving the same suggestion again would
    /// order its units twice.
    fn approval_open(&self, a: &PlanApproval) -> bool {
        match a.kind.as_str() {
            "purchase" => self
                .wms
                .asns
                .get(&a.record)
                .is_some_and(|asn| asn.status == "open"),
            _ => self
                .wms
                .plan
                .transfers
                .get(&a.record)
                .is_some_and(|t| t.status == "in_transit"),
        }
    }

    pub(super) fn approve_plan(
        &mut self,
        env: &Envelope,
        input: &PlanApprovalInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("suggestion", &input.suggestion);
        c.code("node", &input.node);
        c.line_qty("units", input.units);
        c.optional_text("supplier", input.supplier.as_deref());
        match (input.kind.as_str(), &input.from) {
            ("purchase", None) | ("transfer", Some(_)) => {}
            ("purchase", Some(_)) => c.fail("from", "a purchase has no source node"),
            ("transfer", None) => c.fail("from", "a transfer needs its source node"),
            _ => c.fail("kind", "must be `purchase` or `transfer`"),
        }
        if input.from.as_deref() == Some(input.node.as_str()) {
            c.fail("from", "a transfer goes between two different nodes");
        }
        let sku = match self.sku(env.org, &input.sku) {
            Some(s) => Some(s.id),
            None => {
                c.fail("sku", format!("unknown sku `{}`", input.sku));
                None
            }
        };
        c.finish()?;
        let sku = sku.expect("checked above");
        if let Some(prior) = self.wms.plan.approvals.get(&input.suggestion)
            && self.approval_open(prior)
        {
            return Err(OpError::Conflict(format!(
                "{} was approved already into {}, which is still open",
                input.suggestion, prior.record
            )));
        }
        let to = self.node_id(env.org, &input.node, "node")?;
        let (record, asn, transfer) = if input.kind == "purchase" {
            let asn_input = AsnInput {
                node: input.node.clone(),
                po: input.suggestion.clone(),
                supplier: input.supplier.clone(),
                cartons: vec![AsnCartonInput {
                    id: "1".into(),
                    sscc: None,
                    lines: vec![SkuQtyInput {
                        sku: input.sku.clone(),
                        qty: input.units,
                    }],
                }],
            };
            let WmsOutcome::Asn(asn) = self.create_asn(env, &asn_input)? else {
                unreachable!("creating an ASN answers the ASN")
            };
            (asn.id.clone(), Some(asn), None)
        } else {
            let from_code = input.from.clone().expect("checked above");
            let from = self.node_id(env.org, &from_code, "from")?;
            let t = self.ship_transfer(env, input, sku, from, to)?;
            (t.id.clone(), None, Some(t))
        };
        let approval = PlanApproval {
            suggestion: input.suggestion.clone(),
            kind: input.kind.clone(),
            sku: input.sku.clone(),
            node: input.node.clone(),
            from: input.from.clone(),
            units: input.units,
            record,
            approved_at: env.at.to_rfc3339(),
            approved_by: env.actor.clone(),
        };
        self.event(
            env,
            EventKind::ReplenishmentApproved,
            &input.suggestion,
            json!({ "approval": approval }),
        );
        self.doc(env.org, DOC_APPROVAL, &input.suggestion, &approval);
        if let Some(t) = &transfer {
            self.wms.plan.transfers.insert(t.id.clone(), t.clone());
        }
        self.wms
            .plan
            .approvals
            .insert(input.suggestion.clone(), approval.clone());
        Ok(WmsOutcome::PlanApproval(Box::new(Approved {
            approval,
            asn,
            transfer,
        })))
    }

    /// Takes the units from the source node's locations (fullest first, never
    /// units held for orders) into the destination dock's in-transit bucket.
    fn ship_transfer(
        &mut self,
        env: &Envelope,
        input: &PlanApprovalInput,
        sku: SkuId,
        from: NodeId,
        to: NodeId,
    ) -> Result<TransferOrder, OpError> {
        let dock = self.location_id(to, RECEIVING_LOCATION, "node")?;
        let pack = self
            .locations
            .get(&(from, PACK_LOCATION.to_owned()))
            .map(|l| l.id);
        let mut accounts: Vec<(Qty, tote_ledger::AccountId, LocationId)> = self
            .ledger
            .stock_accounts(OwnerId::DEFAULT, sku)
            .iter()
            .filter_map(|&a| match self.ledger.key(a) {
                Account::Internal { node, location, .. }
                    if node == from && Some(location) != pack =>
                {
                    let available = self.ledger.balance(a).available();
                    (available > Qty::ZERO).then_some((available, a, location))
                }
                _ => None,
            })
            .collect();
        let total = accounts.iter().fold(Qty::ZERO, |s, a| s + a.0);
        if total < input.units {
            return Err(OpError::Conflict(format!(
                "{} has {total} of {} available, {} asked",
                input.from.as_deref().unwrap_or_default(),
                input.sku,
                input.units
            )));
        }
        accounts.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let id = format!("TO{}", self.wms.plan.transfers.len() + 1);
        let transit = self.internal(to, dock, sku, Bucket::InTransit);
        let mut want = input.units;
        let mut legs = Vec::new();
        for (available, source, location) in accounts {
            if want == Qty::ZERO {
                break;
            }
            let take = available.min(want);
            self.ledger
                .transfer(Self::spec(env, source, transit, take, Reason::Move, &id))
                .map_err(|e| bad("units", e.to_string()))?;
            legs.push(TransferLeg {
                location: self.location_codes[&location].clone(),
                qty: take,
            });
            want -= take;
        }
        let t = TransferOrder {
            id: id.clone(),
            suggestion: input.suggestion.clone(),
            sku: input.sku.clone(),
            from: input.from.clone().unwrap_or_default(),
            to: input.node.clone(),
            units: input.units,
            status: "in_transit".into(),
            picked_from: legs,
            shipped_at: env.at.to_rfc3339(),
            shipped_by: env.actor.clone(),
            received_at: None,
            received_by: None,
        };
        self.event(
            env,
            EventKind::TransferShipped,
            &id,
            json!({ "transfer": t }),
        );
        self.doc(env.org, DOC_TRANSFER, &id, &t);
        Ok(t)
    }

    pub(super) fn receive_transfer(
        &mut self,
        env: &Envelope,
        id: &str,
    ) -> Result<WmsOutcome, OpError> {
        let mut t = self
            .wms
            .plan
            .transfers
            .get(id)
            .cloned()
            .ok_or_else(|| OpError::NotFound {
                what: "transfer order",
                id: id.to_owned(),
            })?;
        if t.status != "in_transit" {
            return Err(OpError::Conflict(format!("{id} was received already")));
        }
        let to = self.node_id(env.org, &t.to, "to")?;
        let dock = self.location_id(to, RECEIVING_LOCATION, "to")?;
        let sku = self
            .sku(env.org, &t.sku)
            .map(|s| s.id)
            .ok_or_else(|| bad("sku", format!("unknown sku `{}`", t.sku)))?;
        let transit = self.internal(to, dock, sku, Bucket::InTransit);
        let target = self.internal(to, dock, sku, Bucket::OnHand);
        self.ledger
            .transfer(Self::spec(
                env,
                transit,
                target,
                t.units,
                Reason::Receipt,
                id,
            ))
            .map_err(|e| bad("units", e.to_string()))?;
        t.status = "received".into();
        t.received_at = Some(env.at.to_rfc3339());
        t.received_by = Some(env.actor.clone());
        self.event(
            env,
            EventKind::TransferReceived,
            id,
            json!({ "transfer": t, "location": RECEIVING_LOCATION }),
        );
        self.doc(env.org, DOC_TRANSFER, id, &t);
        self.wms.plan.transfers.insert(id.to_owned(), t.clone());
        Ok(WmsOutcome::Transfer(t))
    }
}

impl Engine {
    pub(super) fn set_labor_standard(
        &mut self,
        env: &Envelope,
        process: &str,
        input: &LaborStandardInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        if !LABOR_PROCESSES.contains(&process) {
            c.fail(
                "process",
                format!("`{process}` is not one of {}", LABOR_PROCESSES.join(", ")),
            );
        }
        if !(input.units_per_hour > 0.0 && input.units_per_hour <= 1_000_000.0) {
            c.fail("units_per_hour", "must be above 0 and at most 1000000");
        }
        let hours = input.productive_hours_per_shift.unwrap_or(7.5);
        if !(hours > 0.0 && hours <= 24.0) {
            c.fail(
                "productive_hours_per_shift",
                "must be above 0 and at most 24",
            );
        }
        let utilization = input.utilization.unwrap_or(0.85);
        if !(utilization > 0.0 && utilization <= 1.0) {
            c.fail("utilization", "must be above 0 and at most 1");
        }
        c.finish()?;
        let standard = LaborStandard {
            process: process.to_owned(),
            units_per_hour: input.units_per_hour,
            productive_hours_per_shift: hours,
            utilization,
            set_at: env.at.to_rfc3339(),
            set_by: env.actor.clone(),
        };
        self.event(
            env,
            EventKind::LaborStandardSet,
            process,
            json!({ "standard": standard }),
        );
        self.doc(env.org, DOC_LABOR, process, &standard);
        Ok(WmsOutcome::LaborStandard(standard))
    }
}
