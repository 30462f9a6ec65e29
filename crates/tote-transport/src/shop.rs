//! Delivery dates and rate shopping against the promise.
//!
//! A parcel is picked up on the first day, from the ship time on, that is a
//! working day of both the node and the carrier's pickup calendar and, on
//! the day itself, before the earlier of the node's and the service's
//! cut-off (node-local time). It is delivered that many carrier delivery
//! days later as the service's transit for the zone.

use crate::calendar::{WorkDays, both_on_or_after};
use crate::error::RateError;
use crate::money::Currency;
use crate::place::Place;
use crate::rating::{Quote, price};
use crate::service::{CarrierSet, Service};
use crate::units::Parcel;
use crate::zones::{Zone, ZoneChart};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use std::sync::Arc;

/// A place that ships: where it is, its clock and its working days.
#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub place: Place,
    pub time_zone: Tz,
    /// The last moment, node-local, at which a parcel still leaves that day.
    pub cutoff: NaiveTime,
    pub days: WorkDays,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The carrier's pickup date at the node.
    pub ship_on: NaiveDate,
    pub deliver_on: NaiveDate,
    pub transit_days: u32,
}

/// The date the carrier picks up a parcel ready at `ready_at`.
pub fn ship_date(service: &Service, node: &Node, ready_at: DateTime<Utc>) -> NaiveDate {
    let local = ready_at.with_timezone(&node.time_zone);
    let cutoff = node.cutoff.min(service.cutoff);
    let mut day = local.date_naive();
    if local.time() >= cutoff {
        day = day
            .checked_add_days(Days::new(1))
            .expect("date within range");
    }
    both_on_or_after(&node.days, &service.pickup, day)
}

/// When a parcel ready at `ready_at` at `node` reaches a destination in `zone`.
pub fn delivery_date(
    service: &Service,
    node: &Node,
    zone: Zone,
    ready_at: DateTime<Utc>,
) -> Result<Delivery, RateError> {
    let transit_days = service
        .transit(zone)
        .ok_or(RateError::NoTransit { zone: zone.0 })?;
    let ship_on = ship_date(service, node, ready_at);
    let deliver_on = service.delivery.add(ship_on, transit_days);
    Ok(Delivery {
        ship_on,
        deliver_on,
        transit_days,
    })
}

/// Everything rate shopping needs about one shipment.
#[derive(Clone, Debug)]
pub struct ShopRequest {
    pub node: Node,
    pub destination: Place,
    pub residential: bool,
    pub cartons: Vec<Parcel>,
    pub ready_at: DateTime<Utc>,
    /// The promise; `None` picks the cheapest service.
    pub deliver_by: Option<NaiveDate>,
    /// UN numbers or hazard classes of what the cartons hold.
    pub hazmat: Vec<String>,
    /// Service keys (`carrier/service`) to consider; empty means all.
    pub services: Vec<String>,
    /// Totals are compared in this currency; services priced in another are skipped.
    pub currency: Currency,
}

/// Why a service was not offered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    Refused { hazard: String },
    Rate(RateError),
    Currency { priced_in: Currency },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub total: Decimal,
    /// The cartons' quotes: `ShopResult::quotes[first..first + cartons]`.
    pub quotes_first: usize,
    pub delivery: Delivery,
    pub on_time: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Index into the carrier set's services.
    pub service: usize,
    pub outcome: Result<Offer, Skip>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopResult {
    pub candidates: Vec<Candidate>,
    pub quotes: Vec<Quote>,
    /// Index into `candidates`; `None` when no service could carry the shipment.
    pub chosen: Option<usize>,
    /// The chosen service delivers after the promise: nothing met it, so the fastest was taken.
    pub late: bool,
}

impl ShopResult {
    pub fn quotes_of(&self, offer: &Offer, cartons: usize) -> &[Quote] {
        &self.quotes[offer.quotes_first..offer.quotes_first + cartons]
    }
    pub fn chosen_offer(&self) -> Option<(&Candidate, &Offer)> {
        let c = &self.candidates[self.chosen?];
        c.outcome.as_ref().ok().map(|o| (c, o))
    }
}

