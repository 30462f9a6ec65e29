//! Carriers' services and the set of them a business can ship with.

use crate::calendar::WorkDays;
use crate::money::Currency;
use crate::rates::RateTable;
use crate::surcharges::Surcharge;
use crate::units::DimRule;
use crate::zones::{Zone, ZoneChart};
use chrono::NaiveTime;
use serde::Serialize;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    Ground,
    TwoDay,
    Overnight,
    Economy,
    Postal,
    International,
}

impl ServiceKind {
    pub fn parse(s: &str) -> Option<ServiceKind> {
        Some(match s {
            "ground" => ServiceKind::Ground,
            "two_day" => ServiceKind::TwoDay,
            "overnight" => ServiceKind::Overnight,
            "economy" => ServiceKind::Economy,
            "postal" => ServiceKind::Postal,
            "international" => ServiceKind::International,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Ground => "ground",
            ServiceKind::TwoDay => "two_day",
            ServiceKind::Overnight => "overnight",
            ServiceKind::Economy => "economy",
            ServiceKind::Postal => "postal",
            ServiceKind::International => "international",
        }
    }
}

/// One service of one carrier, with everything needed to rate a parcel and
/// date its delivery. Tables shared between services are shared `Arc`s.
#[derive(Clone, Debug)]
pub struct Service {
    pub carrier: String,
    pub carrier_name: String,
    pub code: String,
    pub name: String,
    pub kind: ServiceKind,
    pub currency: Currency,
    pub dim: DimRule,
    /// The heaviest billable weight accepted, in the service's unit.
    pub weight_max: u64,
    pub zones: Arc<ZoneChart>,
    pub zone_chart_name: String,
    pub rates: Arc<RateTable>,
    pub rate_table_name: String,
    /// Business days in transit, indexed by zone number.
    pub transit_days: Vec<Option<u32>>,
    /// The carrier's pickup at the node, node-local time: later parcels go the next pickup day.
    pub cutoff: NaiveTime,
    pub pickup: WorkDays,
    pub delivery: WorkDays,
    /// UN numbers (`UN3480`) or hazard classes (`9`) the service refuses.
    pub refuses: Vec<String>,
    pub surcharges: Vec<Surcharge>,
}

impl Service {
    /// `carrier/code`, the name requests use.
    pub fn key(&self) -> String {
        format!("{}/{}", self.carrier, self.code)
    }
    pub fn is(&self, key: &str) -> bool {
        key.split_once('/')
            .is_some_and(|(c, s)| c == self.carrier && s == self.code)
    }
    pub fn transit(&self, zone: Zone) -> Option<u32> {
        self.transit_days.get(zone.0 as usize).copied().flatten()
    }
    /// The first refused hazard among `hazmat` (UN numbers or classes). A
    /// UN number is also refused when its hazard class is (see [`hazard_class`]).
    pub fn refused<'a>(&self, hazmat: &'a [String]) -> Option<&'a str> {
        hazmat.iter().map(String::as_str).find(|h| {
            self.refuses
                .iter()
                .any(|r| r.eq_ignore_ascii_case(h) || hazard_class(h).is_some_and(|c| c == r))
        })
    }
}

/// The services a business can ship with.
#[derive(Clone, Debug, Default)]
pub struct CarrierSet {
    pub services: Vec<Service>,
}

impl CarrierSet {
    pub fn service(&self, key: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.is(key))
    }
}

/// The hazard class of UN numbers e-commerce parcels commonly carry, so a
/// service that refuses a class refuses them too. Others must be listed by
/// number in the service's `refuses`.
pub fn hazard_class(un: &str) -> Option<&'static str> {
    Some(match un.to_ascii_uppercase().as_str() {
        // Lithium batteries: ion and metal, alone, packed with or in equipment.
        "UN3480" | "UN3481" | "UN3090" | "UN3091" => "9",
        // Dry ice; magnetised material.
        "UN1845" | "UN2807" => "9",
        // Aerosols, flammable; perfumery products; paint.
        "UN1950" => "2.1",
        "UN1266" | "UN1263" => "3",
        // Environmentally hazardous substances, solid and liquid.
        "UN3077" | "UN3082" => "9",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusing_a_class_refuses_its_un_numbers() {
        assert_eq!(hazard_class("un3481"), Some("9"));
        assert_eq!(hazard_class("UN9999"), None);
    }
}
