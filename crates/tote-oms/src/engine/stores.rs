//! Stores: pick tasks for in-store pickup (BOPIS) and ship-from-store orders,
//! each due on the first day with room in the store's daily capacity; the
//! associate confirms picked, ready for pickup, collected by the customer
//! (posts the reservation: the units leave) or shipped, or rejects (the units
//! are sourced again at once).

use super::*;
use crate::omni::{
    CollectInput, PartnerRejectInput, PartnerShipInput, StoreCommand, StoreOutcome, StoreTask,
    StoreTasksView,
};
use chrono::NaiveDate;
use tote_core::NodeKind;
use tote_core::order::parse_order_id;
use tote_store::SourcingConfigRow;

const KIND_TASK: &str = "store_task";
/// A task is due at most this many days after its order.
const DUE_DAYS_MAX: u64 = 366;
/// Days a ready pickup order waits when the store's profile does not say.
const PICKUP_HOLD_DAYS_DEFAULT: u32 = 7;

/// A six-digit code from the order and the moment it became ready: what the
/// customer shows at the counter.
fn pickup_code(order: &str, at: Timestamp) -> String {
    // splitmix64 over the order number and the time, so codes do not run in sequence.
    let mut z = (at.0 as u64) ^ parse_order_id(order).map_or(0, |o| o.0).rotate_left(32);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    format!("{:06}", z % 1_000_000)
}

impl Engine {
    pub(super) fn store(&mut self, env: &Envelope, cmd: &StoreCommand) -> Result<Outcome, OpError> {
        let out = match cmd {
            StoreCommand::Tasks(node) => StoreOutcome::Tasks(self.tasks_of(env, node)?),
            StoreCommand::Picked(node, id) => {
                StoreOutcome::Task(Box::new(self.task_picked(env, node, id)?))
            }
            StoreCommand::Ready(node, id) => {
                StoreOutcome::Task(Box::new(self.task_ready(env, node, id)?))
            }
            StoreCommand::Collected(node, id, input) => {
                StoreOutcome::Task(Box::new(self.task_collected(env, node, id, input)?))
            }
            StoreCommand::Shipped(node, id, input) => {
                StoreOutcome::Task(Box::new(self.task_shipped(env, node, id, input)?))
            }
            StoreCommand::Reject(node, id, input) => {
                StoreOutcome::Task(Box::new(self.task_rejected(env, node, id, input)?))
            }
            StoreCommand::Expire(node) => StoreOutcome::Tasks(self.expire_pickups(env, node)?),
        };
        Ok(Outcome::Store(out))
    }

    /// A pickup order's store must exist and take pickups.
    pub(super) fn check_pickup_node(&self, env: &Envelope, code: &str, c: &mut Checker) {
        match self.nodes.get(&(env.org, code.to_owned())) {
            None => c.fail("pickup_node", format!("unknown node `{code}`")),
            Some(n) if !self.profile_of(n).caps.pickup => c.fail(
                "pickup_node",
                format!("`{code}` does not take pickups (its profile's caps.pickup)"),
            ),
            Some(_) => {}
        }
    }

    fn store_node(&self, env: &Envelope, code: &str) -> Result<(), OpError> {
        let node = self.node_in_path(env.org, code)?;
        if node.input.kind != NodeKind::Store {
            return Err(OpError::Invalid(Invalid::one(
                "node",
                format!(
                    "`{code}` is a {} node: store tasks are for stores",
                    node.input.kind.as_str()
                ),
            )));
        }
        Ok(())
    }

    fn save_task(&mut self, org: OrgId, t: &StoreTask) {
        self.group.sourcing_config.push(SourcingConfigRow {
            org,
            kind: KIND_TASK.into(),
            code: t.id.clone(),
            body: serde_json::to_string(t).expect("tasks serialise"),
        });
        if t.is_open() {
            self.sourcing.tasks.insert(t.id.clone(), t.clone());
        } else {
            self.sourcing.tasks.remove(&t.id);
        }
    }

    /// The first day from `from` on which `node` has fewer open tasks due than
    /// its daily order capacity (any day when it has none).
    fn first_day_with_room(&self, org: OrgId, node: &str, from: NaiveDate) -> NaiveDate {
        let Some(cap) = self
            .nodes
            .get(&(org, node.to_owned()))
            .and_then(|n| self.profile_of(n).capacity_orders_day)
        else {
            return from;
        };
        let mut due: BTreeMap<NaiveDate, u32> = BTreeMap::new();
        for t in self.sourcing.tasks.values().filter(|t| t.node == node) {
            *due.entry(t.due_on).or_insert(0) += 1;
        }
        (0..DUE_DAYS_MAX)
            .filter_map(|d| from.checked_add_days(chrono::Days::new(d)))
            .find(|d| due.get(d).copied().unwrap_or(0) < cap.max(1))
            .unwrap_or(from)
    }

