//! The backlog: a point-in-time metric, kept per cut rather than per day.

use std::collections::BTreeMap;

use tote_core::Timestamp;

use crate::fact::OrderFact;
use crate::observe::Accumulator;
use crate::ratio::Sign;

const HOUR_US: i64 = 3_600_000_000;

/// Upper bounds, in hours past ship-by, of the age buckets; the last bucket is open.
pub const BACKLOG_AGE_HOURS: [i64; 3] = [4, 24, 72];

/// backlog: orders allocated or released but not shipped, at a point in time, aged by hours past ship-by
///
/// Holds the open orders' ship-by times (a partly shipped order stays open until
/// nothing more will ship); `value(at)` ages them at `at`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Backlog {
    ship_by: BTreeMap<Timestamp, i64>,
}

/// Open orders by age at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AgedBacklog {
    pub orders: i64,
    /// Open orders whose ship-by is still ahead.
    pub not_yet_due: i64,
    /// Orders up to 4 h, 4 to 24 h, 24 to 72 h, and over 72 h past ship-by.
    pub past_ship_by: [i64; BACKLOG_AGE_HOURS.len() + 1],
}

impl Accumulator for Backlog {
    fn merge(&mut self, other: &Self) {
        for (&at, &count) in &other.ship_by {
            self.add(at, count);
        }
    }
}

impl Backlog {
    pub fn is_open(fact: &OrderFact) -> bool {
        fact.allocated_at.is_some() && fact.shipped_at.is_none() && fact.cancelled.is_none()
    }

    pub fn apply(&mut self, fact: &OrderFact, sign: Sign) {
        if Backlog::is_open(fact) {
            self.add(fact.ship_by, sign.count());
        }
    }

    pub fn observe(&mut self, fact: &OrderFact) {
        self.apply(fact, Sign::Observe);
    }

    pub fn retract(&mut self, fact: &OrderFact) {
        self.apply(fact, Sign::Retract);
    }

    fn add(&mut self, ship_by: Timestamp, count: i64) {
        let entry = self.ship_by.entry(ship_by).or_insert(0);
        *entry += count;
        assert!(*entry >= 0, "backlog at ship-by {ship_by:?} below zero");
        if *entry == 0 {
            self.ship_by.remove(&ship_by);
        }
    }

    pub fn value(&self, at: Timestamp) -> AgedBacklog {
        let mut aged = AgedBacklog::default();
        for (&ship_by, &count) in &self.ship_by {
            aged.orders += count;
            if ship_by >= at {
                aged.not_yet_due += count;
                continue;
            }
            let hours_past = (at.0 - ship_by.0 + HOUR_US - 1) / HOUR_US;
            let bucket = BACKLOG_AGE_HOURS
                .iter()
                .position(|&bound| hours_past <= bound)
                .unwrap_or(BACKLOG_AGE_HOURS.len());
            aged.past_ship_by[bucket] += count;
        }
        aged
    }
}