/// The cheapest service whose delivery date meets the promise (ties: the
/// earlier date, then the set's order); when none meets it, the fastest
/// (ties: the cheaper), flagged late. Every service is a candidate, with its
/// offer or the reason it was skipped.
pub fn rate_shop(set: &CarrierSet, req: &ShopRequest) -> ShopResult {
    let mut candidates = Vec::with_capacity(set.services.len());
    let mut quotes = Vec::with_capacity(set.services.len() * req.cartons.len());
    // Services of one carrier usually share a chart: look a zone up once per chart.
    let mut zone_cache: Option<(*const ZoneChart, Option<Zone>)> = None;
    for (i, service) in set.services.iter().enumerate() {
        if !req.services.is_empty() && !req.services.iter().any(|k| service.is(k)) {
            continue;
        }
        let outcome = offer(service, req, &mut zone_cache, &mut quotes);
        candidates.push(Candidate {
            service: i,
            outcome,
        });
    }
    let offers = || {
        candidates
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.outcome.as_ref().ok().map(|o| (i, o)))
    };
    let cheapest_on_time = offers()
        .filter(|(_, o)| o.on_time)
        .min_by_key(|(_, o)| (o.total, o.delivery.deliver_on));
    let (chosen, late) = match cheapest_on_time {
        Some((i, _)) => (Some(i), false),
        None => (
            offers()
                .min_by_key(|(_, o)| (o.delivery.deliver_on, o.total))
                .map(|(i, _)| i),
            true,
        ),
    };
    ShopResult {
        late: late && chosen.is_some(),
        candidates,
        quotes,
        chosen,
    }
}

fn offer(
    service: &Service,
    req: &ShopRequest,
    zone_cache: &mut Option<(*const ZoneChart, Option<Zone>)>,
    quotes: &mut Vec<Quote>,
) -> Result<Offer, Skip> {
    if let Some(hazard) = service.refused(&req.hazmat) {
        return Err(Skip::Refused {
            hazard: hazard.to_string(),
        });
    }
    if service.currency != req.currency {
        return Err(Skip::Currency {
            priced_in: service.currency,
        });
    }
    let chart = Arc::as_ptr(&service.zones);
    let zone = match *zone_cache {
        Some((c, z)) if c == chart => z,
        _ => {
            let z = service.zones.zone(&req.node.place, &req.destination);
            *zone_cache = Some((chart, z));
            z
        }
    };
    let zone = zone.ok_or_else(|| {
        Skip::Rate(RateError::NoZone {
            origin_country: req.node.place.country,
            origin_postal: req.node.place.postal.clone(),
            dest_country: req.destination.country,
            dest_postal: req.destination.postal.clone(),
        })
    })?;
    let delivery = delivery_date(service, &req.node, zone, req.ready_at).map_err(Skip::Rate)?;
    let quotes_first = quotes.len();
    let mut total = Decimal::ZERO;
    for parcel in &req.cartons {
        match price(
            service,
            parcel,
            zone,
            req.residential,
            req.destination.postal.as_str(),
            delivery.ship_on,
        ) {
            Ok(q) => {
                total += q.total;
                quotes.push(q);
            }
            Err(e) => {
                quotes.truncate(quotes_first);
                return Err(Skip::Rate(e));
            }
        }
    }
    let on_time = req.deliver_by.is_none_or(|by| delivery.deliver_on <= by);
    Ok(Offer {
        total,
        quotes_first,
        delivery,
        on_time,
    })
}

/// The earliest delivery date any service offers from `node` to `destination`
/// for a parcel ready at `ready_at`: the date arithmetic behind a
/// storefront's promise. Services refusing a hazard are left out.
pub fn earliest_delivery(
    set: &CarrierSet,
    node: &Node,
    destination: &Place,
    ready_at: DateTime<Utc>,
    hazmat: &[String],
) -> Option<(usize, Delivery)> {
    set.services
        .iter()
        .enumerate()
        .filter(|(_, s)| s.refused(hazmat).is_none())
        .filter_map(|(i, s)| {
            let zone = s.zones.zone(&node.place, destination)?;
            delivery_date(s, node, zone, ready_at).ok().map(|d| (i, d))
        })
        .min_by_key(|(_, d)| d.deliver_on)
}
