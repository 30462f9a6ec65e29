//! Waves, picking with short picks, and pick-face replenishment.

use super::*;

impl Engine {
    // ---- waves ----

    pub(super) fn release_wave(
        &mut self,
        env: &Envelope,
        input: &WaveInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        if !(1..=tote_wms::wave::CART_TOTES_MAX).contains(&input.cart_totes) {
            c.fail(
                "cart_totes",
                format!("must be between 1 and {}", tote_wms::wave::CART_TOTES_MAX),
            );
        }
        if input.rules.max_orders == Some(0) {
            c.fail("rules.max_orders", "must be at least 1");
        }
        for (i, l) in input.rules.service_levels.iter().enumerate() {
            c.code(&format!("rules.service_levels[{i}]"), l);
        }
        for (i, z) in input.rules.zones.iter().enumerate() {
            c.code(&format!("rules.zones[{i}]"), z);
        }
        for (i, x) in input.rules.cutoffs.iter().enumerate() {
            c.code(
                &format!("rules.cutoffs[{i}].service_level"),
                &x.service_level,
            );
        }
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        let node_code = input.node.clone();
        // Fully allocated orders held entirely at this node.
        let eligible: Vec<(OrderId, &Order)> = self
            .open_orders
            .iter()
            .filter(|(_, o)| o.org == env.org && o.status == OrderStatus::Allocated)
            .filter(|(_, o)| {
                o.lines
                    .iter()
                    .all(|l| l.allocations.iter().all(|a| a.node == node_code))
            })
            .map(|(&id, o)| (id, o))
            .collect();
        let candidates: Vec<tote_wms::WaveCandidate> = eligible
            .iter()
            .map(|(_, o)| tote_wms::WaveCandidate {
                service_level: o.service_level.clone(),
                placed_at_us: Timestamp::parse_rfc3339(&o.placed_at).unwrap_or_default().0,
                ship_by_us: o
                    .ship_by
                    .as_deref()
                    .and_then(Timestamp::parse_rfc3339)
                    .map(|t| t.0),
                zones: o
                    .lines
                    .iter()
                    .flat_map(|l| &l.allocations)
                    .flat_map(|a| &a.reservations)
                    .map(|r| {
                        self.locations
                            .get(&(node, r.location.clone()))
                            .and_then(|l| l.input.zone.clone())
                    })
                    .collect(),
            })
            .collect();
        let chosen = tote_wms::select_wave(&candidates, &input.rules, env.at.0)
            .map_err(|e| bad(e.field, e.problem))?;
        if chosen.is_empty() {
            return Err(OpError::Conflict(format!(
                "no allocated order at {node_code} matches the wave's rules"
            )));
        }
        // Each reservation is one pick: (order id, line, reservation).
        let mut wave_orders = Vec::with_capacity(chosen.len());
        let mut refs: Vec<Vec<(usize, TransferId)>> = Vec::with_capacity(chosen.len());
        let mut chosen_ids = Vec::with_capacity(chosen.len());
        for &i in &chosen {
            let (oid, o) = eligible[i];
            chosen_ids.push(oid);
            let mut lines = Vec::new();
            let mut r_refs = Vec::new();
            for (li, l) in o.lines.iter().enumerate() {
                for a in &l.allocations {
                    for r in &a.reservations {
                        let loc = self.locations.get(&(node, r.location.clone()));
                        lines.push(tote_wms::PickLine {
                            location: r.location.clone(),
                            aisle: loc.and_then(|l| l.input.aisle),
                            bay: loc.and_then(|l| l.input.bay),
                            sku: l.sku.clone(),
                            qty: r.qty.0,
                        });
                        r_refs.push((li, r.transfer));
                    }
                }
            }
            wave_orders.push(tote_wms::WaveOrder {
                order: o.id.clone(),
                lines,
            });
            refs.push(r_refs);
        }
        let layout = self.wms.layouts.get(&node);
        let lists = tote_wms::build_pick_lists(layout, &wave_orders, input.cart_totes);
        let code_order_distance_m =
            layout.and_then(|l| tote_wms::code_order_distance_m(l, &wave_orders, input.cart_totes));
        let mut counters = self.wms.counters.clone();
        counters.wave += 1;
        let wave_id = format!("W{}", counters.wave);
        let mut views = Vec::with_capacity(lists.len());
        let mut tasks = Vec::new();
        for list in &lists {
            counters.list += 1;
            let list_id = format!("PL{}", counters.list);
            let mut task_ids = Vec::with_capacity(list.stops.len());
            for (seq, stop) in list.stops.iter().enumerate() {
                counters.task += 1;
                let line = &wave_orders[stop.order].lines[stop.line];
                let task = PickTask {
                    id: format!("PT{}", counters.task),
                    wave: wave_id.clone(),
                    list: list_id.clone(),
                    seq: seq + 1,
                    order: wave_orders[stop.order].order.clone(),
                    tote: list
                        .orders
                        .iter()
                        .position(|&o| o == stop.order)
                        .unwrap_or(0)
                        + 1,
                    sku: line.sku.clone(),
                    location: line.location.clone(),
                    qty: Qty(line.qty),
                    status: "open".into(),
                    picked: Qty::ZERO,
                    reservation: refs[stop.order][stop.line].1.0,
                    done_by: None,
                    done_at: None,
                };
                task_ids.push(task.id.clone());
                tasks.push(task);
            }
            views.push(PickListView {
                id: list_id,
                orders: list
                    .orders
                    .iter()
                    .map(|&o| wave_orders[o].order.clone())
                    .collect(),
                tasks: task_ids,
                distance_m: list.distance_m,
                routed: list.routed,
            });
        }
        let wave = Wave {
            id: wave_id.clone(),
            node: node_code.clone(),
            orders: wave_orders.iter().map(|o| o.order.clone()).collect(),
            lists: views,
            tasks: Vec::new(),
            distance_m: lists.iter().map(|l| l.distance_m).sum(),
            code_order_distance_m,
            released_at: env.at.to_rfc3339(),
        };
        // Nothing below can fail: write the records.
        for oid in chosen_ids {
            let mut o = self.open_orders[&oid].clone();
            o.status = OrderStatus::Released;
            o.updated_at = env.at.to_rfc3339();
            self.event(
                env,
                EventKind::OrderReleased,
                &o.id.clone(),
                json!({ "wave": wave_id }),
            );
            self.store_order(oid, o);
        }
        for t in &tasks {
            self.doc(env.org, DOC_TASK, &t.id, t);
            self.wms
                .order_tasks
                .entry(t.order.clone())
                .or_default()
                .push(t.id.clone());
            self.wms.tasks.insert(t.id.clone(), t.clone());
        }
        self.doc(env.org, DOC_WAVE, &wave_id, &wave);
        self.event(
            env,
            EventKind::WaveReleased,
            &wave_id,
            json!({
                "node": node_code,
                "orders": wave.orders,
                "lists": wave.lists.iter().map(|l| json!({"id": l.id, "orders": l.orders, "picks": l.tasks.len(), "distance_m": l.distance_m, "routed": l.routed})).collect::<Vec<_>>(),
                "distance_m": wave.distance_m,
                "code_order_distance_m": wave.code_order_distance_m,
            }),
        );
        self.save_counters(env.org, counters);
        self.wms.waves.insert(wave_id, wave.clone());
        Ok(WmsOutcome::Wave(Wave { tasks, ..wave }))
    }

