//! Inbound: node layouts, ASNs and receiving against them, put-away.

use super::*;

impl Engine {
    // ---- layout ----

    pub(super) fn set_layout(
        &mut self,
        env: &Envelope,
        node: &str,
        layout: &NodeLayout,
    ) -> Result<WmsOutcome, OpError> {
        let id = self.node_in_path(env.org, node)?.id;
        layout
            .routing_layout()
            .map_err(|e| bad(e.field, e.problem))?;
        if let Some(cap) = layout.location_capacity_units
            && cap < 1
        {
            return Err(bad("location_capacity_units", "must be at least 1"));
        }
        self.doc(
            env.org,
            DOC_LAYOUT,
            node,
            &LayoutDoc {
                node: node.into(),
                layout: layout.clone(),
            },
        );
        self.event(env, EventKind::LayoutSet, node, json!({ "layout": layout }));
        self.wms.layouts.insert(id, layout.clone());
        Ok(WmsOutcome::Layout(layout.clone()))
    }

    // ---- inbound ----

    pub(super) fn create_asn(
        &mut self,
        env: &Envelope,
        input: &AsnInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        c.code("po", &input.po);
        c.optional_text("supplier", input.supplier.as_deref());
        if input.cartons.is_empty() {
            c.fail("cartons", "must hold at least one carton");
        } else if input.cartons.len() > ASN_CARTONS_MAX {
            c.fail(
                "cartons",
                format!("must hold at most {ASN_CARTONS_MAX} cartons"),
            );
        }
        let mut expected: BTreeMap<String, Qty> = BTreeMap::new();
        let mut ssccs: Vec<&str> = Vec::new();
        for (i, carton) in input.cartons.iter().enumerate().take(ASN_CARTONS_MAX) {
            c.code(&format!("cartons[{i}].id"), &carton.id);
            if let Some(code) = &carton.sscc {
                let f = format!("cartons[{i}].sscc");
                match tote_transport::gs1::Sscc::parse(code) {
                    Err(e) => c.fail(f, e.to_string()),
                    Ok(_) if ssccs.contains(&code.as_str()) => {
                        c.fail(f, format!("`{code}` is on another carton of this ASN"))
                    }
                    Ok(_) => match self.wms.sscc_asn.get(code) {
                        Some(other) => {
                            c.fail(f, format!("`{code}` is on a carton of open ASN {other}"))
                        }
                        None => ssccs.push(code),
                    },
                }
            }
            if carton.lines.is_empty() || carton.lines.len() > tote_core::limits::REQUEST_LINES_MAX
            {
                c.fail(format!("cartons[{i}].lines"), "must hold 1 to 1000 lines");
            }
            for (j, l) in carton.lines.iter().enumerate() {
                let f = format!("cartons[{i}].lines[{j}]");
                c.line_qty(&format!("{f}.qty"), l.qty);
                if self.sku(env.org, &l.sku).is_none() {
                    c.fail(format!("{f}.sku"), format!("unknown sku `{}`", l.sku));
                }
                *expected.entry(l.sku.clone()).or_default() += l.qty;
            }
        }
        c.finish()?;
        self.node_id(env.org, &input.node, "node")?;
        let mut counters = self.wms.counters.clone();
        counters.asn += 1;
        let id = format!("ASN{}", counters.asn);
        let asn = Asn {
            id: id.clone(),
            node: input.node.clone(),
            po: input.po.clone(),
            supplier: input.supplier.clone(),
            cartons: input.cartons.clone(),
            status: "open".into(),
            lines: expected
                .into_iter()
                .map(|(sku, q)| AsnLine {
                    sku,
                    expected: q,
                    received: Qty::ZERO,
                    damaged: Qty::ZERO,
                    over: Qty::ZERO,
                    short: q,
                })
                .collect(),
            created_at: env.at.to_rfc3339(),
            first_received_at: None,
            cartons_received: Vec::new(),
        };
        self.event(env, EventKind::AsnCreated, &id, json!({ "asn": asn }));
        self.doc(env.org, DOC_ASN, &id, &asn);
        self.save_counters(env.org, counters);
        for code in ssccs {
            self.wms.sscc_asn.insert(code.to_owned(), id.clone());
        }
        self.wms.asns.insert(id, asn.clone());
        Ok(WmsOutcome::Asn(asn))
    }

