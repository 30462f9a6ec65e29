//! `tote import skus|nodes|locations FILE.csv`: check every row, then load them
//! through the API. A file with any bad row imports nothing unless
//! `--skip-bad-rows` is given; then the good rows go in and the bad are reported.

use crate::Exit;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::path::PathBuf;
use tote_core::{Address, LocationInput, Money, NodeInput, NodeKind, SkuInput};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    Skus,
    Nodes,
    Locations,
}

#[derive(clap::Args)]
pub struct Args {
    /// What the file holds.
    pub kind: Kind,
    /// A CSV file with a header row; see the README for the columns.
    pub file: PathBuf,
    /// The tote server to load into.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "TOTE_SERVER")]
    pub server: String,
    /// Import the good rows even when some are bad (the bad are reported).
    #[arg(long)]
    pub skip_bad_rows: bool,
}

/// One row's problem, as the report shows it: `row 17, sku: unknown`.
struct RowError {
    row: usize,
    field: String,
    problem: String,
}

/// A row ready to send: the path to PUT or POST and the body.
struct Ready {
    row: usize,
    method: reqwest::Method,
    path: String,
    body: Value,
}

fn get<'a>(rec: &'a csv::StringRecord, headers: &csv::StringRecord, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .position(|h| h.trim() == name)
        .and_then(|i| rec.get(i))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn required<'a>(
    rec: &'a csv::StringRecord,
    headers: &csv::StringRecord,
    name: &str,
    errors: &mut Vec<(String, String)>,
) -> &'a str {
    get(rec, headers, name).unwrap_or_else(|| {
        errors.push((name.into(), "is required".into()));
        ""
    })
}

fn number<T: std::str::FromStr>(
    rec: &csv::StringRecord,
    headers: &csv::StringRecord,
    name: &str,
    errors: &mut Vec<(String, String)>,
) -> Option<T> {
    let v = get(rec, headers, name)?;
    match v.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push((name.into(), format!("`{v}` is not a whole number")));
            None
        }
    }
}

fn money(
    rec: &csv::StringRecord,
    headers: &csv::StringRecord,
    name: &str,
    errors: &mut Vec<(String, String)>,
) -> Money {
    let v = required(rec, headers, name, errors);
    v.parse().map(Money).unwrap_or_else(|_| {
        if !v.is_empty() {
            errors.push((name.into(), format!("`{v}` is not a decimal amount")));
        }
        Money::default()
    })
}

fn flag(
    rec: &csv::StringRecord,
    headers: &csv::StringRecord,
    name: &str,
    errors: &mut Vec<(String, String)>,
) -> bool {
    match get(rec, headers, name)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("false" | "no" | "0") => false,
        Some("true" | "yes" | "1") => true,
        Some(other) => {
            errors.push((name.into(), format!("`{other}` is not true or false")));
            false
        }
    }
}

/// The column names a validation error may name, mapped from the JSON field.
fn column_of(field: &str) -> String {
    match field {
        "dims_mm[0]" => "length_mm".into(),
        "dims_mm[1]" => "width_mm".into(),
        "dims_mm[2]" => "height_mm".into(),
        f => f.strip_prefix("address.").unwrap_or(f).to_owned(),
    }
}

fn sku_row(
    rec: &csv::StringRecord,
    h: &csv::StringRecord,
    errors: &mut Vec<(String, String)>,
) -> Option<(String, Value)> {
    let gtin = match get(rec, h, "gtin") {
        Some(g) => match tote_core::Gtin::parse(g) {
            Ok(g) => Some(g),
            Err(e) => {
                errors.push(("gtin".into(), e.to_string()));
                None
            }
        },
        None => None,
    };
    let input = SkuInput {
        sku: required(rec, h, "sku", errors).to_owned(),
        name: required(rec, h, "name", errors).to_owned(),
        gtin,
        weight_g: number(rec, h, "weight_g", errors).unwrap_or(0),
        dims_mm: [
            number(rec, h, "length_mm", errors).unwrap_or(0),
            number(rec, h, "width_mm", errors).unwrap_or(0),
            number(rec, h, "height_mm", errors).unwrap_or(0),
        ],
        unit_cost: money(rec, h, "unit_cost", errors),
        price: money(rec, h, "price", errors),
        hs_code: get(rec, h, "hs_code").map(str::to_owned),
        country_of_origin: get(rec, h, "country_of_origin").map(str::to_owned),
        hazmat_un: get(rec, h, "hazmat_un").map(str::to_owned),
        ships_alone: flag(rec, h, "ships_alone", errors),
        fragile: flag(rec, h, "fragile", errors),
        category: get(rec, h, "category").map(str::to_owned),
    };
    if let Err(invalid) = input.validate() {
        errors.extend(
            invalid
                .0
                .into_iter()
                .map(|e| (column_of(&e.field), e.problem)),
        );
    }
    errors
        .is_empty()
        .then(|| (format!("/v1/skus/{}", input.sku), json!(input)))
}

