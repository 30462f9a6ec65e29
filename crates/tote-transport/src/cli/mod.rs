//! String-level entry points for the `tote` binary: inputs are the contents
//! of the files the user named, outputs the text to print.

mod report;
mod request;

pub use report::{candidate_json, quote_json};
pub use request::REQUEST_PARCELS_MAX;

use crate::error::InputError;
use crate::import;
use crate::place::Lane;
use crate::rating::quote;
use crate::service::CarrierSet;
use crate::shop;
use serde_json::{Value, json};
use std::fmt::Write;
use std::path::Path;

/// Loads a carrier set from a directory of CSV files (format in the
/// `import` module docs and the crate README). This one reads files.
pub fn load_carriers(dir: &Path) -> Result<CarrierSet, InputError> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    import::load(&read).map_err(|e| match e {
        InputError::File { file, problem } => InputError::File {
            file: dir.join(file).display().to_string(),
            problem,
        },
        InputError::Table { file, cell } => InputError::Table {
            file: dir.join(file).display().to_string(),
            cell,
        },
        other => other,
    })
}

/// The example carrier set that ships with tote (invented carriers with
/// realistic tables, embedded in the binary).
pub fn example_carriers() -> CarrierSet {
    let read = |name: &str| {
        crate::example::FILES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| text.to_string())
    };
    import::load(&read).expect("the embedded example carrier set is valid (a test loads it)")
}

/// `tote carriers import DIR`: a summary of a loaded (so checked) carrier set.
pub fn import_summary(set: &CarrierSet) -> String {
    let mut carriers: Vec<&str> = set.services.iter().map(|s| s.carrier.as_str()).collect();
    carriers.dedup();
    let mut out = format!(
        "{} carriers, {} services\n",
        carriers.len(),
        set.services.len()
    );
    for s in &set.services {
        let zones = s.zones.zones();
        let _ = writeln!(
            out,
            "{:<24} {:<32} {:<13} {} {}/{}{}  zones {} ({}: {}..{})  rates {} (to {} {}{})  cutoff {}  pickup {:?}  delivery {:?}  holidays {}  surcharges {}{}",
            s.key(),
            s.name,
            s.kind.as_str(),
            s.currency,
            s.dim.unit.as_str(),
            s.dim.divisor,
            if s.dim.volume_min > 0 {
                format!(" above {}", s.dim.volume_min)
            } else {
                String::new()
            },
            s.zone_chart_name,
            zones.len(),
            zones.first().map_or(0, |z| z.0),
            zones.last().map_or(0, |z| z.0),
            s.rate_table_name,
            s.rates.weight_max_banded(),
            s.dim.unit.as_str(),
            if s.rates.weight_max_banded() < s.weight_max {
                ", then per unit"
            } else {
                ""
            },
            s.cutoff.format("%H:%M"),
            s.pickup.days,
            s.delivery.days,
            s.pickup.holidays().len(),
            s.surcharges.len(),
            if s.refuses.is_empty() {
                String::new()
            } else {
                format!("  refuses {}", s.refuses.join(","))
            },
        );
    }
    out
}

/// `tote rate --request R.json [--carriers DIR]`: one quote per requested
/// service (all when none named), itemised, as JSON.
pub fn rate(set: &CarrierSet, request_json: &str) -> Result<String, InputError> {
    let req: request::RateJson = request::parse(request_json)?;
    let parcels = request::parcels(&req.parcels)?;
    for (i, key) in req.services.iter().enumerate() {
        if set.service(key).is_none() {
            return Err(InputError::field(
                &format!("services[{i}]"),
                format!("no service `{key}` in the carrier set"),
            ));
        }
    }
    let lane = Lane {
        origin: req.origin.place(),
        destination: req.destination.place(),
        residential: req.destination.residential,
    };
    let mut out = Vec::new();
    for s in set
        .services
        .iter()
        .filter(|s| req.services.is_empty() || req.services.iter().any(|k| s.is(k)))
    {
        let quotes: Result<Vec<_>, _> = parcels
            .iter()
            .map(|p| quote(s, p, &lane, req.ship_on))
            .collect();
        out.push(match quotes {
            Ok(qs) => json!({
                "service": s.key(),
                "name": s.name,
                "total": qs.iter().map(|q| q.total).sum::<rust_decimal::Decimal>().to_string(),
                "currency": s.currency,
                "parcels": qs.iter().map(report::quote_json).collect::<Vec<Value>>(),
            }),
            Err(e) => json!({ "service": s.key(), "name": s.name, "error": e.to_string() }),
        });
    }
    Ok(pretty(&json!({ "ship_on": req.ship_on, "quotes": out })))
}

