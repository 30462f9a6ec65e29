//! The JSON requests of `tote rate` and `tote rate-shop`, and their checks.

use crate::calendar::{WeekDays, WorkDays};
use crate::error::InputError;
use crate::money::Currency;
use crate::place::{Country, Place, PostalCode};
use crate::shop::{Node, ShopRequest};
use crate::units::{Length, Parcel, Weight};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;

/// The most cartons one request may rate.
pub const REQUEST_PARCELS_MAX: usize = 1_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceJson {
    pub country: Country,
    pub postal: PostalCode,
    #[serde(default)]
    pub residential: bool,
}

impl PlaceJson {
    pub fn place(&self) -> Place {
        Place {
            country: self.country,
            postal: self.postal.clone(),
        }
    }
}

/// A carton in inches and pounds or centimetres and kilograms.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParcelJson {
    pub dims_in: Option<[Decimal; 3]>,
    pub dims_cm: Option<[Decimal; 3]>,
    pub weight_lb: Option<Decimal>,
    pub weight_kg: Option<Decimal>,
}

impl ParcelJson {
    pub fn parcel(&self, field: &str) -> Result<Parcel, InputError> {
        let dims = match (&self.dims_in, &self.dims_cm) {
            (Some(d), None) => d.map(Length::from_in),
            (None, Some(d)) => d.map(Length::from_cm),
            _ => {
                return Err(InputError::field(
                    &format!("{field}.dims_in"),
                    "give exactly one of dims_in or dims_cm",
                ));
            }
        };
        let mut out = [Length::default(); 3];
        for (i, d) in dims.into_iter().enumerate() {
            out[i] = d.filter(|l| l.um() > 0).ok_or_else(|| {
                InputError::field(&format!("{field}.dims[{i}]"), "must be a positive length")
            })?;
        }
        let weight = match (self.weight_lb, self.weight_kg) {
            (Some(w), None) => Weight::from_lb(w),
            (None, Some(w)) => Weight::from_kg(w),
            _ => {
                return Err(InputError::field(
                    &format!("{field}.weight_lb"),
                    "give exactly one of weight_lb or weight_kg",
                ));
            }
        }
        .filter(|w| w.ug() > 0)
        .ok_or_else(|| {
            InputError::field(&format!("{field}.weight"), "must be a positive weight")
        })?;
        Ok(Parcel { dims: out, weight })
    }
}

