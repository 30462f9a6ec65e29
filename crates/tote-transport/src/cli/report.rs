//! JSON answers: quotes and shop results that explain themselves.

use crate::rating::Quote;
use crate::service::Service;
use crate::shop::{Candidate, ShopRequest, ShopResult, Skip};
use crate::surcharges::{Basis, ChargeKind, Measure};
use crate::units::WeightUnit;
use serde_json::{Value, json};

pub fn quote_json(q: &Quote) -> Value {
    let unit = q.unit;
    let charges: Vec<Value> = q
        .charges
        .as_slice()
        .iter()
        .map(|c| json!({ "kind": c.kind, "amount": c.amount.to_string(), "why": why(c.kind, &c.basis, unit) }))
        .collect();
    json!({
        "zone": q.zone.0,
        "weight_unit": unit.as_str(),
        "actual_weight": q.weight.actual,
        "dimensional_weight": q.weight.dimensional,
        "billable_weight": q.weight.billable,
        "charges": charges,
        "total": q.total.to_string(),
        "currency": q.currency,
    })
}

fn why(kind: ChargeKind, b: &Basis, unit: WeightUnit) -> String {
    let (w, l) = (
        unit.as_str(),
        if unit == WeightUnit::Lb { "in" } else { "cm" },
    );
    match b {
        Basis::None => match kind {
            ChargeKind::Residential => "delivery to a residence".into(),
            ChargeKind::DeliveryArea => "destination in a delivery-area list".into(),
            ChargeKind::Peak => "peak season".into(),
            _ => String::new(),
        },
        Basis::Table { zone, weight } => format!("zone {zone}, {weight} {w} billable"),
        Basis::Over {
            measure,
            value,
            over,
        } => {
            let (name, u) = match measure {
                Measure::Longest => ("longest side", l),
                Measure::Second => ("second side", l),
                Measure::LengthPlusGirth => ("length plus girth", l),
                Measure::Weight => ("actual weight", w),
            };
            format!("{name} {value} {u} over {over} {u}")
        }
        Basis::Percent { percent, of } => format!("{percent}% of {of}"),
    }
}

pub fn candidate_json(
    c: &Candidate,
    service: &Service,
    result: &ShopResult,
    req: &ShopRequest,
    chosen: bool,
) -> Value {
    let mut v =
        json!({ "service": service.key(), "name": service.name, "kind": service.kind.as_str() });
    let m = v.as_object_mut().expect("object literal");
    match &c.outcome {
        Ok(o) => {
            let d = o.delivery;
            let reason = match req.deliver_by {
                None => format!("delivers {}", d.deliver_on),
                Some(by) if o.on_time => {
                    format!("meets deliver-by {by}: delivers {}", d.deliver_on)
                }
                Some(by) => format!(
                    "late: delivers {}, {} days after deliver-by {by}",
                    d.deliver_on,
                    (d.deliver_on - by).num_days()
                ),
            };
            m.insert(
                "status".into(),
                json!(if o.on_time { "meets" } else { "late" }),
            );
            m.insert("reason".into(), json!(reason));
            m.insert("total".into(), json!(o.total.to_string()));
            m.insert("currency".into(), json!(service.currency));
            m.insert("ship_on".into(), json!(d.ship_on));
            m.insert("deliver_on".into(), json!(d.deliver_on));
            m.insert("transit_days".into(), json!(d.transit_days));
            let parcels: Vec<Value> = result
                .quotes_of(o, req.cartons.len())
                .iter()
                .map(quote_json)
                .collect();
            m.insert("parcels".into(), json!(parcels));
        }
        Err(skip) => {
            let reason = match skip {
                Skip::Refused { hazard } => format!("refuses hazmat {hazard}"),
                Skip::Rate(e) => e.to_string(),
                Skip::Currency { priced_in } => {
                    format!("priced in {priced_in}, shopping in {}", req.currency)
                }
            };
            m.insert("status".into(), json!("skipped"));
            m.insert("reason".into(), json!(reason));
        }
    }
    m.insert("chosen".into(), json!(chosen));
    v
}