    /// After an order's allocations changed: each store holding reservations
    /// of it has an open task listing them (created, or its lines brought up to
    /// date), and an open task of a store that holds nothing any more is closed
    /// as `closed_as`.
    pub(super) fn sync_store_tasks(&mut self, env: &Envelope, order: &Order, closed_as: &str) {
        let wanted = self.reserved_lines_by_node(order, |k| k == NodeKind::Store);
        let stale: Vec<StoreTask> = self
            .sourcing
            .tasks
            .values()
            .filter(|t| t.order == order.id && !wanted.contains_key(&t.node))
            .cloned()
            .collect();
        for mut t in stale {
            t.status = closed_as.to_owned();
            t.updated_at = env.at.to_rfc3339();
            self.save_task(order.org, &t);
        }
        let today = env.at.to_datetime().date_naive();
        for (node, lines) in wanted {
            let id = format!("{}-{node}", order.id);
            let at = env.at.to_rfc3339();
            let t = match self.sourcing.tasks.get(&id) {
                Some(t) if t.lines == lines => continue,
                Some(t) => StoreTask {
                    lines,
                    updated_at: at,
                    ..t.clone()
                },
                None => StoreTask {
                    id: id.clone(),
                    order: order.id.clone(),
                    due_on: self.first_day_with_room(order.org, &node, today),
                    node,
                    kind: if order.pickup_node.is_some() {
                        "pickup".into()
                    } else {
                        "ship".into()
                    },
                    status: "open".into(),
                    lines,
                    pickup_code: None,
                    collect_by: None,
                    carrier: None,
                    tracking: None,
                    note: None,
                    created_at: at.clone(),
                    updated_at: at,
                },
            };
            self.event(env, EventKind::StoreTaskCreated, &id, json!({ "task": t }));
            self.save_task(order.org, &t);
        }
    }

    fn tasks_of(&self, env: &Envelope, code: &str) -> Result<StoreTasksView, OpError> {
        self.store_node(env, code)?;
        let mut tasks: Vec<StoreTask> = self
            .sourcing
            .tasks
            .values()
            .filter(|t| t.node == code && self.open_order_of(env.org, &t.order).is_some())
            .cloned()
            .collect();
        tasks.sort_by_key(|t| (t.due_on, parse_order_id(&t.order).map(|o| o.0)));
        Ok(StoreTasksView {
            node: code.to_owned(),
            tasks,
        })
    }

    fn open_store_task(&self, env: &Envelope, node: &str, id: &str) -> Result<StoreTask, OpError> {
        self.store_node(env, node)?;
        match self.sourcing.tasks.get(id) {
            Some(t) if t.node == node && self.open_order_of(env.org, &t.order).is_some() => {
                Ok(t.clone())
            }
            _ => Err(OpError::NotFound {
                what: "open store task",
                id: id.to_owned(),
            }),
        }
    }

    fn task_picked(&mut self, env: &Envelope, node: &str, id: &str) -> Result<StoreTask, OpError> {
        let mut t = self.open_store_task(env, node, id)?;
        if t.status != "open" {
            return Ok(t);
        }
        t.status = "picked".into();
        t.updated_at = env.at.to_rfc3339();
        self.event(env, EventKind::StoreTaskPicked, id, json!({ "task": t }));
        self.save_task(env.org, &t);
        Ok(t)
    }

    fn task_ready(&mut self, env: &Envelope, node: &str, id: &str) -> Result<StoreTask, OpError> {
        let mut t = self.open_store_task(env, node, id)?;
        if t.kind != "pickup" {
            return Err(OpError::Conflict(format!(
                "task {id} ships from the store: only pickup orders are made ready"
            )));
        }
        if t.status == "ready" {
            return Ok(t);
        }
        let hold = self
            .nodes
            .get(&(env.org, node.to_owned()))
            .and_then(|n| self.profile_of(n).pickup_hold_days)
            .unwrap_or(PICKUP_HOLD_DAYS_DEFAULT);
        t.status = "ready".into();
        t.pickup_code = Some(pickup_code(&t.order, env.at));
        t.collect_by = env
            .at
            .to_datetime()
            .date_naive()
            .checked_add_days(chrono::Days::new(u64::from(hold)));
        t.updated_at = env.at.to_rfc3339();
        let order = t.order.clone();
        self.event(
            env,
            EventKind::OrderReadyForPickup,
            &order,
            json!({ "task": t.id, "node": node, "pickup_code": t.pickup_code }),
        );
        self.save_task(env.org, &t);
        Ok(t)
    }

