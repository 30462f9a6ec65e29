//! Receipts and adjustments: units entering, leaving or changing bucket.

use super::*;

impl Engine {
    /// Resolves a request's node and its lines' SKUs and locations (the node's
    /// `RECEIVING` location where a line names none), naming every unknown one.
    fn resolve_lines<'a>(
        &self,
        org: OrgId,
        node: &str,
        lines: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    ) -> Result<(NodeId, Vec<(SkuId, LocationId)>), OpError> {
        let node = self.node_id(org, node, "node")?;
        let mut c = Checker::new();
        let mut out = Vec::new();
        for (i, (sku, location)) in lines.enumerate() {
            let sku_id = self.sku(org, sku).map(|s| s.id);
            if sku_id.is_none() {
                c.fail(format!("lines[{i}].sku"), format!("unknown sku `{sku}`"));
            }
            let code = location.unwrap_or(RECEIVING_LOCATION);
            let loc_id = self.locations.get(&(node, code.to_owned())).map(|l| l.id);
            if loc_id.is_none() {
                c.fail(
                    format!("lines[{i}].location"),
                    format!("unknown location `{code}` in this node"),
                );
            }
            if let (Some(s), Some(l)) = (sku_id, loc_id) {
                out.push((s, l));
            }
        }
        c.finish()?;
        Ok((node, out))
    }

    pub(super) fn receive(
        &mut self,
        env: &Envelope,
        input: &ReceiptInput,
    ) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        check_line_count(&mut c, input.lines.len());
        for (i, l) in input.lines.iter().enumerate() {
            c.line_qty(("lines", i, "qty"), l.qty);
        }
        if let Some(r) = &input.reference {
            c.text("reference", r);
        }
        c.finish()?;
        let (node, resolved) = self.resolve_lines(
            env.org,
            &input.node,
            input
                .lines
                .iter()
                .map(|l| (l.sku.as_str(), l.location.as_deref())),
        )?;
        let id = format!("R{}", self.ledger.next_transfer_id().0);
        let reference = input.reference.clone().unwrap_or_else(|| id.clone());
        let mut lines = Vec::with_capacity(resolved.len());
        for (line, &(sku, location)) in input.lines.iter().zip(&resolved) {
            let source = self.external(env.org, sku, Party::Supplier);
            let target = self.internal(node, location, sku, Bucket::OnHand);
            let transfer = self
                .ledger
                .transfer(Self::spec(
                    env,
                    source,
                    target,
                    line.qty,
                    Reason::Receipt,
                    &reference,
                ))
                .map_err(|e| OpError::Invalid(Invalid::one("lines", e.to_string())))?;
            lines.push(MovedLine {
                sku: line.sku.clone(),
                location: self.location_codes[&location].clone(),
                qty: line.qty,
                from: Party::Supplier.as_str().into(),
                to: Bucket::OnHand.as_str().into(),
                transfer: transfer.0,
            });
        }
        let movement = Movement {
            id: id.clone(),
            node: input.node.clone(),
            lines,
            at: env.at.to_rfc3339(),
        };
        self.event(
            env,
            EventKind::InventoryReceived,
            &id,
            json!({ "receipt": movement, "reference": reference }),
        );
        let skus: Vec<SkuId> = resolved.iter().map(|&(sku, _)| sku).collect();
        self.fill_backorders(env, &skus);
        Ok(Outcome::Receipt(movement))
    }

    pub(super) fn adjust(
        &mut self,
        env: &Envelope,
        input: &AdjustmentInput,
    ) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        check_line_count(&mut c, input.lines.len());
        let mut reasons = Vec::with_capacity(input.lines.len());
        for (i, l) in input.lines.iter().enumerate() {
            let field = format!("lines[{i}].qty");
            if l.qty == Qty::ZERO {
                c.fail(&field, "must not be zero");
            } else {
                // saturating: i64::MIN has no absolute value, and is refused as too large.
                c.line_qty(&field, Qty(l.qty.0.saturating_abs()));
            }
            let reason = match l.reason.as_str() {
                "damage" if l.qty.0 < 0 => Some(Reason::Damage),
                "shrink" if l.qty.0 < 0 => Some(Reason::Shrink),
                "found" if l.qty.0 > 0 => Some(Reason::Found),
                "count_variance" => Some(Reason::CountVariance),
                "damage" | "shrink" => {
                    c.fail(
                        &field,
                        format!("a {} adjustment removes units: must be negative", l.reason),
                    );
                    None
                }
                "found" => {
                    c.fail(&field, "a found adjustment adds units: must be positive");
                    None
                }
                other => {
                    c.fail(
                        format!("lines[{i}].reason"),
                        format!("`{other}` is not one of damage, shrink, count_variance, found"),
                    );
                    None
                }
            };
            reasons.push(reason);
        }
        if let Some(n) = &input.note {
            c.text("note", n);
        }
        c.finish()?;
        let (node, resolved) = self.resolve_lines(
            env.org,
            &input.node,
            input
                .lines
                .iter()
                .map(|l| (l.sku.as_str(), l.location.as_deref())),
        )?;
        let id = format!("A{}", self.ledger.next_transfer_id().0);
        let mut lines = Vec::with_capacity(resolved.len());
        for (i, ((line, &(sku, location)), reason)) in
            input.lines.iter().zip(&resolved).zip(&reasons).enumerate()
        {
            let reason = reason.expect("checked above");
            let on_hand = self.internal(node, location, sku, Bucket::OnHand);
            let (source, target, from, to) = match reason {
                Reason::Damage => {
                    let damaged = self.internal(node, location, sku, Bucket::Damaged);
                    (on_hand, damaged, "on_hand", "damaged")
                }
                Reason::Shrink => (
                    on_hand,
                    self.external(env.org, sku, Party::Shrink),
                    "on_hand",
                    "shrink",
                ),
                Reason::Found => (
                    self.external(env.org, sku, Party::Found),
                    on_hand,
                    "found",
                    "on_hand",
                ),
                _ if line.qty.0 > 0 => (
                    self.external(env.org, sku, Party::CountVariance),
                    on_hand,
                    "count_variance",
                    "on_hand",
                ),
                _ => (
                    on_hand,
                    self.external(env.org, sku, Party::CountVariance),
                    "on_hand",
                    "count_variance",
                ),
            };
            let qty = Qty(line.qty.0.saturating_abs());
            let transfer = self
                .ledger
                .transfer(Self::spec(env, source, target, qty, reason, &id))
                .map_err(|e| {
                    OpError::Invalid(Invalid::one(
                        format!("lines[{i}].qty"),
                        format!("sku `{}`: {e}", line.sku),
                    ))
                })?;
            lines.push(MovedLine {
                sku: line.sku.clone(),
                location: self.location_codes[&location].clone(),
                qty,
                from: from.into(),
                to: to.into(),
                transfer: transfer.0,
            });
        }
        let movement = Movement {
            id: id.clone(),
            node: input.node.clone(),
            lines,
            at: env.at.to_rfc3339(),
        };
        self.event(
            env,
            EventKind::InventoryAdjusted,
            &id,
            json!({ "adjustment": movement, "note": input.note }),
        );
        Ok(Outcome::Adjustment(movement))
    }
}

fn check_line_count(c: &mut Checker, n: usize) {
    if n == 0 {
        c.fail("lines", "must hold at least one line");
    } else if n > tote_core::limits::REQUEST_LINES_MAX {
        c.fail(
            "lines",
            format!(
                "must hold at most {} lines",
                tote_core::limits::REQUEST_LINES_MAX
            ),
        );
    }
}
