//! Packing by scan, shipping, and carrier manifests.

use super::*;

impl Engine {
    // ---- pack and ship ----

    pub(super) fn pack_scan(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &PackScanInput,
    ) -> Result<WmsOutcome, OpError> {
        let (oid, mut order) = self.open_order(env.org, id)?;
        if order.status != OrderStatus::Picked {
            return Err(OpError::Conflict(format!(
                "order {id} is {}: only picked orders are packed",
                order.status.as_str()
            )));
        }
        let mut pack = self.wms.packs.get(id).cloned().unwrap_or_else(|| Pack {
            order: id.to_owned(),
            accepted: false,
            refusal: None,
            remaining: order
                .lines
                .iter()
                .filter(|l| l.allocated() > Qty::ZERO)
                .map(|l| PackRemaining {
                    sku: l.sku.clone(),
                    qty: l.allocated(),
                })
                .collect(),
            scans_accepted: 0,
            scans_refused: 0,
            cartons: Vec::new(),
            status: "packing".into(),
        });
        let scanned = self
            .scan_sku(env.org, &input.item, "item")
            .ok()
            .map(|s| s.input.sku.clone());
        let slot = scanned.as_ref().and_then(|s| {
            pack.remaining
                .iter_mut()
                .find(|r| &r.sku == s && r.qty > Qty::ZERO)
        });
        match slot {
            Some(r) => {
                r.qty -= Qty(1);
                pack.accepted = true;
                pack.refusal = None;
                pack.scans_accepted += 1;
            }
            None => {
                // A wrong item is refused, and the refusal is kept: order
                // accuracy counts it.
                let why = match &scanned {
                    Some(s) => format!("{s} is not (or no longer) expected in order {id}"),
                    None => format!("`{}` is no known SKU code or GTIN", input.item),
                };
                pack.accepted = false;
                pack.refusal = Some(why.clone());
                pack.scans_refused += 1;
                self.event(
                    env,
                    EventKind::PackScanRefused,
                    id,
                    json!({"scanned": input.item, "why": why}),
                );
            }
        }
        if pack.accepted && pack.remaining.iter().all(|r| r.qty == Qty::ZERO) {
            let items: Vec<tote_wms::PackItem> = order
                .lines
                .iter()
                .filter(|l| l.allocated() > Qty::ZERO)
                .filter_map(|l| {
                    let s = self.sku(env.org, &l.sku)?;
                    Some(tote_wms::PackItem {
                        sku: l.sku.clone(),
                        dims_mm: s.input.dims_mm,
                        weight_g: s.input.weight_g,
                        qty: u32::try_from(l.allocated().0).unwrap_or(u32::MAX),
                        ships_alone: s.input.ships_alone,
                    })
                })
                .collect();
            pack.cartons = tote_wms::choose_carton(&tote_wms::default_cartons(), &items)
                .map_err(|e| OpError::Conflict(format!("order {id} cannot be packed: {e}")))?;
            pack.status = "packed".into();
            order.status = OrderStatus::Packed;
            order.updated_at = env.at.to_rfc3339();
            self.event(
                env,
                EventKind::OrderPacked,
                id,
                json!({"cartons": pack.cartons, "scans_accepted": pack.scans_accepted, "scans_refused": pack.scans_refused}),
            );
            self.store_order(oid, order);
        }
        self.doc(env.org, DOC_PACK, id, &pack);
        self.wms.packs.insert(id.to_owned(), pack.clone());
        Ok(WmsOutcome::Pack(pack))
    }

    pub(super) fn ship(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &ShipInput,
    ) -> Result<WmsOutcome, OpError> {
        if let Some(key) = &input.service {
            self.check_service(key)?;
        }
        let (oid, mut order) = self.open_order(env.org, id)?;
        if order.status != OrderStatus::Packed {
            return Err(OpError::Conflict(format!(
                "order {id} is {}: only packed orders ship",
                order.status.as_str()
            )));
        }
        let node = order
            .lines
            .iter()
            .flat_map(|l| &l.allocations)
            .next_back()
            .map(|a| a.node.clone())
            .unwrap_or_default();
        let cartons = self
            .wms
            .packs
            .get(id)
            .map(|p| p.cartons.clone())
            .unwrap_or_default();
        let rated = self.rate_shipment(env, &order, &node, &cartons, input.service.as_deref())?;
        let mut counters = self.wms.counters.clone();
        let label = self.label_data(env, &order, &node, cartons.len(), counters.sscc + 1)?;
        counters.sscc += cartons.len() as u64;
        let mut posted = Vec::new();
        for l in &order.lines {
            for a in &l.allocations {
                for r in &a.reservations {
                    let t = self
                        .ledger
                        .post(r.transfer, Reason::Shipment, &env.actor, env.at, id)
                        .expect("an open order's reservations are pending");
                    posted.push(t.0);
                }
            }
        }
        counters.shipment += 1;
        counters.tracking += 1;
        let shipment = Shipment {
            id: format!("SH{}", counters.shipment),
            order: id.to_owned(),
            node,
            carrier: rated.carrier,
            service: rated.service,
            tracking: tote_transport::adapter::LocalCarrier::tracking_number(
                TRACKING_PREFIX,
                counters.tracking,
            ),
            cartons,
            posted,
            manifest: None,
            shipped_at: env.at.to_rfc3339(),
            chosen_by: rated.chosen_by.into(),
            quote: Some(rated.quote),
            ship_on: Some(rated.ship_on),
            committed_on: Some(rated.committed_on),
            deliver_by: order.deliver_by,
            late: rated.late,
            candidates: rated.candidates,
            label: Some(label),
            status: "shipped".into(),
            history: Vec::new(),
            delivered_at: None,
            delivered_on: None,
        };
        order.status = OrderStatus::Shipped;
        order.updated_at = env.at.to_rfc3339();
        // Units a short pick backordered are named here; the order closes with
        // the shipment and they continue as a follow-up order
        // (`backorder_follow_up`, placed by the Ship command after this).
        let backordered: Vec<_> = order
            .lines
            .iter()
            .filter(|l| l.backordered > Qty::ZERO)
            .map(|l| json!({"sku": l.sku, "qty": l.backordered}))
            .collect();
        self.event(
            env,
            EventKind::OrderShipped,
            id,
            json!({ "shipment": shipment, "backordered": backordered }),
        );
        self.store_order(oid, order);
        self.closing.push(oid);
        self.doc(env.org, DOC_SHIPMENT, &shipment.id.clone(), &shipment);
        self.save_counters(env.org, counters);
        self.wms
            .unmanifested
            .insert(shipment.id.clone(), shipment.clone());
        self.wms.put_shipment(shipment.clone());
        Ok(WmsOutcome::Shipment(Box::new(shipment)))
    }