    // ---- picking ----

    pub(super) fn open_task(&self, env: &Envelope, id: &str) -> Result<PickTask, OpError> {
        if let Some(t) = self.wms.tasks.get(id) {
            return Ok(t.clone());
        }
        // Done tasks live in the store only.
        Err(match self.stored_doc::<PickTask>(env.org, DOC_TASK, id) {
            Some(t) => OpError::Conflict(format!("pick task {id} is already {}", t.status)),
            None => OpError::NotFound {
                what: "pick task",
                id: id.to_owned(),
            },
        })
    }

    /// Moves picked units of a task to the pack station, its reservation with them.
    pub(super) fn pick_units(
        &mut self,
        env: &Envelope,
        node: NodeId,
        sku: SkuId,
        from: LocationId,
        qty: Qty,
        reference: &str,
    ) -> Reservation {
        let pack = self.pack_location(env, node);
        let source = self.on_hand(node, from, sku);
        let target = self.on_hand(node, pack, sku);
        self.ledger
            .transfer(Self::spec(
                env,
                source,
                target,
                qty,
                Reason::Move,
                reference,
            ))
            .expect("the voided reservation held these units");
        let customer = self.external(env.org, sku, Party::Customer);
        let transfer = self
            .ledger
            .reserve(Self::spec(
                env,
                target,
                customer,
                qty,
                Reason::Reservation,
                reference,
            ))
            .expect("the units just arrived");
        Reservation {
            transfer,
            location: PACK_LOCATION.into(),
            qty,
        }
    }

