//! Carrier tracking events: each moves its shipment on (status, history,
//! delivery) and, on delivery, its order from `shipped` to `delivered`.
//!
//! A batch is applied row by row in time order (equal times in the order
//! given), so a file may carry a parcel from pick-up to delivery in any row
//! order. Each row stands alone: an unknown tracking
//! number, a duplicate, an event older than the shipment's latest, or one after
//! delivery or return is refused by name and changes nothing; the good rows are
//! applied. Nothing in a row is fallible after its checks, so no row is ever
//! half applied.

use super::*;
use tote_transport::tracking::{TrackingEvent, TrackingStatus, admit};

impl Engine {
    pub(super) fn track(&mut self, env: &Envelope, rows: &[TrackingInput]) -> WmsOutcome {
        let mut out = TrackingBatch {
            applied: 0,
            refused: 0,
            rows: Vec::with_capacity(rows.len()),
        };
        let mut by_time: Vec<&TrackingInput> = rows.iter().collect();
        by_time.sort_by_key(|r| r.at);
        for row in by_time {
            let r = self.track_one(env, row);
            if r.result == "applied" {
                out.applied += 1;
            } else {
                out.refused += 1;
            }
            out.rows.push(r);
        }
        out.rows.sort_by_key(|r| r.row);
        WmsOutcome::Tracking(out)
    }

    fn track_one(&mut self, env: &Envelope, row: &TrackingInput) -> TrackingRowResult {
        let refuse = |field: &str, problem: String, shipment: Option<String>| TrackingRowResult {
            row: row.row,
            tracking: row.tracking.clone(),
            result: "refused".into(),
            shipment,
            status: None,
            field: Some(field.into()),
            problem: Some(problem),
        };
        let Some(sid) = self.wms.by_tracking.get(&row.tracking).cloned() else {
            return refuse(
                "tracking",
                format!("`{}` is no shipment's tracking number", row.tracking),
                None,
            );
        };
        let mut s = self.wms.shipments[&sid].clone();
        let shipped_at = chrono::DateTime::parse_from_rfc3339(&s.shipped_at)
            .map(|t| t.to_utc())
            .unwrap_or_default();
        let event = TrackingEvent {
            tracking: row.tracking.clone(),
            status: row.status,
            at: row.at.to_utc(),
            location: row.location.clone(),
            detail: row.detail.clone(),
        };
        if let Err(why) = admit(&s.history, shipped_at, &event) {
            let field = if matches!(why, tote_transport::tracking::Refusal::Duplicate) {
                "status"
            } else {
                "at"
            };
            return refuse(field, why.to_string(), Some(sid));
        }
        // The order, before anything changes: a delivered shipment delivers it.
        let delivered = row.status == TrackingStatus::Delivered;
        let order = if delivered {
            match self.order_of(env, &s.order) {
                Ok(o) => Some(o),
                Err(why) => return refuse("tracking", why, Some(sid)),
            }
        } else {
            None
        };

        s.history.push(event.clone());
        s.status = row.status.as_str().into();
        if delivered {
            s.delivered_at = Some(event.at.to_rfc3339());
            s.delivered_on = Some(row.at.date_naive());
        }
        self.event(
            env,
            EventKind::ShipmentTrackingUpdated,
            &sid,
            json!({"shipment": sid, "order": s.order, "tracking": s.tracking,
                   "status": s.status, "at": event.at.to_rfc3339(),
                   "location": event.location, "detail": event.detail}),
        );
        if let Some((oid, mut order)) = order {
            let carrier_on_time = match (s.delivered_on, s.committed_on) {
                (Some(d), Some(c)) => Some(d <= c),
                _ => None,
            };
            let on_time_to_promise = match (s.delivered_on, order.deliver_by) {
                (Some(d), Some(by)) => Some(d <= by),
                _ => None,
            };
            self.event(
                env,
                EventKind::OrderDelivered,
                &order.id.clone(),
                json!({"shipment": sid, "carrier": s.carrier, "service": s.service,
                       "delivered_at": s.delivered_at, "delivered_on": s.delivered_on,
                       "committed_on": s.committed_on, "deliver_by": order.deliver_by,
                       "carrier_on_time": carrier_on_time,
                       "on_time_to_promise": on_time_to_promise}),
            );
            order.status = OrderStatus::Delivered;
            order.updated_at = env.at.to_rfc3339();
            let placed_at = Timestamp::parse_rfc3339(&order.placed_at).unwrap_or_default();
            self.group
                .orders
                .push(OrderRow::new(oid, placed_at, &order));
            // Shipped in this commit group: still in memory until it is durable.
            if let Some(o) = self.open_orders.get_mut(&oid) {
                *o = order;
            }
        }
        self.doc(env.org, DOC_SHIPMENT, &sid, &s);
        if let Some(u) = self.wms.unmanifested.get_mut(&sid) {
            *u = s.clone();
        }
        let status = s.status.clone();
        self.wms.put_shipment(s);
        TrackingRowResult {
            row: row.row,
            tracking: row.tracking.clone(),
            result: "applied".into(),
            shipment: Some(sid),
            status: Some(status),
            field: None,
            problem: None,
        }
    }

    /// A shipped order: from memory while its shipping group is open, else
    /// from the store. Answers why when it is not `shipped`.
    fn order_of(&self, env: &Envelope, id: &str) -> Result<(OrderId, Order), String> {
        let oid = parse_order_id(id).ok_or_else(|| format!("order `{id}` is no order id"))?;
        let order = match self.open_orders.get(&oid) {
            Some(o) => o.clone(),
            None => {
                let mut o = self
                    .reader
                    .order(env.org, oid)
                    .map_err(|e| format!("order {id} could not be read: {e}"))?
                    .ok_or_else(|| format!("order {id} not found"))?;
                o.org = env.org;
                o
            }
        };
        if order.status != OrderStatus::Shipped {
            return Err(format!(
                "order {id} is {}: only a shipped order is delivered",
                order.status.as_str()
            ));
        }
        Ok((oid, order))
    }
}
