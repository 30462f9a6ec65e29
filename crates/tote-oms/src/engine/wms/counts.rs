//! Cycle counts: blind counts, recounts, approval into adjustments.

use super::*;

impl Engine {
    // ---- cycle counts ----

    pub(super) fn create_count(
        &mut self,
        env: &Envelope,
        input: &CountInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        if input.locations.is_empty() || input.locations.len() > COUNT_LOCATIONS_MAX {
            c.fail(
                "locations",
                format!("must hold 1 to {COUNT_LOCATIONS_MAX} locations"),
            );
        }
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        for (i, l) in input.locations.iter().enumerate() {
            self.location_id(node, l, &format!("locations[{i}]"))?;
        }
        let mut counters = self.wms.counters.clone();
        counters.count += 1;
        let count = Count {
            id: format!("CC{}", counters.count),
            node: input.node.clone(),
            locations: input.locations.clone(),
            status: "open".into(),
            lines: Vec::new(),
            counted_by: None,
            approved_by: None,
            adjustments: Vec::new(),
            recounts: 0,
            locations_matched: None,
        };
        self.event(
            env,
            EventKind::CountCreated,
            &count.id.clone(),
            json!({"node": count.node, "locations": count.locations}),
        );
        self.doc(env.org, DOC_COUNT, &count.id.clone(), &count);
        self.save_counters(env.org, counters);
        self.wms.counts.insert(count.id.clone(), count.clone());
        Ok(WmsOutcome::Count(count))
    }

    pub(super) fn count_of(&self, id: &str, status: &str) -> Result<Count, OpError> {
        let c = self
            .wms
            .counts
            .get(id)
            .cloned()
            .ok_or_else(|| OpError::NotFound {
                what: "count",
                id: id.to_owned(),
            })?;
        if c.status != status {
            return Err(OpError::Conflict(format!(
                "count {id} is {}, not {status}",
                c.status
            )));
        }
        Ok(c)
    }

    pub(super) fn record_count(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &CountRecordInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut count = match self.count_of(id, "open") {
            Err(OpError::Conflict(_)) => self.count_of(id, "recount")?,
            other => other?,
        };
        let node = self.node_id(env.org, &count.node, "node")?;
        let mut c = Checker::new();
        let mut counted: BTreeMap<(String, String), Qty> = BTreeMap::new();
        for (i, l) in input.lines.iter().enumerate() {
            if !count.locations.contains(&l.location) {
                c.fail(
                    format!("lines[{i}].location"),
                    format!("`{}` is not in this count", l.location),
                );
            }
            if l.qty < Qty::ZERO || l.qty.0 > tote_core::limits::LINE_QTY_MAX {
                c.fail(
                    format!("lines[{i}].qty"),
                    "must be between 0 and 1000000000",
                );
            }
            match self.scan_sku(env.org, &l.sku, "sku") {
                Ok(s) => {
                    *counted
                        .entry((l.location.clone(), s.input.sku.clone()))
                        .or_default() += l.qty
                }
                Err(_) => c.fail(
                    format!("lines[{i}].sku"),
                    format!("unknown sku `{}`", l.sku),
                ),
            }
        }
        c.finish()?;
        // What the books hold at the counted locations, SKUs the counter did not
        // list included (they count as zero).
        let mut expected: BTreeMap<(String, String), Qty> = BTreeMap::new();
        for (_, key, b) in self.ledger.accounts() {
            if let Account::Internal {
                node: n,
                location,
                sku,
                bucket: Bucket::OnHand,
                ..
            } = *key
                && n == node
                && b.posted != Qty::ZERO
            {
                let code = &self.location_codes[&location];
                if count.locations.contains(code) {
                    expected.insert((code.clone(), self.sku_codes[&sku].clone()), b.posted);
                }
            }
        }
        let keys: std::collections::BTreeSet<_> =
            counted.keys().chain(expected.keys()).cloned().collect();
        count.lines = keys
            .into_iter()
            .map(|k| {
                let got = counted.get(&k).copied().unwrap_or_default();
                let want = expected.get(&k).copied().unwrap_or_default();
                CountLine {
                    location: k.0,
                    sku: k.1,
                    counted: got,
                    expected: want,
                    variance: got - want,
                }
            })
            .collect();
        // A first count off by more than the tolerance is counted again (blind)
        // before anyone may approve it; the second count stands.
        let off = count
            .lines
            .iter()
            .any(|l| l.variance.0.abs() > COUNT_TOLERANCE_UNITS);
        count.status = if off && count.status == "open" {
            count.recounts += 1;
            "recount".into()
        } else {
            "counted".into()
        };
        count.counted_by = Some(env.actor.clone());
        let matched = count
            .locations
            .iter()
            .filter(|l| {
                count
                    .lines
                    .iter()
                    .all(|x| &x.location != *l || x.variance == Qty::ZERO)
            })
            .count();
        self.event(
            env,
            EventKind::CountCounted,
            id,
            json!({"lines": count.lines, "locations": count.locations.len(), "locations_matched": matched, "status": count.status}),
        );
        count.locations_matched = Some(matched);
        self.doc(env.org, DOC_COUNT, id, &count);
        self.wms.counts.insert(id.to_owned(), count.clone());
        Ok(WmsOutcome::Count(count))
    }

    pub(super) fn approve_count(
        &mut self,
        env: &Envelope,
        id: &str,
    ) -> Result<WmsOutcome, OpError> {
        let mut count = self.count_of(id, "counted")?;
        let node = self.node_id(env.org, &count.node, "node")?;
        let mut moved = Vec::new();
        for (i, l) in count.lines.iter().enumerate() {
            if l.variance == Qty::ZERO {
                continue;
            }
            let sku = self
                .sku(env.org, &l.sku)
                .map(|s| s.id)
                .ok_or_else(|| bad(format!("lines[{i}].sku"), "unknown sku"))?;
            let loc = self.location_id(node, &l.location, &format!("lines[{i}].location"))?;
            let here = self.on_hand(node, loc, sku);
            let variance = self.external(env.org, sku, Party::CountVariance);
            let (source, target) = if l.variance > Qty::ZERO {
                (variance, here)
            } else {
                (here, variance)
            };
            let qty = Qty(l.variance.0.abs());
            let t = self
                .ledger
                .transfer(Self::spec(env, source, target, qty, Reason::CountVariance, id))
                .map_err(|e| {
                    OpError::Conflict(format!(
                        "{} of {} at {}: {e} (units are held for orders: pick or re-source them first)",
                        qty, l.sku, l.location
                    ))
                })?;
            moved.push(
                json!({"sku": l.sku, "location": l.location, "qty": l.variance, "transfer": t.0}),
            );
            count.adjustments.push(t.0);
        }
        count.status = "approved".into();
        count.approved_by = Some(env.actor.clone());
        if !moved.is_empty() {
            self.event(
                env,
                EventKind::InventoryAdjusted,
                id,
                json!({"reason": "count_variance", "count": id, "node": count.node, "lines": moved}),
            );
        }
        self.doc(env.org, DOC_COUNT, id, &count);
        self.wms.counts.insert(id.to_owned(), count.clone());
        Ok(WmsOutcome::Count(count))
    }
}