    pub(super) fn task_context(
        &self,
        env: &Envelope,
        t: &PickTask,
    ) -> Result<(OrderId, Order, NodeId, SkuId, LocationId), OpError> {
        let (oid, order) = self.open_order(env.org, &t.order)?;
        let wave = &self.wms.waves[&t.wave];
        let node = self.node_id(env.org, &wave.node, "node")?;
        let sku = self
            .sku(env.org, &t.sku)
            .map(|s| s.id)
            .ok_or_else(|| OpError::Store(format!("sku {} of task {} is gone", t.sku, t.id)))?;
        let loc = self.location_id(node, &t.location, "location")?;
        Ok((oid, order, node, sku, loc))
    }

    pub(super) fn check_location_scan(t: &PickTask, scanned: &str) -> Result<(), OpError> {
        if scanned != t.location {
            return Err(bad(
                "location",
                format!("scanned `{scanned}`, this pick is at `{}`", t.location),
            ));
        }
        Ok(())
    }

    pub(super) fn confirm_pick(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &PickInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut t = self.open_task(env, id)?;
        Self::check_location_scan(&t, &input.location)?;
        let scanned = self.scan_sku(env.org, &input.item, "item")?;
        if scanned.input.sku != t.sku {
            return Err(bad(
                "item",
                format!("scanned {}, this pick is {}", scanned.input.sku, t.sku),
            ));
        }
        if input.qty != t.qty {
            return Err(bad(
                "qty",
                format!("this pick is {} units; report fewer as a short pick", t.qty),
            ));
        }
        let (oid, mut order, node, sku, loc) = self.task_context(env, &t)?;
        self.ledger
            .void(
                TransferId(t.reservation),
                Reason::Move,
                &env.actor,
                env.at,
                id,
            )
            .expect("an open pick task's reservation is pending");
        let r = self.pick_units(env, node, sku, loc, t.qty, id);
        replace_reservation(&mut order, TransferId(t.reservation), vec![r.clone()]);
        t.status = "picked".into();
        t.picked = t.qty;
        t.reservation = r.transfer.0;
        t.done_by = Some(env.actor.clone());
        t.done_at = Some(env.at.to_rfc3339());
        self.event(
            env,
            EventKind::PickConfirmed,
            id,
            json!({"order": t.order, "sku": t.sku, "location": t.location, "qty": t.qty, "to": PACK_LOCATION, "list": t.list}),
        );
        self.finish_pick(
            env,
            oid,
            order,
            t,
            (Vec::new(), Qty::ZERO),
            (node, loc, sku),
        )
    }