    /// Receives a carton by its SSCC, against the open ASN that lists it.
    pub(super) fn receive_carton(
        &mut self,
        env: &Envelope,
        sscc: &str,
        input: &AsnReceiptInput,
    ) -> Result<WmsOutcome, OpError> {
        if input.sscc.as_deref().is_some_and(|s| s != sscc) {
            return Err(bad("sscc", format!("must match the path's `{sscc}`")));
        }
        tote_transport::gs1::Sscc::parse(sscc).map_err(|e| bad("sscc", e.to_string()))?;
        let id = self
            .wms
            .sscc_asn
            .get(sscc)
            .cloned()
            .ok_or_else(|| OpError::NotFound {
                what: "carton of an open ASN",
                id: sscc.to_owned(),
            })?;
        let input = AsnReceiptInput {
            sscc: Some(sscc.to_owned()),
            ..input.clone()
        };
        self.receive_asn(env, &id, &input)
    }

    pub(super) fn receive_asn(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &AsnReceiptInput,
    ) -> Result<WmsOutcome, OpError> {
        let Some(mut asn) = self.wms.asns.get(id).cloned() else {
            // Closed ASNs live in the store only.
            return Err(match self.stored_doc::<Asn>(env.org, DOC_ASN, id) {
                Some(_) => OpError::Conflict(format!("{id} is closed")),
                None => OpError::NotFound {
                    what: "asn",
                    id: id.to_owned(),
                },
            });
        };
        // A carton scanned by its SSCC: its listed lines arrive as listed,
        // except the SKUs the receipt names (what did arrive of those).
        let mut carton_lines: Vec<AsnReceiptLine> = Vec::new();
        if let Some(code) = &input.sscc {
            let carton = asn
                .cartons
                .iter()
                .find(|c| c.sscc.as_deref() == Some(code.as_str()))
                .ok_or_else(|| bad("sscc", format!("`{code}` is no carton of {id}")))?;
            if asn.cartons_received.contains(code) {
                return Err(OpError::Conflict(format!(
                    "carton {code} of {id} is already received"
                )));
            }
            let named: Vec<String> = input
                .lines
                .iter()
                .filter_map(|l| self.scan_sku(env.org, &l.sku, "sku").ok())
                .map(|s| s.input.sku.clone())
                .collect();
            carton_lines = carton
                .lines
                .iter()
                .filter(|l| !named.contains(&l.sku))
                .map(|l| AsnReceiptLine {
                    sku: l.sku.clone(),
                    qty: l.qty,
                    damaged: Qty::ZERO,
                })
                .collect();
        }
        let all_lines: Vec<AsnReceiptLine> =
            input.lines.iter().cloned().chain(carton_lines).collect();
        let input = &AsnReceiptInput {
            lines: all_lines,
            sscc: input.sscc.clone(),
            close: input.close,
        };
        let mut c = Checker::new();
        if input.lines.len() > tote_core::limits::REQUEST_LINES_MAX {
            c.fail("lines", "must hold at most 1000 lines");
        }
        if input.lines.is_empty() && !input.close && input.sscc.is_none() {
            c.fail("lines", "must hold at least one line (or close the ASN)");
        }
        let mut skus = Vec::new();
        for (i, l) in input.lines.iter().enumerate() {
            for (name, q) in [("qty", l.qty), ("damaged", l.damaged)] {
                if q < Qty::ZERO || q.0 > tote_core::limits::LINE_QTY_MAX {
                    c.fail(
                        format!("lines[{i}].{name}"),
                        "must be between 0 and 1000000000",
                    );
                }
            }
            if l.qty + l.damaged == Qty::ZERO && input.sscc.is_none() {
                c.fail(
                    format!("lines[{i}].qty"),
                    "a line receives at least one unit",
                );
            }
            match self.scan_sku(env.org, &l.sku, "sku") {
                Ok(s) => skus.push((s.id, s.input.sku.clone())),
                Err(_) => c.fail(
                    format!("lines[{i}].sku"),
                    format!("`{}` is no known SKU code or GTIN", l.sku),
                ),
            }
        }
        c.finish()?;
        let node = self.node_id(env.org, &asn.node, "node")?;
        let dock = self.location_id(node, RECEIVING_LOCATION, "node")?;
        let mut moved = Vec::new();
        for (l, (sku, code)) in input.lines.iter().zip(&skus) {
            let sku = *sku;
            let supplier = self.external(env.org, sku, Party::Supplier);
            for (q, bucket) in [(l.qty, Bucket::OnHand), (l.damaged, Bucket::Damaged)] {
                if q == Qty::ZERO {
                    continue;
                }
                let target = self.internal(node, dock, sku, bucket);
                let t = self
                    .ledger
                    .transfer(Self::spec(env, supplier, target, q, Reason::Receipt, id))
                    .map_err(|e| bad("lines", e.to_string()))?;
                moved.push(json!({"sku": code, "qty": q, "to": bucket.as_str(), "location": RECEIVING_LOCATION, "transfer": t.0}));
            }
            match asn.lines.iter_mut().find(|a| &a.sku == code) {
                Some(a) => {
                    a.received += l.qty;
                    a.damaged += l.damaged;
                }
                None => asn.lines.push(AsnLine {
                    sku: code.clone(),
                    expected: Qty::ZERO,
                    received: l.qty,
                    damaged: l.damaged,
                    over: Qty::ZERO,
                    short: Qty::ZERO,
                }),
            }
        }
        for a in &mut asn.lines {
            let arrived = a.received + a.damaged;
            a.over = Qty((arrived - a.expected).0.max(0));
            a.short = Qty((a.expected - arrived).0.max(0));
        }
        if asn.first_received_at.is_none() && !moved.is_empty() {
            asn.first_received_at = Some(env.at.to_rfc3339());
        }
        if !moved.is_empty() {
            self.event(
                env,
                EventKind::InventoryReceived,
                id,
                json!({ "asn": id, "po": asn.po, "node": asn.node, "moved": moved, "variances": asn.lines }),
            );
        }
        if let Some(code) = &input.sscc {
            asn.cartons_received.push(code.clone());
        }
        // Orders waiting for these SKUs are sourced again.
        let arrived: Vec<SkuId> = skus.iter().map(|&(sku, _)| sku).collect();
        self.fill_backorders(env, &arrived);
        if input.close {
            asn.status = "closed".into();
            self.event(
                env,
                EventKind::AsnClosed,
                id,
                json!({ "variances": asn.lines }),
            );
        }
        self.doc(env.org, DOC_ASN, id, &asn);
        if asn.status == "open" {
            self.wms.asns.insert(id.to_owned(), asn.clone());
        } else {
            // Closed: served from the store from now on.
            self.wms.asns.remove(id);
            self.wms.sscc_asn.retain(|_, a| a != id);
        }
        Ok(WmsOutcome::Asn(asn))
    }

