//! Shipping estimates: what one parcel from a node to the order's address costs.
//!
//! Where the carrier set's zone chart knows the lane, the parcel is rated by
//! tote-transport (zone, billable weight, surcharges); otherwise the zone is
//! estimated from the distance between the postal codes' three-digit prefixes.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use tote_transport::{Lane, Length, Parcel, Place, Service, Weight, Zone, rating};

/// The cost of one parcel of `weight_g` grams from node `node` (an index into
/// the request's nodes) to the order's destination, in cents.
pub trait ShipCost {
    fn parcel_cents(&mut self, node: usize, weight_g: u64) -> i64;
}

/// A flat estimate for tests and examples: a base plus so much per started kilogram.
#[derive(Clone, Debug)]
pub struct FlatRate {
    /// Per node; nodes past the end cost `base_cents`.
    pub per_node_cents: Vec<i64>,
    pub base_cents: i64,
    pub per_kg_cents: i64,
}

impl Default for FlatRate {
    fn default() -> FlatRate {
        FlatRate {
            per_node_cents: Vec::new(),
            base_cents: 500,
            per_kg_cents: 100,
        }
    }
}

impl ShipCost for FlatRate {
    fn parcel_cents(&mut self, node: usize, weight_g: u64) -> i64 {
        let base = self
            .per_node_cents
            .get(node)
            .copied()
            .unwrap_or(self.base_cents);
        base + self.per_kg_cents * weight_g.div_ceil(1000) as i64
    }
}

/// The zone-distance estimate: zone 2 for the same three-digit prefix region,
/// one more per 125 prefixes apart, at most 8 (the shape of US ground charts).
/// `None` when either code does not start with three digits.
pub fn zone_estimate(origin_postal: &str, dest_postal: &str) -> Option<Zone> {
    let p = |s: &str| s.get(..3)?.parse::<i32>().ok();
    let d = (p(origin_postal)? - p(dest_postal)?).abs();
    Some(Zone((2 + d / 125).min(8) as u16))
}

/// Rates parcels with one tote-transport service (ground, usually), caching by
/// (node, billable pound) so a search rates each weight once.
pub struct TransportRater<'a> {
    service: &'a Service,
    lanes: Vec<Option<Lane>>,
    zones: Vec<Option<Zone>>,
    ship_on: NaiveDate,
    cache: Vec<(usize, u64, i64)>,
}

impl<'a> TransportRater<'a> {
    /// `origins` are the nodes' places, in the request's node order (`None`
    /// where a node's address is not one a zone chart can read).
    pub fn new(
        service: &'a Service,
        origins: &[Option<Place>],
        destination: Option<&Place>,
        residential: bool,
        ship_on: NaiveDate,
    ) -> TransportRater<'a> {
        let lanes: Vec<Option<Lane>> = origins
            .iter()
            .map(|o| {
                Some(Lane {
                    origin: o.clone()?,
                    destination: destination?.clone(),
                    residential,
                })
            })
            .collect();
        let zones = lanes
            .iter()
            .map(|l| {
                let l = l.as_ref()?;
                service.zones.zone(&l.origin, &l.destination).or_else(|| {
                    (l.origin.country == l.destination.country)
                        .then(|| {
                            zone_estimate(l.origin.postal.as_str(), l.destination.postal.as_str())
                        })
                        .flatten()
                })
            })
            .collect();
        TransportRater {
            service,
            lanes,
            zones,
            ship_on,
            cache: Vec::new(),
        }
    }

    /// The zone of a node's lane (chart or estimate), for transit days.
    pub fn zone(&self, node: usize) -> Option<Zone> {
        self.zones[node]
    }

    fn rate(&self, node: usize, weight_g: u64) -> Option<i64> {
        let zone = self.zones[node]?;
        // A cube of a litre per kilogram: sourcing knows weights, not the cartons yet.
        let side_mm = ((weight_g.max(100) as f64).cbrt() * 10.0).ceil() as u64;
        let parcel = Parcel {
            dims: [Length::from_mm(side_mm); 3],
            weight: Weight::from_g(weight_g.max(1)),
        };
        let lane = self.lanes[node].as_ref()?;
        let q = rating::quote_in_zone(self.service, &parcel, zone, lane, self.ship_on).ok()?;
        (q.total * rust_decimal::Decimal::from(100))
            .round()
            .to_i64()
    }
}

impl ShipCost for TransportRater<'_> {
    fn parcel_cents(&mut self, node: usize, weight_g: u64) -> i64 {
        let pounds = weight_g.div_ceil(454);
        if let Some(&(_, _, c)) = self
            .cache
            .iter()
            .find(|&&(n, lb, _)| n == node && lb == pounds)
        {
            return c;
        }
        // Without a zone or a rate (another country, an odd postal code), a
        // conservative figure so such a node is chosen only when it must be.
        let c = self
            .rate(node, weight_g)
            .unwrap_or(5_000 + 200 * pounds as i64);
        self.cache.push((node, pounds, c));
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tote_transport::{Country, PostalCode};

    fn place(postal: &str) -> Place {
        Place {
            country: Country::parse("US").expect("US"),
            postal: PostalCode::parse(postal).expect("postal"),
        }
    }

    #[test]
    fn zone_estimate_grows_with_prefix_distance() {
        assert_eq!(zone_estimate("02101", "02139"), Some(Zone(2)));
        assert_eq!(zone_estimate("02101", "90210"), Some(Zone(8)));
        assert_eq!(zone_estimate("SW1A", "02101"), None);
    }

    #[test]
    fn transport_rating_prices_farther_and_heavier_parcels_higher() {
        let set = tote_transport::cli::example_carriers();
        let ground = set.service("parcelo/ground").expect("example ground");
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let mut r = TransportRater::new(
            ground,
            &[Some(place("07102")), Some(place("90001"))],
            Some(&place("02101")),
            true,
            day,
        );
        let near = r.parcel_cents(0, 500);
        let far = r.parcel_cents(1, 500);
        let heavy = r.parcel_cents(0, 9_000);
        assert!(near < far, "{near} < {far}");
        assert!(near < heavy, "{near} < {heavy}");
        assert_eq!(r.parcel_cents(0, 500), near, "cached");
    }
}