    pub(super) fn close_manifest(
        &mut self,
        env: &Envelope,
        input: &ManifestInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("carrier", &input.carrier);
        c.finish()?;
        let ids: Vec<String> = self
            .wms
            .unmanifested
            .values()
            .filter(|s| s.carrier == input.carrier)
            .map(|s| s.id.clone())
            .collect();
        if ids.is_empty() {
            return Err(OpError::Conflict(format!(
                "no shipment of carrier {} waits for a manifest",
                input.carrier
            )));
        }
        let mut counters = self.wms.counters.clone();
        counters.manifest += 1;
        let mid = format!("MF{}", counters.manifest);
        let mut tracking = Vec::new();
        for sid in &ids {
            let mut s = self.wms.unmanifested.remove(sid).expect("listed above");
            s.manifest = Some(mid.clone());
            tracking.push(s.tracking.clone());
            // Tracking may have moved the shipment on since it shipped.
            if let Some(live) = self.wms.shipments.get(sid) {
                s = Shipment {
                    manifest: Some(mid.clone()),
                    ..live.clone()
                };
            }
            self.doc(env.org, DOC_SHIPMENT, sid, &s);
            self.wms.put_shipment(s);
        }
        let m = Manifest {
            id: mid.clone(),
            carrier: input.carrier.clone(),
            shipments: ids,
            tracking,
            closed_at: env.at.to_rfc3339(),
        };
        self.event(env, EventKind::ManifestClosed, &mid, &m);
        self.doc(env.org, DOC_MANIFEST, &mid, &m);
        self.save_counters(env.org, counters);
        Ok(WmsOutcome::Manifest(m))
    }
}

impl Engine {
    /// Units a short pick backordered must not be forgotten when the order
    /// ships: they become a follow-up order (same customer, channel and
    /// deadlines), sourced at once and, what no node holds, backordered until a
    /// receipt fills it. This prepares it (None: nothing is backordered, or the
    /// order is not open); it is checked here, so placing it cannot fail.
    pub(super) fn backorder_follow_up(
        &self,
        env: &Envelope,
        id: &str,
    ) -> Option<tote_core::OrderInput> {
        let order = parse_order_id(id).and_then(|o| self.open_orders.get(&o))?;
        if order.org != env.org {
            return None;
        }
        let lines: Vec<tote_core::OrderLineInput> = order
            .lines
            .iter()
            .filter(|l| l.backordered > Qty::ZERO)
            .map(|l| tote_core::OrderLineInput {
                sku: l.sku.clone(),
                qty: l.backordered,
                unit_price: Some(l.unit_price),
                discount: None,
            })
            .collect();
        if lines.is_empty() {
            return None;
        }
        // `<external id>-BO` (the order's own id when that would be too long),
        // then `-BO2`, ... when the channel has that one already.
        let base = if order.external_id.len() + 6 <= tote_core::limits::CODE_LEN_MAX {
            order.external_id.clone()
        } else {
            order.id.clone()
        };
        let taken = |ext: &str| {
            self.external_ids
                .contains_key(&(env.org, order.channel.clone(), ext.to_owned()))
        };
        let mut external_id = format!("{base}-BO");
        let mut n = 1;
        while taken(&external_id) {
            n += 1;
            external_id = format!("{base}-BO{n}");
        }
        let input = tote_core::OrderInput {
            external_id,
            channel: order.channel.clone(),
            ship_to: order.ship_to.clone(),
            lines,
            service_level: order.service_level.clone(),
            email: order.email.clone(),
            ship_by: order.ship_by.clone(),
            deliver_by: order.deliver_by,
            shipping_charge: None,
            discount: None,
            fulfillment: order.fulfillment.clone(),
            pickup_node: order.pickup_node.clone(),
        };
        input.validate().ok()?;
        Some(input)
    }

    /// Places the follow-up of a shipped order (prepared and checked by
    /// `backorder_follow_up`).
    pub(super) fn place_follow_up(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &tote_core::OrderInput,
    ) {
        let placed = self
            .place_order(env, input)
            .expect("the follow-up order was checked before the ship");
        let Outcome::Order { order: follow, .. } = placed else {
            unreachable!("placing an order answers the order");
        };
        self.event(
            env,
            EventKind::OrderBackordered,
            id,
            json!({"follow_up": follow.id, "lines": input.lines.iter().map(|l| json!({"sku": l.sku, "qty": l.qty})).collect::<Vec<_>>()}),
        );
    }
}
