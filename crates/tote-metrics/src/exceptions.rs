//! The exception queue: what needs a person now, from the projector's state, each
//! with its age, a root-cause tag and what it is about.

use tote_core::Timestamp;

use crate::project::{Projector, Stage};

const HOUR_US: i64 = 3_600_000_000;

/// What makes an order or a record an exception.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExceptionKind {
    /// Open after its ship-by.
    PastShipBy,
    /// Not yet released to the floor and its ship-by is near.
    AtRisk,
    /// Waiting for stock: some units backordered.
    Hold,
    ShortPick,
    /// No event for longer than the stuck threshold.
    Stuck,
    /// Counted with a variance that nobody approved yet.
    CountVariance,
}

impl ExceptionKind {
    pub const ALL: [ExceptionKind; 6] = [
        ExceptionKind::PastShipBy,
        ExceptionKind::AtRisk,
        ExceptionKind::Hold,
        ExceptionKind::ShortPick,
        ExceptionKind::Stuck,
        ExceptionKind::CountVariance,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ExceptionKind::PastShipBy => "past_ship_by",
            ExceptionKind::AtRisk => "at_risk",
            ExceptionKind::Hold => "hold",
            ExceptionKind::ShortPick => "short_pick",
            ExceptionKind::Stuck => "stuck",
            ExceptionKind::CountVariance => "count_variance",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExceptionKind::PastShipBy => "Past ship-by",
            ExceptionKind::AtRisk => "At risk",
            ExceptionKind::Hold => "On hold",
            ExceptionKind::ShortPick => "Short pick",
            ExceptionKind::Stuck => "Stuck",
            ExceptionKind::CountVariance => "Count variance",
        }
    }

    pub fn from_name(s: &str) -> Option<ExceptionKind> {
        ExceptionKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// Thresholds of the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionRules {
    /// An order not yet released this close to its ship-by is at risk.
    pub at_risk_hours: i64,
    /// An open order with no event for this long is stuck.
    pub stuck_hours: i64,
    /// Short picks older than this have been dealt with on the floor.
    pub short_pick_hours: i64,
}

impl Default for ExceptionRules {
    fn default() -> ExceptionRules {
        ExceptionRules {
            at_risk_hours: 4,
            stuck_hours: 24,
            short_pick_hours: 24,
        }
    }
}

/// One entry of the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub kind: ExceptionKind,
    /// An order id, a count id, a pick task id.
    pub subject: String,
    /// The order it concerns, when it concerns one.
    pub order: Option<String>,
    /// What to look at, in a sentence.
    pub summary: String,
    /// A short tag naming the cause, for grouping in the weekly review.
    pub root_cause: String,
    /// Since when it is an exception.
    pub since: Timestamp,
    /// Hours since then, at `now`.
    pub age_hours: i64,
}

fn stage_cause(stage: Stage, backordered: i64) -> &'static str {
    if backordered > 0 {
        return "waiting for stock";
    }
    match stage {
        Stage::Backordered => "waiting for stock",
        Stage::Allocated => "not released",
        Stage::Released => "not picked",
        Stage::Picked => "not packed",
        Stage::Packed => "not shipped",
        Stage::Shipped | Stage::Cancelled => "closed",
    }
}

/// The queue at `now`, oldest first.
pub fn exceptions(p: &Projector, now: Timestamp, rules: ExceptionRules) -> Vec<Exception> {
    let mut out = Vec::new();
    let age = |since: Timestamp| ((now.0 - since.0).max(0)) / HOUR_US;
    for o in p.open_orders() {
        let id = tote_core::order::format_order_id(o.fact.order);
        let cause = stage_cause(o.stage, o.backordered_units);
        let mut push = |kind, summary: String, since: Timestamp| {
            out.push(Exception {
                kind,
                subject: id.clone(),
                order: Some(id.clone()),
                summary,
                root_cause: cause.to_owned(),
                since,
                age_hours: age(since),
            });
        };
        if o.fact.ship_by < now {
            push(
                ExceptionKind::PastShipBy,
                format!("{id} is {} past its ship-by, {}", o.stage.as_str(), cause),
                o.fact.ship_by,
            );
        } else if matches!(o.stage, Stage::Allocated | Stage::Backordered)
            && o.fact.ship_by.0 - now.0 <= rules.at_risk_hours * HOUR_US
        {
            push(
                ExceptionKind::AtRisk,
                format!(
                    "{id} is not released and must ship within {} h",
                    (o.fact.ship_by.0 - now.0) / HOUR_US
                ),
                Timestamp(o.fact.ship_by.0 - rules.at_risk_hours * HOUR_US),
            );
        }
        if o.backordered_units > 0 || o.stage == Stage::Backordered {
            push(
                ExceptionKind::Hold,
                format!(
                    "{id} waits for {} unit(s) of stock",
                    o.backordered_units.max(1)
                ),
                o.fact.placed_at,
            );
        }
        if now.0 - o.last_event_at.0 >= rules.stuck_hours * HOUR_US {
            push(
                ExceptionKind::Stuck,
                format!("{id} has had no event since {}", o.last_event),
                o.last_event_at,
            );
        }
    }
    for s in &p.short_picks {
        if now.0 - s.at.0 > rules.short_pick_hours * HOUR_US {
            continue;
        }
        out.push(Exception {
            kind: ExceptionKind::ShortPick,
            subject: s.task.clone(),
            order: Some(s.order.clone()),
            summary: format!(
                "{}: found {} of {} {} at {}",
                s.order, s.found, s.expected, s.sku, s.location
            ),
            root_cause: s
                .reason
                .clone()
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(|| "short pick".to_owned()),
            since: s.at,
            age_hours: age(s.at),
        });
    }
    for (id, c) in &p.counts {
        if !c.awaiting_approval {
            continue;
        }
        let since = c.counted_at.unwrap_or(now);
        out.push(Exception {
            kind: ExceptionKind::CountVariance,
            subject: id.clone(),
            order: None,
            summary: format!(
                "count {id} at {} is off by {} unit(s) and awaits approval",
                c.node.map_or("?", |n| p.names.node_code(n)),
                c.variance_units
            ),
            root_cause: "count variance".to_owned(),
            since,
            age_hours: age(since),
        });
    }
    out.sort_by(|a, b| {
        a.since
            .cmp(&b.since)
            .then(a.kind.cmp(&b.kind))
            .then(a.subject.cmp(&b.subject))
    });
    out
}