    pub(super) fn short_pick(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &ShortPickInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut t = self.open_task(env, id)?;
        Self::check_location_scan(&t, &input.location)?;
        let mut c = Checker::new();
        if input.found < Qty::ZERO || input.found >= t.qty {
            c.fail(
                "found",
                format!("a short pick finds 0 to {} units", t.qty.0 - 1),
            );
        }
        c.optional_text("reason", input.reason.as_deref());
        c.finish()?;
        let (oid, mut order, node, sku, loc) = self.task_context(env, &t)?;
        self.ledger
            .void(
                TransferId(t.reservation),
                Reason::Move,
                &env.actor,
                env.at,
                id,
            )
            .expect("an open pick task's reservation is pending");
        let mut made = Vec::new();
        if input.found > Qty::ZERO {
            made.push(self.pick_units(env, node, sku, loc, input.found, id));
        }
        // The picker saw the location empty: what no other order holds there is
        // written off as a count variance.
        let here = self.on_hand(node, loc, sku);
        let missing = self.ledger.balance(here).available();
        let mut adjustment = None;
        if missing > Qty::ZERO {
            let variance = self.external(env.org, sku, Party::CountVariance);
            let tr = self
                .ledger
                .transfer(Self::spec(
                    env,
                    here,
                    variance,
                    missing,
                    Reason::CountVariance,
                    id,
                ))
                .expect("available units can be written off");
            adjustment = Some(tr.0);
            self.event(
                env,
                EventKind::InventoryAdjusted,
                id,
                json!({"reason": "short_pick", "note": input.reason, "node": self.node_code(node), "location": t.location, "sku": t.sku, "qty": -missing.0, "transfer": tr.0}),
            );
        }
        let rest = t.qty - input.found;
        let pack = self.pack_location(env, node);
        let (resourced, backordered) =
            self.reserve_upto(env, node, sku, rest, &[loc, pack], &order.id);
        made.extend(resourced.iter().cloned());
        replace_reservation(&mut order, TransferId(t.reservation), made.clone());
        if backordered > Qty::ZERO {
            let node_code = self.node_code(node).to_owned();
            if let Some(line) = order.lines.iter_mut().find(|l| l.sku == t.sku) {
                line.backordered += backordered;
                if let Some(a) = line.allocations.iter_mut().find(|a| a.node == node_code) {
                    a.qty -= backordered;
                }
            }
        }
        // New tasks for the re-sourced units, at the end of the same list.
        let mut counters = self.wms.counters.clone();
        let mut new_tasks = Vec::new();
        let mut wave = self.wms.waves[&t.wave].clone();
        let list = wave
            .lists
            .iter_mut()
            .find(|l| l.id == t.list)
            .expect("a task's list is in its wave");
        for r in &resourced {
            counters.task += 1;
            let nt = PickTask {
                id: format!("PT{}", counters.task),
                seq: list.tasks.len() + 1,
                location: r.location.clone(),
                qty: r.qty,
                status: "open".into(),
                picked: Qty::ZERO,
                reservation: r.transfer.0,
                done_by: None,
                done_at: None,
                ..t.clone()
            };
            list.tasks.push(nt.id.clone());
            new_tasks.push(nt);
        }
        t.status = "short".into();
        t.picked = input.found;
        t.reservation = made.first().map_or(t.reservation, |r| r.transfer.0);
        t.done_by = Some(env.actor.clone());
        t.done_at = Some(env.at.to_rfc3339());
        self.event(
            env,
            EventKind::PickShort,
            id,
            json!({"order": t.order, "sku": t.sku, "location": t.location, "expected": t.qty, "found": input.found,
                   "reason": input.reason, "written_off": missing, "adjustment": adjustment,
                   "resourced": resourced.iter().map(|r| json!({"location": r.location, "qty": r.qty})).collect::<Vec<_>>(),
                   "backordered": backordered, "new_tasks": new_tasks.iter().map(|t| &t.id).collect::<Vec<_>>()}),
        );
        for nt in &new_tasks {
            self.doc(env.org, DOC_TASK, &nt.id, nt);
            self.wms
                .order_tasks
                .entry(nt.order.clone())
                .or_default()
                .push(nt.id.clone());
            self.wms.tasks.insert(nt.id.clone(), nt.clone());
        }
        self.doc(env.org, DOC_WAVE, &wave.id.clone(), &wave);
        self.wms.waves.insert(wave.id.clone(), wave);
        self.save_counters(env.org, counters);
        self.count_after_exception(env, node, &t.location, &format!("short pick {id}"));
        self.finish_pick(
            env,
            oid,
            order,
            t,
            (new_tasks, backordered),
            (node, loc, sku),
        )
    }