pub fn parcels(list: &[ParcelJson]) -> Result<Vec<Parcel>, InputError> {
    if list.is_empty() {
        return Err(InputError::field(
            "parcels",
            "at least one parcel is needed",
        ));
    }
    if list.len() > REQUEST_PARCELS_MAX {
        return Err(InputError::field(
            "parcels",
            format!("at most {REQUEST_PARCELS_MAX} parcels"),
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, p)| p.parcel(&format!("parcels[{i}]")))
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateJson {
    pub origin: PlaceJson,
    pub destination: PlaceJson,
    pub ship_on: NaiveDate,
    #[serde(default)]
    pub services: Vec<String>,
    pub parcels: Vec<ParcelJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeJson {
    pub id: String,
    pub country: Country,
    pub postal: PostalCode,
    pub time_zone: String,
    pub cutoff: String,
    #[serde(default = "mon_fri")]
    pub working_days: String,
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
}

fn mon_fri() -> String {
    "Mon-Fri".into()
}

impl NodeJson {
    pub fn node(&self) -> Result<Node, InputError> {
        let time_zone = self.time_zone.parse().map_err(|_| {
            InputError::field(
                "node.time_zone",
                format!("`{}` is not an IANA time zone", self.time_zone),
            )
        })?;
        let cutoff = NaiveTime::parse_from_str(&self.cutoff, "%H:%M").map_err(|_| {
            InputError::field(
                "node.cutoff",
                format!("`{}` is not a time HH:MM", self.cutoff),
            )
        })?;
        let days = WeekDays::parse(&self.working_days).ok_or_else(|| {
            InputError::field(
                "node.working_days",
                format!("`{}` is not like Mon-Fri", self.working_days),
            )
        })?;
        Ok(Node {
            id: self.id.clone(),
            place: Place {
                country: self.country,
                postal: self.postal.clone(),
            },
            time_zone,
            cutoff,
            days: WorkDays::new(days, self.holidays.clone()),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopJson {
    pub node: NodeJson,
    pub destination: PlaceJson,
    pub ready_at: DateTime<Utc>,
    pub deliver_by: Option<NaiveDate>,
    pub parcels: Vec<ParcelJson>,
    #[serde(default)]
    pub hazmat: Vec<String>,
    #[serde(default)]
    pub services: Vec<String>,
    pub currency: Option<Currency>,
}

impl ShopJson {
    pub fn request(&self) -> Result<ShopRequest, InputError> {
        Ok(ShopRequest {
            node: self.node.node()?,
            destination: self.destination.place(),
            residential: self.destination.residential,
            cartons: parcels(&self.parcels)?,
            ready_at: self.ready_at,
            deliver_by: self.deliver_by,
            hazmat: self.hazmat.clone(),
            services: self.services.clone(),
            currency: self.currency.unwrap_or(Currency::USD),
        })
    }
}

pub fn parse<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T, InputError> {
    serde_json::from_str(json).map_err(|e| InputError::Json(e.to_string()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelJson {
    pub ship_from: crate::place::Address,
    pub ship_to: crate::place::Address,
    pub carrier: String,
    pub service: String,
    pub tracking: String,
    pub sscc: String,
    pub weight_lb: Option<Decimal>,
    pub weight_kg: Option<Decimal>,
    pub ship_date: NaiveDate,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default = "one")]
    pub carton: u32,
    #[serde(default = "one")]
    pub cartons: u32,
}

fn one() -> u32 {
    1
}

impl LabelJson {
    pub fn label(&self) -> Result<crate::label::LabelData, InputError> {
        let tracking = self.tracking.trim().to_ascii_uppercase();
        if !crate::label::tracking_is_valid(&tracking) {
            return Err(InputError::field(
                "tracking",
                format!(
                    "`{}` must be 1 to {} letters and digits",
                    self.tracking,
                    crate::label::TRACKING_CHARS_MAX
                ),
            ));
        }
        let sscc = crate::gs1::Sscc::parse(&self.sscc)
            .map_err(|e| InputError::field("sscc", e.to_string()))?;
        let weight = match (self.weight_lb, self.weight_kg) {
            (Some(w), None) if w > Decimal::ZERO => format!("{} LB", w.normalize()),
            (None, Some(w)) if w > Decimal::ZERO => format!("{} KG", w.normalize()),
            _ => {
                return Err(InputError::field(
                    "weight_lb",
                    "give one positive weight_lb or weight_kg",
                ));
            }
        };
        if self.carton == 0 || self.carton > self.cartons {
            return Err(InputError::field(
                "carton",
                format!(
                    "{} is not between 1 and cartons ({})",
                    self.carton, self.cartons
                ),
            ));
        }
        Ok(crate::label::LabelData {
            ship_from: self.ship_from.clone(),
            ship_to: self.ship_to.clone(),
            carrier: self.carrier.clone(),
            service: self.service.clone(),
            tracking,
            sscc,
            weight,
            ship_date: self.ship_date,
            reference: self.reference.clone(),
            carton: (self.carton, self.cartons),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestLineJson {
    pub tracking: String,
    #[serde(default)]
    pub sscc: Option<String>,
    pub service: String,
    pub ship_to: crate::place::Address,
    pub weight_lb: Decimal,
    pub charge: Decimal,
    pub currency: Currency,
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestJson {
    pub carrier: String,
    pub node: String,
    pub pickup_on: NaiveDate,
    pub lines: Vec<ManifestLineJson>,
}

/// The most cartons one manifest request may list.
pub const MANIFEST_LINES_MAX: usize = 100_000;

impl ManifestJson {
    pub fn manifest(&self) -> Result<crate::manifest::Manifest, InputError> {
        if self.lines.len() > MANIFEST_LINES_MAX {
            return Err(InputError::field(
                "lines",
                format!("at most {MANIFEST_LINES_MAX} lines"),
            ));
        }
        let mut lines = Vec::with_capacity(self.lines.len());
        for (i, l) in self.lines.iter().enumerate() {
            let sscc = l
                .sscc
                .as_deref()
                .map(crate::gs1::Sscc::parse)
                .transpose()
                .map_err(|e| InputError::field(&format!("lines[{i}].sscc"), e.to_string()))?;
            let weight = Weight::from_lb(l.weight_lb).ok_or_else(|| {
                InputError::field(
                    &format!("lines[{i}].weight_lb"),
                    "must be a positive weight",
                )
            })?;
            lines.push(crate::manifest::ManifestLine {
                tracking: l.tracking.clone(),
                sscc,
                service: l.service.clone(),
                ship_to: l.ship_to.clone(),
                weight,
                charge: crate::money::Money::new(l.charge, l.currency),
                reference: l.reference.clone(),
            });
        }
        Ok(crate::manifest::Manifest {
            carrier: self.carrier.clone(),
            node: self.node.clone(),
            pickup_on: self.pickup_on,
            lines,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceJson {
    pub number: String,
    pub exporter: crate::place::Address,
    pub consignee: crate::place::Address,
    #[serde(default)]
    pub waybill: Option<String>,
    pub declaration: crate::customs::Declaration,
}
