//! Rating: what a carrier will bill for one parcel on one lane.

use crate::error::RateError;
use crate::money::{Currency, to_cents};
use crate::place::Lane;
use crate::service::Service;
use crate::surcharges::{Basis, Charge, ChargeKind, Charges, Rule};
use crate::units::{BillableWeight, Parcel, WeightUnit};
use crate::zones::Zone;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A priced parcel: the zone, the weights and each charge, so it explains itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    pub zone: Zone,
    pub unit: WeightUnit,
    pub weight: BillableWeight,
    pub charges: Charges,
    pub total: Decimal,
    pub currency: Currency,
}

/// Prices `parcel` on `lane` with `service`, shipping (picked up) on `ship_on`,
/// the date that selects fuel and peak rules.
pub fn quote(
    service: &Service,
    parcel: &Parcel,
    lane: &Lane,
    ship_on: NaiveDate,
) -> Result<Quote, RateError> {
    let zone = service
        .zones
        .zone(&lane.origin, &lane.destination)
        .ok_or_else(|| RateError::NoZone {
            origin_country: lane.origin.country,
            origin_postal: lane.origin.postal.clone(),
            dest_country: lane.destination.country,
            dest_postal: lane.destination.postal.clone(),
        })?;
    quote_in_zone(service, parcel, zone, lane, ship_on)
}

/// As [`quote`] with the zone already found (rate shopping looks a zone up
/// once per chart, not once per service).
pub fn quote_in_zone(
    service: &Service,
    parcel: &Parcel,
    zone: Zone,
    lane: &Lane,
    ship_on: NaiveDate,
) -> Result<Quote, RateError> {
    price(
        service,
        parcel,
        zone,
        lane.residential,
        lane.destination.postal.as_str(),
        ship_on,
    )
}

/// The pricing itself, from the few lane facts it needs, so rate shopping
/// does not build a lane per shipment.
pub(crate) fn price(
    service: &Service,
    parcel: &Parcel,
    zone: Zone,
    to_home: bool,
    postal: &str,
    ship_on: NaiveDate,
) -> Result<Quote, RateError> {
    let m = parcel.measure(service.dim.unit);
    let mut weight = service.dim.billable(&m);

    let mut charges = Charges::default();
    let mut large: Option<Charge> = None;
    let mut handling: Option<Charge> = None;
    let mut residential: Option<Charge> = None;
    let mut area: Option<Charge> = None;
    let mut peak: Option<Charge> = None;
    let mut fuel_percent: Option<Decimal> = None;

    for s in service.surcharges.iter().filter(|s| s.in_force(ship_on)) {
        match &s.rule {
            Rule::Fuel { percent } => {
                fuel_percent = Some(fuel_percent.map_or(*percent, |p| p.max(*percent)))
            }
            Rule::Residential { amount } => {
                if to_home {
                    keep_highest(
                        &mut residential,
                        ChargeKind::Residential,
                        *amount,
                        Basis::None,
                    );
                }
            }
            Rule::AdditionalHandling {
                measure,
                over,
                amount,
            } => {
                let value = measure.of(&m);
                if value > *over {
                    let basis = Basis::Over {
                        measure: *measure,
                        value,
                        over: *over,
                    };
                    keep_highest(
                        &mut handling,
                        ChargeKind::AdditionalHandling,
                        *amount,
                        basis,
                    );
                }
            }
            Rule::LargePackage {
                measure,
                over,
                amount,
                billable_min,
            } => {
                let value = measure.of(&m);
                if value > *over {
                    let basis = Basis::Over {
                        measure: *measure,
                        value,
                        over: *over,
                    };
                    keep_highest(&mut large, ChargeKind::LargePackage, *amount, basis);
                    weight.billable = weight.billable.max(*billable_min);
                }
            }
            Rule::DeliveryArea { list, amount, .. } => {
                if list.contains(postal) {
                    keep_highest(&mut area, ChargeKind::DeliveryArea, *amount, Basis::None);
                }
            }
            Rule::Peak {
                amount,
                residential_only,
            } => {
                if to_home || !residential_only {
                    keep_highest(&mut peak, ChargeKind::Peak, *amount, Basis::None);
                }
            }
        }
    }
    if weight.billable > service.weight_max {
        return Err(RateError::OverWeight {
            billable: weight.billable,
            max: service.weight_max,
            unit: service.dim.unit,
        });
    }
    let base = to_cents(service.rates.base(zone, weight.billable)?);
    charges.push(Charge {
        kind: ChargeKind::Base,
        amount: base,
        basis: Basis::Table {
            zone: zone.0,
            weight: weight.billable,
        },
    });
    if large.is_some() {
        // A large package is not also charged additional handling.
        handling = None;
    }
    for c in [large, handling, residential, area, peak]
        .into_iter()
        .flatten()
    {
        charges.push(c);
    }
    if let Some(percent) = fuel_percent {
        let of = charges.total();
        let amount = to_cents(of * percent / Decimal::ONE_HUNDRED);
        charges.push(Charge {
            kind: ChargeKind::Fuel,
            amount,
            basis: Basis::Percent { percent, of },
        });
    }
    Ok(Quote {
        zone,
        unit: service.dim.unit,
        weight,
        total: charges.total(),
        charges,
        currency: service.currency,
    })
}

fn keep_highest(slot: &mut Option<Charge>, kind: ChargeKind, amount: Decimal, basis: Basis) {
    if slot.is_none_or(|c| c.amount < amount) {
        *slot = Some(Charge {
            kind,
            amount: to_cents(amount),
            basis,
        });
    }
}