    /// Stores the task and the order; the order is picked once no task is open.
    pub(super) fn finish_pick(
        &mut self,
        env: &Envelope,
        oid: OrderId,
        mut order: Order,
        t: PickTask,
        (new_tasks, backordered): (Vec<PickTask>, Qty),
        face: (NodeId, LocationId, SkuId),
    ) -> Result<WmsOutcome, OpError> {
        let replenishments = self.replenish_if_low(env, face).into_iter().collect();
        self.doc(env.org, DOC_TASK, &t.id, &t);
        // A done task is served from the store from now on.
        self.wms.tasks.remove(&t.id);
        let open = match self.wms.order_tasks.get_mut(&t.order) {
            Some(ids) => {
                ids.retain(|id| id != &t.id);
                !ids.is_empty()
            }
            None => false,
        };
        if !open {
            self.wms.order_tasks.remove(&t.order);
        }
        order.updated_at = env.at.to_rfc3339();
        if !open {
            order.status = OrderStatus::Picked;
            self.event(
                env,
                EventKind::OrderPicked,
                &order.id.clone(),
                json!({ "to": PACK_LOCATION }),
            );
        }
        let status = order.status.as_str().to_owned();
        self.store_order(oid, order);
        Ok(WmsOutcome::Pick(PickResult {
            task: t,
            new_tasks,
            backordered,
            order_status: status,
            replenishments,
        }))
    }

    // ---- replenishment ----

    /// A replenishment for a pick face below its min, from the reserve location
    /// with the most free units, unless one is already open for that face.
    pub(super) fn replenish_if_low(
        &mut self,
        env: &Envelope,
        (node, loc, sku): (NodeId, LocationId, SkuId),
    ) -> Option<Replenishment> {
        let &(min, max) = self.wms.faces.get(&(node, loc, sku))?;
        let to = self.location_codes[&loc].clone();
        let sku_code = self.sku_codes[&sku].clone();
        let node_code = self.node_code(node).to_owned();
        if self
            .wms
            .replenishments
            .values()
            .any(|r| r.status == "open" && r.to == to && r.sku == sku_code && r.node == node_code)
        {
            return None;
        }
        let face = self.on_hand(node, loc, sku);
        let on_hand = self.ledger.balance(face).posted;
        if on_hand >= min {
            return None;
        }
        let source = self
            .ledger
            .stock_accounts(OwnerId::DEFAULT, sku)
            .iter()
            .filter_map(|&a| match self.ledger.key(a) {
                Account::Internal {
                    node: n, location, ..
                } if n == node && location != loc => {
                    let code = &self.location_codes[&location];
                    let reserve = code != PACK_LOCATION
                        && code != RECEIVING_LOCATION
                        && !self.wms.faces.contains_key(&(node, location, sku));
                    let available = self.ledger.balance(a).available();
                    (reserve && available > Qty::ZERO).then(|| (available, code.clone()))
                }
                _ => None,
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))?;
        let mut counters = self.wms.counters.clone();
        counters.replenishment += 1;
        let r = Replenishment {
            id: format!("RP{}", counters.replenishment),
            node: node_code,
            sku: sku_code,
            from: source.1,
            to,
            qty: (max - on_hand).min(source.0),
            status: "open".into(),
            created_at: env.at.to_rfc3339(),
            done_by: None,
            done_at: None,
        };
        self.event(env, EventKind::ReplenishmentCreated, &r.id.clone(), &r);
        self.doc(env.org, DOC_REPLEN, &r.id.clone(), &r);
        self.save_counters(env.org, counters);
        self.wms.replenishments.insert(r.id.clone(), r.clone());
        Some(r)
    }