fn node_row(
    rec: &csv::StringRecord,
    h: &csv::StringRecord,
    errors: &mut Vec<(String, String)>,
) -> Option<(String, Value)> {
    let kind_text = required(rec, h, "kind", errors);
    let kind = serde_json::from_value::<NodeKind>(json!(kind_text)).unwrap_or_else(|_| {
        if !kind_text.is_empty() {
            errors.push((
                "kind".into(),
                format!("`{kind_text}` is not one of dc, store, 3pl, drop_ship"),
            ));
        }
        NodeKind::Dc
    });
    let input = NodeInput {
        code: required(rec, h, "code", errors).to_owned(),
        kind,
        name: required(rec, h, "name", errors).to_owned(),
        priority: number(rec, h, "priority", errors).unwrap_or(0),
        address: Address {
            name: None,
            line1: required(rec, h, "line1", errors).to_owned(),
            line2: get(rec, h, "line2").map(str::to_owned),
            city: required(rec, h, "city", errors).to_owned(),
            region: get(rec, h, "region").map(str::to_owned),
            postal_code: required(rec, h, "postal_code", errors).to_owned(),
            country: required(rec, h, "country", errors).to_owned(),
        },
        time_zone: get(rec, h, "time_zone").unwrap_or("UTC").to_owned(),
        cut_off: get(rec, h, "cut_off").map(str::to_owned),
    };
    if let Err(invalid) = input.validate() {
        errors.extend(
            invalid
                .0
                .into_iter()
                .map(|e| (column_of(&e.field), e.problem)),
        );
    }
    errors
        .is_empty()
        .then(|| (format!("/v1/nodes/{}", input.code), json!(input)))
}

fn location_row(
    rec: &csv::StringRecord,
    h: &csv::StringRecord,
    nodes: &HashSet<String>,
    errors: &mut Vec<(String, String)>,
) -> Option<(String, Value)> {
    let input = LocationInput {
        node: required(rec, h, "node", errors).to_owned(),
        code: required(rec, h, "code", errors).to_owned(),
        zone: get(rec, h, "zone").map(str::to_owned),
        aisle: number(rec, h, "aisle", errors),
        bay: number(rec, h, "bay", errors),
        level: number(rec, h, "level", errors),
        position: number(rec, h, "position", errors),
    };
    if let Err(invalid) = input.validate() {
        errors.extend(
            invalid
                .0
                .into_iter()
                .map(|e| (column_of(&e.field), e.problem)),
        );
    }
    if !input.node.is_empty() && !nodes.contains(&input.node) {
        errors.push(("node".into(), format!("unknown node `{}`", input.node)));
    }
    errors
        .is_empty()
        .then(|| ("/v1/locations".to_owned(), json!(input)))
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let client = reqwest::blocking::Client::new();
    let base = args.server.trim_end_matches('/').to_owned();
    let unreachable =
        |e: reqwest::Error| Exit::new(3, format!("cannot reach the server at {base}: {e}"));
    client
        .get(format!("{base}/healthz"))
        .send()
        .map_err(unreachable)?;
    let nodes: HashSet<String> = match args.kind {
        Kind::Locations => {
            let v: Value = client
                .get(format!("{base}/v1/nodes"))
                .send()
                .map_err(unreachable)?
                .json()?;
            v["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n["code"].as_str().map(str::to_owned))
                .collect()
        }
        _ => HashSet::new(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(&args.file)
        .map_err(|e| Exit::new(2, format!("{}: {e}", args.file.display())))?;
    let headers = reader
        .headers()
        .map_err(|e| Exit::new(2, format!("{}: {e}", args.file.display())))?
        .clone();
    let mut ready = Vec::new();
    let mut bad: Vec<RowError> = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        // Row 1 is the header, so the first record is row 2, as a spreadsheet shows it.
        let row = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                bad.push(RowError {
                    row,
                    field: "row".into(),
                    problem: e.to_string(),
                });
                continue;
            }
        };
        let mut errors = Vec::new();
        let parsed = match args.kind {
            Kind::Skus => sku_row(&rec, &headers, &mut errors),
            Kind::Nodes => node_row(&rec, &headers, &mut errors),
            Kind::Locations => location_row(&rec, &headers, &nodes, &mut errors),
        };
        match parsed {
            Some((path, body)) => ready.push(Ready {
                row,
                method: if matches!(args.kind, Kind::Locations) {
                    reqwest::Method::POST
                } else {
                    reqwest::Method::PUT
                },
                path,
                body,
            }),
            None => bad.extend(errors.into_iter().map(|(field, problem)| RowError {
                row,
                field,
                problem,
            })),
        }
    }
    for e in &bad {
        eprintln!("row {}, {}: {}", e.row, e.field, e.problem);
    }
    let bad_rows: HashSet<usize> = bad.iter().map(|e| e.row).collect();
    if !bad.is_empty() && !args.skip_bad_rows {
        return Err(Exit::new(
            1,
            format!(
                "{} of {} rows are bad; nothing was imported (fix them, or pass --skip-bad-rows)",
                bad_rows.len(),
                bad_rows.len() + ready.len()
            ),
        )
        .into());
    }
    let bar = ProgressBar::new(ready.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows {per_sec} eta {eta}")
            .expect("template is valid"),
    );
    let mut refused = 0usize;
    for r in &ready {
        let resp = client
            .request(r.method.clone(), format!("{base}{}", r.path))
            .json(&r.body)
            .send()
            .map_err(unreachable)?;
        let status = resp.status();
        // A location that already exists is already imported.
        let already_there = status.as_u16() == 409 && matches!(args.kind, Kind::Locations);
        if !status.is_success() && !already_there {
            let problem: Value = resp.json().unwrap_or(Value::Null);
            bar.suspend(|| {
                eprintln!(
                    "row {}: refused by the server ({status}): {}",
                    r.row,
                    problem["detail"].as_str().unwrap_or("no detail")
                )
            });
            refused += 1;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let imported = ready.len() - refused;
    crate::emit(&format!(
        "imported {imported} rows from {}; {} bad rows skipped; {refused} refused by the server\n",
        args.file.display(),
        bad_rows.len()
    ))
    .context("write the summary")?;
    if refused > 0 {
        return Err(Exit::new(1, format!("{refused} rows were refused by the server")).into());
    }
    Ok(())
}
