//! Cycle counts: count programs (ABC, zone, after an exception), blind counts,
//! recounts beyond a tolerance, approval into adjustments.

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
        check_tolerance(&mut c, "tolerance_units", input.tolerance_units);
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        for (i, l) in input.locations.iter().enumerate() {
            self.location_id(node, l, &format!("locations[{i}]"))?;
        }
        let count = self.new_count(
            env,
            &input.node,
            input.locations.clone(),
            input.tolerance_units.unwrap_or(COUNT_TOLERANCE_UNITS),
            (None, None),
        );
        Ok(WmsOutcome::Count(count))
    }

    /// Opens a count (no checks: the callers checked the locations).
    fn new_count(
        &mut self,
        env: &Envelope,
        node: &str,
        locations: Vec<String>,
        tolerance_units: i64,
        (program, reason): (Option<String>, Option<String>),
    ) -> Count {
        let mut counters = self.wms.counters.clone();
        counters.count += 1;
        let count = Count {
            id: format!("CC{}", counters.count),
            node: node.to_owned(),
            locations,
            status: "open".into(),
            lines: Vec::new(),
            counted_by: None,
            approved_by: None,
            adjustments: Vec::new(),
            recounts: 0,
            locations_matched: None,
            program,
            reason,
            tolerance_units,
            created_at: Some(env.at.to_rfc3339()),
            counted_at: None,
            approved_at: None,
        };
        self.event(
            env,
            EventKind::CountCreated,
            &count.id.clone(),
            json!({"node": count.node, "locations": count.locations, "program": count.program, "reason": count.reason, "tolerance_units": count.tolerance_units}),
        );
        self.doc(env.org, DOC_COUNT, &count.id.clone(), &count);
        self.save_counters(env.org, counters);
        self.wms.counts.insert(count.id.clone(), count.clone());
        count
    }

    pub(super) fn count_of(
        &self,
        env: &Envelope,
        id: &str,
        status: &str,
    ) -> Result<Count, OpError> {
        let c = match self.wms.counts.get(id) {
            Some(c) => c.clone(),
            // Approved counts live in the store only.
            None => self
                .stored_doc::<Count>(env.org, DOC_COUNT, id)
                .ok_or_else(|| OpError::NotFound {
                    what: "count",
                    id: id.to_owned(),
                })?,
        };
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
        let mut count = match self.count_of(env, id, "open") {
            Err(OpError::Conflict(_)) => self.count_of(env, id, "recount")?,
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
            .any(|l| l.variance.0.abs() > count.tolerance_units);
        count.status = if off && count.status == "open" {
            count.recounts += 1;
            "recount".into()
        } else {
            "counted".into()
        };
        count.counted_by = Some(env.actor.clone());
        count.counted_at = Some(env.at.to_rfc3339());
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
        // A count up for recount stays blind, in its event too: only what was
        // counted, not the books.
        let data = if count.status == "recount" {
            json!({"counted": input.lines, "locations": count.locations.len(), "status": count.status})
        } else {
            json!({"lines": count.lines, "locations": count.locations.len(), "locations_matched": matched, "status": count.status})
        };
        self.event(env, EventKind::CountCounted, id, data);
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
        let mut count = self.count_of(env, id, "counted")?;
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
        count.approved_at = Some(env.at.to_rfc3339());
        if !moved.is_empty() {
            self.event(
                env,
                EventKind::InventoryAdjusted,
                id,
                json!({"reason": "count_variance", "count": id, "node": count.node, "lines": moved}),
            );
        }
        let expected: i64 = count.lines.iter().map(|l| l.expected.0).sum();
        let counted: i64 = count.lines.iter().map(|l| l.counted.0).sum();
        self.event(
            env,
            EventKind::CountApproved,
            id,
            json!({"node": count.node, "program": count.program, "locations": count.locations,
                   "locations_matched": count.locations_matched, "tolerance_units": count.tolerance_units,
                   "expected": expected, "counted": counted, "variance": counted - expected,
                   "abs_variance": count.lines.iter().map(|l| l.variance.0.abs()).sum::<i64>(),
                   "lines": count.lines}),
        );
        self.doc(env.org, DOC_COUNT, id, &count);
        // Approved: served from the store from now on.
        self.wms.counts.remove(id);
        let day = env.at.0.div_euclid(DAY_US);
        for l in &count.locations {
            self.wms
                .last_counted
                .insert((count.node.clone(), l.clone()), day);
        }
        Ok(WmsOutcome::Count(count))
    }

    // ---- count programs ----

    pub(super) fn set_count_program(
        &mut self,
        env: &Envelope,
        input: &CountProgramInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("code", &input.code);
        c.code("node", &input.node);
        check_tolerance(&mut c, "tolerance_units", input.tolerance_units);
        let days_ok = |d: u32| (1..=COUNT_EVERY_DAYS_MAX).contains(&d);
        match input.by.as_str() {
            "abc" => {
                for (f, d) in [
                    ("frequencies.a_days", input.frequencies.a_days),
                    ("frequencies.b_days", input.frequencies.b_days),
                    ("frequencies.c_days", input.frequencies.c_days),
                ] {
                    if !days_ok(d) {
                        c.fail(f, format!("must be 1 to {COUNT_EVERY_DAYS_MAX} days"));
                    }
                }
            }
            "zone" => {
                if input.zones.is_empty() || input.zones.len() > COUNT_LOCATIONS_MAX {
                    c.fail("zones", "must name at least one zone");
                }
                for (i, z) in input.zones.iter().enumerate() {
                    c.code(&format!("zones[{i}]"), z);
                }
                if !input.every_days.is_some_and(days_ok) {
                    c.fail(
                        "every_days",
                        format!("a zone program counts every 1 to {COUNT_EVERY_DAYS_MAX} days"),
                    );
                }
            }
            "exception" => {}
            other => c.fail("by", format!("`{other}` is not abc, zone or exception")),
        }
        if input.by != "zone" && (!input.zones.is_empty() || input.every_days.is_some()) {
            c.fail("zones", "only a zone program names zones and every_days");
        }
        c.finish()?;
        self.node_id(env.org, &input.node, "node")?;
        let generated_through = self
            .wms
            .programs
            .get(&input.code)
            .filter(|p| p.program.node == input.node)
            .and_then(|p| p.generated_through);
        let p = CountProgram {
            program: input.clone(),
            generated_through,
            updated_at: env.at.to_rfc3339(),
        };
        self.doc(env.org, DOC_PROGRAM, &input.code, &p);
        self.event(env, EventKind::CountProgramSet, &input.code, &p);
        self.wms.programs.insert(input.code.clone(), p.clone());
        Ok(WmsOutcome::CountProgram(p))
    }

    /// Opens a count of the program's locations due on the date.
    pub(super) fn generate_counts(
        &mut self,
        env: &Envelope,
        code: &str,
        input: &DueCountsInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut p = self
            .wms
            .programs
            .get(code)
            .cloned()
            .ok_or_else(|| OpError::NotFound {
                what: "count program",
                id: code.to_owned(),
            })?;
        if p.program.by == "exception" {
            return Err(OpError::Conflict(format!(
                "program {code} counts a location after a short pick there; nothing falls due by date"
            )));
        }
        if p.generated_through.is_some_and(|d| d >= input.date) {
            return Err(OpError::Conflict(format!(
                "program {code} has generated the counts through {}",
                p.generated_through.expect("checked")
            )));
        }
        let node = self.node_id(env.org, &p.program.node, "node")?;
        let node_code = p.program.node.clone();
        let day = input
            .date
            .signed_duration_since(chrono::NaiveDate::default())
            .num_days();
        // Locations already in an open count wait for it.
        let in_count: std::collections::HashSet<&String> = self
            .wms
            .counts
            .values()
            .filter(|c| c.node == node_code)
            .flat_map(|c| &c.locations)
            .collect();
        let mut storage: Vec<&tote_core::Location> = self
            .locations
            .values()
            .filter(|l| l.node_id == node)
            .filter(|l| l.input.code != RECEIVING_LOCATION && l.input.code != PACK_LOCATION)
            .filter(|l| !in_count.contains(&l.input.code))
            .collect();
        storage.sort_by(|a, b| a.input.code.cmp(&b.input.code));
        let candidate = |l: &tote_core::Location| tote_wms::CountCandidate {
            code: l.input.code.clone(),
            last_counted_day: self
                .wms
                .last_counted
                .get(&(node_code.clone(), l.input.code.clone()))
                .copied(),
        };
        // (class, candidates, every days)
        let mut groups: Vec<(String, Vec<tote_wms::CountCandidate>, u32)> = Vec::new();
        if p.program.by == "zone" {
            let every = p.program.every_days.unwrap_or(1);
            for z in &p.program.zones {
                let cands = storage
                    .iter()
                    .filter(|l| l.input.zone.as_deref() == Some(z.as_str()))
                    .map(|l| candidate(l))
                    .collect();
                groups.push((z.clone(), cands, every));
            }
        } else {
            let classes = self.location_classes(env.org, node);
            let f = &p.program.frequencies;
            for (class, every) in [
                (VelocityClass::A, f.a_days),
                (VelocityClass::B, f.b_days),
                (VelocityClass::C, f.c_days),
            ] {
                let cands = storage
                    .iter()
                    .filter(|l| classes.get(&l.id).copied().unwrap_or(VelocityClass::C) == class)
                    .map(|l| candidate(l))
                    .collect();
                groups.push((class.zone().to_owned(), cands, every));
            }
        }
        let mut due = Vec::new();
        for (class, cands, every) in &groups {
            for location in tote_wms::counts_due(cands, *every, day) {
                due.push(DueLocation {
                    location,
                    class: class.clone(),
                });
            }
        }
        let tolerance = p.program.tolerance_units.unwrap_or(COUNT_TOLERANCE_UNITS);
        let mut counts = Vec::new();
        let codes: Vec<String> = due.iter().map(|d| d.location.clone()).collect();
        for chunk in codes.chunks(COUNT_LOCATIONS_MAX) {
            counts.push(self.new_count(
                env,
                &node_code,
                chunk.to_vec(),
                tolerance,
                (Some(code.to_owned()), Some(format!("due {}", input.date))),
            ));
        }
        p.generated_through = Some(input.date);
        p.updated_at = env.at.to_rfc3339();
        self.doc(env.org, DOC_PROGRAM, code, &p);
        self.wms.programs.insert(code.to_owned(), p);
        Ok(WmsOutcome::DueCounts(DueCounts {
            program: code.to_owned(),
            date: input.date,
            due,
            counts,
        }))
    }

    /// The ABC class of each storage location of a node: the fastest class of
    /// the SKUs it holds, classes from the units shipped to customers.
    fn location_classes(&self, org: OrgId, node: NodeId) -> HashMap<LocationId, VelocityClass> {
        let moved: Vec<(String, i64)> = self
            .skus
            .get(&org)
            .map(|m| {
                m.values()
                    .map(|s| {
                        let shipped = self
                            .ledger
                            .find(&Account::External {
                                org,
                                sku: s.id,
                                party: Party::Customer,
                            })
                            .map_or(0, |a| self.ledger.balance(a).posted.0);
                        (s.input.sku.clone(), shipped)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let classes = tote_wms::abc_classes(&moved);
        let mut out: HashMap<LocationId, VelocityClass> = HashMap::new();
        for (_, key, b) in self.ledger.accounts() {
            if let Account::Internal {
                node: n,
                location,
                sku,
                bucket: Bucket::OnHand,
                ..
            } = *key
                && n == node
                && b.posted > Qty::ZERO
            {
                let class = self
                    .sku_codes
                    .get(&sku)
                    .and_then(|c| classes.get(c))
                    .copied()
                    .unwrap_or(VelocityClass::C);
                let e = out.entry(location).or_insert(class);
                *e = (*e).min(class);
            }
        }
        out
    }

    /// After an exception at a location (a short pick), a node with an
    /// `exception` program counts that location, unless a count of it is open.
    pub(super) fn count_after_exception(
        &mut self,
        env: &Envelope,
        node: NodeId,
        location: &str,
        reason: &str,
    ) {
        let node_code = self.node_code(node).to_owned();
        let Some(p) = self
            .wms
            .programs
            .values()
            .find(|p| p.program.by == "exception" && p.program.node == node_code)
            .cloned()
        else {
            return;
        };
        let open = self
            .wms
            .counts
            .values()
            .any(|c| c.node == node_code && c.locations.iter().any(|l| l == location));
        if !open {
            self.new_count(
                env,
                &node_code,
                vec![location.to_owned()],
                p.program.tolerance_units.unwrap_or(COUNT_TOLERANCE_UNITS),
                (Some(p.program.code.clone()), Some(reason.to_owned())),
            );
        }
    }
}

fn check_tolerance(c: &mut Checker, field: &str, t: Option<i64>) {
    if let Some(t) = t
        && !(0..=tote_core::limits::LINE_QTY_MAX).contains(&t)
    {
        c.fail(field, "must be between 0 and 1000000000");
    }
}