    fn task_collected(
        &mut self,
        env: &Envelope,
        node: &str,
        id: &str,
        input: &CollectInput,
    ) -> Result<StoreTask, OpError> {
        let mut c = Checker::new();
        c.code("code", &input.code);
        c.finish()?;
        let mut t = self.open_store_task(env, node, id)?;
        if t.status != "ready" {
            return Err(OpError::Conflict(format!(
                "task {id} is {}: only a ready pickup order is collected",
                t.status
            )));
        }
        if t.pickup_code.as_deref() != Some(input.code.as_str()) {
            return Err(OpError::Invalid(Invalid::one(
                "code",
                "does not match the order's pickup code",
            )));
        }
        let oid = parse_order_id(&t.order).expect("open tasks name open orders");
        t.status = "collected".into();
        t.updated_at = env.at.to_rfc3339();
        let (posted, done) = self.post_node_part(env, oid, node);
        let order = t.order.clone();
        self.event(
            env,
            EventKind::OrderPickedUp,
            &order,
            json!({ "task": t, "posted": posted, "closed": done }),
        );
        self.save_task(env.org, &t);
        Ok(t)
    }

    fn task_shipped(
        &mut self,
        env: &Envelope,
        node: &str,
        id: &str,
        input: &PartnerShipInput,
    ) -> Result<StoreTask, OpError> {
        let mut c = Checker::new();
        c.code("carrier", &input.carrier);
        c.text("tracking", &input.tracking);
        c.finish()?;
        let mut t = self.open_store_task(env, node, id)?;
        if t.kind != "ship" {
            return Err(OpError::Conflict(format!(
                "task {id} is a pickup order: the customer collects it"
            )));
        }
        let oid = parse_order_id(&t.order).expect("open tasks name open orders");
        t.status = "shipped".into();
        t.carrier = Some(input.carrier.clone());
        t.tracking = Some(input.tracking.clone());
        t.updated_at = env.at.to_rfc3339();
        let (posted, done) = self.post_node_part(env, oid, node);
        self.save_task(env.org, &t);
        if done {
            let order = t.order.clone();
            self.event(
                env,
                EventKind::OrderShipped,
                &order,
                json!({ "store_task": t, "posted": posted, "backordered": [] }),
            );
        }
        Ok(t)
    }

    fn task_rejected(
        &mut self,
        env: &Envelope,
        node: &str,
        id: &str,
        input: &PartnerRejectInput,
    ) -> Result<StoreTask, OpError> {
        let mut c = Checker::new();
        c.optional_text("note", input.note.as_deref());
        c.finish()?;
        let mut t = self.open_store_task(env, node, id)?;
        let oid = parse_order_id(&t.order).expect("open tasks name open orders");
        t.status = "rejected".into();
        t.note.clone_from(&input.note);
        t.updated_at = env.at.to_rfc3339();
        self.save_task(env.org, &t);
        self.give_back(env, oid, node, input.note.as_deref())?;
        Ok(t)
    }

    /// Cancels every ready pickup order at `node` whose collect-by day is
    /// today or past (the sweep runs after the store closes): the units
    /// return to stock. Answers the expired tasks.
    fn expire_pickups(&mut self, env: &Envelope, node: &str) -> Result<StoreTasksView, OpError> {
        self.store_node(env, node)?;
        let today = env.at.to_datetime().date_naive();
        let due: Vec<StoreTask> = self
            .sourcing
            .tasks
            .values()
            .filter(|t| {
                t.node == node
                    && t.status == "ready"
                    && t.collect_by.is_some_and(|d| d <= today)
                    && self.open_order_of(env.org, &t.order).is_some()
            })
            .cloned()
            .collect();
        let mut expired = Vec::with_capacity(due.len());
        for mut t in due {
            t.status = "expired".into();
            t.updated_at = env.at.to_rfc3339();
            self.save_task(env.org, &t);
            let oid = parse_order_id(&t.order).expect("open tasks name open orders");
            self.cancel_order(env, oid)?;
            expired.push(t);
        }
        Ok(StoreTasksView {
            node: node.to_owned(),
            tasks: expired,
        })
    }
}
