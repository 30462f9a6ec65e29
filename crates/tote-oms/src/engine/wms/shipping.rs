//! The carrier side of shipping: which service carries a packed order and what
//! it costs (tote-transport's rate shopping over the loaded carriers, or the
//! quote of a named service), the committed delivery date, and what the
//! labels print.

use super::*;
use chrono::{NaiveDate, NaiveTime};
use tote_transport::{
    CarrierSet, Country, Currency, Length, Parcel, Place, PostalCode, ShopRequest, WeekDays,
    Weight, WorkDays,
};
use tote_wms::CartonChoice;

/// A service chosen (or named) for a shipment, with its price and dates.
pub(super) struct Rated {
    pub carrier: String,
    pub service: String,
    pub chosen_by: &'static str,
    pub quote: ShipmentQuote,
    pub ship_on: NaiveDate,
    pub committed_on: NaiveDate,
    pub late: bool,
    pub candidates: Vec<ServiceCandidate>,
}

fn place(country: &str, postal: &str) -> Option<Place> {
    Some(Place {
        country: Country::parse(country)?,
        postal: PostalCode::parse(postal)?,
    })
}

/// The node as tote-transport's calendar sees it: Monday to Friday, its own
/// time zone and cut-off (without one it works to the carrier's).
pub(super) fn transport_node(n: &tote_core::Node, origin: Place) -> tote_transport::Node {
    let cutoff = n
        .input
        .cut_off
        .as_deref()
        .and_then(|c| NaiveTime::parse_from_str(c, "%H:%M").ok())
        .unwrap_or(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"));
    tote_transport::Node {
        id: n.input.code.clone(),
        place: origin,
        time_zone: n.input.time_zone.parse().unwrap_or(tote_transport::Tz::UTC),
        cutoff,
        days: WorkDays::new(WeekDays::MON_FRI, Vec::new()),
    }
}

/// A carton as the carrier measures it: the carton type's outer size (a unit
/// shipping in its own container: the unit's size) and the gross weight.
fn parcel(skus: Option<&HashMap<String, Sku>>, c: &CartonChoice) -> Parcel {
    let outer = tote_wms::default_cartons()
        .into_iter()
        .find(|t| t.id.0 == c.carton)
        .map(|t| t.outer_mm)
        .or_else(|| {
            c.skus
                .first()
                .and_then(|s| skus?.get(s))
                .map(|s| s.input.dims_mm)
        })
        .unwrap_or([1, 1, 1]);
    Parcel {
        dims: outer.map(|mm| Length::from_mm(u64::from(mm.max(1)))),
        weight: Weight::from_g(c.gross_weight_g.max(1)),
    }
}

/// The currency rates are compared in: that of the first loaded service.
fn shop_currency(set: &CarrierSet) -> Currency {
    set.services
        .first()
        .map(|s| s.currency)
        .or_else(|| Currency::parse("USD"))
        .expect("USD is a currency")
}

impl Engine {
    /// A named service must be one of the loaded carriers' services.
    pub(super) fn check_service(&self, key: &str) -> Result<(), OpError> {
        if self.carriers.service(key).is_some() {
            return Ok(());
        }
        let known: Vec<String> = self.carriers.services.iter().map(|s| s.key()).collect();
        Err(bad(
            "service",
            format!(
                "`{key}` is not a loaded service (carrier/service): one of {}",
                known.join(", ")
            ),
        ))
    }

    /// Rates the shipment of `order` from `node_code` in `cartons`: with the
    /// named service, or the cheapest service delivering by the order's
    /// `deliver_by` (none does: the fastest, flagged late). Changes nothing.
    pub(super) fn rate_shipment(
        &self,
        env: &Envelope,
        order: &Order,
        node_code: &str,
        cartons: &[CartonChoice],
        named: Option<&str>,
    ) -> Result<Rated, OpError> {
        if let Some(key) = named {
            self.check_service(key)?;
        }
        let node = self
            .nodes
            .get(&(env.org, node_code.to_owned()))
            .ok_or_else(|| OpError::Conflict(format!("order {} ships from no node", order.id)))?;
        let origin = place(&node.input.address.country, &node.input.address.postal_code)
            .ok_or_else(|| {
                OpError::Conflict(format!(
                    "node {node_code}'s address has no country and postal code a carrier can zone"
                ))
            })?;
        let destination =
            place(&order.ship_to.country, &order.ship_to.postal_code).ok_or_else(|| {
                OpError::Conflict(format!(
                    "order {}'s ship-to has no country and postal code a carrier can zone",
                    order.id
                ))
            })?;
        if cartons.is_empty() {
            return Err(OpError::Conflict(format!(
                "order {} has no packed carton",
                order.id
            )));
        }
        let skus = self.skus.get(&env.org);
        let mut hazmat: Vec<String> = order
            .lines
            .iter()
            .filter_map(|l| skus?.get(&l.sku)?.input.hazmat_un.clone())
            .collect();
        hazmat.sort();
        hazmat.dedup();
        let req = ShopRequest {
            node: transport_node(node, origin),
            destination,
            residential: true,
            cartons: cartons.iter().map(|c| parcel(skus, c)).collect(),
            ready_at: env.at.to_datetime(),
            deliver_by: order.deliver_by,
            hazmat,
            services: named.map(|k| vec![k.to_owned()]).unwrap_or_default(),
            currency: match named.and_then(|k| self.carriers.service(k)) {
                Some(s) => s.currency,
                None => shop_currency(&self.carriers),
            },
        };
        let result = tote_transport::rate_shop(&self.carriers, &req);
        let candidates: Vec<ServiceCandidate> = result
            .candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let v = tote_transport::cli::candidate_json(
                    c,
                    &self.carriers.services[c.service],
                    &result,
                    &req,
                    result.chosen == Some(i),
                );
                let text = |k: &str| v[k].as_str().map(str::to_owned);
                ServiceCandidate {
                    service: text("service").unwrap_or_default(),
                    total: text("total")
                        .and_then(|t| t.parse().ok())
                        .map(tote_core::Money),
                    deliver_on: text("deliver_on").and_then(|d| d.parse().ok()),
                    status: text("status").unwrap_or_default(),
                    why: text("reason"),
                }
            })
            .collect();
        let Some((chosen, offer)) = result.chosen_offer() else {
            let why: Vec<String> = candidates
                .iter()
                .map(|c| format!("{}: {}", c.service, c.why.as_deref().unwrap_or("skipped")))
                .collect();
            return Err(match named {
                Some(key) => bad(
                    "service",
                    format!("{key} cannot carry this shipment: {}", why.join("; ")),
                ),
                None => OpError::Conflict(format!(
                    "no loaded service can carry order {}: {}",
                    order.id,
                    why.join("; ")
                )),
            });
        };
        let service = &self.carriers.services[chosen.service];
        let quotes = result.quotes_of(offer, req.cartons.len());
        let cartons: Vec<CartonQuote> = quotes
            .iter()
            .map(|q| {
                serde_json::from_value(tote_transport::cli::quote_json(q))
                    .expect("a quote's JSON has every carton-quote field")
            })
            .collect();
        Ok(Rated {
            carrier: service.carrier.clone(),
            service: service.code.clone(),
            chosen_by: if named.is_some() {
                "named"
            } else {
                "rate_shop"
            },
            quote: ShipmentQuote {
                total: tote_core::Money(offer.total),
                currency: service.currency.as_str().to_owned(),
                cartons,
            },
            ship_on: offer.delivery.ship_on,
            committed_on: offer.delivery.deliver_on,
            late: !offer.on_time,
            candidates,
        })
    }

    /// What the labels of a shipment print: the node and the ship-to as
    /// postal addresses, and one SSCC per carton from `first_serial` on.
    pub(super) fn label_data(
        &self,
        env: &Envelope,
        order: &Order,
        node_code: &str,
        cartons: usize,
        first_serial: u64,
    ) -> Result<ShipmentLabel, OpError> {
        let node = self
            .nodes
            .get(&(env.org, node_code.to_owned()))
            .ok_or_else(|| OpError::Conflict(format!("order {} ships from no node", order.id)))?;
        let country = |c: &str, whose: &str| {
            Country::parse(c).ok_or_else(|| {
                OpError::Conflict(format!("{whose} country `{c}` is not an ISO 3166 code"))
            })
        };
        let a = &node.input.address;
        let ship_from = tote_transport::Address {
            name: node.input.name.clone(),
            company: None,
            lines: std::iter::once(a.line1.clone())
                .chain(a.line2.clone())
                .collect(),
            city: a.city.clone(),
            region: a.region.clone().unwrap_or_default(),
            postal: a.postal_code.clone(),
            country: country(&a.country, "the node's")?,
            phone: None,
        };
        let t = &order.ship_to;
        let ship_to = tote_transport::Address {
            name: t
                .name
                .clone()
                .unwrap_or_else(|| format!("Order {}", order.id)),
            company: None,
            lines: std::iter::once(t.line1.clone())
                .chain(t.line2.clone())
                .collect(),
            city: t.city.clone(),
            region: t.region.clone().unwrap_or_default(),
            postal: t.postal_code.clone(),
            country: country(&t.country, "the ship-to")?,
            phone: None,
        };
        let sscc = (0..cartons as u64)
            .map(|i| {
                tote_transport::gs1::Sscc::new(
                    crate::warehouse::SSCC_EXTENSION_OUTBOUND,
                    &self.sscc_company_prefix,
                    first_serial + i,
                )
                .map(|s| s.as_str().to_owned())
                .map_err(|e| OpError::Conflict(format!("no SSCC left for carton labels: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ShipmentLabel {
            ship_from,
            ship_to,
            sscc,
        })
    }
}