    pub(super) fn set_pick_faces(
        &mut self,
        env: &Envelope,
        input: &PickFacesInput,
    ) -> Result<WmsOutcome, OpError> {
        let mut c = Checker::new();
        c.code("node", &input.node);
        if input.faces.len() > tote_core::limits::REQUEST_LINES_MAX {
            c.fail("faces", "must hold at most 1000 faces");
        }
        c.finish()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        let mut c = Checker::new();
        let mut faces = Vec::with_capacity(input.faces.len());
        for (i, f) in input.faces.iter().enumerate() {
            let loc = self
                .locations
                .get(&(node, f.location.clone()))
                .map(|l| l.id);
            if loc.is_none() {
                c.fail(
                    format!("faces[{i}].location"),
                    format!("unknown location `{}` in this node", f.location),
                );
            }
            let sku = self.sku(env.org, &f.sku).map(|s| s.id);
            if sku.is_none() {
                c.fail(
                    format!("faces[{i}].sku"),
                    format!("unknown sku `{}`", f.sku),
                );
            }
            if f.min < Qty::ZERO {
                c.fail(format!("faces[{i}].min"), "must be at least 0");
            }
            if f.max < Qty(1) || f.max < f.min || f.max.0 > tote_core::limits::LINE_QTY_MAX {
                c.fail(
                    format!("faces[{i}].max"),
                    "must be at least 1 and at least min",
                );
            }
            if let (Some(l), Some(s)) = (loc, sku) {
                faces.push(((node, l, s), (f.min, f.max)));
            }
        }
        c.finish()?;
        self.wms.faces.retain(|k, _| k.0 != node);
        self.wms.faces.extend(faces.iter().copied());
        self.wms.face_inputs.insert(node, input.clone());
        self.doc(env.org, DOC_FACES, &input.node, input);
        self.event(
            env,
            EventKind::PickFacesSet,
            &input.node,
            json!({ "faces": input.faces }),
        );
        let replenishments = faces
            .iter()
            .filter_map(|(k, _)| self.replenish_if_low(env, *k))
            .collect();
        Ok(WmsOutcome::PickFaces(PickFaces {
            node: input.node.clone(),
            faces: input.faces.clone(),
            replenishments,
        }))
    }

    pub(super) fn confirm_replenishment(
        &mut self,
        env: &Envelope,
        id: &str,
        input: &ReplenishmentInput,
    ) -> Result<WmsOutcome, OpError> {
        let Some(mut r) = self.wms.replenishments.get(id).cloned() else {
            return Err(
                match self.stored_doc::<Replenishment>(env.org, DOC_REPLEN, id) {
                    Some(r) => {
                        OpError::Conflict(format!("replenishment {id} is already {}", r.status))
                    }
                    None => OpError::NotFound {
                        what: "replenishment",
                        id: id.to_owned(),
                    },
                },
            );
        };
        for (field, scanned, want) in [("from", &input.from, &r.from), ("to", &input.to, &r.to)] {
            if scanned != want {
                return Err(bad(
                    field,
                    format!("scanned `{scanned}`, this move is `{want}`"),
                ));
            }
        }
        let node = self.node_id(env.org, &r.node, "node")?;
        let sku = self.scan_sku(env.org, &r.sku, "sku")?.id;
        let from = self.location_id(node, &r.from, "from")?;
        let to = self.location_id(node, &r.to, "to")?;
        let repointed = self.move_units(env, node, sku, from, to, r.qty, id)?;
        r.status = "done".into();
        r.done_by = Some(env.actor.clone());
        r.done_at = Some(env.at.to_rfc3339());
        self.event(
            env,
            EventKind::InventoryReplenished,
            id,
            json!({"replenishment": r, "repointed": repointed}),
        );
        self.doc(env.org, DOC_REPLEN, id, &r);
        self.wms.replenishments.remove(id);
        Ok(WmsOutcome::Replenishment(r))
    }
}