    // ---- put-away ----

    pub(super) fn suggest(
        &self,
        node: NodeId,
        sku: SkuId,
        qty: Qty,
        velocity: Option<&str>,
        field: &str,
    ) -> Result<PutawaySuggestion, OpError> {
        let velocity = match velocity {
            None => VelocityClass::B,
            Some(v) => VelocityClass::parse(v)
                .ok_or_else(|| bad(field, format!("`{v}` is not A, B or C")))?,
        };
        let hazmat = self
            .sku_codes
            .get(&sku)
            .and_then(|code| self.skus.values().find_map(|m| m.get(code)))
            .is_some_and(|s| s.input.hazmat_un.is_some());
        let capacity = self
            .wms
            .layouts
            .get(&node)
            .and_then(|l| l.location_capacity_units);
        // Units per location, of every SKU and of this one.
        let mut units: HashMap<LocationId, (i64, i64)> = HashMap::new();
        for (_, key, b) in self.ledger.accounts() {
            if let Account::Internal {
                node: n,
                location,
                sku: s,
                bucket: Bucket::OnHand,
                ..
            } = *key
                && n == node
            {
                let e = units.entry(location).or_default();
                e.0 += b.posted.0;
                if s == sku {
                    e.1 += b.posted.0;
                }
            }
        }
        let mut candidates: Vec<PutawayCandidate> = self
            .locations
            .values()
            .filter(|l| l.node_id == node)
            .filter(|l| l.input.code != RECEIVING_LOCATION && l.input.code != PACK_LOCATION)
            .map(|l| {
                let (all, of_sku) = units.get(&l.id).copied().unwrap_or_default();
                PutawayCandidate {
                    code: l.input.code.clone(),
                    zone: l.input.zone.clone(),
                    units: all,
                    units_of_sku: of_sku,
                    capacity_units: capacity,
                }
            })
            .collect();
        candidates.sort_by(|a, b| a.code.cmp(&b.code));
        let s = tote_wms::suggest_putaway(&PutawaySku { hazmat, velocity }, qty.0, &candidates);
        Ok(PutawaySuggestion {
            location: s.as_ref().map(|s| s.location.clone()),
            rule: s.map(|s| s.rule),
        })
    }