/// `tote rate-shop --request R.json [--carriers DIR]`: the cheapest service
/// meeting deliver-by, or the fastest flagged late; every candidate and why.
pub fn rate_shop(set: &CarrierSet, request_json: &str) -> Result<String, InputError> {
    let req: request::ShopJson = request::parse(request_json)?;
    let req = req.request()?;
    for (i, key) in req.services.iter().enumerate() {
        if set.service(key).is_none() {
            return Err(InputError::field(
                &format!("services[{i}]"),
                format!("no service `{key}` in the carrier set"),
            ));
        }
    }
    let result = shop::rate_shop(set, &req);
    let candidates: Vec<Value> = result
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            report::candidate_json(
                c,
                &set.services[c.service],
                &result,
                &req,
                result.chosen == Some(i),
            )
        })
        .collect();
    let answer = match result.chosen_offer() {
        Some((c, o)) => {
            let s = &set.services[c.service];
            let why = match (req.deliver_by, result.late) {
                (None, _) => "cheapest service (no deliver-by given)".to_string(),
                (Some(by), false) => format!("cheapest service delivering by {by}"),
                (Some(by), true) => format!("no service delivers by {by}; fastest service, late"),
            };
            json!({
                "chosen": s.key(),
                "late": result.late,
                "why": why,
                "total": o.total.to_string(),
                "currency": s.currency,
                "ship_on": o.delivery.ship_on,
                "deliver_on": o.delivery.deliver_on,
            })
        }
        None => {
            json!({ "chosen": null, "late": false, "why": "no service can carry this shipment" })
        }
    };
    let mut answer = answer;
    let m = answer.as_object_mut().expect("object literal");
    m.insert("deliver_by".into(), json!(req.deliver_by));
    m.insert("candidates".into(), json!(candidates));
    Ok(pretty(&answer))
}

/// `tote label --request L.json --format zpl|pdf`: a 4x6 label; returns bytes.
pub fn label(request_json: &str, format: &str) -> Result<Vec<u8>, InputError> {
    let req: request::LabelJson = request::parse(request_json)?;
    let data = req.label()?;
    match format {
        "zpl" => Ok(crate::label::zpl(&data).into_bytes()),
        "pdf" => Ok(crate::label::pdf(&data)),
        other => Err(InputError::field(
            "format",
            format!("`{other}` is not zpl or pdf"),
        )),
    }
}

/// `tote customs estimate --request C.json`: duties and import VAT of a
/// declaration under the shipped rules, with exchange rates from the
/// request (`"fx": [["USD", "EUR", "0.92"]]`), as JSON.
pub fn customs_estimate(request_json: &str) -> Result<String, InputError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CustomsJson {
        declaration: crate::customs::Declaration,
        #[serde(default)]
        fx: crate::customs::FxRates,
    }
    let req: CustomsJson = request::parse(request_json)?;
    for (i, item) in req.declaration.items.iter().enumerate() {
        if item.hs_code.chars().filter(char::is_ascii_digit).count() < 6 {
            return Err(InputError::field(
                &format!("declaration.items[{i}].hs_code"),
                format!("`{}` needs at least 6 digits", item.hs_code),
            ));
        }
    }
    let estimate = crate::customs::example_rules()
        .estimate(&req.declaration, &req.fx)
        .map_err(|e| InputError::field("declaration", e.to_string()))?;
    Ok(pretty(
        &serde_json::to_value(&estimate).expect("estimate serialises"),
    ))
}

/// `tote track --events E.csv`: each tracking number's state after its
/// events (CSV columns in `tracking::events_from_csv`), as JSON.
pub fn track(events_csv: &str) -> Result<String, InputError> {
    let events = crate::tracking::events_from_csv(events_csv)?;
    let mut numbers: Vec<&str> = events.iter().map(|e| e.tracking.as_str()).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let out: Vec<Value> = numbers
        .iter()
        .map(|n| {
            let mine: Vec<_> = events
                .iter()
                .filter(|e| e.tracking == *n)
                .cloned()
                .collect();
            let state = crate::tracking::track(&mine);
            json!({ "tracking": n, "events": mine.len(), "state": state })
        })
        .collect();
    Ok(pretty(&json!(out)))
}

/// `tote manifest --request M.json --format csv|pdf`: the end-of-day list
/// of cartons handed to one carrier; returns bytes.
pub fn manifest(request_json: &str, format: &str) -> Result<Vec<u8>, InputError> {
    let req: request::ManifestJson = request::parse(request_json)?;
    let m = req.manifest()?;
    match format {
        "csv" => Ok(crate::manifest::manifest_csv(&m).into_bytes()),
        "pdf" => Ok(crate::manifest::manifest_pdf(&m)),
        other => Err(InputError::field(
            "format",
            format!("`{other}` is not csv or pdf"),
        )),
    }
}

/// `tote customs invoice --request I.json`: the commercial invoice PDF.
pub fn commercial_invoice(request_json: &str) -> Result<Vec<u8>, InputError> {
    let req: request::InvoiceJson = request::parse(request_json)?;
    if req.declaration.items.is_empty() {
        return Err(InputError::field(
            "declaration.items",
            "at least one item is needed",
        ));
    }
    let parties = crate::invoice::InvoiceParties {
        number: req.number,
        exporter: req.exporter,
        consignee: req.consignee,
        waybill: req.waybill,
    };
    Ok(crate::invoice::commercial_invoice_pdf(
        &req.declaration,
        &parties,
    ))
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values serialise");
    s.push('\n');
    s
}
