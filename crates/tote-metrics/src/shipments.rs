//! Metrics of shipments: handed on time, and delivered on time by the carrier.

use crate::fact::ShipmentFact;
use crate::observe::{Accumulator, Observe};
use crate::period::Day;
use crate::ratio::{CountRatio, Sign};

/// on-time ship: shipments handed to the carrier by their ship-by time / shipments
///
/// Counted in the day of the ship-by time, once handed or once the ship-by has
/// passed (`as_of`): a shipment still on the floor after its ship-by is late.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OnTimeShip(pub CountRatio);

impl Accumulator for OnTimeShip {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<ShipmentFact> for OnTimeShip {
    fn day_of(fact: &ShipmentFact) -> Option<Day> {
        Some(Day::of(fact.ship_by))
    }

    fn apply(&mut self, fact: &ShipmentFact, sign: Sign) {
        if fact.handed_at.is_none() && fact.as_of <= fact.ship_by {
            return;
        }
        let on_time = fact.handed_at.is_some_and(|at| at <= fact.ship_by);
        let s = sign.count();
        self.0.add(s * i64::from(on_time), s);
    }
}

impl OnTimeShip {
    pub fn value(&self) -> CountRatio {
        self.0
    }
}

/// carrier on-time: shipments delivered by the carrier's committed date / shipments delivered
///
/// Counted in the day of delivery.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CarrierOnTime(pub CountRatio);

impl Accumulator for CarrierOnTime {
    fn merge(&mut self, other: &Self) {
        self.0.merge(&other.0);
    }
}

impl Observe<ShipmentFact> for CarrierOnTime {
    fn day_of(fact: &ShipmentFact) -> Option<Day> {
        fact.delivered_at.map(Day::of)
    }

    fn apply(&mut self, fact: &ShipmentFact, sign: Sign) {
        if let Some(delivered_at) = fact.delivered_at {
            let s = sign.count();
            self.0
                .add(s * i64::from(delivered_at <= fact.committed_delivery_at), s);
        }
    }
}

impl CarrierOnTime {
    pub fn value(&self) -> CountRatio {
        self.0
    }
}