    pub(super) fn put_away(
        &mut self,
        env: &Envelope,
        input: &PutawayInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        c.code("location", &input.location);
        c.line_qty("qty", input.qty);
        c.optional_text("override_reason", input.override_reason.as_deref());
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        let sku = self.scan_sku(env.org, &input.sku, "sku")?.id;
        let from_code = input.from.as_deref().unwrap_or(RECEIVING_LOCATION);
        let from = self.location_id(node, from_code, "from")?;
        let to = self.location_id(node, &input.location, "location")?;
        if from == to {
            return Err(bad("location", "is where the units already are"));
        }
        let suggested =
            self.suggest(node, sku, input.qty, input.velocity.as_deref(), "velocity")?;
        if suggested.location.as_deref() != Some(input.location.as_str())
            && input.override_reason.is_none()
        {
            return Err(bad(
                "location",
                match &suggested.location {
                    Some(s) => format!(
                        "scanned `{}` but `{s}` is suggested: scan it, or give override_reason",
                        input.location
                    ),
                    None => "no location is suggested: give override_reason".into(),
                },
            ));
        }
        let dock_to_stock_s = match &input.asn {
            None => None,
            Some(a) => {
                let asn = match self.wms.asns.get(a) {
                    Some(x) => x.clone(),
                    None => self
                        .stored_doc::<Asn>(env.org, DOC_ASN, a)
                        .ok_or_else(|| bad("asn", format!("unknown ASN `{a}`")))?,
                };
                asn.first_received_at
                    .as_deref()
                    .and_then(Timestamp::parse_rfc3339)
                    .map(|t| (env.at.0 - t.0) / 1_000_000)
            }
        };
        let reference = format!("putaway {}", input.location);
        let repointed = self.move_units(env, node, sku, from, to, input.qty, &reference)?;
        let done = PutAway {
            node: input.node.clone(),
            sku: self.sku_codes[&sku].clone(),
            qty: input.qty,
            from: from_code.into(),
            to: input.location.clone(),
            suggested,
            override_reason: input.override_reason.clone(),
            repointed,
            dock_to_stock_s,
            at: env.at.to_rfc3339(),
        };
        self.event(env, EventKind::InventoryPutAway, &done.sku.clone(), &done);
        Ok(WmsOutcome::PutAway(done))
    }
}
